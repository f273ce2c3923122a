import RealModule

/// The chi-squared distribution with k > 0 degrees of freedom.
public enum ChiSquared {
    public static func cdf(_ x: Double, degreesOfFreedom k: Double) -> Double {
        IncompleteGamma.lower(k / 2, x / 2)
    }

    /// P(X ≥ x), computed directly so that small p-values keep their relative accuracy.
    public static func survival(_ x: Double, degreesOfFreedom k: Double) -> Double {
        IncompleteGamma.upper(k / 2, x / 2)
    }

    public static func density(_ x: Double, degreesOfFreedom k: Double) -> Double {
        if x <= 0 { return k == 2 ? 0.5 : (k < 2 ? .infinity : 0) }
        let h = k / 2
        return .exp((h - 1) * .log(x) - x / 2 - h * .log(2) - .logGamma(h))
    }

    /// The p-quantile (about 1e-14 relative), from a Wilson–Hilferty start.
    /// 0 at p = 0, +∞ at 1; NaN for a p outside [0, 1], k ≤ 0 or NaN, and when the distribution
    /// function cannot be evaluated: callers validate their input and report NaN as an error.
    public static func quantile(_ p: Double, degreesOfFreedom k: Double) -> Double {
        guard p >= 0, p <= 1, k > 0 else { return .nan }
        if p == 0 { return 0 }
        if p == 1 { return .infinity }
        let z = Normal.quantile(p)
        let c = 2 / (9 * k)
        let start = max(k * Double.pow(1 - c + z * c.squareRoot(), 3), 1e-8)
        var upper = max(start, 1) * 2
        while cdf(upper, degreesOfFreedom: k) < p, upper.isFinite { upper *= 2 }
        guard upper.isFinite, cdf(upper, degreesOfFreedom: k) >= p else { return .nan }
        // Residuals on the smaller tail keep precision for p near 1.
        if p < 0.5 {
            return MonotoneRoot.solve(
                lower: 0, upper: upper, start: start,
                { (cdf($0, degreesOfFreedom: k) - p) / p },
                derivative: { density($0, degreesOfFreedom: k) / p })
        }
        let q = 1 - p
        return MonotoneRoot.solve(
            lower: 0, upper: upper, start: start,
            { (q - survival($0, degreesOfFreedom: k)) / q },
            derivative: { density($0, degreesOfFreedom: k) / q })
    }
}
