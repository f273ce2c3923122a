import EpsomStats
import Foundation

/// The JSON form of a report. Keys are snake_case; estimates are on the analysis scale (log scale
/// for RR, OR and ROM, as metafor reports them); I² and weights are in percent.
public struct MetaAnalysisJSON: Codable, Sendable, Equatable {
    public struct Study: Codable, Sendable, Equatable {
        public var study: String
        public var yi, vi, weight: Double
    }
    public struct CoefficientJSON: Codable, Sendable, Equatable {
        public var name: String
        public var estimate, se, statistic, p, ci_lower, ci_upper: Double
    }
    public struct Egger: Codable, Sendable, Equatable {
        public var statistic, p: Double
        public var df: Int?
        public var limit_estimate, limit_ci_lower, limit_ci_upper: Double
    }
    public struct TrimFill: Codable, Sendable, Equatable {
        public var missing: Int
        public var side: String
        public var estimate, se, ci_lower, ci_upper, tau2: Double
        public var filled: [Study]
    }
    public struct LeaveOneOutRow: Codable, Sendable, Equatable {
        public var omitted: String
        public var estimate, se, statistic, p, ci_lower, ci_upper, tau2, i2, q, q_p: Double
    }
    public struct Subgroup: Codable, Sendable, Equatable {
        public var group: String
        public var k: Int
        public var estimate, se, ci_lower, ci_upper, tau2, i2, q, q_p: Double
    }
    public struct SubgroupTest: Codable, Sendable, Equatable {
        public var column: String
        public var groups: [Subgroup]
        public var q_between: Double
        public var df: Int
        public var p: Double
    }

    public var k: Int
    public var measure, method, test: String
    public var estimate, se, statistic, p, ci_lower, ci_upper: Double
    public var df: Int?
    public var tau2: Double
    public var tau2_ci_lower, tau2_ci_upper: Double?
    public var i2, h2, q: Double
    public var q_df: Int
    public var q_p: Double
    public var pi_lower, pi_upper: Double
    public var coefficients: [CoefficientJSON]
    public var qm, qm_p: Double
    public var qm_df: [Int]
    public var r2: Double?
    public var studies: [Study]
    public var egger: Egger?
    public var trimfill: TrimFill?
    public var leave_one_out: [LeaveOneOutRow]?
    public var subgroups: SubgroupTest?
}

extension MetaAnalysisReport {
    public var json: MetaAnalysisJSON {
        let m = model, e = m.estimate, h = m.heterogeneity
        let names = input.studies
        return MetaAnalysisJSON(
            k: m.k, measure: input.measure.rawValue, method: m.options.method.rawValue, test: m.options.test.rawValue,
            estimate: e.estimate, se: e.standardError, statistic: e.statistic, p: e.p,
            ci_lower: e.ciLower, ci_upper: e.ciUpper, df: m.degreesOfFreedom,
            tau2: m.tauSquared, tau2_ci_lower: tauSquaredInterval?.lower, tau2_ci_upper: tauSquaredInterval?.upper,
            i2: h.iSquared, h2: h.hSquared, q: h.q, q_df: h.degreesOfFreedom, q_p: h.p,
            pi_lower: m.predictionLower, pi_upper: m.predictionUpper,
            coefficients: m.coefficients.map {
                .init(
                    name: $0.name, estimate: $0.estimate, se: $0.standardError, statistic: $0.statistic, p: $0.p,
                    ci_lower: $0.ciLower, ci_upper: $0.ciUpper)
            },
            qm: m.omnibus.statistic, qm_p: m.omnibus.p,
            qm_df: [m.omnibus.numeratorDegreesOfFreedom] + (m.omnibus.denominatorDegreesOfFreedom.map { [$0] } ?? []),
            r2: m.rSquared,
            studies: names.indices.map {
                .init(study: names[$0], yi: input.effects.yi[$0], vi: input.effects.vi[$0], weight: m.weights[$0])
            },
            egger: egger.map {
                .init(
                    statistic: $0.statistic, p: $0.p, df: $0.degreesOfFreedom, limit_estimate: $0.limitEstimate.estimate,
                    limit_ci_lower: $0.limitEstimate.ciLower, limit_ci_upper: $0.limitEstimate.ciUpper)
            },
            trimfill: trimAndFill.map { t in
                let f = t.model.estimate
                return .init(
                    missing: t.missing, side: t.side.rawValue, estimate: f.estimate, se: f.standardError,
                    ci_lower: f.ciLower, ci_upper: f.ciUpper, tau2: t.model.tauSquared,
                    filled: t.filledY.indices.map {
                        .init(
                            study: "Filled \($0 + 1)", yi: t.filledY[$0], vi: t.filledV[$0],
                            weight: t.model.weights[m.k + $0])
                    })
            },
            leave_one_out: leaveOneOut?.map {
                .init(
                    omitted: names[$0.omitted], estimate: $0.estimate.estimate, se: $0.estimate.standardError,
                    statistic: $0.estimate.statistic, p: $0.estimate.p, ci_lower: $0.estimate.ciLower,
                    ci_upper: $0.estimate.ciUpper, tau2: $0.tauSquared, i2: $0.heterogeneity.iSquared,
                    q: $0.heterogeneity.q, q_p: $0.heterogeneity.p)
            },
            subgroups: subgroups.map { s in
                .init(
                    column: input.groupColumn ?? "",
                    groups: s.groups.map { g in
                        let ge = g.model.estimate
                        return .init(
                            group: g.name, k: g.members.count, estimate: ge.estimate, se: ge.standardError,
                            ci_lower: ge.ciLower, ci_upper: ge.ciUpper, tau2: g.model.tauSquared,
                            i2: g.model.heterogeneity.iSquared, q: g.model.heterogeneity.q,
                            q_p: g.model.heterogeneity.p)
                    }, q_between: s.qBetween, df: s.degreesOfFreedom, p: s.p)
            })
    }

    /// Pretty-printed JSON with sorted keys. Every number is finite by construction.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(json), as: UTF8.self)
    }
}
