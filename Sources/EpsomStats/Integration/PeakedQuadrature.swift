import RealModule

/// Integration of an unnormalized, possibly sharply peaked posterior over a bounded interval.
///
/// A coarse scan of the log density locates where the mass is (the points within `logDrop` of the
/// maximum, widened by one scan step); a composite Gauss–Legendre rule is then laid over that
/// region only. The result is a discrete set of nodes with normalized weights that stands in for
/// the posterior in every expectation afterwards. The scan catches every mode wider than one scan
/// step; both the scan and the rule are fixed, so results are deterministic.
struct PeakedQuadrature {
    struct Node {
        var x: Double
        /// Normalized posterior weight (Σ = 1).
        var weight: Double
    }

    var nodes: [Node]
    /// The region integrated over.
    var lower: Double
    var upper: Double

    /// - Parameters:
    ///   - logDensity: the unnormalized log density at x, or nil where it is undefined (weight 0).
    static func integrate(over a: Double, _ b: Double, scanPoints: Int = 96, panels: Int = 8,
                          rule: GaussLegendre = .sixteen, logDrop: Double = 40,
                          logDensity: (Double) -> Double?) -> PeakedQuadrature? {
        let step = (b - a) / Double(scanPoints)
        var scan: [(Double, Double)] = []
        for i in 0..<scanPoints {
            let x = a + (Double(i) + 0.5) * step
            if let value = logDensity(x), value.isFinite { scan.append((x, value)) }
        }
        guard let peak = scan.map(\.1).max() else { return nil }
        let inside = scan.filter { $0.1 >= peak - logDrop }.map(\.0)
        let lower = max(a, inside.min()! - step), upper = min(b, inside.max()! + step)
        var nodes: [Node] = []
        var logs: [Double] = []
        for (x, w) in rule.composite(from: lower, to: upper, panels: panels) {
            guard let value = logDensity(x), value.isFinite else { continue }
            nodes.append(Node(x: x, weight: w))
            logs.append(value)
        }
        guard let top = logs.max() else { return nil }
        var total = 0.0
        for i in nodes.indices {
            nodes[i].weight *= Double.exp(logs[i] - top)
            total += nodes[i].weight
        }
        guard total > 0, total.isFinite else { return nil }
        for i in nodes.indices { nodes[i].weight /= total }
        return PeakedQuadrature(nodes: nodes, lower: lower, upper: upper)
    }
}

extension GaussLegendre {
    static let sixteen = GaussLegendre(count: 16)
}
