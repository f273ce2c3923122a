/// How a dose was taken or applied.
public enum Route: String, Sendable, CaseIterable, Codable {
    case oral
    case transdermalCream = "transdermal_cream"
    case transdermalOil = "transdermal_oil"
    case transdermalSpray = "transdermal_spray"
    case bath
    case intravenous
    case intramuscular

    /// Through the skin: absorption is uncertain (Gröber et al. 2017), so these amounts are shown
    /// apart and never counted toward the upper limit for supplements.
    public var isTransdermal: Bool {
        switch self {
        case .transdermalCream, .transdermalOil, .transdermalSpray, .bath: true
        default: false
        }
    }

    /// Creams, oils and sprays: the amount is of the preparation, not of a salt, so elemental
    /// magnesium needs the label's figure or strength. (A bath's amount is the salt itself.)
    public var needsLabelFigure: Bool { self == .transdermalCream || self == .transdermalOil || self == .transdermalSpray }

    /// "cream", "oil", "spray"… for sentences.
    public var noun: String {
        switch self {
        case .transdermalCream: "cream"
        case .transdermalOil: "oil"
        case .transdermalSpray: "spray"
        case .bath: "bath"
        case .oral: "supplement"
        case .intravenous, .intramuscular: "injection"
        }
    }

    /// Given by a clinician (infusion or injection): shown apart, not a supplement.
    public var isParenteral: Bool { self == .intravenous || self == .intramuscular }

    public var label: String {
        switch self {
        case .oral: "By mouth"
        case .transdermalCream: "Cream on the skin"
        case .transdermalOil: "Oil on the skin"
        case .transdermalSpray: "Spray on the skin"
        case .bath: "Bath (e.g. Epsom salt)"
        case .intravenous: "Intravenous (by a clinician)"
        case .intramuscular: "Intramuscular (by a clinician)"
        }
    }
}

/// Units a dose amount may be given in. Mass units let Epsom compute elemental magnesium from
/// the salt; other units need the label's elemental figure.
public enum DoseUnit: String, Sendable, CaseIterable, Codable {
    case mg, g, ml, spray, pump, tablet, capsule, scoop

    public var milligrams: Double? {
        switch self {
        case .mg: 1
        case .g: 1000
        default: nil
        }
    }
}
