import RealModule

/// Regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 - P(a, x).
///
/// Both are computed directly (never as one minus the other), so each keeps full relative
/// accuracy in its own tail: the series for P when x < a + 1, Lentz's continued fraction for Q
/// otherwise (Numerical Recipes 3rd ed., §6.2). The common prefactor x^a e^-x / Γ(a) is taken in
/// log space. Accuracy is about 1e-14 relative for moderate a and degrades slowly, roughly as
/// a·ε·|log x|, for very large a (1e-9 at a = 5e5).
///
/// NaN means the continued fraction did not converge (or an argument was NaN): no digits of the
/// result are known. Callers turn it into an error rather than print it.
enum IncompleteGamma {
    /// P(a, x) for a > 0, x ≥ 0.
    static func lower(_ a: Double, _ x: Double) -> Double {
        precondition(a > 0, "shape must be positive")
        if x <= 0 { return 0 }
        if x.isInfinite { return 1 }
        return x < a + 1 ? series(a, x) : 1 - continuedFraction(a, x)
    }

    /// Q(a, x) for a > 0, x ≥ 0.
    static func upper(_ a: Double, _ x: Double) -> Double {
        precondition(a > 0, "shape must be positive")
        if x <= 0 { return 1 }
        if x.isInfinite { return 0 }
        return x < a + 1 ? 1 - series(a, x) : continuedFraction(a, x)
    }

    private static func logPrefactor(_ a: Double, _ x: Double) -> Double {
        a * .log(x) - x - .logGamma(a)
    }

    /// P(a, x) = e^{-x} x^a / Γ(a+1) · Σ_n x^n / ((a+1)…(a+n)).
    private static func series(_ a: Double, _ x: Double) -> Double {
        var term = 1 / a
        var sum = term
        var ap = a
        for _ in 0..<100_000 {
            ap += 1
            term *= x / ap
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return sum * .exp(logPrefactor(a, x))
    }

    /// Q(a, x) by the modified Lentz method on the continued fraction
    /// 1/(x+1-a- 1·(1-a)/(x+3-a- 2·(2-a)/(x+5-a- …))); NaN when it does not converge.
    private static func continuedFraction(_ a: Double, _ x: Double) -> Double {
        let fraction = ContinuedFraction.evaluate(0) { j in
            if j == 1 { return (1, x + 1 - a) }
            let i = Double(j - 1)
            return (-i * (i - a), x + 2 * i + 1 - a)
        }
        guard let fraction else { return .nan }
        return .exp(logPrefactor(a, x)) * fraction
    }
}
