import RealModule

/// The regularized incomplete beta function I_x(a, b).
///
/// Evaluated by Lentz's continued fraction (Numerical Recipes 3rd ed., §6.4) on whichever side of
/// the mean converges fast, using the symmetry I_x(a, b) = 1 - I_{1-x}(b, a). Callers pass both x
/// and 1 - x, because in the tails 1 - x is often known more exactly than it can be recomputed
/// (for Student's t, 1 - x = t²/(ν + t²)). The upper tail is returned directly, so tiny p-values
/// keep their relative accuracy.
enum IncompleteBeta {
    /// I_x(a, b), with y = 1 - x supplied by the caller.
    /// - Parameter logBeta: log B(a, b), when the caller has it (it depends only on a and b).
    static func regularized(x: Double, y: Double, a: Double, b: Double, logBeta: Double? = nil) -> Double {
        if x <= 0 { return 0 }
        if y <= 0 { return 1 }
        let lb = logBeta ?? LogBeta.value(a, b)
        if x < (a + 1) / (a + b + 2) {
            return prefactor(x: x, y: y, a: a, b: b, logBeta: lb) * continuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - prefactor(x: x, y: y, a: a, b: b, logBeta: lb) * continuedFraction(x: y, a: b, b: a) / b
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

    private static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        var m = 1.0
        while m < 100_000 {
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
            m += 1
        }
        return h
    }
}
