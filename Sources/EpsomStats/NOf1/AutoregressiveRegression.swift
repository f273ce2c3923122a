import RealModule

/// Linear regression with stationary AR(1) errors in continuous day-time, conditional on ρ:
///
/// yᵢ = xᵢᵀβ + eᵢ,  corr(eᵢ, eⱼ) = ρ^|tᵢ−tⱼ|,  innovation variance σ² (so Var eᵢ = σ²/(1−ρ²)).
///
/// The gap-aware Prais–Winsten transform whitens the errors exactly. With dᵢ = tᵢ − tᵢ₋₁ and
/// fᵢ = (1 − ρ^{2dᵢ})/(1 − ρ²) = Σ_{j<dᵢ} ρ^{2j}:
///
/// z₁ = √(1−ρ²)·y₁,  zᵢ = (yᵢ − ρ^{dᵢ} yᵢ₋₁)/√fᵢ   (the same for each column of X),
///
/// after which z = X̃β + u with u ~ N(0, σ²I). A gap of d days enters only through ρ^d: there is
/// no imputation, and neighbours across a gap are not treated as adjacent.
///
/// Under p(β, σ) ∝ 1/σ the conditional posterior of β is multivariate t with ν = n − p degrees
/// of freedom, location β̂ = (X̃ᵀX̃)⁻¹X̃ᵀz and scale s²(X̃ᵀX̃)⁻¹, s² = S/ν, S = ‖z − X̃β̂‖²; and
///
/// log p(y | ρ) = ½ log(1−ρ²) − ½ Σ log fᵢ − ½ log|X̃ᵀX̃| − (ν/2) log S + const.
struct AutoregressiveRegression {
    let coefficients: [Double]
    /// (X̃ᵀX̃)⁻¹.
    let inverseInformation: SymmetricMatrix
    /// s² = S/ν.
    let residualVariance: Double
    /// log p(y | ρ) up to a constant that does not depend on ρ.
    let logMarginalLikelihood: Double

    /// - Parameters:
    ///   - oneMinusRhoSquared: 1 − ρ², passed separately because it is known exactly from the
    ///     quadrature variable (ρ = sin θ ⇒ 1 − ρ² = cos²θ) when ρ is near ±1.
    init?(days: [Int], y: [Double], design x: DesignMatrix, rho: Double, oneMinusRhoSquared: Double) {
        let n = y.count, p = x.columns
        guard oneMinusRhoSquared > 0 else { return nil }
        // The hot loop of the N-of-1 model (run once per quadrature node): plain buffers, the
        // lower triangle of X̃ᵀX̃ only, and no transcendental functions on consecutive days.
        var lower = [Double](repeating: 0, count: p * p)
        var xz = [Double](repeating: 0, count: p)
        var zz = 0.0, logF = 0.0
        var row = [Double](repeating: 0, count: p)
        let logOneMinusRho2 = Double.log(oneMinusRhoSquared)
        // log ρ² (as log1p(−(1−ρ²))) for ρ^{2d}; the sign of ρ^d is kept separately.
        let log1mc = Double.log(onePlus: -oneMinusRhoSquared)
        x.values.withUnsafeBufferPointer { xv in
            lower.withUnsafeMutableBufferPointer { acc in
                row.withUnsafeMutableBufferPointer { r in
                    xz.withUnsafeMutableBufferPointer { xzv in
                        for i in 0..<n {
                            let z: Double
                            if i == 0 {
                                let c = oneMinusRhoSquared.squareRoot()
                                z = c * y[0]
                                for j in 0..<p { r[j] = c * xv[j] }
                            } else {
                                let d = days[i] - days[i - 1]
                                // Consecutive days (the common case): ρ¹ and f = 1.
                                var phi = rho, scale = 1.0
                                if d != 1 {
                                    phi = Double.pow(rho, d)
                                    // f = (1 − ρ^{2d})/(1 − ρ²), with 1 − ρ^{2d} = −expm1(d·log ρ²).
                                    let f = rho == 0 ? 1 : -Double.expMinusOne(Double(d) * log1mc) / oneMinusRhoSquared
                                    scale = 1 / f.squareRoot()
                                    logF += Double.log(f)
                                }
                                z = (y[i] - phi * y[i - 1]) * scale
                                let base = i * p, previous = base - p
                                for j in 0..<p { r[j] = (xv[base + j] - phi * xv[previous + j]) * scale }
                            }
                            for j in 0..<p {
                                let rj = r[j]
                                for m in 0...j { acc[j * p + m] += rj * r[m] }
                                xzv[j] += rj * z
                            }
                            zz += z * z
                        }
                    }
                }
            }
        }
        var a = SymmetricMatrix(dimension: p)
        for j in 0..<p { for m in 0...j { a[j, m] = lower[j * p + m] } }
        a.symmetrize()
        guard let inverse = a.inverse(), let logDetA = a.logDeterminant() else { return nil }
        let beta = inverse.multiply(xz)
        let explained = zip(beta, xz).reduce(0) { $0 + $1.0 * $1.1 }
        let s = zz - explained
        let nu = Double(n - p)
        guard s > 0, nu > 0 else { return nil }
        coefficients = beta
        inverseInformation = inverse
        residualVariance = s / nu
        logMarginalLikelihood = 0.5 * logOneMinusRho2 - 0.5 * logF - 0.5 * logDetA - 0.5 * nu * Double.log(s)
    }
}
