import RealModule

/// Student's t distribution with ν degrees of freedom (ν > 0; ν = ∞ is the normal).
public enum StudentT {
    /// P(T ≤ t).
    public static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        if nu.isInfinite { return Normal.cdf(t) }
        let half = 0.5 * tailBothSides(t, nu)
        return t < 0 ? half : 1 - half
    }

    /// Two-sided p-value P(|T| ≥ |t|) = I_{ν/(ν+t²)}(ν/2, 1/2).
    public static func twoSidedP(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        nu.isInfinite ? Normal.twoSidedP(t) : tailBothSides(t, nu)
    }

    static func tailBothSides(_ t: Double, _ nu: Double, logBeta: Double? = nil) -> Double {
        if t.isInfinite { return 0 }
        let t2 = t * t
        return IncompleteBeta.regularized(x: nu / (nu + t2), y: t2 / (nu + t2), a: nu / 2, b: 0.5, logBeta: logBeta)
    }

    public static func density(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        if nu.isInfinite { return Normal.density(t) }
        return density(t, nu, logNormalizer: logNormalizer(nu))
    }

    /// log of Γ((ν+1)/2) / (Γ(ν/2) √(νπ)): constant for a given ν, so callers evaluating many
    /// densities with one ν compute it once.
    static func logNormalizer(_ nu: Double) -> Double {
        Double.logGamma((nu + 1) / 2) - .logGamma(nu / 2) - 0.5 * .log(nu * .pi)
    }

    @inline(__always) static func density(_ t: Double, _ nu: Double, logNormalizer: Double) -> Double {
        .exp(logNormalizer - (nu + 1) / 2 * .log(onePlus: t * t / nu))
    }

    /// The p-quantile, by safeguarded Newton iteration on the lower tail (about 1e-14 relative).
    /// −∞ at 0, +∞ at 1; NaN for a p outside [0, 1], ν ≤ 0 or NaN, and when the distribution
    /// function cannot be evaluated: callers validate their input and report NaN as an error.
    public static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        guard p >= 0, p <= 1, nu > 0 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if nu.isInfinite { return Normal.quantile(p) }
        if p > 0.5 { return -quantile(1 - p, degreesOfFreedom: nu) }
        if p == 0.5 { return 0 }
        let z = Normal.quantile(p)
        // Cornish–Fisher start, then bracket (-∞, 0).
        let start = z + (z * z * z + z) / (4 * nu)
        var lower = min(start, -1)
        while cdf(lower, degreesOfFreedom: nu) > p, lower.isFinite { lower *= 2 }
        guard lower.isFinite, cdf(lower, degreesOfFreedom: nu) <= p else { return .nan }
        return MonotoneRoot.solve(
            lower: lower, upper: 0, start: start,
            { (cdf($0, degreesOfFreedom: nu) - p) / p },
            derivative: { density($0, degreesOfFreedom: nu) / p })
    }
}
