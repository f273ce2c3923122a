import EpsomTestSupport
import Testing

@testable import EpsomStats

/// escalc() agreement, and zero-cell handling, against metafor (scripts/fixtures/metafor.R).
@Suite struct EffectSizeTests {
    let fixture: MetaforFixture
    init() throws { fixture = try MetaforFixture.shared }

    func counts(_ c: MetaforFixture.Data.Counts) throws -> EffectSizes.Counts {
        let bi = try c.bi ?? zip(try #require(c.n1i), c.ai).map { $0 - $1 }
        let di = try c.di ?? zip(try #require(c.n2i), c.ci).map { $0 - $1 }
        return .init(ai: c.ai, bi: bi, ci: c.ci, di: di)
    }

    @Test(arguments: try MetaforFixture.shared.escalc.indices)
    func matchesEscalc(_ index: Int) throws {
        let reference = fixture.escalc[index]
        let measure = try #require(EffectMeasure(rawValue: reference.measure))
        let data = fixture.data
        let computed: EffectSizes
        switch reference.dataset {
        case "bcg": computed = try EffectSizes.compute(measure, counts: counts(data.bcg))
        case "nielweise2007": computed = try EffectSizes.compute(measure, counts: counts(data.nielweise2007))
        case "egger2001": computed = try EffectSizes.compute(measure, counts: counts(data.egger2001))
        case "normand1999":
            let m = data.normand1999
            computed = try EffectSizes.compute(
                measure,
                means: .init(
                    m1i: m.m1i, sd1i: m.sd1i, n1i: m.n1i,
                    m2i: m.m2i, sd2i: m.sd2i, n2i: m.n2i))
        default: return  // generic data: nothing to compute
        }
        #expect(computed.yi.count == reference.yi.count)
        for i in reference.yi.indices {
            expectClose(
                computed.yi[i], reference.yi[i], relative: 1e-12, absolute: 1e-15, "\(reference.dataset) \(reference.measure) yi[\(i)]")
            expectClose(computed.vi[i], reference.vi[i], relative: 1e-12, "\(reference.dataset) \(reference.measure) vi[\(i)]")
        }
    }

    @Test func hedgesCorrectionApproachesOne() {
        #expect(EffectSizes.hedgesCorrection(1e6) < 1)
        #expect(abs(EffectSizes.hedgesCorrection(1e6) - 1) < 1e-6)
        // Exact value for m = 10: Γ(5)/(√5 Γ(4.5)).
        expectClose(EffectSizes.hedgesCorrection(10), 24 / (5.0.squareRoot() * 11.631728396567448), relative: 1e-14, "c(10)")
    }

    @Test func doubleZeroStudiesAreKeptByDefaultAndDroppedOnRequest() throws {
        let t = EffectSizes.Counts(ai: [0, 3], bi: [10, 7], ci: [0, 1], di: [12, 9])
        let kept = try EffectSizes.compute(.oddsRatio, counts: t)
        #expect(kept.kept == [0, 1])
        expectClose(kept.yi[0], .log((0.5 * 12.5) / (10.5 * 0.5)), relative: 1e-14, "corrected log OR")
        let dropped = try EffectSizes.compute(.oddsRatio, counts: t, correction: .init(dropDoubleZero: true))
        #expect(dropped.kept == [1])
    }

    @Test func invalidInputNamesTheStudyAndField() {
        let bad = EffectSizes.Means(m1i: [1, 2], sd1i: [1, -1], n1i: [10, 10], m2i: [0, 0], sd2i: [1, 1], n2i: [10, 10])
        #expect(throws: MetaAnalysisError(.invalidStudy(index: 1, field: "sd1i"), "sd1i must be a number of at least 0.")) {
            try EffectSizes.compute(.meanDifference, means: bad)
        }
        let noCorrection = ZeroCellCorrection(scope: .none)
        let t = EffectSizes.Counts(ai: [0], bi: [10], ci: [2], di: [8])
        #expect(throws: MetaAnalysisError.self) { try EffectSizes.compute(.riskRatio, counts: t, correction: noCorrection) }
    }
}
