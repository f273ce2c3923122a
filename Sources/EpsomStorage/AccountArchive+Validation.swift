import EpsomCore
import Foundation

/// Checking an archive that comes from outside (an upload) before anything is written. Errors are
/// keyed by the field's path in the archive ("trials[2].amendments[0].protocol_hash") and never
/// quote the stored values.
extension AccountArchive {
    /// The archive with its sealed trials opened, every record checked, and everything in
    /// canonical order; or every problem found (at most `maximumErrors`).
    ///
    /// Protocols cannot be forged: each frozen protocol's and amendment's `protocol_hash` must be
    /// the SHA-256 of its `protocol_json`, and the design and schedule must be exactly the ones
    /// the protocol now in force describes (so an archive cannot change an allocation while
    /// keeping a registered hash).
    /// - Parameter isAllowed: which Unicode scalars text may hold (the web layer passes the rule
    ///   its forms use: no control characters but tab and line breaks).
    public func validated(isAllowed: @escaping (Unicode.Scalar) -> Bool) throws(FieldErrors) -> AccountArchive {
        var check = Checker(isAllowed: isAllowed)
        if format != Self.formatName { check.errors.add("format", "must be \(Self.formatName)") }
        if version != Self.currentVersion { check.errors.add("version", "this Epsom reads version \(Self.currentVersion)") }
        check.profile(profile)
        var dates = Set<CalendarDate>()
        for (i, e) in diary.enumerated() { check.diary(e, "diary[\(i)]", seen: &dates) }
        var doseIDs = Set<String>()
        for (i, d) in doses.enumerated() { check.dose(d, "doses[\(i)]", seen: &doseIDs) }
        var productIDs = Set<String>()
        for (i, p) in products.enumerated() { check.product(p, "products[\(i)]", seen: &productIDs) }
        var opened: [(TrialRecord, String)] = trials.enumerated().map { ($1, "trials[\($0)]") }
        for (k, text) in sealedTrials.enumerated() {
            let path = "sealed_trials[\(k)]"
            guard let data = Data(base64Encoded: text) else { check.errors.add(path, "is not base64 of a trial"); continue }
            do {
                opened.append((try WireJSON.decoder().decode(TrialRecord.self, from: data), path))
            } catch {
                let (field, message) = Self.describe(error)
                check.errors.add(field.isEmpty ? path : "\(path).\(field)", message)
            }
        }
        var trialIDs = Set<String>()
        for (record, path) in opened { check.trial(record, path, seen: &trialIDs) }
        var emails = Set<String>()
        for (i, email) in shares.enumerated() { check.share(email, "shares[\(i)]", seen: &emails) }
        try check.errors.check()

        var result = self
        result.trials = opened.map(\.0).sorted(by: TrialRecord.canonicalOrder)
        result.sealedTrials = []
        result.diary.sort { $0.date < $1.date }
        result.doses.sort { ($0.takenAt, $0.id) < ($1.takenAt, $1.id) }
        result.products.sort { $0.id < $1.id }
        result.shares = emails.sorted()
        for i in result.trials.indices { result.trials[i].days.sort { $0.date < $1.date } }
        return result
    }

    /// A decoding failure as (field path, message), the path written the way `validated` names
    /// fields: "trials[2].amendments[0].date".
    public static func describe(_ error: any Error) -> (field: String, message: String) {
        guard let error = error as? DecodingError else { return ("", "is not valid JSON") }
        switch error {
        case .keyNotFound(let key, let context): return (path(context.codingPath + [key]), "is required")
        case .typeMismatch(let type, let context): return (path(context.codingPath), "must be \(Self.name(type))")
        case .valueNotFound(let type, let context): return (path(context.codingPath), "must be \(Self.name(type)), not null")
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? ("", "is not valid JSON") : (path(context.codingPath), context.debugDescription)
        @unknown default: return ("", "is not valid JSON")
        }
    }

    static func name(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is UInt64.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: type is any Collection.Type ? "a list" : "an object"
        }
    }

    /// ["trials", 2, "amendments", 0, "protocol_hash"] → "trials[2].amendments[0].protocol_hash".
    public static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + WireJSON.wireName(key.stringValue)
            }
        }
        return text
    }
}

/// Collects the problems of one archive.
private struct Checker {
    let isAllowed: (Unicode.Scalar) -> Bool
    var errors = FieldErrors()

    mutating func text(_ path: String, _ value: String, maximum: Int, required: Bool = false) {
        if !value.unicodeScalars.allSatisfy(isAllowed) {
            errors.add(path, "must not contain control characters (tab and line breaks are allowed)")
        } else if required && value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            errors.add(path, "is required")
        } else if value.count > maximum {
            errors.add(path, "must be at most \(maximum) characters")
        }
    }

    mutating func number(_ path: String, _ value: Double, in range: ClosedRange<Double>) {
        if !value.isFinite || !range.contains(value) {
            errors.add(
                path, "must be a number from \(NumberFormatting.trimmed(range.lowerBound)) to \(NumberFormatting.trimmed(range.upperBound))"
            )
        }
    }

    mutating func salt(_ path: String, _ id: String?) {
        if let id, MagnesiumSalt.named(id)?.id != id { errors.add(path, "is not a salt of the research table") }
    }

    mutating func profile(_ p: AccountArchive.Profile) {
        text("profile.name", p.name, maximum: 100, required: true)
        if !(1...30).contains(p.missedUseDays) { errors.add("profile.missed_use_days", "must be a whole number from 1 to 30") }
        if let zone = p.timeZone, Account.timeZoneIdentifier(zone) != zone {
            errors.add("profile.time_zone", "must be a time zone known to this server (an IANA id such as Europe/London)")
        }
    }

    mutating func diary(_ e: AccountArchive.DiaryRecord, _ path: String, seen: inout Set<CalendarDate>) {
        if !seen.insert(e.date).inserted { errors.add("\(path).date", "appears twice (one entry per day)") }
        if !(0...10).contains(e.pain) { errors.add("\(path).pain", "must be a whole number from 0 to 10") }
        for (name, score) in [
            ("enjoyment", e.enjoyment), ("activity", e.activity), ("spasms", e.spasms),
            ("stiffness", e.stiffness), ("sleep", e.sleep),
        ] {
            if let score, !(0...10).contains(score) { errors.add("\(path).\(name)", "must be a whole number from 0 to 10") }
        }
        text("\(path).note", e.note, maximum: DiaryEntry.maximumNoteLength)
    }

    mutating func dose(_ d: AccountArchive.DoseRecord, _ path: String, seen: inout Set<String>) {
        text("\(path).id", d.id, maximum: 100, required: true)
        if !seen.insert(d.id).inserted { errors.add("\(path).id", "appears twice") }
        if let time = d.time {
            if !CalendarDate.accepted.contains(time.localDate) { errors.add("\(path).taken_at", "must be from 1900-01-01 to 2199-12-31") }
        } else {
            errors.add("\(path).taken_at", "must be RFC 3339 to the second with an offset, e.g. 2026-11-07T08:00:00-05:00")
        }
        text("\(path).product", d.product, maximum: 100, required: true)
        salt("\(path).salt", d.salt)
        number("\(path).amount", d.amount, in: 0...1_000_000)
        number("\(path).elemental_mg", d.elementalMilligrams, in: 0...1_000_000)
        if AccountArchive.DoseRecord.source(d.elementalSource) == nil {
            errors.add("\(path).elemental_source", "must be label, strength or computed:SALT")
        }
        text("\(path).elemental_source", d.elementalSource, maximum: 100)
        if let site = d.site { text("\(path).site", site, maximum: 200) }
    }

    mutating func product(_ p: AccountArchive.ProductRecord, _ path: String, seen: inout Set<String>) {
        text("\(path).id", p.id, maximum: 100, required: true)
        if !seen.insert(p.id).inserted { errors.add("\(path).id", "appears twice") }
        text("\(path).name", p.name, maximum: 100, required: true)
        salt("\(path).salt", p.salt)
        number("\(path).amount", p.amount, in: 0...1_000_000)
        if let mg = p.elementalMilligrams { number("\(path).elemental_mg", mg, in: 0...1_000_000) }
        if let site = p.site { text("\(path).site", site, maximum: 200) }
        if let s = p.strength {
            if LabelStrength.Basis(rawValue: s.basis) == nil { errors.add("\(path).strength.basis", "must be elemental, salt or percent") }
            number("\(path).strength.value", s.value, in: 0...1_000_000)
        }
    }

    mutating func trial(_ t: AccountArchive.TrialRecord, _ path: String, seen: inout Set<String>) {
        text("\(path).id", t.id, maximum: 100, required: true)
        if !seen.insert(t.id).inserted { errors.add("\(path).id", "appears twice") }
        let before = errors.messages.count
        let d = t.design
        text("\(path).design.title", d.title, maximum: 200)
        if !(2...TrialDesign.maximumArms).contains(d.arms.count) {
            errors.add("\(path).design.arms", "a trial has 2 to \(TrialDesign.maximumArms) arms")
        }
        for (a, arm) in d.arms.enumerated() {
            text("\(path).design.arms[\(a)].name", arm.name, maximum: 60, required: true)
            text("\(path).design.arms[\(a)].instruction", arm.instruction, maximum: 1000)
        }
        if !TrialDesign.periodDayRange.contains(d.periodDays) { errors.add("\(path).design.periodDays", "must be from 1 to 56") }
        if !TrialDesign.cycleRange.contains(d.cycles) { errors.add("\(path).design.cycles", "must be from 1 to 12") }
        if d.washoutDays < 0 || d.washoutDays >= d.periodDays {
            errors.add("\(path).design.washoutDays", "must be at least 0 and shorter than the period")
        }
        number("\(path).design.mcid", d.mcid, in: 0...10)
        text("\(path).design.reminderTime", d.reminderTime, maximum: 5)
        if errors.messages.count == before {
            if d.totalDays > TrialDesign.maximumTotalDays { errors.add("\(path).design.cycles", "the trial lasts too long") }
            if t.schedule.jars.count != d.arms.count { errors.add("\(path).schedule.jars", "must name one jar per arm") }
            if t.schedule.periods.isEmpty || t.schedule.periods.contains(where: { !d.arms.indices.contains($0.arm) }) {
                errors.add("\(path).schedule.periods", "every period must be one of the design's arms")
            }
            for jar in t.schedule.jars { text("\(path).schedule.jars", jar, maximum: 10) }
        }
        text("\(path).protocol_json", t.protocolJSON, maximum: 1_000_000)
        if TrialProtocol.hash(t.protocolJSON) != t.protocolHash {
            errors.add("\(path).protocol_hash", "does not match its protocol JSON")
        }
        for (j, a) in t.amendments.enumerated() {
            let p = "\(path).amendments[\(j)]"
            if a.number != j + 1 { errors.add("\(p).number", "must be \(j + 1) (amendments are numbered in order from 1)") }
            text("\(p).change", a.change, maximum: 1000)
            text("\(p).reason", a.reason, maximum: 1000)
            text("\(p).protocol_json", a.protocolJSON, maximum: 1_000_000)
            if TrialProtocol.hash(a.protocolJSON) != a.protocolHash {
                errors.add("\(p).protocol_hash", "does not match its protocol JSON")
            }
        }
        // The design and schedule must be the ones the protocol in force describes (checked
        // only when they are well formed: the protocol's text is built from them).
        if errors.messages.count == before {
            let expected = TrialProtocol(
                design: d, schedule: t.schedule, registeredOn: t.registeredOn,
                amendment: t.amendments.count
            ).json
            if expected != (t.amendments.last?.protocolJSON ?? t.protocolJSON) {
                errors.add("\(path).schedule", "the design and schedule do not match the trial's protocol JSON")
            }
        }
        if let reason = t.stopReason { text("\(path).stop_reason", reason, maximum: 1000) }
        var days = Set<CalendarDate>()
        for (k, day) in t.days.enumerated() {
            if !days.insert(day.date).inserted { errors.add("\(path).days[\(k)].date", "appears twice (one answer per day)") }
            if let amount = day.amount { number("\(path).days[\(k)].amount", amount, in: 0...1000) }
        }
    }

    mutating func share(_ email: String, _ path: String, seen: inout Set<String>) {
        text(path, email, maximum: 254, required: true)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count != 2 || parts.contains(where: \.isEmpty) || email.contains(" ") {
            errors.add(path, "must be an email address")
        } else if !seen.insert(email.lowercased()).inserted {
            errors.add(path, "appears twice")
        }
    }
}
