/// A finite mixture of scaled, shifted Student t distributions with common degrees of freedom:
/// the marginal posterior of a regression coefficient after a nuisance parameter (here the
/// autocorrelation ρ) has been integrated out by quadrature. With ν = ∞ the components are normal.
public struct StudentTMixture: Sendable, Equatable {
    public var locations: [Double]
    public var scales: [Double]
    /// Normalized weights (Σ = 1).
    public var weights: [Double]
    public var degreesOfFreedom: Double

    public init(locations: [Double], scales: [Double], weights: [Double], degreesOfFreedom: Double) {
        precondition(locations.count == scales.count && scales.count == weights.count && !weights.isEmpty)
        self.locations = locations
        self.scales = scales
        self.weights = weights
        self.degreesOfFreedom = degreesOfFreedom
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
            total += weights[i] * StudentT.cdf((x - locations[i]) / scales[i], degreesOfFreedom: degreesOfFreedom)
        }
        return min(1, max(0, total))
    }

    public func density(_ x: Double) -> Double {
        var total = 0.0
        for i in weights.indices {
            total += weights[i] * StudentT.density((x - locations[i]) / scales[i], degreesOfFreedom: degreesOfFreedom)
                / scales[i]
        }
        return total
    }

    /// P(lower < X ≤ upper).
    public func probability(from lower: Double, to upper: Double) -> Double {
        max(0, (upper == .infinity ? 1 : cdf(upper)) - (lower == -.infinity ? 0 : cdf(lower)))
    }

    public func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1)
        let spread = 1e4 * (scales.max() ?? 1)
        let lower = (locations.min() ?? 0) - spread, upper = (locations.max() ?? 0) + spread
        let start = mean
        return MonotoneRoot.solve(lower: lower, upper: upper, start: start, relativeTolerance: 1e-14,
            { cdf($0) - p }, derivative: { density($0) })
    }
}
