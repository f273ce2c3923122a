/// How tests and intervals for the coefficients are made.
public enum CoefficientTest: String, Sendable, CaseIterable, Codable {
    /// Normal (Wald) tests and intervals: metafor's default.
    case z
    /// Hartung & Knapp (2001) / Sidik & Jonkman (2002): t with k - p degrees of freedom and the
    /// variance scaled by Σ wᵢ rᵢ² / (k - p), without truncation at 1 (metafor's `test="knha"`).
    case knha
}

/// Which prediction interval to report for the average effect.
public enum PredictionIntervalType: String, Sendable, CaseIterable, Codable {
    /// metafor's default: μ̂ ± c·√(SE² + τ²), c the z (or, with knha, t with k - p df) quantile.
    case standard
    /// Higgins, Thompson & Spiegelhalter (2009), Riley et al. (2011): t with k - p - 1 df
    /// (k - 2 for an intercept-only random-effects model); metafor's `pi.type="Riley"`.
    case riley
}

public struct MetaAnalysisOptions: Sendable, Equatable {
    public var method: TauSquaredEstimator
    public var test: CoefficientTest
    /// Coverage of confidence and prediction intervals.
    public var level: Double
    public var predictionInterval: PredictionIntervalType

    public init(
        method: TauSquaredEstimator = .restrictedMaximumLikelihood, test: CoefficientTest = .z,
        level: Double = 0.95, predictionInterval: PredictionIntervalType = .standard
    ) {
        self.method = method
        self.test = test
        self.level = level
        self.predictionInterval = predictionInterval
    }
}
