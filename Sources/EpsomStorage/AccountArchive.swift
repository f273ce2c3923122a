import EpsomCore
import Foundation

/// Everything needed to restore one account exactly, as a versioned JSON document: the profile,
/// the diary, the magnesium log (with dose ids), products, trials (design, stored schedule and
/// allocation, the frozen protocol's JSON and SHA-256, amendments with theirs, stop, consent,
/// the allocation sheet's date, each day's adherence) and the emails the account shares with.
///
/// Not in the archive, on purpose: the password hash and sessions (a restore goes into the
/// account you are signed in to), trials' calendar-feed tokens (secrets; make a new feed link),
/// the access log (a record of what others did, not the patient's data), rate-limit counters.
/// `source` says where the archive came from and is never restored.
///
/// Order is canonical, so that two archives of the same data compare equal: diary by date, doses
/// by time then id, products by id, trials newest first (then id), days by date, shares sorted.
///
/// A blinded trial that is still running travels in `sealedTrials` (see `sealed(today:)`), so
/// that opening an export does not unblind its owner.
public struct AccountArchive: Sendable, Equatable, Codable {
    public static let formatName = "epsom-account-archive"
    public static let currentVersion = 1

    public var format = Self.formatName
    public var version = Self.currentVersion
    public var source: Source
    public var profile: Profile
    public var diary: [DiaryRecord]
    public var doses: [DoseRecord]
    public var products: [ProductRecord]
    public var trials: [TrialRecord]
    /// Blinded running trials: base64 of each `TrialRecord`'s JSON. Encoded so that opening the
    /// export does not unblind you; it is not encryption (anyone may decode it).
    public var sealedTrials: [String] = []
    /// Clinicians' emails the account shares with, active or still waiting (`Store.sharedEmails`).
    public var shares: [String]

    enum CodingKeys: String, CodingKey {
        case format, version, source, profile, diary, doses, products, trials, sealedTrials = "sealedTrials", shares
    }

    public init(
        source: Source, profile: Profile, diary: [DiaryRecord], doses: [DoseRecord], products: [ProductRecord],
        trials: [TrialRecord], shares: [String]
    ) {
        self.source = source
        self.profile = profile
        self.diary = diary
        self.doses = doses
        self.products = products
        self.trials = trials
        self.shares = shares
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        version = try c.decode(Int.self, forKey: .version)
        // The format and version are checked by `validated`, with the other fields.
        source = try c.decode(Source.self, forKey: .source)
        profile = try c.decode(Profile.self, forKey: .profile)
        diary = try c.decode([DiaryRecord].self, forKey: .diary)
        doses = try c.decode([DoseRecord].self, forKey: .doses)
        products = try c.decode([ProductRecord].self, forKey: .products)
        trials = try c.decode([TrialRecord].self, forKey: .trials)
        sealedTrials = try c.decodeIfPresent([String].self, forKey: .sealedTrials) ?? []
        shares = try c.decode([String].self, forKey: .shares)
    }

    /// Where the archive was made. Informational only: a restore keeps the signed-in account's
    /// id, email and creation time.
    public struct Source: Sendable, Equatable, Codable {
        public var accountID: String
        public var email: String
        /// Seconds since 1970.
        public var createdAt: Int
        enum CodingKeys: String, CodingKey { case accountID = "accountId", email, createdAt = "createdAt" }
        public init(accountID: String, email: String, createdAt: Int) {
            self.accountID = accountID
            self.email = email
            self.createdAt = createdAt
        }
    }

    /// What a restore writes onto the signed-in account.
    public struct Profile: Sendable, Equatable, Codable {
        public var name: String
        public var role: Role
        public var kidneyDisease: Bool
        public var medicines: [SafetyProfile.Medicine]
        public var missedUseDays: Int
        /// The account's IANA time zone; absent in archives made before accounts had one (a
        /// restore then keeps the account's).
        public var timeZone: String?
        enum CodingKeys: String, CodingKey {
            case name, role, kidneyDisease = "kidneyDisease", medicines, missedUseDays = "missedUseDays", timeZone = "timeZone"
        }
        public init(_ account: Account) {
            name = account.name
            role = account.role
            kidneyDisease = account.safetyProfile.kidneyDisease
            medicines = account.safetyProfile.medicines.sorted { $0.rawValue < $1.rawValue }
            missedUseDays = account.missedUseDays
            timeZone = account.timeZone
        }
        public var safetyProfile: SafetyProfile { SafetyProfile(kidneyDisease: kidneyDisease, medicines: Set(medicines)) }
    }

    public struct DiaryRecord: Sendable, Equatable, Codable {
        public var date: CalendarDate
        public var pain: Int
        public var enjoyment, activity, spasms, stiffness, sleep: Int?
        public var sideEffects: [DiaryEntry.SideEffect]
        public var note: String
        enum CodingKeys: String, CodingKey {
            case date, pain, enjoyment, activity, spasms, stiffness, sleep, sideEffects = "sideEffects", note
        }
        public init(_ e: DiaryEntry) {
            date = e.date
            pain = e.pain
            enjoyment = e.enjoyment
            activity = e.activity
            spasms = e.spasms
            stiffness = e.stiffness
            sleep = e.sleep
            sideEffects = e.sideEffects.sorted { $0.rawValue < $1.rawValue }
            note = e.note
        }
        public var entry: DiaryEntry {
            DiaryEntry(
                date: date, pain: pain, enjoyment: enjoyment, activity: activity, spasms: spasms, stiffness: stiffness,
                sleep: sleep, sideEffects: Set(sideEffects), note: note)
        }
    }

    public struct DoseRecord: Sendable, Equatable, Codable {
        public var id: String
        /// RFC 3339 to the second with the offset in force then ("2026-11-07T08:00:00-05:00",
        /// "Z" for 0): the instant and the offset exactly (`Timestamp.rfc3339`). Archives made
        /// before doses had an instant hold "YYYY-MM-DDTHH:MM", read as UTC (offset 0), as
        /// migration 0012 read the stored ones.
        public var takenAt: String
        public var product: String
        public var route: Route
        /// A salt id of the research table ("citrate").
        public var salt: String?
        public var amount: Double
        public var unit: DoseUnit
        public var elementalMilligrams: Double
        /// "label", "strength" or "computed:SALT", as stored.
        public var elementalSource: String
        public var site: String?
        enum CodingKeys: String, CodingKey {
            case id, takenAt = "takenAt", product, route, salt, amount, unit, elementalMilligrams = "elementalMg",
                elementalSource = "elementalSource", site
        }
        public init(_ stored: StoredDose) {
            let d = stored.dose
            id = stored.id
            takenAt = d.time.rfc3339
            product = d.product
            route = d.route
            salt = d.salt?.id
            amount = d.amount
            unit = d.unit
            elementalMilligrams = d.elementalMilligrams
            elementalSource = Self.sourceText(d.elementalSource)
            site = d.site
        }
        static func sourceText(_ source: Dose.ElementalSource) -> String {
            switch source {
            case .label: "label"
            case .computed(let salt): "computed:" + salt
            case .strength: "strength"
            }
        }
        static func source(_ text: String) -> Dose.ElementalSource? {
            if text == "label" { return .label }
            if text == "strength" { return .strength }
            if text.hasPrefix("computed:") { return .computed(salt: String(text.dropFirst("computed:".count))) }
            return nil
        }
        /// The time exactly as recorded; nil unless canonical (see `takenAt`).
        var time: Timestamp? {
            guard case .success(let written) = Timestamp.written(takenAt) else { return nil }
            let time = written.utcOffsetMinutes.map(written.recorded(offset:)) ?? Timestamp(utc: written.local)
            let canonical = written.utcOffsetMinutes == nil ? time.local.description : time.rfc3339
            return canonical == takenAt ? time : nil
        }
        /// Nil when a field does not parse (`validated` names which).
        public var dose: Dose? {
            guard let time, let source = Self.source(elementalSource) else { return nil }
            return Dose(
                time: time, product: product, route: route, salt: salt.flatMap(MagnesiumSalt.named), amount: amount,
                unit: unit, elementalMilligrams: elementalMilligrams, elementalSource: source, site: site)
        }
    }

    public struct ProductRecord: Sendable, Equatable, Codable {
        public struct Strength: Sendable, Equatable, Codable {
            /// elemental, salt or percent (`LabelStrength.Basis`).
            public var basis: String
            public var value: Double
            public var per: DoseUnit
        }
        public var id: String
        public var name: String
        public var route: Route
        public var salt: String?
        public var amount: Double
        public var unit: DoseUnit
        public var elementalMilligrams: Double?
        public var site: String?
        public var strength: Strength?
        public var isRegular: Bool
        enum CodingKeys: String, CodingKey {
            case id, name, route, salt, amount, unit, elementalMilligrams = "elementalMg", site, strength,
                isRegular = "isRegular"
        }
        public init(_ p: Product) {
            id = p.id
            name = p.name
            route = p.route
            salt = p.salt?.id
            amount = p.amount
            unit = p.unit
            elementalMilligrams = p.elementalMilligrams
            site = p.site
            strength = p.strength.map { Strength(basis: $0.basis.rawValue, value: $0.value, per: $0.per) }
            isRegular = p.isRegular
        }
        /// A strength with an unknown basis is dropped here; `validated` refuses it first.
        public var product: Product {
            let salt = salt.flatMap(MagnesiumSalt.named)
            let label = strength.flatMap { s in
                LabelStrength.Basis(rawValue: s.basis).map { LabelStrength(basis: $0, value: s.value, per: s.per, salt: salt) }
            }
            return Product(
                id: id, name: name, route: route, salt: salt, amount: amount, unit: unit,
                elementalMilligrams: elementalMilligrams, site: site, strength: label, isRegular: isRegular)
        }
    }

    public struct TrialRecord: Sendable, Equatable, Codable {
        public struct Amendment: Sendable, Equatable, Codable {
            public var number: Int
            public var date: CalendarDate
            public var change: String
            public var reason: String
            public var protocolJSON: String
            public var protocolHash: String
            enum CodingKeys: String, CodingKey {
                case number, date, change, reason, protocolJSON = "protocolJson", protocolHash = "protocolHash"
            }
        }
        public struct Day: Sendable, Equatable, Codable {
            public var date: CalendarDate
            public var adherence: TrialDay.Adherence
            public var amount: Double?
            public var severeSideEffect: Bool
            enum CodingKeys: String, CodingKey { case date, adherence, amount, severeSideEffect = "severeSideEffect" }
            public var trialDay: TrialDay { TrialDay(date: date, adherence: adherence, amount: amount, severeSideEffect: severeSideEffect) }
        }
        public var id: String
        /// Seconds since 1970; kept so that the trials list keeps its order after a restore.
        public var createdAt: Int
        /// The design now in force (after amendments), in the form Epsom stores it.
        public var design: TrialDesign
        /// The stored schedule and jar allocation.
        public var schedule: TrialSchedule
        public var registeredOn: CalendarDate
        /// The protocol frozen at registration: the exact text that was hashed, and its SHA-256.
        public var protocolJSON: String
        public var protocolHash: String
        public var amendments: [Amendment]
        public var stoppedOn: CalendarDate?
        public var stopReason: String?
        public var consentToPool: Bool
        public var allocationShownOn: CalendarDate?
        public var days: [Day]
        enum CodingKeys: String, CodingKey {
            case id, createdAt = "createdAt", design, schedule, registeredOn = "registeredOn", protocolJSON = "protocolJson",
                protocolHash = "protocolHash", amendments, stoppedOn = "stoppedOn", stopReason = "stopReason",
                consentToPool = "consentToPool", allocationShownOn = "allocationShownOn", days
        }
        public init(_ t: Trial, createdAt: Int, days: [TrialDay]) {
            id = t.id
            self.createdAt = createdAt
            design = t.design
            schedule = t.schedule
            registeredOn = t.registeredOn
            protocolJSON = t.registeredProtocol.json
            protocolHash = t.registeredProtocol.sha256
            amendments = t.amendments.map {
                Amendment(
                    number: $0.number, date: $0.date, change: $0.change, reason: $0.reason, protocolJSON: $0.protocolJSON,
                    protocolHash: $0.protocolHash)
            }
            stoppedOn = t.stoppedOn
            stopReason = t.stopReason
            consentToPool = t.consentToPool
            allocationShownOn = t.allocationSheetShownOn
            self.days = days.map { Day(date: $0.date, adherence: $0.adherence, amount: $0.amount, severeSideEffect: $0.severeSideEffect) }
        }
        public var trial: Trial {
            Trial(
                id: id, design: design, schedule: schedule,
                registeredProtocol: TrialProtocol(json: protocolJSON, sha256: protocolHash), registeredOn: registeredOn,
                amendments: amendments.map {
                    TrialAmendment(
                        number: $0.number, date: $0.date, change: $0.change, reason: $0.reason,
                        protocolJSON: $0.protocolJSON, protocolHash: $0.protocolHash)
                },
                stoppedOn: stoppedOn, stopReason: stopReason, consentToPool: consentToPool,
                allocationSheetShownOn: allocationShownOn)
        }

        /// Trials newest first, then by id: the order of `Store.trials` and of every archive.
        static func canonicalOrder(_ a: TrialRecord, _ b: TrialRecord) -> Bool {
            a.createdAt != b.createdAt ? a.createdAt > b.createdAt : a.id < b.id
        }
    }
}

// MARK: Sealing blinded trials

extension AccountArchive {
    /// The archive as an export carries it: every blinded trial that is not over yet moves to
    /// `sealedTrials` as base64 of its JSON, so that the seed, the jar allocation and the protocol
    /// text are not readable at a glance. It is an encoding, not encryption.
    public func sealed(today: CalendarDate) throws -> AccountArchive {
        var copy = self
        let encoder = WireJSON.encoder()
        copy.trials = []
        for record in trials {
            if record.trial.isConcealed(today: today) {
                copy.sealedTrials.append(try encoder.encode(record).base64EncodedString())
            } else {
                copy.trials.append(record)
            }
        }
        return copy
    }
}
