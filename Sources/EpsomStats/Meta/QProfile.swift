/// The Q-profile confidence interval for τ² (Viechtbauer 2007): the τ² values at which the
/// generalized Q statistic, Σ (yᵢ - xᵢᵀβ̂(τ²))² / (vᵢ + τ²), equals the χ²ₖ₋ₚ quantiles.
///
/// Q decreases in τ², so the lower bound solves Q = χ²(1 - α/2) and the upper bound Q = χ²(α/2).
/// A bound whose equation has no root at τ² ≥ 0 is 0 (the interval then includes or is {0}).
/// Unlike metafor, no upper search limit (its default is 100) is imposed: the root is bracketed
/// by doubling, so large-scale outcomes get a finite answer instead of "> 100".
public enum QProfile {
    public struct Interval: Sendable, Equatable {
        public var lower: Double
        public var upper: Double
    }

    public static func tauSquaredInterval(
        y: [Double], v: [Double], design: DesignMatrix? = nil,
        level: Double = 0.95
    ) throws -> Interval {
        let x = design ?? .interceptOnly(rows: y.count)
        try MetaAnalysis.validate(y: y, v: v, x: x, options: MetaAnalysisOptions(method: .pauleMandel, level: level))
        let df = Double(x.rows - x.columns)
        guard df >= 1 else {
            throw MetaAnalysisError(.notEstimable, "A confidence interval for tau² needs more studies than coefficients.")
        }
        let alpha = 1 - level
        let lower = try TauSquared.generalizedQRoot(
            target: ChiSquared.quantile(1 - alpha / 2, degreesOfFreedom: df), y: y, v: v, x: x)
        let upper = try TauSquared.generalizedQRoot(
            target: ChiSquared.quantile(alpha / 2, degreesOfFreedom: df), y: y, v: v, x: x)
        return Interval(lower: lower, upper: upper)
    }
}
