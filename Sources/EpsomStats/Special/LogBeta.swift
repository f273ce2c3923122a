import RealModule

/// log B(a, b) without the cancellation of lgamma(a) + lgamma(b) - lgamma(a + b) for large
/// arguments: the Stirling-series form used by R's `lbeta` (Morris/Loader), exact to about
/// 1e-15 absolute for all a, b > 0.
enum LogBeta {
    static func callAsFunction(_ a: Double, _ b: Double) -> Double { value(a, b) }

    static func value(_ a: Double, _ b: Double) -> Double {
        let p = min(a, b), q = max(a, b)
        let logSqrt2Pi = 0.918938533204672741780329736406
        if p >= 10 {
            let corr = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q)
            return -0.5 * .log(q) + logSqrt2Pi + corr + (p - 0.5) * .log(p / (p + q))
                + q * .log(onePlus: -p / (p + q))
        }
        if q >= 10 {
            let corr = stirlingCorrection(q) - stirlingCorrection(p + q)
            return .logGamma(p) + corr + p - p * .log(p + q) + (q - 0.5) * .log(onePlus: -p / (p + q))
        }
        return .logGamma(p) + .logGamma(q) - .logGamma(p + q)
    }

    /// lgamma(x) - ((x - 1/2) log x - x + log √(2π)) for x ≥ 10, by its asymptotic series.
    static func stirlingCorrection(_ x: Double) -> Double {
        precondition(x >= 10)
        let coefficients = [1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188, -691.0 / 360360, 1.0 / 156]
        let inverse = 1 / x, inverseSquared = inverse * inverse
        var sum = 0.0
        for c in coefficients.reversed() { sum = sum * inverseSquared + c }
        return sum * inverse
    }
}
