import RealModule

/// Fixed- and random-effects meta-analysis and meta-regression, numerically as metafor's
/// `rma.uni` (version 3.8.1), in O(k·p²) time and O(k·p) memory.
public enum MetaAnalysis {
    /// Fits the model yᵢ = xᵢᵀβ + uᵢ + εᵢ, uᵢ ~ N(0, τ²), εᵢ ~ N(0, vᵢ).
    ///
    /// - Parameters:
    ///   - y: the observed effect sizes.
    ///   - v: their sampling variances; each must be positive and finite.
    ///   - design: the model matrix (intercept first); nil for intercept-only.
    /// - Throws: `MetaAnalysisError` for invalid input or a model the data cannot support.
    public static func fit(
        y: [Double], v: [Double], design: DesignMatrix? = nil,
        options: MetaAnalysisOptions = .init()
    ) throws -> MetaAnalysisResult {
        let x = design ?? .interceptOnly(rows: y.count)
        try validate(y: y, v: v, x: x, options: options)
        let k = y.count, p = x.columns
        // With one study there is nothing to estimate τ² from (metafor's "k1" case).
        let tau2 = k == 1 ? 0 : try TauSquared.estimate(options.method, y: y, v: v, x: x)
        let fit = try TauSquared.weightedFit(y, x, .inverseVariance(v: v, tau2: tau2))

        // Knapp–Hartung scaling of the covariance.
        var scale = 1.0
        var df: Int?
        if options.test == .knha {
            df = k - p
            scale = fit.residualSumOfSquares <= Double.ulpOfOne ? 0 : fit.residualSumOfSquares / Double(k - p)
        }
        var covariance = fit.inverseInformation
        for i in 0..<p { for j in 0..<p { covariance[i, j] *= scale } }

        let alpha = 1 - options.level
        let critical =
            df.map { StudentT.quantile(1 - alpha / 2, degreesOfFreedom: Double($0)) }
            ?? Normal.quantile(1 - alpha / 2)
        guard critical.isFinite else {
            throw MetaAnalysisError(.didNotConverge, "The critical value of the test could not be computed for this level.")
        }
        let coefficients = (0..<p).map { j -> Coefficient in
            let b = fit.coefficients[j], se = covariance[j, j].squareRoot()
            let statistic = b / se
            let pValue =
                df.map { StudentT.twoSidedP(statistic, degreesOfFreedom: Double($0)) }
                ?? Normal.twoSidedP(statistic)
            return Coefficient(
                name: x.columnNames[j], estimate: b, standardError: se, statistic: statistic,
                p: pValue, ciLower: b - critical * se, ciUpper: b + critical * se)
        }

        // Identical studies under Hartung–Knapp (Σwᵢrᵢ² = 0) give a zero standard error: report
        // that the data cannot support the test, rather than an infinite statistic.
        guard coefficients.allSatisfy({ !$0.p.isNaN || $0.standardError <= 0 || !$0.statistic.isFinite }) else {
            throw MetaAnalysisError(.didNotConverge, "The p-value could not be computed (its series did not converge).")
        }
        guard coefficients.allSatisfy({ $0.standardError > 0 && $0.statistic.isFinite && $0.p.isFinite }) else {
            throw MetaAnalysisError(
                .notEstimable,
                "The standard error is zero for these data (the studies agree exactly); use the z test.")
        }
        let omnibus = try omnibusTest(coefficients: fit.coefficients, covariance: covariance, k: k, p: p, df: df)
        let heterogeneity = try heterogeneityStatistics(y: y, v: v, x: x, tau2: tau2, method: options.method)
        guard !omnibus.p.isNaN, !heterogeneity.p.isNaN else {
            throw MetaAnalysisError(.didNotConverge, "A p-value could not be computed (its series did not converge).")
        }
        let (piLower, piUpper) = predictionInterval(
            estimate: coefficients[0], tau2: tau2, k: k, p: p, options: options, critical: critical)
        return MetaAnalysisResult(
            options: options, k: k, coefficients: coefficients, covariance: covariance, tauSquared: tau2,
            heterogeneity: heterogeneity, omnibus: omnibus,
            weights: v.map { 100 / (($0 + tau2) * fit.sumOfWeights) },
            degreesOfFreedom: df, predictionLower: piLower, predictionUpper: piUpper,
            rSquared: p > 1 ? try rSquared(y: y, v: v, x: x, tau2: tau2, method: options.method) : nil)
    }

    /// R² of a meta-regression as metafor defines it: 100 (τ²₀ - τ²)/τ²₀ truncated at 0, with τ²₀
    /// from the intercept-only model (0 when τ²₀ = 0); for FE, the weighted adjusted R².
    private static func rSquared(
        y: [Double], v: [Double], x: DesignMatrix, tau2: Double,
        method: TauSquaredEstimator
    ) throws -> Double {
        let k = Double(y.count), p = Double(x.columns)
        if method.isRandomEffects {
            let tau2Null = try TauSquared.estimate(method, y: y, v: v, x: .interceptOnly(rows: y.count))
            return tau2Null == 0 ? 0 : max(0, 100 * (tau2Null - tau2) / tau2Null)
        }
        let w = WeightedFit.Weights.inverseVariance(v: v, tau2: 0)
        let full = try TauSquared.weightedFit(y, x, w)
        let null = try TauSquared.weightedFit(y, .interceptOnly(rows: y.count), w)
        guard null.residualSumOfSquares > 0 else { return 0 }
        let r2 = 1 - full.residualSumOfSquares / null.residualSumOfSquares
        return max(0, 100 * (1 - (1 - r2) * (k - 1) / (k - p)))
    }

    static func validate(y: [Double], v: [Double], x: DesignMatrix, options: MetaAnalysisOptions) throws {
        guard !y.isEmpty else { throw MetaAnalysisError(.notEstimable, "There are no studies to analyse.") }
        guard y.count == v.count, x.rows == y.count else {
            throw MetaAnalysisError(.notEstimable, "Effect sizes, variances and moderators differ in length.")
        }
        for i in y.indices {
            guard y[i].isFinite else { throw MetaAnalysisError(.invalidStudy(index: i, field: "yi"), "yi is not a finite number.") }
            guard v[i].isFinite, v[i] > 0 else {
                throw MetaAnalysisError(.invalidStudy(index: i, field: "vi"), "vi must be a positive number.")
            }
        }
        if x.values.contains(where: { !$0.isFinite }) {
            throw MetaAnalysisError(.notEstimable, "A moderator value is not a finite number.")
        }
        guard options.level > 0, options.level < 1 else {
            throw MetaAnalysisError(.notEstimable, "The confidence level must lie strictly between 0 and 1.")
        }
        let k = y.count, p = x.columns
        if p > 1, k <= p {
            throw MetaAnalysisError(
                .notEstimable,
                "A model with \(p) coefficients needs more than \(p) studies; there are \(k).")
        }
        if options.test == .knha, k <= p {
            throw MetaAnalysisError(.notEstimable, "The Hartung–Knapp test needs more studies than coefficients (k > \(p)).")
        }
        if options.method.isRandomEffects, p > 1 || k > 1, k - p < 1 {
            throw MetaAnalysisError(.notEstimable, "Estimating tau² needs more studies than coefficients.")
        }
    }

    /// Wald test of all coefficients but the intercept (of the intercept alone without moderators).
    private static func omnibusTest(coefficients b: [Double], covariance: SymmetricMatrix, k: Int, p: Int, df: Int?)
        throws -> OmnibusTest
    {
        let tested = p == 1 ? [0] : Array(1..<p)
        guard let inverse = covariance.submatrix(tested).inverse() else {
            throw MetaAnalysisError(.notEstimable, "The coefficients' covariance is singular; the omnibus test is undefined.")
        }
        let sub = tested.map { b[$0] }
        let product = inverse.multiply(sub)
        let qm = zip(sub, product).reduce(0) { $0 + $1.0 * $1.1 }
        let m = tested.count
        if let df {
            let f = qm / Double(m)
            return OmnibusTest(
                statistic: f, numeratorDegreesOfFreedom: m, denominatorDegreesOfFreedom: df,
                p: FisherF.survival(f, numerator: Double(m), denominator: Double(df)))
        }
        return OmnibusTest(
            statistic: qm, numeratorDegreesOfFreedom: m, denominatorDegreesOfFreedom: nil,
            p: ChiSquared.survival(qm, degreesOfFreedom: Double(m)))
    }

    /// Cochran's Q from inverse-variance weights; I² and H² as in metafor (Higgins & Thompson 2002
    /// for FE; from τ² and the "typical" within-study variance (k - p)/tr(P) for RE).
    static func heterogeneityStatistics(
        y: [Double], v: [Double], x: DesignMatrix, tau2: Double,
        method: TauSquaredEstimator
    ) throws -> Heterogeneity {
        let k = y.count, p = x.columns
        guard k > p else { return Heterogeneity(q: 0, degreesOfFreedom: 0, p: 1, iSquared: 0, hSquared: 1) }
        let fe = try TauSquared.weightedFit(y, x, .inverseVariance(v: v, tau2: 0))
        let q = max(0, fe.residualSumOfSquares)
        let df = Double(k - p)
        let iSquared: Double, hSquared: Double
        if method.isRandomEffects {
            let typical = df / fe.traceP
            iSquared = 100 * tau2 / (typical + tau2)
            hSquared = tau2 / typical + 1
        } else {
            iSquared = q > 0 ? max(0, 100 * (q - df) / q) : 0
            hSquared = q / df
        }
        return Heterogeneity(
            q: q, degreesOfFreedom: k - p, p: ChiSquared.survival(q, degreesOfFreedom: df),
            iSquared: iSquared, hSquared: hSquared)
    }

    private static func predictionInterval(
        estimate: Coefficient, tau2: Double, k: Int, p: Int,
        options: MetaAnalysisOptions, critical: Double
    ) -> (Double, Double) {
        var c = critical
        if options.predictionInterval == .riley {
            let parameters = p + (options.method.isRandomEffects ? 1 : 0)
            let df = max(1, k - parameters)
            c = StudentT.quantile(1 - (1 - options.level) / 2, degreesOfFreedom: Double(df))
        }
        let half = c * (estimate.standardError * estimate.standardError + tau2).squareRoot()
        return (estimate.estimate - half, estimate.estimate + half)
    }
}
