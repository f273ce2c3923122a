/// Duval & Tweedie's (2000) trim-and-fill with the L0 estimator, as metafor's `trimfill`.
///
/// The side to fill is chosen from the sign of the Egger slope (missing studies are assumed on
/// the side opposite the asymmetry). Studies are sorted on that side, the k₀ most extreme are
/// trimmed, the model is refitted, and k₀ is re-estimated from the Wilcoxon signed ranks of the
/// centred effects, L0 = (4 Sᵣ - k(k+1)) / (2k - 1), until k₀ stops changing. The k₀ mirror
/// images 2μ̂ - yᵢ are then added and the model refitted with the same estimator. (metafor fits
/// the filled model with the z test whatever the original test; Epsom keeps the test asked for.)
public enum TrimAndFill {
    public enum Side: String, Sendable { case left, right }

    public struct Result: Sendable, Equatable {
        /// Estimated number of missing studies.
        public var missing: Int
        public var standardErrorOfMissing: Double
        public var side: Side
        /// The filled studies' effects and variances.
        public var filledY: [Double]
        public var filledV: [Double]
        /// The model on observed plus filled studies (the unchanged model when k₀ = 0).
        public var model: MetaAnalysisResult
    }

    public static func run(
        y: [Double], v: [Double], options: MetaAnalysisOptions = .init(),
        side requestedSide: Side? = nil, maximumIterations: Int = 100
    ) throws -> Result {
        let k = y.count
        guard k >= 3 else { throw MetaAnalysisError(.notEstimable, "Trim-and-fill needs at least 3 studies.") }
        let fitOptions = MetaAnalysisOptions(method: options.method, test: .z, level: options.level)
        let side: Side
        if let requestedSide {
            side = requestedSide
        } else {
            let design = DesignMatrix.interceptOnly(rows: k).appendingColumn(named: "sei", v.map { $0.squareRoot() })
            let slope = try MetaAnalysis.fit(y: y, v: v, design: design, options: fitOptions).coefficients[1].estimate
            side = slope < 0 ? .right : .left
        }
        let sign: Double = side == .right ? -1 : 1
        // Stable sort on the (possibly flipped) effects, as R's sort(index.return = TRUE).
        let order = y.indices.sorted { (sign * y[$0], $0) < (sign * y[$1], $1) }
        let ys = order.map { sign * y[$0] }, vs = order.map { v[$0] }

        var k0 = 0, previous = -1, iterations = 0
        var beta = 0.0, seK0 = 0.0
        while k0 != previous {
            previous = k0
            iterations += 1
            guard iterations <= maximumIterations else {
                throw MetaAnalysisError(.didNotConverge, "Trim-and-fill did not converge.")
            }
            let kept = k - k0
            beta = try MetaAnalysis.fit(y: Array(ys[..<kept]), v: Array(vs[..<kept]), options: fitOptions).estimate.estimate
            let centred = ys.map { $0 - beta }
            // Ranks of |centred|, ties broken by position ("first").
            let byMagnitude = centred.indices.sorted { (abs(centred[$0]), $0) < (abs(centred[$1]), $1) }
            var sr = 0.0
            for (rank, index) in byMagnitude.enumerated() where centred[index] > 0 { sr += Double(rank + 1) }
            let kk = Double(k)
            let estimate = (4 * sr - kk * (kk + 1)) / (2 * kk - 1)
            let varSr =
                (kk * (kk + 1) * (2 * kk + 1) + 10 * estimate * estimate * estimate
                    + 27 * estimate * estimate + 17 * estimate - 18 * kk * estimate * estimate
                    - 18 * kk * estimate + 6 * kk * kk * estimate) / 24
            seK0 = max(0, 4 * varSr.squareRoot() / (2 * kk - 1))
            k0 = max(0, Int(estimate.rounded(.toNearestOrEven)))
            k0 = min(k0, k - 1)
        }
        guard k0 > 0 else {
            let model = try MetaAnalysis.fit(y: y, v: v, options: options)
            return Result(missing: 0, standardErrorOfMissing: seK0, side: side, filledY: [], filledV: [], model: model)
        }
        // Mirror the k0 most extreme studies about the trimmed estimate (back on the original scale).
        let filledY = ys[(k - k0)...].map { sign * (2 * beta - $0) }
        let filledV = Array(vs[(k - k0)...])
        let model = try MetaAnalysis.fit(y: y + filledY, v: v + filledV, options: options)
        return Result(
            missing: k0, standardErrorOfMissing: seK0, side: side, filledY: filledY, filledV: filledV,
            model: model)
    }
}
