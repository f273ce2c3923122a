import EpsomTestSupport
import Testing

@testable import EpsomStats

/// Every number of rma.uni, for 8 estimators × {z, knha} on metafor's example data, to a relative
/// 1e-8 (the product's promise). References: scripts/fixtures/metafor.R with threshold=1e-11.
@Suite struct MetaAnalysisTests {
    static let tolerance = 1e-8

    static func check(_ reference: MetaforFixture.Model, design: DesignMatrix?) throws {
        let method = try #require(TauSquaredEstimator(rawValue: reference.method))
        let test = try #require(CoefficientTest(rawValue: reference.test))
        let result = try MetaAnalysis.fit(
            y: reference.yi, v: reference.vi, design: design,
            options: .init(method: method, test: test))
        let name = reference.name, tol = tolerance
        // τ² near zero is compared absolutely: metafor's own iteration stops at 1e-11.
        expectClose(result.tauSquared, reference.tau2, relative: tol, absolute: 1e-11, "\(name) tau2")
        // A result with fewer coefficients or weights must fail, not check fewer numbers.
        try #require(result.coefficients.count == reference.beta.count, "\(name): \(result.coefficients.count) coefficients")
        try #require(result.weights.count == reference.weights.count, "\(name): \(result.weights.count) weights")
        for (j, c) in result.coefficients.enumerated() {
            expectClose(c.estimate, reference.beta[j], relative: tol, absolute: 1e-12, "\(name) beta[\(j)]")
            expectClose(c.standardError, reference.se[j], relative: tol, "\(name) se[\(j)]")
            expectClose(c.statistic, reference.zval[j], relative: tol, absolute: 1e-10, "\(name) z[\(j)]")
            expectClose(c.p, reference.pval[j], relative: tol, "\(name) p[\(j)]")
            expectClose(c.ciLower, reference.ciLb[j], relative: tol, absolute: 1e-12, "\(name) ci.lb[\(j)]")
            expectClose(c.ciUpper, reference.ciUb[j], relative: tol, absolute: 1e-12, "\(name) ci.ub[\(j)]")
        }
        let h = result.heterogeneity
        expectClose(h.q, reference.qe, relative: tol, "\(name) QE")
        expectClose(h.p, reference.qeP, relative: tol, "\(name) QEp")
        expectClose(h.iSquared, reference.i2, relative: tol, absolute: 1e-9, "\(name) I2")
        expectClose(h.hSquared, reference.h2, relative: tol, "\(name) H2")
        expectClose(result.omnibus.statistic, reference.qm, relative: tol, "\(name) QM")
        expectClose(result.omnibus.p, reference.qmP, relative: tol, "\(name) QMp")
        expectClose(result.weights, reference.weights, relative: tol, "\(name) weights")
        if let r2 = reference.r2 {
            expectClose(try #require(result.rSquared), r2, relative: tol, absolute: 1e-9, "\(name) R2")
        }
        if let lower = reference.piLb, let upper = reference.piUb {
            expectClose(result.predictionLower, lower, relative: tol, absolute: 1e-12, "\(name) pi.lb")
            expectClose(result.predictionUpper, upper, relative: tol, absolute: 1e-12, "\(name) pi.ub")
            let riley = try MetaAnalysis.fit(
                y: reference.yi, v: reference.vi,
                options: .init(method: method, test: test, predictionInterval: .riley))
            expectClose(riley.predictionLower, try #require(reference.piRileyLb), relative: tol, absolute: 1e-12, "\(name) Riley pi.lb")
            expectClose(riley.predictionUpper, try #require(reference.piRileyUb), relative: tol, absolute: 1e-12, "\(name) Riley pi.ub")
        }
        if let ci = reference.tau2Ci, reference.tau2CiCapped != true {
            let interval = try QProfile.tauSquaredInterval(y: reference.yi, v: reference.vi, design: design)
            expectClose(interval.lower, ci[0], relative: tol, absolute: 1e-11, "\(name) tau2 ci.lb")
            expectClose(interval.upper, ci[1], relative: tol, absolute: 1e-11, "\(name) tau2 ci.ub")
        }
    }

    @Test(arguments: try MetaforFixture.shared.models.indices)
    func interceptOnlyModel(_ index: Int) throws {
        try Self.check(try MetaforFixture.shared.models[index], design: nil)
    }

    @Test(arguments: try MetaforFixture.shared.metaregression.indices)
    func metaRegression(_ index: Int) throws {
        let reference = try MetaforFixture.shared.metaregression[index]
        let design = DesignMatrix(
            rows: reference.yi.count, columnNames: try #require(reference.columns),
            values: try #require(reference.x))
        try Self.check(reference, design: design)
    }
}
