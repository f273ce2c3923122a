import RealModule

/// Integration of an unnormalized, possibly sharply peaked posterior over a bounded interval.
///
/// A coarse scan of the log density locates where the mass is (the points within `logDrop` of the
/// maximum, widened by one scan step); a composite Gauss–Legendre rule is then laid over that
/// region only. The result is a discrete set of nodes with normalized weights that stands in for
/// the posterior in every expectation afterwards. The scan catches every mode wider than one scan
/// step, and a unimodal peak of any width (its highest scan point neighbours it); both the scan
/// and the rule are fixed, so results are deterministic.
struct PeakedQuadrature {
    struct Node {
        var x: Double
        /// Normalized posterior weight (Σ = 1); 0 where the density is undefined.
        var weight: Double
    }

    /// Nodes in ascending order, `rule.nodes.count` per panel.
    var nodes: [Node]
    var lower: Double
    var upper: Double
    var panels: Int
    var rule: GaussLegendre

    /// - Parameters:
    ///   - logDensity: the unnormalized log density at x, or nil where it is undefined (weight 0).
    static func integrate(
        over a: Double, _ b: Double, scanPoints: Int = 64, panels: Int = 8,
        rule: GaussLegendre = .sixteen, logDrop: Double = 36,
        logDensity: (Double) -> Double?
    ) -> PeakedQuadrature? {
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
            let value = logDensity(x) ?? -.infinity
            nodes.append(Node(x: x, weight: w))
            logs.append(value.isFinite ? value : -.infinity)
        }
        guard let top = logs.max(), top.isFinite else { return nil }
        var total = 0.0
        for i in nodes.indices {
            nodes[i].weight *= Double.exp(logs[i] - top)
            total += nodes[i].weight
        }
        guard total > 0, total.isFinite else { return nil }
        for i in nodes.indices { nodes[i].weight /= total }
        return PeakedQuadrature(nodes: nodes, lower: lower, upper: upper, panels: panels, rule: rule)
    }

    /// Nodes that carry weight (for expectations).
    var weightedNodes: [Node] { nodes.filter { $0.weight > 0 } }

    /// The p-quantile of the integration variable, with no further density evaluations: the CDF
    /// is exact at panel boundaries, and inside the panel that holds the quantile the density is
    /// the degree-15 polynomial through its Gauss–Legendre nodes, integrated exactly.
    func quantile(_ p: Double) -> Double {
        let n = rule.nodes.count
        let width = (upper - lower) / Double(panels)
        var cumulative = 0.0
        for panel in 0..<panels {
            let slice = nodes[(panel * n)..<((panel + 1) * n)]
            let mass = slice.reduce(0) { $0 + $1.weight }
            if cumulative + mass < p && panel < panels - 1 {
                cumulative += mass
                continue
            }
            let left = lower + Double(panel) * width
            // Density values at the nodes (in units of the panel variable s ∈ [-1, 1]).
            let density = zip(slice, rule.weights).map { $0.weight / $1 }
            let s = rule.nodes
            func interpolant(_ t: Double) -> Double {
                var total = 0.0
                for i in 0..<n {
                    var basis = 1.0
                    for j in 0..<n where j != i { basis *= (t - s[j]) / (s[i] - s[j]) }
                    total += density[i] * basis
                }
                return total
            }
            func massUpTo(_ t: Double) -> Double {
                // Exact for the polynomial: Gauss–Legendre with n nodes on [-1, t].
                let half = (t + 1) / 2
                return zip(s, rule.weights).reduce(0) { $0 + $1.1 * half * interpolant(-1 + (1 + $1.0) * half) }
            }
            let target = p - cumulative
            let t = MonotoneRoot.solve(
                lower: -1, upper: 1, start: 0, relativeTolerance: 1e-13,
                { massUpTo($0) - target }, derivative: { max(0, interpolant($0)) })
            return left + (t + 1) * width / 2
        }
        return upper
    }
}

extension GaussLegendre {
    static let sixteen = GaussLegendre(count: 16)
}
