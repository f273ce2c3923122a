/// Safeguarded Newton iteration for the root of an increasing function on a bracket.
///
/// Quantiles are found by inverting distribution functions. Newton's method converges
/// quadratically near the root; whenever a step would leave the current bracket it is replaced by
/// bisection, so convergence is guaranteed for any continuous increasing function.
enum MonotoneRoot {
    /// Finds x in [lower, upper] with f(x) = 0, where f is increasing, f(lower) ≤ 0 ≤ f(upper).
    /// `derivative` may return 0 or a non-finite value; the step then falls back to bisection.
    static func solve(
        lower: Double, upper: Double, start: Double,
        relativeTolerance: Double = 1e-15,
        _ f: (Double) -> Double, derivative: (Double) -> Double
    ) -> Double {
        var lo = lower, hi = upper
        var x = min(max(start, lo), hi)
        for _ in 0..<400 {
            let fx = f(x)
            if fx == 0 { return x }
            // The function cannot be evaluated here: there is no root to report.
            if fx.isNaN { return .nan }
            if fx < 0 { lo = x } else { hi = x }
            let slope = derivative(x)
            var next = x - fx / slope
            if !next.isFinite || slope <= 0 || next <= lo || next >= hi {
                next = lo.isFinite && hi.isFinite ? 0.5 * (lo + hi) : (fx < 0 ? x * 2 + 1 : x / 2)
            }
            if abs(next - x) <= relativeTolerance * max(abs(x), 1e-300) { return next }
            if hi - lo <= relativeTolerance * max(abs(lo), abs(hi)) { return 0.5 * (lo + hi) }
            x = next
        }
        return x
    }
}
