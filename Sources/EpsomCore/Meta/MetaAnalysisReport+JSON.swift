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
        public var estimate, se, statistic, p, ciLower, ciUpper: Double
    }
    public struct Egger: Codable, Sendable, Equatable {
        public var statistic, p: Double
        public var df: Int?
        public var limitEstimate, limitCiLower, limitCiUpper: Double
    }
    public struct TrimFill: Codable, Sendable, Equatable {
        public var missing: Int
        public var side: String
        public var estimate, se, ciLower, ciUpper, tau2: Double
        public var filled: [Study]
    }
    public struct LeaveOneOutRow: Codable, Sendable, Equatable {
        public var omitted: String
        public var estimate, se, statistic, p, ciLower, ciUpper, tau2, i2, q, qP: Double
    }
    public struct Subgroup: Codable, Sendable, Equatable {
        public var group: String
        public var k: Int
        public var estimate, se, ciLower, ciUpper, tau2, i2, q, qP: Double
    }
    public struct SubgroupTest: Codable, Sendable, Equatable {
        public var column: String
        public var groups: [Subgroup]
        public var qBetween: Double
        public var df: Int
        public var p: Double
    }

    public var k: Int
    public var measure, method, test: String
    public var estimate, se, statistic, p, ciLower, ciUpper: Double
    public var df: Int?
    public var tau2: Double
    public var tau2CiLower, tau2CiUpper: Double?
    public var i2, h2, q: Double
    public var qDf: Int
    public var qP: Double
    public var piLower, piUpper: Double
    public var coefficients: [CoefficientJSON]
    public var qm, qmP: Double
    public var qmDf: [Int]
    public var r2: Double?
    public var studies: [Study]
    public var egger: Egger?
    public var trimfill: TrimFill?
    public var leaveOneOut: [LeaveOneOutRow]?
    public var subgroups: SubgroupTest?
}

extension MetaAnalysisReport {
    public var json: MetaAnalysisJSON {
        let m = model, e = m.estimate, h = m.heterogeneity
        let names = input.studies
        return MetaAnalysisJSON(
            k: m.k, measure: input.measure.rawValue, method: m.options.method.rawValue, test: m.options.test.rawValue,
            estimate: e.estimate, se: e.standardError, statistic: e.statistic, p: e.p,
            ciLower: e.ciLower, ciUpper: e.ciUpper, df: m.degreesOfFreedom,
            tau2: m.tauSquared, tau2CiLower: tauSquaredInterval?.lower, tau2CiUpper: tauSquaredInterval?.upper,
            i2: h.iSquared, h2: h.hSquared, q: h.q, qDf: h.degreesOfFreedom, qP: h.p,
            piLower: m.predictionLower, piUpper: m.predictionUpper,
            coefficients: m.coefficients.map {
                .init(
                    name: $0.name, estimate: $0.estimate, se: $0.standardError, statistic: $0.statistic, p: $0.p,
                    ciLower: $0.ciLower, ciUpper: $0.ciUpper)
            },
            qm: m.omnibus.statistic, qmP: m.omnibus.p,
            qmDf: [m.omnibus.numeratorDegreesOfFreedom] + (m.omnibus.denominatorDegreesOfFreedom.map { [$0] } ?? []),
            r2: m.rSquared,
            studies: names.indices.map {
                .init(study: names[$0], yi: input.effects.yi[$0], vi: input.effects.vi[$0], weight: m.weights[$0])
            },
            egger: egger.map {
                .init(
                    statistic: $0.statistic, p: $0.p, df: $0.degreesOfFreedom, limitEstimate: $0.limitEstimate.estimate,
                    limitCiLower: $0.limitEstimate.ciLower, limitCiUpper: $0.limitEstimate.ciUpper)
            },
            trimfill: trimAndFill.map { t in
                let f = t.model.estimate
                return .init(
                    missing: t.missing, side: t.side.rawValue, estimate: f.estimate, se: f.standardError,
                    ciLower: f.ciLower, ciUpper: f.ciUpper, tau2: t.model.tauSquared,
                    filled: t.filledY.indices.map {
                        .init(
                            study: "Filled \($0 + 1)", yi: t.filledY[$0], vi: t.filledV[$0],
                            weight: t.model.weights[m.k + $0])
                    })
            },
            leaveOneOut: leaveOneOut?.map {
                .init(
                    omitted: names[$0.omitted], estimate: $0.estimate.estimate, se: $0.estimate.standardError,
                    statistic: $0.estimate.statistic, p: $0.estimate.p, ciLower: $0.estimate.ciLower,
                    ciUpper: $0.estimate.ciUpper, tau2: $0.tauSquared, i2: $0.heterogeneity.iSquared,
                    q: $0.heterogeneity.q, qP: $0.heterogeneity.p)
            },
            subgroups: subgroups.map { s in
                .init(
                    column: input.groupColumn ?? "",
                    groups: s.groups.map { g in
                        let ge = g.model.estimate
                        return .init(
                            group: g.name, k: g.members.count, estimate: ge.estimate, se: ge.standardError,
                            ciLower: ge.ciLower, ciUpper: ge.ciUpper, tau2: g.model.tauSquared,
                            i2: g.model.heterogeneity.iSquared, q: g.model.heterogeneity.q,
                            qP: g.model.heterogeneity.p)
                    }, qBetween: s.qBetween, df: s.degreesOfFreedom, p: s.p)
            })
    }

    /// Pretty-printed JSON (`JSONStream`: snake_case keys in declaration order, shortest
    /// round-trip numbers). Every number is finite by construction.
    public func jsonText() throws -> String {
        try JSONStream.text(json)
    }
}

/// A report carries one row per study: written directly, they stream at a few hundred
/// nanoseconds each (`JSONStreamRow`).
extension MetaAnalysisJSON.Study: JSONStreamRow {
    public func writeMembers(_ members: inout JSONMembers) throws {
        members.string("study", study)
        try members.number("yi", yi)
        try members.number("vi", vi)
        try members.number("weight", weight)
    }
}
