/// Posterior summaries of a pooled result beyond those `pool` reports, each an exact sum over the
/// same quadrature nodes in τ (docs/methods.md §6): no second integration, so they agree with μ,
/// τ and the predictive to the last digit the nodes carry.
extension HierarchicalPooling.Result {
    /// The posterior of the average effect μ: the normal mixture Σⱼ Wⱼ N(μ̂ⱼ, Vⱼ).
    public var muPosterior: StudentTMixture {
        StudentTMixture(
            locations: conditionalMeans, scales: conditionalVariances.map { $0.squareRoot() }, weights: tauWeights,
            degreesOfFreedom: .infinity)
    }

    /// The posterior standard deviation of μ, exactly over the same nodes: the mixture's variance
    /// is Σⱼ Wⱼ (Vⱼ + μ̂ⱼ²) − (Σⱼ Wⱼ μ̂ⱼ)². It is the standard error a series enters a
    /// meta-analysis with (docs/methods.md §6.5).
    public var muSD: Double {
        var mean = 0.0, second = 0.0
        for j in tauWeights.indices {
            mean += tauWeights[j] * conditionalMeans[j]
            second += tauWeights[j] * (conditionalVariances[j] + conditionalMeans[j] * conditionalMeans[j])
        }
        return max(second - mean * mean, 0).squareRoot()
    }

    /// The effect in a new person, θ_new ~ Σⱼ Wⱼ N(μ̂ⱼ, Vⱼ + τⱼ²): `pool`'s predictive.
    public var predictive: StudentTMixture {
        StudentTMixture(
            locations: conditionalMeans,
            scales: zip(conditionalVariances, tauNodes).map { ($0 + $1 * $1).squareRoot() }, weights: tauWeights,
            degreesOfFreedom: .infinity)
    }

    /// The expected share of the population whose true effect lies below `threshold` (for pain,
    /// below −MCID: benefit by at least the MCID): E[Φ((t − μ)/τ)] over the joint posterior of μ
    /// and τ.
    ///
    /// Given τⱼ, μ ~ N(μ̂ⱼ, Vⱼ), and for Z ~ N(0, 1) independent of μ,
    /// E_μ[Φ((t − μ)/τ)] = P(μ + τZ < t) = Φ((t − μ̂ⱼ)/√(Vⱼ + τⱼ²)) exactly, so the share is
    /// Σⱼ Wⱼ Φ((t − μ̂ⱼ)/√(Vⱼ + τⱼ²)). That is the predictive P(θ_new < t) term by term: the
    /// expected share of people beyond a threshold equals the chance that a new person is, and the
    /// two numbers are the same sum. At τ = 0 the share is a step in μ and the identity still holds.
    public func expectedShare(below threshold: Double) -> Double {
        var total = 0.0
        for j in tauWeights.indices {
            let scale = (conditionalVariances[j] + tauNodes[j] * tauNodes[j]).squareRoot()
            total += tauWeights[j] * Normal.cdf((threshold - conditionalMeans[j]) / scale)
        }
        return min(1, max(0, total))
    }

    /// The expected share of the pooled people themselves whose true effect θᵢ lies below
    /// `threshold`: (1/k) Σᵢ P(θᵢ < t | b), where `variances` are the vᵢ that were pooled.
    ///
    /// Given τⱼ, with Bᵢ = vᵢ/(vᵢ + τⱼ²), θᵢ | μ, b ~ N(Bᵢμ + (1 − Bᵢ)bᵢ, (1 − Bᵢ)vᵢ); integrating
    /// μ ~ N(μ̂ⱼ, Vⱼ) gives θᵢ | τⱼ, b ~ N(Bᵢμ̂ⱼ + (1 − Bᵢ)bᵢ, (1 − Bᵢ)vᵢ + Bᵢ²Vⱼ), whose mean is
    /// `shrunken`'s summand. O(k) per node.
    public func expectedShareOfParticipants(below threshold: Double, variances: [Double]) -> Double {
        precondition(variances.count == participants.count)
        guard !participants.isEmpty else { return 0 }
        var total = 0.0
        for j in tauWeights.indices {
            let t2 = tauNodes[j] * tauNodes[j], m = conditionalMeans[j], vMu = conditionalVariances[j]
            var sum = 0.0
            for (person, v) in zip(participants, variances) {
                let shrink = t2 == 0 ? 1 : v / (v + t2)
                let mean = shrink * m + (1 - shrink) * person.estimate
                let spread = ((1 - shrink) * v + shrink * shrink * vMu).squareRoot()
                sum += Normal.cdf((threshold - mean) / spread)
            }
            total += tauWeights[j] * sum
        }
        return min(1, max(0, total / Double(participants.count)))
    }
}

extension HierarchicalPooling.Result {
    /// The posterior of person i's true effect θᵢ, whose mean is `participants[i].shrunken`:
    /// Σⱼ Wⱼ N(Bᵢμ̂ⱼ + (1 − Bᵢ)bᵢ, (1 − Bᵢ)vᵢ + Bᵢ²Vⱼ) with Bᵢ = vᵢ/(vᵢ + τⱼ²), where `variance`
    /// is the vᵢ that was pooled (for intervals around the shrunken estimate).
    public func participantPosterior(_ i: Int, variance v: Double) -> StudentTMixture {
        let b = participants[i].estimate
        var locations: [Double] = [], scales: [Double] = []
        locations.reserveCapacity(tauNodes.count)
        scales.reserveCapacity(tauNodes.count)
        for j in tauNodes.indices {
            let t2 = tauNodes[j] * tauNodes[j]
            let shrink = t2 == 0 ? 1 : v / (v + t2)
            locations.append(shrink * conditionalMeans[j] + (1 - shrink) * b)
            scales.append(((1 - shrink) * v + shrink * shrink * conditionalVariances[j]).squareRoot())
        }
        return StudentTMixture(locations: locations, scales: scales, weights: tauWeights, degreesOfFreedom: .infinity)
    }
}
