/// The modified Lentz method (Numerical Recipes 3rd ed., §5.2) for a continued fraction
/// b₀ + a₁/(b₁ + a₂/(b₂ + …)), shared by the incomplete beta and gamma functions.
enum ContinuedFraction {
    /// The most terms evaluated before giving up.
    static let maximumTerms = 100_000

    /// The value of b₀ + a₁/(b₁ + a₂/(b₂ + …)), where `term(j)` gives (aⱼ, bⱼ) for j ≥ 1.
    ///
    /// Returns nil when the fraction has not converged (|Δ − 1| < `tolerance`) within
    /// `maximumTerms` terms, or when an iterate stops being finite: the last iterate is then not
    /// the value and must not be used as one. With `stride` n, convergence is tested after terms
    /// n, 2n, 3n…: fractions whose terms come in pairs of different kinds (the incomplete beta's)
    /// are tested after whole pairs, where one small term alone says nothing. With b₀ = 0 the first
    /// term is taken exactly (f₁ = a₁/b₁), as Numerical Recipes' betacf and gcf do.
    static func evaluate(
        _ b0: Double, tolerance: Double = 1e-16, maximumTerms: Int = maximumTerms, stride: Int = 1,
        term: (Int) -> (a: Double, b: Double)
    ) -> Double? {
        let tiny = 1e-300
        var f = b0, c = b0, d = 0.0
        var first = 1
        if b0 == 0 {
            let (a1, b1) = term(1)
            d = 1 / (abs(b1) < tiny ? tiny : b1)
            f = a1 * d
            c = .infinity
            first = 2
        }
        for j in first...max(first, maximumTerms) {
            let (a, b) = term(j)
            d = b + a * d
            if abs(d) < tiny { d = tiny }
            c = b + a / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = c * d
            f *= delta
            guard f.isFinite else { return nil }
            if j % stride == 0, abs(delta - 1) < tolerance { return f }
        }
        return nil
    }
}
