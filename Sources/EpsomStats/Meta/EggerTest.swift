/// Egger's regression test for funnel-plot asymmetry (Egger et al. 1997), in metafor's default
/// form (`regtest`, model "rma", predictor "sei"): the meta-regression yᵢ = β₀ + β₁·√vᵢ with the
/// same τ² estimator and test as the main model. β₁ ≠ 0 signals small-study effects; β₀ is the
/// "limit estimate", the effect expected in a study of infinite size.
public enum EggerTest {
    public struct Result: Sendable, Equatable {
        /// z (or t under knha) statistic of the standard-error coefficient.
        public var statistic: Double
        public var p: Double
        /// Degrees of freedom under knha; nil under z.
        public var degreesOfFreedom: Int?
        public var limitEstimate: Coefficient
    }

    public static func run(y: [Double], v: [Double], options: MetaAnalysisOptions = .init()) throws -> Result {
        guard y.count >= 3 else {
            throw MetaAnalysisError(.notEstimable, "Egger's test needs at least 3 studies.")
        }
        let design = DesignMatrix.interceptOnly(rows: y.count).appendingColumn(named: "sei", v.map { $0.squareRoot() })
        let fit = try MetaAnalysis.fit(y: y, v: v, design: design, options: options)
        return Result(
            statistic: fit.coefficients[1].statistic, p: fit.coefficients[1].p,
            degreesOfFreedom: fit.degreesOfFreedom, limitEstimate: fit.coefficients[0])
    }
}
