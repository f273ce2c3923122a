/// One arm of a personal trial: what the participant does during its periods.
public struct TrialArm: Sendable, Equatable, Codable {
    public var name: String
    /// The plain instruction shown on the home page and in the calendar, e.g. "Apply 2 g of the
    /// cream to the soles of both feet each evening".
    public var instruction: String
    /// Placebo cream, or "none": the arm magnesium is compared with. The first arm of a design
    /// is the comparator of the analysis (effects are arm − first arm).
    public var isComparator: Bool

    public init(name: String, instruction: String, isComparator: Bool = false) {
        self.name = name
        self.instruction = instruction
        self.isComparator = isComparator
    }
}

/// The outcome a trial is analysed on: a daily diary score on which lower is better.
public enum TrialOutcome: String, Sendable, CaseIterable, Codable {
    case pain, spasms, stiffness, enjoyment, activity

    public var label: String {
        switch self {
        case .pain: "Pain (0–10)"
        case .spasms: "Spasms (0–10)"
        case .stiffness: "Stiffness (0–10)"
        case .enjoyment: "Pain's interference with enjoyment of life (0–10)"
        case .activity: "Pain's interference with general activity (0–10)"
        }
    }

    public func value(in entry: DiaryEntry) -> Double? {
        switch self {
        case .pain: Double(entry.pain)
        case .spasms: entry.spasms.map(Double.init)
        case .stiffness: entry.stiffness.map(Double.init)
        case .enjoyment: entry.enjoyment.map(Double.init)
        case .activity: entry.activity.map(Double.init)
        }
    }
}

/// The three designs the issue names; each fills the designer with arms a person can change.
public enum TrialTemplate: String, Sendable, CaseIterable, Codable {
    case creamVsNone = "cream-vs-none"
    case creamVsPlacebo = "cream-vs-placebo"
    case oralVsCreamVsNone = "oral-vs-cream-vs-none"

    public var title: String {
        switch self {
        case .creamVsNone: "Cream vs no cream"
        case .creamVsPlacebo: "Cream vs placebo cream (blinded)"
        case .oralVsCreamVsNone: "Oral vs cream vs none"
        }
    }

    public var blinded: Bool { self == .creamVsPlacebo }

    /// Comparator first.
    public var arms: [TrialArm] {
        let cream = "Apply your magnesium cream as usual (for example to the soles of both feet) each evening."
        switch self {
        case .creamVsNone:
            return [
                TrialArm(name: "No cream", instruction: "Use no magnesium cream.", isComparator: true),
                TrialArm(name: "Magnesium cream", instruction: cream),
            ]
        case .creamVsPlacebo:
            let jar = "Apply the cream from this period's jar, the same amount and place every evening."
            return [
                TrialArm(name: "Placebo cream", instruction: jar, isComparator: true),
                TrialArm(name: "Magnesium cream", instruction: jar),
            ]
        case .oralVsCreamVsNone:
            return [
                TrialArm(name: "None", instruction: "Take no magnesium and use no cream.", isComparator: true),
                TrialArm(name: "Oral magnesium", instruction: "Take your magnesium tablets as usual; use no cream."),
                TrialArm(name: "Magnesium cream", instruction: cream + " Take no magnesium tablets."),
            ]
        }
    }
}
