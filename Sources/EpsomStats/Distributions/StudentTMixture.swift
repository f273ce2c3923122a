/// A finite mixture of scaled, shifted Student t distributions with common degrees of freedom:
/// the marginal posterior of a regression coefficient after a nuisance parameter (here the
/// autocorrelation ρ) has been integrated out by quadrature. With ν = ∞ the components are normal.
public struct StudentTMixture: Sendable, Equatable {
    // Immutable: the constants below are derived from ν.
    public let locations: [Double]
    public let scales: [Double]
    /// Normalized weights (Σ = 1).
    public let weights: [Double]
    public let degreesOfFreedom: Double
    /// Constants of the t density and CDF that depend only on ν, computed once.
    private let logNormalizer: Double
    private let logBeta: Double
    /// The exact finite series for the CDF near the centre, when ν is a small integer.
    private let central: StudentTCentralSeries?

    public init(locations: [Double], scales: [Double], weights: [Double], degreesOfFreedom: Double) {
        precondition(locations.count == scales.count && scales.count == weights.count && !weights.isEmpty)
        self.locations = locations
        self.scales = scales
        self.weights = weights
        self.degreesOfFreedom = degreesOfFreedom
        let finite = degreesOfFreedom.isFinite
        logNormalizer = finite ? StudentT.logNormalizer(degreesOfFreedom) : 0
        logBeta = finite ? LogBeta.value(degreesOfFreedom / 2, 0.5) : 0
        central = StudentTCentralSeries(degreesOfFreedom: degreesOfFreedom)
    }

    @inline(__always) private func componentCDF(_ z: Double) -> Double {
        if degreesOfFreedom.isInfinite { return Normal.cdf(z) }
        let tail = central?.tailBothSides(z) ?? StudentT.tailBothSides(z, degreesOfFreedom, logBeta: logBeta)
        let half = 0.5 * tail
        return z < 0 ? half : 1 - half
    }

    @inline(__always) private func componentDensity(_ z: Double) -> Double {
        degreesOfFreedom.isInfinite ? Normal.density(z) : StudentT.density(z, degreesOfFreedom, logNormalizer: logNormalizer)
    }

    public var mean: Double { zip(weights, locations).reduce(0) { $0 + $1.0 * $1.1 } }

    /// Requires ν > 2.
    public var variance: Double {
        let nu = degreesOfFreedom
        let factor = nu.isInfinite ? 1 : nu / (nu - 2)
        let m = mean
        var total = 0.0
        for i in weights.indices {
            let d = locations[i] - m
            total += weights[i] * (scales[i] * scales[i] * factor + d * d)
        }
        return total
    }

    public func cdf(_ x: Double) -> Double {
        var total = 0.0
        for i in weights.indices {
            total += weights[i] * componentCDF((x - locations[i]) / scales[i])
        }
        // NaN (a component that could not be evaluated) stays NaN: clamping would hide it.
        return total.isNaN ? .nan : min(1, max(0, total))
    }

    public func density(_ x: Double) -> Double {
        var total = 0.0
        for i in weights.indices {
            total += weights[i] * componentDensity((x - locations[i]) / scales[i]) / scales[i]
        }
        return total
    }

    /// P(lower < X ≤ upper).
    public func probability(from lower: Double, to upper: Double) -> Double {
        let difference = (upper == .infinity ? 1 : cdf(upper)) - (lower == -.infinity ? 0 : cdf(lower))
        return difference.isNaN ? .nan : max(0, difference)
    }

    /// The p-quantile: −∞ at 0, +∞ at 1, NaN for a p outside [0, 1] or NaN.
    public func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        let spread = 1e4 * (scales.max() ?? 1)
        let lower = (locations.min() ?? 0) - spread, upper = (locations.max() ?? 0) + spread
        // Start from the normal approximation: Newton then needs few steps.
        let start = mean + Normal.quantile(p) * variance.squareRoot()
        return MonotoneRoot.solve(
            lower: lower, upper: upper, start: start, relativeTolerance: 1e-14,
            { cdf($0) - p }, derivative: { density($0) })
    }
}
