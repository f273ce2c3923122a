/// Subgroup analysis: each subgroup pooled on its own (its own τ²), and the test for subgroup
/// differences Q_between = Σ_g w_g (θ̂_g - θ̄)², w_g = 1/SE_g², on G - 1 degrees of freedom
/// (Borenstein et al. 2009, ch. 19; the test RevMan reports; equal to metafor's QM of a FE
/// meta-regression of the subgroup estimates on the subgroup factor).
public enum Subgroups {
    public struct Group: Sendable, Equatable {
        public var name: String
        /// Indices of the group's studies in the input.
        public var members: [Int]
        public var model: MetaAnalysisResult
    }

    public struct Result: Sendable, Equatable {
        public var groups: [Group]
        public var qBetween: Double
        public var degreesOfFreedom: Int
        public var p: Double
    }

    /// Groups are reported in sorted order of their names.
    public static func run(y: [Double], v: [Double], groups labels: [String], options: MetaAnalysisOptions = .init())
        throws -> Result
    {
        precondition(labels.count == y.count)
        let names = Set(labels).sorted()
        guard names.count >= 2 else {
            throw MetaAnalysisError(.notEstimable, "A subgroup analysis needs at least two subgroups.")
        }
        let groups = try names.map { name -> Group in
            let members = labels.indices.filter { labels[$0] == name }
            do {
                let model = try MetaAnalysis.fit(y: members.map { y[$0] }, v: members.map { v[$0] }, options: options)
                return Group(name: name, members: members, model: model)
            } catch let error as MetaAnalysisError {
                throw MetaAnalysisError(error.kind, "Subgroup \(name): \(error.message)")
            }
        }
        let weights = groups.map { 1 / ($0.model.estimate.standardError * $0.model.estimate.standardError) }
        let estimates = groups.map(\.model.estimate.estimate)
        let mean = zip(weights, estimates).reduce(0) { $0 + $1.0 * $1.1 } / weights.reduce(0, +)
        let q = zip(weights, estimates).reduce(0) { $0 + $1.0 * ($1.1 - mean) * ($1.1 - mean) }
        let df = names.count - 1
        let p = ChiSquared.survival(q, degreesOfFreedom: Double(df))
        guard !p.isNaN else {
            throw MetaAnalysisError(.didNotConverge, "The test between subgroups could not be computed (its series did not converge).")
        }
        return Result(
            groups: groups, qBetween: q, degreesOfFreedom: df,
            p: p)
    }
}
