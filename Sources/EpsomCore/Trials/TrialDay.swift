/// A trial day's adherence, asked beside the diary: did you follow today's instruction, and how
/// much did you use? A severe side effect stops the trial (see `TrialSafety`).
public struct TrialDay: Sendable, Equatable {
    public enum Adherence: String, Sendable, CaseIterable, Codable {
        case yes, partly, no
        public var label: String {
            switch self {
            case .yes: "Yes, as planned"
            case .partly: "Partly"
            case .no: "No"
            }
        }
    }

    public var date: CalendarDate
    public var adherence: Adherence
    /// How much was used (grams of cream, or tablets); optional.
    public var amount: Double?
    public var severeSideEffect: Bool

    public init(date: CalendarDate, adherence: Adherence, amount: Double? = nil, severeSideEffect: Bool = false) {
        self.date = date
        self.adherence = adherence
        self.amount = amount
        self.severeSideEffect = severeSideEffect
    }

    /// Fields: date, adherence (yes, partly, no), amount, severe_side_effect (true/on).
    /// The date must be a day of the trial and not in the future.
    public static func validated(_ fields: [String: String], trial: Trial, today: CalendarDate) throws(FieldErrors) -> TrialDay {
        var errors = FieldErrors()
        let dateText = fields["date"]?.trimmingSpaces() ?? ""
        let date = CalendarDate(iso: dateText)
        if date == nil {
            errors.add("date", dateText.isEmpty ? "is required" : CalendarDate.requirement)
        } else if date! < trial.design.startDate || date! > trial.lastDay {
            errors.add("date", "is not a day of this trial (\(trial.design.startDate) to \(trial.lastDay))")
        } else if date! > today {
            errors.add("date", "is in the future")
        }
        let adherenceText = fields["adherence"]?.trimmingSpaces().lowercased() ?? ""
        let adherence = Adherence(rawValue: adherenceText)
        if adherence == nil { errors.add("adherence", adherenceText.isEmpty ? "is required" : "must be yes, partly or no") }
        var amount: Double?
        if let raw = fields["amount"]?.trimmingSpaces(), !raw.isEmpty {
            if let value = NumberParsing.decimal(raw), value >= 0, value <= 1000 {
                amount = value
            } else {
                errors.add("amount", "must be a number from 0 to 1000")
            }
        }
        let severe: Bool
        switch fields["severe_side_effect"]?.trimmingSpaces().lowercased() ?? "" {
        case "", "false", "no", "off", "0": severe = false
        case "true", "yes", "on", "1": severe = true
        default:
            severe = false
            errors.add("severe_side_effect", "must be true or false")
        }
        try errors.check()
        return TrialDay(date: date!, adherence: adherence!, amount: amount, severeSideEffect: severe)
    }
}

/// When a trial must stop, and the words that say so. Epsom gives no advice of its own: stopping
/// and seeing a clinician is the cited safety rule (docs/safety.md).
public enum TrialSafety {
    public static let kidneyReason =
        "Kidney disease was reported: magnesium supplements are not for use without a "
        + "clinician's advice in kidney disease."
    public static func severeSideEffectReason(on date: CalendarDate) -> String {
        "A severe side effect was reported on \(date)."
    }
    public static let stopAdvice = "Stop using it and see a clinician. The trial has been stopped and the reason recorded."

    /// Whether a trial's stop reason is one of the safety rules' (not the person's own choice).
    public static func isSafetyStop(reason: String?) -> Bool {
        guard let reason else { return false }
        return reason == kidneyReason || (reason.hasPrefix("A severe side effect was reported on ") && reason.hasSuffix("."))
    }
}
