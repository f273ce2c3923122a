import EpsomTestSupport
import Testing

@testable import EpsomStats

/// Egger's test, trim-and-fill, leave-one-out and subgroups against metafor's regtest, trimfill,
/// leave1out and per-subgroup rma (scripts/fixtures/metafor.R).
@Suite struct SensitivityAnalysisTests {
    static let tolerance = 1e-8

    static func options(_ method: String, _ test: String) throws -> MetaAnalysisOptions {
        .init(method: try #require(TauSquaredEstimator(rawValue: method)), test: try #require(CoefficientTest(rawValue: test)))
    }

    @Test(arguments: try MetaforFixture.shared.bias.indices)
    func eggerTest(_ index: Int) throws {
        let r = try MetaforFixture.shared.bias[index]
        let egger = try EggerTest.run(y: r.yi, v: r.vi, options: Self.options(r.method, r.test))
        expectClose(egger.statistic, r.egger.statistic, relative: Self.tolerance, "\(r.name) Egger statistic")
        expectClose(egger.p, r.egger.p, relative: Self.tolerance, "\(r.name) Egger p")
        expectClose(egger.limitEstimate.estimate, r.egger.limit, relative: Self.tolerance, "\(r.name) limit estimate")
        expectClose(egger.limitEstimate.ciLower, r.egger.limitCiLb, relative: Self.tolerance, "\(r.name) limit ci.lb")
        expectClose(egger.limitEstimate.ciUpper, r.egger.limitCiUb, relative: Self.tolerance, "\(r.name) limit ci.ub")
    }

    @Test(arguments: try MetaforFixture.shared.bias.indices.filter { try MetaforFixture.shared.bias[$0].test == "z" })
    func trimAndFill(_ index: Int) throws {
        let r = try MetaforFixture.shared.bias[index]
        let result = try TrimAndFill.run(y: r.yi, v: r.vi, options: Self.options(r.method, r.test))
        #expect(result.missing == r.trimfill.k0, "\(r.name) k0")
        #expect(result.side.rawValue == r.trimfill.side, "\(r.name) side")
        #expect(result.filledY.count == r.trimfill.filledYi.count)
        for (a, b) in zip(result.filledY, r.trimfill.filledYi) {
            expectClose(a, b, relative: Self.tolerance, absolute: 1e-12, "\(r.name) filled yi")
        }
        let e = result.model.estimate
        expectClose(e.estimate, r.trimfill.beta[0], relative: Self.tolerance, "\(r.name) filled estimate")
        expectClose(e.standardError, r.trimfill.se[0], relative: Self.tolerance, "\(r.name) filled se")
        expectClose(e.ciLower, r.trimfill.ciLb[0], relative: Self.tolerance, "\(r.name) filled ci.lb")
        expectClose(e.ciUpper, r.trimfill.ciUb[0], relative: Self.tolerance, "\(r.name) filled ci.ub")
        expectClose(result.model.tauSquared, r.trimfill.tau2, relative: Self.tolerance, absolute: 1e-11, "\(r.name) filled tau2")
    }

    @Test(arguments: try MetaforFixture.shared.bias.indices)
    func leaveOneOut(_ index: Int) throws {
        let r = try MetaforFixture.shared.bias[index], l = r.leave1out, tol = Self.tolerance
        let rows = try LeaveOneOut.run(y: r.yi, v: r.vi, options: Self.options(r.method, r.test))
        try #require(rows.count == l.estimate.count, "\(r.name): \(rows.count) rows")
        for (i, row) in rows.enumerated() {
            expectClose(row.estimate.estimate, l.estimate[i], relative: tol, "\(r.name) -\(i) estimate")
            expectClose(row.estimate.standardError, l.se[i], relative: tol, "\(r.name) -\(i) se")
            expectClose(row.estimate.statistic, l.statistic[i], relative: tol, "\(r.name) -\(i) statistic")
            expectClose(row.estimate.p, l.pval[i], relative: tol, "\(r.name) -\(i) p")
            expectClose(row.estimate.ciLower, l.ciLb[i], relative: tol, "\(r.name) -\(i) ci.lb")
            expectClose(row.estimate.ciUpper, l.ciUb[i], relative: tol, "\(r.name) -\(i) ci.ub")
            expectClose(row.heterogeneity.q, l.q[i], relative: tol, "\(r.name) -\(i) Q")
            expectClose(row.heterogeneity.p, l.qP[i], relative: tol, "\(r.name) -\(i) Qp")
            expectClose(row.tauSquared, l.tau2[i], relative: tol, absolute: 1e-11, "\(r.name) -\(i) tau2")
            expectClose(row.heterogeneity.iSquared, l.i2[i], relative: tol, absolute: 1e-9, "\(r.name) -\(i) I2")
            expectClose(row.heterogeneity.hSquared, l.h2[i], relative: tol, "\(r.name) -\(i) H2")
        }
    }

    @Test(arguments: try MetaforFixture.shared.subgroups.indices)
    func subgroups(_ index: Int) throws {
        let r = try MetaforFixture.shared.subgroups[index], tol = Self.tolerance
        let result = try Subgroups.run(y: r.yi, v: r.vi, groups: r.by, options: Self.options(r.method, "z"))
        try #require(result.groups.map(\.name) == r.groups.map(\.group))
        for (g, expected) in zip(result.groups, r.groups) {
            #expect(g.members.count == expected.k)
            expectClose(g.model.estimate.estimate, expected.estimate, relative: tol, "\(r.name) \(g.name) estimate")
            expectClose(g.model.estimate.standardError, expected.se, relative: tol, "\(r.name) \(g.name) se")
            expectClose(g.model.tauSquared, expected.tau2, relative: tol, absolute: 1e-11, "\(r.name) \(g.name) tau2")
            expectClose(g.model.heterogeneity.q, expected.qe, relative: tol, absolute: 1e-12, "\(r.name) \(g.name) Q")
        }
        expectClose(result.qBetween, r.qBetween, relative: tol, "\(r.name) Q between")
        #expect(result.degreesOfFreedom == r.dfBetween)
        expectClose(result.p, r.pBetween, relative: tol, "\(r.name) p between")
    }
}
