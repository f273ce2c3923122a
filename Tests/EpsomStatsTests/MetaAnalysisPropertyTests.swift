import EpsomTestSupport
import Testing

@testable import EpsomStats

/// Identities every estimator must satisfy, on random inputs.
@Suite struct MetaAnalysisPropertyTests {
    static func randomStudies(k: Int, seed: UInt64, heterogeneity: Double = 0.3) -> (y: [Double], v: [Double]) {
        var rng = SplitMix64(seed: seed)
        let v = (0..<k).map { _ in Double.random(in: 0.01...0.5, using: &rng) }
        let y = v.map { 0.2 + heterogeneity * rng.nextGaussian() + $0.squareRoot() * rng.nextGaussian() }
        return (y, v)
    }

    @Test(arguments: TauSquaredEstimator.allCases, [CoefficientTest.z, .knha])
    func invariantToStudyOrder(method: TauSquaredEstimator, test: CoefficientTest) throws {
        let (y, v) = Self.randomStudies(k: 25, seed: 7)
        var rng = SplitMix64(seed: 99)
        let order = Array(y.indices).shuffled(using: &rng)
        let options = MetaAnalysisOptions(method: method, test: test)
        let a = try MetaAnalysis.fit(y: y, v: v, options: options)
        let b = try MetaAnalysis.fit(y: order.map { y[$0] }, v: order.map { v[$0] }, options: options)
        expectClose(a.estimate.estimate, b.estimate.estimate, relative: 1e-10, "estimate")
        expectClose(a.estimate.standardError, b.estimate.standardError, relative: 1e-10, "se")
        expectClose(a.tauSquared, b.tauSquared, relative: 1e-10, absolute: 1e-14, "tau2")
        expectClose(a.heterogeneity.q, b.heterogeneity.q, relative: 1e-10, "Q")
    }

    /// Shifting y by c shifts the estimate by c; scaling y by s (and v by s²) scales the estimate
    /// and SE by s and τ² by s², and leaves every test statistic and p-value unchanged.
    @Test(arguments: TauSquaredEstimator.allCases)
    func equivariantToShiftAndScale(method: TauSquaredEstimator) throws {
        let (y, v) = Self.randomStudies(k: 15, seed: 11)
        let options = MetaAnalysisOptions(method: method)
        let base = try MetaAnalysis.fit(y: y, v: v, options: options)
        let shifted = try MetaAnalysis.fit(y: y.map { $0 + 3 }, v: v, options: options)
        expectClose(shifted.estimate.estimate, base.estimate.estimate + 3, relative: 1e-10, "shifted estimate")
        expectClose(shifted.tauSquared, base.tauSquared, relative: 1e-9, absolute: 1e-13, "shifted tau2")
        let s = 7.5
        let scaled = try MetaAnalysis.fit(y: y.map { $0 * s }, v: v.map { $0 * s * s }, options: options)
        expectClose(scaled.estimate.estimate, base.estimate.estimate * s, relative: 1e-9, "scaled estimate")
        expectClose(scaled.estimate.standardError, base.estimate.standardError * s, relative: 1e-9, "scaled se")
        expectClose(scaled.tauSquared, base.tauSquared * s * s, relative: 1e-9, absolute: 1e-12, "scaled tau2")
        expectClose(scaled.estimate.p, base.estimate.p, relative: 1e-9, "scaled p")
        expectClose(scaled.heterogeneity.iSquared, base.heterogeneity.iSquared, relative: 1e-9, absolute: 1e-10, "scaled I2")
    }

    @Test(arguments: TauSquaredEstimator.allCases.filter(\.isRandomEffects))
    func randomEffectsEqualsFixedEffectWhenTauSquaredIsZero(method: TauSquaredEstimator) throws {
        // Identical effects: Q = 0, so every estimator truncates τ² to 0.
        let v = [0.1, 0.2, 0.05, 0.3]
        let y = [0.4, 0.4, 0.4, 0.4]
        let re = try MetaAnalysis.fit(y: y, v: v, options: .init(method: method))
        let fe = try MetaAnalysis.fit(y: y, v: v, options: .init(method: .fixedEffect))
        #expect(re.tauSquared == 0)
        expectClose(re.estimate.estimate, fe.estimate.estimate, relative: 1e-14, "estimate")
        expectClose(re.estimate.standardError, fe.estimate.standardError, relative: 1e-14, "se")
        #expect(re.weights == fe.weights)
    }

    @Test(arguments: TauSquaredEstimator.allCases)
    func oneStudyIsItsOwnEstimate(method: TauSquaredEstimator) throws {
        let fit = try MetaAnalysis.fit(y: [0.7], v: [0.04], options: .init(method: method))
        #expect(fit.tauSquared == 0)
        expectClose(fit.estimate.estimate, 0.7, relative: 1e-15, "estimate")
        expectClose(fit.estimate.standardError, 0.2, relative: 1e-15, "se")
        #expect(fit.heterogeneity.q == 0 && fit.heterogeneity.p == 1)
        #expect(throws: MetaAnalysisError.self) {
            try MetaAnalysis.fit(y: [0.7], v: [0.04], options: .init(method: method, test: .knha))
        }
    }

    @Test func twoStudiesDerSimonianLairdByHand() throws {
        // DL by hand: w = (1/0.1, 1/0.2); Q = Σw(y-ȳ)²; τ² = (Q - 1)/(Σw - Σw²/Σw).
        let y = [0.1, 0.9], v = [0.1, 0.2]
        let w = v.map { 1 / $0 }
        let sw = w.reduce(0, +)
        let mean = (w[0] * y[0] + w[1] * y[1]) / sw
        let q = w[0] * (y[0] - mean) * (y[0] - mean) + w[1] * (y[1] - mean) * (y[1] - mean)
        let tau2 = max(0, (q - 1) / (sw - (w[0] * w[0] + w[1] * w[1]) / sw))
        let fit = try MetaAnalysis.fit(y: y, v: v, options: .init(method: .derSimonianLaird))
        expectClose(fit.heterogeneity.q, q, relative: 1e-14, "Q")
        expectClose(fit.tauSquared, tau2, relative: 1e-14, "tau2")
    }

    @Test func badInputIsRefusedWithTheStudyNamed() {
        #expect(throws: MetaAnalysisError(.invalidStudy(index: 2, field: "vi"), "vi must be a positive number.")) {
            try MetaAnalysis.fit(y: [0.1, 0.2, 0.3], v: [0.1, 0.1, -0.1])
        }
        #expect(throws: MetaAnalysisError.self) { try MetaAnalysis.fit(y: [], v: []) }
        #expect(throws: MetaAnalysisError.self) { try MetaAnalysis.fit(y: [.nan, 1], v: [0.1, 0.1]) }
        // A constant moderator is not of full rank.
        let design = DesignMatrix.interceptOnly(rows: 4).appendingColumn(named: "c", [1, 1, 1, 1])
        #expect(throws: MetaAnalysisError.self) {
            try MetaAnalysis.fit(y: [0.1, 0.2, 0.3, 0.4], v: [0.1, 0.1, 0.1, 0.1], design: design)
        }
    }

    @Test func identicalStudiesUnderKnappHartungAreRefusedNotInfinite() throws {
        let y = [0.3, 0.3, 0.3], v = [0.1, 0.2, 0.3]
        #expect(throws: MetaAnalysisError.self) { try MetaAnalysis.fit(y: y, v: v, options: .init(test: .knha)) }
        let z = try MetaAnalysis.fit(y: y, v: v, options: .init(test: .z))
        #expect(z.estimate.p.isFinite && z.estimate.standardError > 0)
    }

    @Test func millionStudiesRunInLinearMemory() throws {
        let (y, v) = Self.randomStudies(k: 1_000_000, seed: 3, heterogeneity: 0.2)
        let fit = try MetaAnalysis.fit(y: y, v: v, options: .init(method: .restrictedMaximumLikelihood))
        #expect(fit.k == 1_000_000)
        expectClose(fit.estimate.estimate, 0.2, absolute: 0.01)
        expectClose(fit.tauSquared, 0.04, absolute: 0.005)
    }
}
