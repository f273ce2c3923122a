/// What a person chooses in the designer: arms, period length, cycles, washout, outcome, MCID,
/// start date and whether the arms come in coded jars. `validated` checks a design from a form or
/// the API field by field; a validated design always yields a schedule the analysis can use.
public struct TrialDesign: Sendable, Equatable, Codable {
    public var title: String
    /// The comparator first (effects are reported as arm − first arm).
    public var arms: [TrialArm]
    public var periodDays: Int
    public var cycles: Int
    /// Days at the start of every period that are logged but not analysed, so that the previous
    /// arm's effect can wear off (or the new one build up).
    public var washoutDays: Int
    public var startDate: CalendarDate
    public var outcome: TrialOutcome
    /// Minimal clinically important difference, in outcome points.
    public var mcid: Double
    /// Arms come in jars labelled X, Y, Z filled by a helper; the server conceals which is which.
    public var blinded: Bool
    /// Seeds the randomisation; stored with the trial and revealed with the allocation at the end.
    public var seed: UInt64
    /// Local time of the daily calendar alarm, "HH:MM".
    public var reminderTime: String

    public init(
        title: String, arms: [TrialArm], periodDays: Int = 7, cycles: Int = 4, washoutDays: Int = 2,
        startDate: CalendarDate, outcome: TrialOutcome = .pain, mcid: Double = 1, blinded: Bool = false,
        seed: UInt64, reminderTime: String = "20:00"
    ) {
        self.title = title
        self.arms = arms
        self.periodDays = periodDays
        self.cycles = cycles
        self.washoutDays = washoutDays
        self.startDate = startDate
        self.outcome = outcome
        self.mcid = mcid
        self.blinded = blinded
        self.seed = seed
        self.reminderTime = reminderTime
    }

    public var periodCount: Int { cycles * arms.count }
    public var totalDays: Int { periodCount * periodDays }
    public var endDate: CalendarDate { startDate.adding(days: totalDays - 1) }
    /// Analysed days per arm when every diary day is filled in.
    public var analysedDaysPerArm: Int { cycles * (periodDays - washoutDays) }

    public static let maximumArms = 4
    public static let maximumTotalDays = 366
    public static let periodDayRange = 1...56
    public static let cycleRange = 1...12

    /// Builds a design from text fields (form or API). Fields: template, arms (one name per line
    /// or comma-separated, comparator first; overrides the template's), title, period_days,
    /// cycles, washout_days, start_date, outcome, mcid, blinded, seed, reminder_time. Missing
    /// numbers take the defaults (7 days, 4 cycles, 2 washout days, MCID 1, pain).
    /// - Parameters:
    ///   - today: a new trial may not start before today.
    ///   - randomSeed: used when no seed is given.
    public static func validated(_ fields: [String: String], today: CalendarDate, randomSeed: UInt64)
        throws(FieldErrors) -> TrialDesign
    {
        var errors = FieldErrors()
        func text(_ name: String) -> String? {
            guard let value = fields[name]?.trimmingSpaces(), !value.isEmpty else { return nil }
            return value
        }
        var template: TrialTemplate?
        if let name = text("template") {
            template = TrialTemplate(rawValue: name)
            if template == nil {
                errors.add("template", "unknown template (use \(TrialTemplate.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        var arms = template?.arms ?? []
        if let list = text("arms") {
            let names = list.split(whereSeparator: { $0.isNewline || $0 == "," }).map { String($0).trimmingSpaces() }
                .filter { !$0.isEmpty }
            arms = names.enumerated().map { index, name in
                // Keep a template's instruction for an arm of the same name.
                let known = template?.arms.first { $0.name.lowercased() == name.lowercased() }
                return TrialArm(
                    name: name, instruction: known?.instruction ?? "Follow the plan for \"\(name)\".",
                    isComparator: index == 0)
            }
        }
        if arms.isEmpty {
            errors.add(template == nil && text("template") == nil ? "template" : "arms", "choose a template or name the arms")
        } else if arms.count < 2 {
            errors.add("arms", "a trial needs at least two arms to compare")
        } else if arms.count > maximumArms {
            errors.add("arms", "at most \(maximumArms) arms")
        } else if Set(arms.map { $0.name.lowercased() }).count != arms.count {
            errors.add("arms", "each arm needs a different name")
        } else if arms.contains(where: { $0.name.count > 60 }) {
            errors.add("arms", "arm names must be at most 60 characters")
        }

        func integer(_ name: String, default value: Int, in range: ClosedRange<Int>, _ what: String) -> Int? {
            guard let raw = text(name) else { return value }
            guard let number = Int(raw) else { errors.add(name, "must be a whole number"); return nil }
            guard range.contains(number) else {
                errors.add(name, "\(what) must be from \(range.lowerBound) to \(range.upperBound)")
                return nil
            }
            return number
        }
        let periodDays = integer("period_days", default: 7, in: periodDayRange, "a period")
        let cycles = integer("cycles", default: 4, in: cycleRange, "the number of cycles")
        let washoutDays = integer("washout_days", default: 2, in: 0...55, "the washout")
        if let periodDays, let washoutDays, washoutDays >= periodDays {
            errors.add("washout_days", "the washout must be shorter than the period (\(periodDays) days), or no day is analysed")
        }
        if let periodDays, let cycles, let washoutDays, washoutDays < periodDays, !arms.isEmpty {
            if cycles * (periodDays - washoutDays) < 3 {
                errors.add("cycles", "each arm needs at least 3 analysed days; add cycles or shorten the washout")
            }
            if periodDays * cycles * arms.count > maximumTotalDays {
                errors.add("cycles", "the trial would last \(periodDays * cycles * arms.count) days; at most \(maximumTotalDays)")
            }
        }

        var startDate: CalendarDate?
        if let raw = text("start_date") {
            startDate = CalendarDate(iso: raw)
            if startDate == nil {
                errors.add("start_date", CalendarDate.requirement)
            } else if startDate! < today {
                errors.add("start_date", "a new trial cannot start in the past (today is \(today))")
            } else if startDate!.dayNumber - today.dayNumber > 365 {
                errors.add("start_date", "must be within a year from today")
            }
        } else {
            startDate = today
        }

        var outcome = TrialOutcome.pain
        if let raw = text("outcome") {
            if let value = TrialOutcome(rawValue: raw) {
                outcome = value
            } else {
                errors.add("outcome", "unknown outcome (use \(TrialOutcome.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        var mcid = 1.0
        if let raw = text("mcid") {
            if let value = NumberParsing.decimal(raw), value > 0, value <= 10 {
                mcid = value
            } else {
                errors.add("mcid", "must be a number above 0 and at most 10")
            }
        }
        var blinded = template?.blinded ?? false
        if let raw = text("blinded")?.lowercased() {
            switch raw {
            case "true", "yes", "on", "1": blinded = true
            case "false", "no", "off", "0": blinded = false
            default: errors.add("blinded", "must be true or false")
            }
        }
        var seed = randomSeed
        if let raw = text("seed") {
            if let value = UInt64(raw) {
                seed = value
            } else {
                errors.add("seed", "must be a whole number from 0 to 18446744073709551615")
            }
        }
        let reminderTime = text("reminder_time") ?? "20:00"
        if reminderTime.count != 5 || LocalDateTime(iso: "2000-01-01T" + reminderTime) == nil {
            errors.add("reminder_time", "must be a time HH:MM")
        }
        let title = text("title") ?? template?.title ?? arms.map(\.name).joined(separator: " vs ")
        if title.count > 120 { errors.add("title", "must be at most 120 characters") }

        try errors.check()
        return TrialDesign(
            title: title, arms: arms, periodDays: periodDays!, cycles: cycles!, washoutDays: washoutDays!,
            startDate: startDate!, outcome: outcome, mcid: mcid, blinded: blinded, seed: seed,
            reminderTime: reminderTime)
    }
}
