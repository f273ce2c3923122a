import RealModule

/// Pooling many people's N-of-1 results: the normal–normal hierarchical model
///
/// bᵢ ~ N(θᵢ, vᵢ),  θᵢ ~ N(μ, τ²),  p(μ) ∝ 1,  τ ~ half-normal(scale) or uniform on [0, ∞),
///
/// where bᵢ is person i's estimated contrast (arm − reference) and vᵢ its posterior variance.
/// Given τ everything is normal: μ | τ, b ~ N(μ̂(τ), V(τ)) with wᵢ = 1/(vᵢ + τ²),
/// μ̂ = Σwᵢbᵢ/Σwᵢ, V = 1/Σwᵢ, and
///
/// p(τ | b) ∝ p(τ) · V^{1/2} · Πᵢ(vᵢ + τ²)^{−1/2} · exp(−½ Σwᵢ(bᵢ − μ̂)²).
///
/// τ is integrated out numerically over τ = u/(1 − u), u ∈ [0, 1). Each evaluation is O(k).
public enum HierarchicalPooling {
    public enum TauPrior: Sendable, Equatable {
        /// Half-normal with this scale (outcome points); the default scale is 2.
        case halfNormal(scale: Double)
        /// Uniform on [0, ∞): improper, allowed from k ≥ 4 studies (Gelman 2006).
        case uniform
    }

    public struct Participant: Sendable, Equatable {
        public var estimate: Double
        /// Posterior mean of θᵢ (shrunken towards μ).
        public var shrunken: Double
    }

    public struct Result: Sendable, Equatable {
        public var k: Int
        public var muMean: Double
        public var muCILower: Double
        public var muCIUpper: Double
        public var tauMean: Double
        public var tauMedian: Double
        /// For a new person: P(θ_new < 0), lower outcome being benefit.
        public var probabilityNewBenefit: Double
        /// For a new person: P(θ_new < −MCID).
        public var probabilityNewBeyondMCID: Double
        public var participants: [Participant]
        /// The quadrature over τ that every summary above is a sum over: nodes τⱼ with
        /// normalized weights Wⱼ, and the conditional posterior μ | τⱼ, b ~ N(μ̂ⱼ, Vⱼ). Kept so
        /// that further posterior expectations (the share of people beyond the MCID) are exact
        /// sums over the same nodes rather than a second, different integration.
        public var tauNodes: [Double] = []
        public var tauWeights: [Double] = []
        public var conditionalMeans: [Double] = []
        public var conditionalVariances: [Double] = []
    }

    public static func pool(
        estimates b: [Double], variances v: [Double], mcid: Double = 1,
        tauPrior: TauPrior = .halfNormal(scale: 2), level: Double = 0.95
    ) throws -> Result {
        let k = b.count
        guard k >= 1, v.count == k else { throw NOf1Error("There are no participants to pool.") }
        for i in 0..<k {
            guard b[i].isFinite else { throw NOf1Error("Participant \(i + 1): the estimate is not a finite number.") }
            guard v[i].isFinite, v[i] > 0 else { throw NOf1Error("Participant \(i + 1): the variance must be positive.") }
        }
        if case .halfNormal(let scale) = tauPrior, !(scale > 0 && scale.isFinite) {
            throw NOf1Error("The half-normal scale of tau must be positive.")
        }
        guard level > 0, level < 1 else { throw NOf1Error("The level must lie between 0 and 1.") }
        if tauPrior == .uniform, k < 4 { throw NOf1Error("A uniform prior on tau needs at least 4 participants.") }

        func conditional(_ tau: Double) -> (mean: Double, variance: Double, logDensity: Double) {
            let t2 = tau * tau
            var sw = 0.0, swb = 0.0
            for i in 0..<k {
                let w = 1 / (v[i] + t2)
                sw += w
                swb += w * b[i]
            }
            let logDet = sumOfLogs(v, plus: t2)
            let mu = swb / sw
            var q = 0.0
            for i in 0..<k { q += (b[i] - mu) * (b[i] - mu) / (v[i] + t2) }
            var log = -0.5 * Double.log(sw) - 0.5 * logDet - 0.5 * q
            if case .halfNormal(let scale) = tauPrior { log -= 0.5 * tau * tau / (scale * scale) }
            return (mu, 1 / sw, log)
        }
        // τ = u/(1−u): dτ/du = 1/(1−u)². Conditional results are kept for the nodes.
        func tau(_ u: Double) -> Double { u / (1 - u) }
        var cache: [Double: (mean: Double, variance: Double, logDensity: Double)] = [:]
        guard
            let quadrature = PeakedQuadrature.integrate(
                over: 0, 1,
                logDensity: { u in
                    guard u < 1 else { return nil }
                    let c = conditional(tau(u))
                    cache[u] = c
                    return c.logDensity - 2 * Double.log(1 - u)
                })
        else { throw NOf1Error("The pooled posterior could not be computed.") }

        let used = quadrature.weightedNodes.filter { $0.weight > 1e-15 }
        let kept = used.reduce(0) { $0 + $1.weight }
        let taus = used.map { tau($0.x) }
        let weights = used.map { $0.weight / kept }
        let parts = used.map { cache[$0.x]! }
        let mu = StudentTMixture(
            locations: parts.map(\.mean), scales: parts.map { $0.variance.squareRoot() },
            weights: weights, degreesOfFreedom: .infinity)
        let predictive = StudentTMixture(
            locations: parts.map(\.mean),
            scales: zip(parts, taus).map { ($0.variance + $1 * $1).squareRoot() },
            weights: weights, degreesOfFreedom: .infinity)
        let alpha = 1 - level
        var shrunken = [Double](repeating: 0, count: k)
        for (j, tauJ) in taus.enumerated() {
            let t2 = tauJ * tauJ, muJ = parts[j].mean, wj = weights[j]
            for i in 0..<k {
                let shrink = t2 == 0 ? 1 : v[i] / (v[i] + t2)
                shrunken[i] += wj * (shrink * muJ + (1 - shrink) * b[i])
            }
        }
        return Result(
            k: k, muMean: mu.mean, muCILower: mu.quantile(alpha / 2), muCIUpper: mu.quantile(1 - alpha / 2),
            tauMean: zip(weights, taus).reduce(0) { $0 + $1.0 * $1.1 },
            tauMedian: tau(quadrature.quantile(0.5)),
            probabilityNewBenefit: predictive.cdf(0), probabilityNewBeyondMCID: predictive.cdf(-mcid),
            participants: (0..<k).map { Participant(estimate: b[$0], shrunken: shrunken[$0]) },
            tauNodes: taus, tauWeights: weights, conditionalMeans: parts.map(\.mean),
            conditionalVariances: parts.map(\.variance))
    }

    /// Σ log(vᵢ + c), taking one logarithm per 8 terms (their product cannot overflow for any
    /// variance between 1e-30 and 1e30; outside that, it falls back to one log per term).
    static func sumOfLogs(_ v: [Double], plus c: Double) -> Double {
        var total = 0.0, i = 0
        let n = v.count
        while i + 8 <= n {
            var product = 1.0
            for j in i..<(i + 8) { product *= v[j] + c }
            if product.isNormal && product < 1e300 {
                total += Double.log(product)
            } else {
                for j in i..<(i + 8) { total += Double.log(v[j] + c) }
            }
            i += 8
        }
        while i < n {
            total += Double.log(v[i] + c)
            i += 1
        }
        return total
    }
}
