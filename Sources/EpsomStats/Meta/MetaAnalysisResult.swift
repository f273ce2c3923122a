/// One model coefficient with its test and interval.
public struct Coefficient: Sendable, Equatable {
    public var name: String
    public var estimate: Double
    public var standardError: Double
    /// z or t statistic.
    public var statistic: Double
    public var p: Double
    public var ciLower: Double
    public var ciUpper: Double
}

/// Heterogeneity: Cochran's Q (residual Q with moderators) and the derived I² and H².
public struct Heterogeneity: Sendable, Equatable {
    public var q: Double
    public var degreesOfFreedom: Int
    public var p: Double
    /// I² in percent.
    public var iSquared: Double
    public var hSquared: Double
}

/// The omnibus test of the moderators (or of the intercept in a model without moderators).
public struct OmnibusTest: Sendable, Equatable {
    /// χ² statistic under the z test; F statistic under knha.
    public var statistic: Double
    public var numeratorDegreesOfFreedom: Int
    /// k - p under knha; nil for the χ² test.
    public var denominatorDegreesOfFreedom: Int?
    public var p: Double
}

/// A fitted equal- or random-effects model, with or without moderators.
public struct MetaAnalysisResult: Sendable, Equatable {
    public var options: MetaAnalysisOptions
    public var k: Int
    public var coefficients: [Coefficient]
    /// Covariance matrix of the coefficients (after any Knapp–Hartung scaling).
    public var covariance: SymmetricMatrix
    public var tauSquared: Double
    public var heterogeneity: Heterogeneity
    public var omnibus: OmnibusTest
    /// Weights in percent, Σ = 100 (inverse-variance: 1/(vᵢ + τ²)).
    public var weights: [Double]
    /// Degrees of freedom of the t distribution under knha; nil under z.
    public var degreesOfFreedom: Int?
    /// The prediction interval for a new study's true effect (intercept-only models).
    public var predictionLower: Double
    public var predictionUpper: Double
    /// Meta-regression only: the share of τ² the moderators account for, in percent
    /// (Raudenbush 2009; for FE models, the adjusted R² of the weighted regression, as metafor).
    public var rSquared: Double?

    /// The pooled (intercept) estimate.
    public var estimate: Coefficient { coefficients[0] }
}
