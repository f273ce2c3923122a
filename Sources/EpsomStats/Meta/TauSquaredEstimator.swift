/// How the between-study variance τ² is estimated. Raw values are metafor's `method` names.
public enum TauSquaredEstimator: String, Sendable, CaseIterable, Codable {
    /// Equal/fixed effect: τ² = 0.
    case fixedEffect = "FE"
    /// DerSimonian & Laird (1986): method of moments on the inverse-variance Q.
    case derSimonianLaird = "DL"
    /// Hedges (1983) / Hedges & Olkin (1985): method of moments on the unweighted Q.
    case hedges = "HE"
    /// Sidik & Jonkman (2005): one step from a crude variance.
    case sidikJonkman = "SJ"
    /// Maximum likelihood, by Fisher scoring.
    case maximumLikelihood = "ML"
    /// Restricted maximum likelihood (Viechtbauer 2005), by Fisher scoring.
    case restrictedMaximumLikelihood = "REML"
    /// Empirical Bayes (Morris 1983; Berkey et al. 1995).
    case empiricalBayes = "EB"
    /// Paule & Mandel (1982): the generalized Q statistic set equal to its expectation k - p.
    case pauleMandel = "PM"

    public var isRandomEffects: Bool { self != .fixedEffect }
}

/// The τ² estimators, as in metafor 3.8.1's `rma.uni` (see docs/methods.md for the formulas).
/// All results are truncated at zero.
enum TauSquared {
    /// Convergence of the iterative estimators: successive τ² differ by at most this, relative to
    /// max(τ², 1e-6) — far inside the 1e-10 the product promises, and relative even for the tiny
    /// τ² of risk differences.
    static let tolerance = 1e-13
    static let maximumIterations = 10_000

    static func estimate(_ method: TauSquaredEstimator, y: [Double], v: [Double], x: DesignMatrix) throws -> Double {
        let k = Double(x.rows), p = Double(x.columns)
        switch method {
        case .fixedEffect:
            return 0
        case .derSimonianLaird:
            let fit = try weightedFit(y, x, .inverseVariance(v: v, tau2: 0))
            return max(0, (fit.residualSumOfSquares - (k - p)) / fit.traceP)
        case .hedges:
            return max(0, try hedgesUntruncated(y: y, v: v, x: x))
        case .sidikJonkman:
            // Crude start: the variance of y with divisor k (metafor's default tau2.init).
            let mean = y.reduce(0, +) / k
            let tau0 = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / k
            guard tau0 > 0 else { return 0 }
            let fit = try weightedFit(y, x, .inverseVariance(v: v, tau2: tau0))
            return max(0, tau0 * fit.residualSumOfSquares / (k - p))
        case .maximumLikelihood, .restrictedMaximumLikelihood, .empiricalBayes:
            return try fisherScoring(method, y: y, v: v, x: x)
        case .pauleMandel:
            return try generalizedQRoot(target: k - p, y: y, v: v, x: x)
        }
    }

    /// Hedges' estimator before truncation; it also starts Fisher scoring.
    static func hedgesUntruncated(y: [Double], v: [Double], x: DesignMatrix) throws -> Double {
        let ols = try weightedFit(y, x, .unit)
        let trPV = WeightedFit.traceOfProjectionTimesVariances(
            design: x, weights: .unit, variances: v, inverseInformation: ols.inverseInformation)
        return (ols.residualSumOfSquares - trPV) / Double(x.rows - x.columns)
    }

    /// Fisher scoring for ML, REML and EB from max(0, HE), halving steps that would go below zero.
    private static func fisherScoring(_ method: TauSquaredEstimator, y: [Double], v: [Double], x: DesignMatrix)
        throws -> Double
    {
        let k = Double(x.rows), p = Double(x.columns)
        // The step is a difference of sums over k studies, so at the fixed point it is rounding
        // noise of order k·ε relative to τ²: a tolerance below that floor is never met (seen
        // at k = 200,000 with 1e-13), so it never goes below it.
        let tolerance = max(Self.tolerance, 4 * k * Double.ulpOfOne)
        var tau2 = max(0, try hedgesUntruncated(y: y, v: v, x: x))
        for _ in 0..<maximumIterations {
            let fit = try weightedFit(y, x, .inverseVariance(v: v, tau2: tau2))
            var step: Double
            switch method {
            case .maximumLikelihood:
                step = (fit.weightedSquaredResiduals - fit.sumOfWeights) / fit.sumOfSquaredWeights
            case .restrictedMaximumLikelihood:
                step = (fit.weightedSquaredResiduals - fit.traceP) / fit.tracePP
            default:
                step = (fit.residualSumOfSquares * k / (k - p) - k) / fit.sumOfWeights
            }
            if !step.isFinite { step = 0 }
            while tau2 + step < 0 { step /= 2 }
            let previous = tau2
            tau2 += step
            if abs(tau2 - previous) <= tolerance * max(tau2, 1e-6) {
                if method != .empiricalBayes, try likelihoodPrefersZero(method, tau2: tau2, y: y, v: v, x: x) {
                    return 0
                }
                return tau2
            }
        }
        throw MetaAnalysisError(
            .didNotConverge,
            "The \(method.rawValue) estimate of tau² did not converge; try another estimator (--method DL or PM).")
    }

    /// metafor's `ll0check`: if the (restricted) likelihood at τ² = 0 beats the scoring result,
    /// scoring stopped at a local maximum and τ² = 0 is the answer.
    private static func likelihoodPrefersZero(
        _ method: TauSquaredEstimator, tau2: Double, y: [Double], v: [Double], x: DesignMatrix
    ) throws -> Bool {
        guard tau2 > 1e-10 else { return false }
        let zero = try logLikelihood(method, tau2: 0, y: y, v: v, x: x)
        let here = try logLikelihood(method, tau2: tau2, y: y, v: v, x: x)
        return zero - here > 1e-10
    }

    static func logLikelihood(_ method: TauSquaredEstimator, tau2: Double, y: [Double], v: [Double], x: DesignMatrix)
        throws -> Double
    {
        let fit = try weightedFit(y, x, .inverseVariance(v: v, tau2: tau2))
        let logDetV = v.reduce(0) { $0 + Double.log($1 + tau2) }
        let k = Double(x.rows), p = Double(x.columns), log2Pi = Double.log(2 * .pi)
        if method == .maximumLikelihood { return -0.5 * k * log2Pi - 0.5 * logDetV - 0.5 * fit.residualSumOfSquares }
        guard let logDetInfo = fit.inverseInformation.logDeterminant() else {
            throw MetaAnalysisError(.notEstimable, "The moderators are not of full rank.")
        }
        // log det(Xᵀ W X) = - log det((Xᵀ W X)⁻¹).
        return -0.5 * (k - p) * log2Pi - 0.5 * logDetV + 0.5 * logDetInfo - 0.5 * fit.residualSumOfSquares
    }

    /// The τ² ≥ 0 at which the generalized Q, Σ wᵢ(τ²) rᵢ(τ²)², equals `target`; 0 when even
    /// Q(0) is below the target. Q decreases in τ² with dQ/dτ² = -Σ wᵢ² rᵢ² (β̂ is stationary),
    /// so safeguarded Newton converges to full precision. Used by Paule–Mandel and the Q-profile.
    static func generalizedQRoot(target: Double, y: [Double], v: [Double], x: DesignMatrix) throws -> Double {
        func fit(_ tau2: Double) throws -> WeightedFit { try weightedFit(y, x, .inverseVariance(v: v, tau2: tau2)) }
        let atZero = try fit(0)
        if atZero.residualSumOfSquares <= target { return 0 }
        var upper = max(1.0, y.map(abs).max() ?? 1)
        upper *= upper
        var iterations = 0
        while try fit(upper).residualSumOfSquares > target {
            upper *= 4
            iterations += 1
            if iterations > 200 { throw MetaAnalysisError(.notEstimable, "tau² could not be bracketed.") }
        }
        var failure: Error?
        // Cache the last fit so Newton's value and slope come from one pass.
        var cache: (tau2: Double, fit: WeightedFit)?
        func cached(_ tau2: Double) -> WeightedFit? {
            if let c = cache, c.tau2 == tau2 { return c.fit }
            do {
                let f = try fit(tau2)
                cache = (tau2, f)
                return f
            } catch {
                failure = error
                return nil
            }
        }
        let root = MonotoneRoot.solve(
            lower: 0, upper: upper, start: upper / 8, relativeTolerance: 1e-15,
            { tau2 in cached(tau2).map { (target - $0.residualSumOfSquares) / target } ?? 0 },
            derivative: { tau2 in cached(tau2).map { $0.weightedSquaredResiduals / target } ?? .nan })
        if let failure { throw failure }
        return root
    }

    static func weightedFit(_ y: [Double], _ x: DesignMatrix, _ w: WeightedFit.Weights) throws -> WeightedFit {
        guard let fit = WeightedFit(y: y, design: x, weights: w) else {
            throw MetaAnalysisError(
                .notEstimable,
                "The moderators are not of full rank (a column is constant or a combination of others).")
        }
        return fit
    }
}
