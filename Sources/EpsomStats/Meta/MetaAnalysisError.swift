/// Why a meta-analysis could not be computed. Messages name the study (0-based index into the
/// input) or the option at fault and never print data values beyond what identifies the problem.
public struct MetaAnalysisError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A study's input is invalid; `field` names the column (metafor's name, such as `sd1i`).
        case invalidStudy(index: Int, field: String)
        /// The data cannot support the model (too few studies, rank-deficient moderators…).
        case notEstimable
        /// An iterative estimator did not converge.
        case didNotConverge
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
