/// Snedecor's F distribution with d1 and d2 degrees of freedom.
public enum FisherF {
    /// P(F ≥ f) = I_{d2/(d2 + d1 f)}(d2/2, d1/2).
    public static func survival(_ f: Double, numerator d1: Double, denominator d2: Double) -> Double {
        if f <= 0 { return 1 }
        if f.isInfinite { return 0 }
        if d2.isInfinite { return ChiSquared.survival(f * d1, degreesOfFreedom: d1) }
        let s = d2 + d1 * f
        return IncompleteBeta.regularized(x: d2 / s, y: d1 * f / s, a: d2 / 2, b: d1 / 2)
    }
}
