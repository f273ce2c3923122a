import EpsomTestSupport
import Testing

@testable import EpsomStats

extension NOf1Fixture.Case {
    var series: NOf1Series {
        NOf1Series(days: days, outcomes: outcomes, arms: arms, armNames: armNames, periods: periods)
    }
}

/// The N-of-1 model against an independent brute-force integration (dense covariance matrix,
/// Cholesky GLS on a dense grid: scripts/fixtures/nof1_bruteforce.py), to 1e-4 on every number.
@Suite struct NOf1Tests {
    typealias Fixture = NOf1Fixture
    static let tolerance = 1e-4

    /// Every summary of a contrast (or of the trend) against the brute-force one; a result with
    /// fewer bands than the reference fails.
    static func expectMatches(
        _ got: NOf1Contrast, _ want: Fixture.Case.Expected.Summary, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let tol = tolerance
        let pairs: [(String, Double, Double)] = [
            ("mean", got.mean, want.mean), ("median", got.median, want.median),
            ("ci_lower", got.ciLower, want.ciLower), ("ci_upper", got.ciUpper, want.ciUpper),
            ("variance", got.variance, want.variance), ("p_benefit", got.probabilityOfBenefit, want.pBenefit),
            ("p_mcid", got.probabilityBeyondMCID, want.pMcid),
        ]
        for (name, a, b) in pairs { expectClose(a, b, absolute: tol, "\(what) \(name)", sourceLocation: sourceLocation) }
        expectClose(got.bands.map(\.probability), want.bands, absolute: tol, "\(what) bands", sourceLocation: sourceLocation)
    }

    @Test(arguments: try Fixture.shared.nof1.indices)
    func matchesBruteForce(_ index: Int) throws {
        let c = try Fixture.shared.nof1[index], e = c.expected
        let result = try NOf1Analysis.run(c.series, options: .init(trend: c.trend, mcid: c.mcid))
        #expect(result.n == e.n)
        let tol = Self.tolerance
        expectClose(result.rhoMean, e.rhoMean, absolute: tol, "\(c.name) rho mean")
        expectClose(result.rhoStandardDeviation, e.rhoSd, absolute: tol, "\(c.name) rho sd")
        // A shorter result must fail, not check fewer contrasts.
        try #require(result.contrasts.count == e.contrasts.count, "\(c.name): \(result.contrasts.count) contrasts")
        #expect(result.contrasts.map(\.arm) == Array(c.armNames.dropFirst()))
        #expect(result.contrasts.allSatisfy { $0.reference == c.armNames[0] })
        for (got, want) in zip(result.contrasts, e.contrasts) {
            Self.expectMatches(got, want, "\(c.name) \(got.arm)")
        }
        #expect((result.trend != nil) == c.trend && (e.trend != nil) == c.trend, "\(c.name): trend asked \(c.trend)")
        if c.trend {
            let trend = try #require(result.trend, "\(c.name): the trend is missing")
            let wantTrend = try #require(e.trend, "\(c.name): the fixture has no trend")
            expectClose(trend.mean, wantTrend.mean, absolute: tol, "\(c.name) trend mean")
            expectClose(trend.quantile(0.025), wantTrend.ciLower, absolute: tol, "\(c.name) trend ci")
        }
    }

    @Test(arguments: try Fixture.shared.pooling.indices)
    func poolingMatchesBruteForce(_ index: Int) throws {
        let c = try Fixture.shared.pooling[index], e = c.expected
        let prior: HierarchicalPooling.TauPrior
        if case .number(let scale) = c.prior.last { prior = .halfNormal(scale: scale) } else { prior = .uniform }
        let r = try HierarchicalPooling.pool(estimates: c.estimates, variances: c.variances, mcid: c.mcid, tauPrior: prior)
        let tol = Self.tolerance
        #expect(r.k == e.k)
        let pairs: [(String, Double, Double)] = [
            ("mu mean", r.muMean, e.muMean), ("mu lower", r.muCILower, e.muCiLower), ("mu upper", r.muCIUpper, e.muCiUpper),
            ("tau mean", r.tauMean, e.tauMean), ("tau median", r.tauMedian, e.tauMedian),
            ("p new benefit", r.probabilityNewBenefit, e.pNewBenefit), ("p new mcid", r.probabilityNewBeyondMCID, e.pNewMcid),
        ]
        for (name, a, b) in pairs { expectClose(a, b, absolute: tol, "\(c.name) \(name)") }
        expectClose(r.participants.map(\.shrunken), e.shrunken, absolute: tol, "\(c.name) shrunken")
    }

    // MARK: Identities

    static var base: Fixture.Case { get throws { try #require(try Fixture.shared.named("cream-vs-none")) } }

    @Test func swappingArmLabelsFlipsTheSign() throws {
        let c = try Self.base
        let swapped = NOf1Series(
            days: c.days, outcomes: c.outcomes, arms: c.arms.map { 1 - $0 },
            armNames: c.armNames.reversed(), periods: c.periods)
        let a = try NOf1Analysis.run(c.series).contrasts[0]
        let b = try NOf1Analysis.run(swapped).contrasts[0]
        expectClose(a.mean, -b.mean, absolute: 1e-9)
        expectClose(a.ciLower, -b.ciUpper, absolute: 1e-9)
        expectClose(a.probabilityOfBenefit, (1 - b.probabilityOfBenefit), absolute: 1e-9)
    }

    @Test func addingAConstantChangesNothing() throws {
        let c = try Self.base
        var shifted = c.series
        shifted.outcomes = shifted.outcomes.map { $0 + 3.7 }
        let a = try NOf1Analysis.run(c.series, options: .init(trend: true))
        let b = try NOf1Analysis.run(shifted, options: .init(trend: true))
        expectClose(a.contrasts[0].mean, b.contrasts[0].mean, absolute: 1e-9)
        expectClose(a.contrasts[0].ciUpper, b.contrasts[0].ciUpper, absolute: 1e-9)
        expectClose(a.rhoMean, b.rhoMean, absolute: 1e-9)
    }

    /// At ρ = 0 the transform is the identity and the conditional posterior is the textbook
    /// conjugate result: β | y ~ t_{n−p}(OLS estimate, s²(XᵀX)⁻¹).
    @Test func conditionalPosteriorAtRhoZeroIsTheConjugateT() throws {
        let c = try Self.base
        let x = DesignMatrix(
            rows: c.days.count, columnNames: ["intercept", "cream"],
            values: c.arms.flatMap { [1, Double($0)] })
        let fit = try #require(AutoregressiveRegression(days: c.days, y: c.outcomes, design: x, rho: 0, oneMinusRhoSquared: 1))
        // OLS by hand for a two-group design: difference of means, pooled variance.
        let group1 = zip(c.outcomes, c.arms).filter { $1 == 1 }.map(\.0)
        let group0 = zip(c.outcomes, c.arms).filter { $1 == 0 }.map(\.0)
        let m1 = group1.reduce(0, +) / Double(group1.count), m0 = group0.reduce(0, +) / Double(group0.count)
        let ss = group1.reduce(0) { $0 + ($1 - m1) * ($1 - m1) } + group0.reduce(0) { $0 + ($1 - m0) * ($1 - m0) }
        let s2 = ss / Double(c.days.count - 2)
        expectClose(fit.coefficients[1], (m1 - m0), absolute: 1e-12)
        expectClose(fit.residualVariance, s2, absolute: 1e-12)
        let se = (s2 * (1 / Double(group1.count) + 1 / Double(group0.count))).squareRoot()
        expectClose((fit.residualVariance * fit.inverseInformation[1, 1]).squareRoot(), se, absolute: 1e-12)
    }

    /// With independent data the integrated result approaches the ρ = 0 conjugate t result.
    @Test func independentDataGiveNearlyTheConjugateResult() throws {
        var rng = SplitMix64(seed: 5)
        let n = 400
        let arms = (0..<n).map { ($0 / 10) % 2 }
        let y = arms.map { 5 - 0.7 * Double($0) + rng.nextGaussian() }
        let series = NOf1Series(
            days: Array(0..<n), outcomes: y, arms: arms, armNames: ["none", "cream"],
            periods: (0..<n).map { $0 / 10 })
        let result = try NOf1Analysis.run(series)
        let x = DesignMatrix(rows: n, columnNames: ["i", "a"], values: arms.flatMap { [1, Double($0)] })
        let conjugate = try #require(AutoregressiveRegression(days: Array(0..<n), y: y, design: x, rho: 0, oneMinusRhoSquared: 1))
        expectClose(result.rhoMean, 0, absolute: 0.1)
        expectClose(result.contrasts[0].mean, conjugate.coefficients[1], absolute: 0.02)
    }

    @Test func gapsAreNotTreatedAsAdjacent() throws {
        // Moving a block of days later (a longer gap) must change the result when ρ matters.
        let c = try #require(try Fixture.shared.named("interruption"))  // strongly autocorrelated
        var later = c.series
        later.days = later.days.map { $0 >= 150 ? $0 + 30 : $0 }
        let a = try NOf1Analysis.run(c.series), b = try NOf1Analysis.run(later)
        #expect(!isClose(a.contrasts[0].mean, b.contrasts[0].mean, absolute: 1e-4))
    }

    @Test func badSeriesAreRefused() {
        let s = NOf1Series(
            days: [0, 1, 2, 3, 4], outcomes: [1, 2, 3, 4, 5], arms: [0, 0, 0, 1, 1],
            armNames: ["none", "cream"], periods: [0, 0, 0, 1, 1])
        #expect(throws: NOf1Error.self) { try NOf1Analysis.run(s) }  // 2 days of cream
        let one = NOf1Series(days: [0, 1, 2], outcomes: [1, 2, 3], arms: [0, 0, 0], armNames: ["none"], periods: [0, 0, 0])
        #expect(throws: NOf1Error.self) { try NOf1Analysis.run(one) }
    }

    @Test func poolingRefusesBadInput() {
        #expect(throws: NOf1Error.self) { try HierarchicalPooling.pool(estimates: [1, 2], variances: [0.1, -1]) }
        #expect(throws: NOf1Error.self) { try HierarchicalPooling.pool(estimates: [1, 2, 3], variances: [1, 1, 1], tauPrior: .uniform) }
        #expect(throws: NOf1Error.self) { try HierarchicalPooling.pool(estimates: [], variances: []) }
    }
}
