/// The modified Lentz method (Numerical Recipes 3rd ed., §5.2) for a continued fraction
/// b₀ + a₁/(b₁ + a₂/(b₂ + …)), shared by the incomplete beta and gamma functions.
enum ContinuedFraction {
    /// The most terms evaluated before giving up.
    static let maximumTerms = 100_000

    /// The value of b₀ + a₁/(b₁ + a₂/(b₂ + …)), where `term(j)` gives (aⱼ, bⱼ) for j ≥ 1.
    ///
    /// Returns nil when the fraction has not converged (|Δ − 1| < `tolerance`) within
    /// `maximumTerms` terms, or when an iterate stops being finite: the last iterate is then not
    /// the value and must not be used as one.
    static func evaluate(
        _ b0: Double, tolerance: Double = 1e-16, maximumTerms: Int = maximumTerms,
        term: (Int) -> (a: Double, b: Double)
    ) -> Double? {
        let tiny = 1e-300
        var f = b0 == 0 ? tiny : b0
        var c = f, d = 0.0
        for j in 1...maximumTerms {
            let (a, b) = term(j)
            d = b + a * d
            if abs(d) < tiny { d = tiny }
            c = b + a / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = c * d
            f *= delta
            guard f.isFinite else { return nil }
            if abs(delta - 1) < tolerance { return f }
        }
        return nil
    }
}
