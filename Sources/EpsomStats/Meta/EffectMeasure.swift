/// The effect-size measures, with metafor's names and definitions (`escalc`, vtype "LS").
public enum EffectMeasure: String, Sendable, CaseIterable, Codable {
    /// Raw mean difference m1 - m2; v = sd1²/n1 + sd2²/n2.
    case meanDifference = "MD"
    /// Hedges' g: the bias-corrected standardized mean difference; see `EffectSizes`.
    case standardizedMeanDifference = "SMD"
    /// Log ratio of means log(m1/m2); v = sd1²/(n1 m1²) + sd2²/(n2 m2²).
    case ratioOfMeans = "ROM"
    /// Log risk ratio from a 2×2 table.
    case riskRatio = "RR"
    /// Log odds ratio from a 2×2 table.
    case oddsRatio = "OR"
    /// Risk difference from a 2×2 table.
    case riskDifference = "RD"
    /// Precomputed effect sizes and sampling variances (yi, vi).
    case generic = "GEN"

    /// True for measures analysed on the log scale and shown exponentiated as ratios.
    public var isRatio: Bool { self == .ratioOfMeans || self == .riskRatio || self == .oddsRatio }

    public var displayName: String {
        switch self {
        case .meanDifference: "Mean difference"
        case .standardizedMeanDifference: "Standardized mean difference (Hedges' g)"
        case .ratioOfMeans: "Ratio of means"
        case .riskRatio: "Risk ratio"
        case .oddsRatio: "Odds ratio"
        case .riskDifference: "Risk difference"
        case .generic: "Effect size"
        }
    }
}

/// What to do with 2×2 tables that contain a zero cell (metafor's `add`, `to`, `drop00`).
public struct ZeroCellCorrection: Sendable, Equatable {
    public enum Scope: String, Sendable, CaseIterable {
        /// Add to every cell of the tables that have a zero (metafor's default, "only0").
        case onlyZero = "only0"
        /// Add to every cell of every table ("all").
        case all
        /// Add to every table if any table has a zero ("if0all").
        case ifAnyZero = "if0all"
        /// Never add ("none"); a table with a zero then has an undefined log ratio.
        case none
    }

    public var add: Double
    public var scope: Scope
    /// Drop studies with no events in both arms (or all events in both arms).
    public var dropDoubleZero: Bool

    public init(add: Double = 0.5, scope: Scope = .onlyZero, dropDoubleZero: Bool = false) {
        self.add = add
        self.scope = scope
        self.dropDoubleZero = dropDoubleZero
    }

    public static let metaforDefault = ZeroCellCorrection()
}
