/// Leave-one-out sensitivity analysis: the model refitted k times, each time without one study
/// (metafor's `leave1out`). Each refit is O(k), so the whole analysis is O(k²).
public enum LeaveOneOut {
    public struct Row: Sendable, Equatable {
        /// Index of the study left out.
        public var omitted: Int
        public var estimate: Coefficient
        public var tauSquared: Double
        public var heterogeneity: Heterogeneity
    }

    public static func run(y: [Double], v: [Double], options: MetaAnalysisOptions = .init()) throws -> [Row] {
        guard y.count >= 2 else { throw MetaAnalysisError(.notEstimable, "Leave-one-out needs at least 2 studies.") }
        return try y.indices.map { omitted in
            var ys = y, vs = v
            ys.remove(at: omitted)
            vs.remove(at: omitted)
            let fit = try MetaAnalysis.fit(y: ys, v: vs, options: options)
            return Row(
                omitted: omitted, estimate: fit.estimate, tauSquared: fit.tauSquared,
                heterogeneity: fit.heterogeneity)
        }
    }
}
