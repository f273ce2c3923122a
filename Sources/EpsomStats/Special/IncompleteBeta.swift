import RealModule

/// The regularized incomplete beta function I_x(a, b).
///
/// Evaluated by Lentz's continued fraction (Numerical Recipes 3rd ed., §6.4) on whichever side of
/// the mean converges fast, using the symmetry I_x(a, b) = 1 - I_{1-x}(b, a). Callers pass both x
/// and 1 - x, because in the tails 1 - x is often known more exactly than it can be recomputed
/// (for Student's t, 1 - x = t²/(ν + t²)). The upper tail is returned directly, so tiny p-values
/// keep their relative accuracy.
///
/// NaN means the continued fraction did not converge (or an argument was NaN): no digits of the
/// result are known. Callers turn it into an error rather than print it.
enum IncompleteBeta {
    /// I_x(a, b), with y = 1 - x supplied by the caller.
    /// - Parameter logBeta: log B(a, b), when the caller has it (it depends only on a and b).
    static func regularized(x: Double, y: Double, a: Double, b: Double, logBeta: Double? = nil) -> Double {
        if x <= 0 { return 0 }
        if y <= 0 { return 1 }
        let lb = logBeta ?? LogBeta.value(a, b)
        if x < (a + 1) / (a + b + 2) {
            guard let fraction = continuedFraction(x: x, a: a, b: b) else { return .nan }
            return prefactor(x: x, y: y, a: a, b: b, logBeta: lb) * fraction / a
        }
        guard let fraction = continuedFraction(x: y, a: b, b: a) else { return .nan }
        return 1 - prefactor(x: x, y: y, a: a, b: b, logBeta: lb) * fraction / b
    }

    /// 1 - I_x(a, b), computed without cancellation.
    static func complement(x: Double, y: Double, a: Double, b: Double) -> Double {
        regularized(x: y, y: x, a: b, b: a)
    }

    /// x^a y^b / B(a, b).
    private static func prefactor(x: Double, y: Double, a: Double, b: Double, logBeta: Double) -> Double {
        // log x as log1p(-y) when x is near 1, where y carries the information.
        let logX = x > 0.5 ? Double.log(onePlus: -y) : .log(x)
        let logY = y > 0.5 ? Double.log(onePlus: -x) : .log(y)
        return .exp(a * logX + b * logY - logBeta)
    }

    /// The fraction 1/(1 + d₁/(1 + d₂/(1 + …))) of NR (6.4.5), with
    /// d₂ₘ₊₁ = −(a+m)(a+b+m)x/((a+2m)(a+2m+1)) and d₂ₘ = m(b−m)x/((a+2m−1)(a+2m)),
    /// tested after each pair (d₂ₘ, d₂ₘ₊₁); nil when it does not converge.
    private static func continuedFraction(x: Double, a: Double, b: Double) -> Double? {
        ContinuedFraction.evaluate(0, stride: 2) { j in
            if j == 1 { return (1, 1) }
            let k = j - 1
            if k % 2 == 1 {
                let m = Double(k / 2)
                return (-(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)), 1)
            }
            let m = Double(k / 2)
            return (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)), 1)
        }
    }
}
