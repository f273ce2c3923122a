import RealModule

/// Gauss–Legendre quadrature rules, computed by Newton iteration on the Legendre polynomial
/// (Numerical Recipes 3rd ed., §4.6), exact for polynomials of degree 2n − 1.
public struct GaussLegendre: Sendable {
    /// Nodes on [-1, 1], ascending.
    public let nodes: [Double]
    public let weights: [Double]

    public init(count n: Int) {
        precondition(n >= 1)
        var x = [Double](repeating: 0, count: n), w = [Double](repeating: 0, count: n)
        let m = (n + 1) / 2
        for i in 0..<m {
            var z = Double.cos(.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                var p1 = 1.0, p2 = 0.0
                for j in 0..<n {
                    let p3 = p2
                    p2 = p1
                    p1 = ((2 * Double(j) + 1) * z * p2 - Double(j) * p3) / Double(j + 1)
                }
                derivative = Double(n) * (z * p1 - p2) / (z * z - 1)
                let previous = z
                z = previous - p1 / derivative
                if abs(z - previous) < 1e-15 { break }
            }
            x[i] = -z
            x[n - 1 - i] = z
            w[i] = 2 / ((1 - z * z) * derivative * derivative)
            w[n - 1 - i] = w[i]
        }
        nodes = x
        weights = w
    }

    /// Nodes and weights of the composite rule: `panels` equal panels over [a, b].
    public func composite(from a: Double, to b: Double, panels: Int) -> [(node: Double, weight: Double)] {
        var out: [(Double, Double)] = []
        out.reserveCapacity(panels * nodes.count)
        let width = (b - a) / Double(panels)
        for panel in 0..<panels {
            let left = a + Double(panel) * width
            for (x, w) in zip(nodes, weights) { out.append((left + (x + 1) * width / 2, w * width / 2)) }
        }
        return out
    }
}
