import Testing
@testable import EpsomStats

/// The N-of-1 model against an independent brute-force integration (dense covariance matrix,
/// Cholesky GLS on a dense grid: scripts/fixtures/nof1_bruteforce.py), to 1e-4 on every number.
@Suite struct NOf1Tests {
    struct Fixture: Decodable {
        struct Case: Decodable {
            struct Expected: Decodable {
                struct Summary: Decodable {
                    var mean, median, ci_lower, ci_upper, variance: Double
                    var p_benefit, p_mcid: Double
                    var bands: [Double]
                }
                var n: Int
                var rho_mean, rho_sd: Double
                var contrasts: [Summary]
                var trend: Summary?
            }
            var name: String
            var days: [Int]
            var outcomes: [Double]
            var arms: [Int]
            var arm_names: [String]
            var periods: [Int]
            var trend: Bool
            var mcid: Double
            var expected: Expected

            var series: NOf1Series {
                NOf1Series(days: days, outcomes: outcomes, arms: arms, armNames: arm_names, periods: periods)
            }
        }
        struct Pool: Decodable {
            struct Expected: Decodable {
                var k: Int
                var mu_mean, mu_ci_lower, mu_ci_upper, tau_mean, tau_median, p_new_benefit, p_new_mcid: Double
                var shrunken: [Double]
            }
            var name: String
            var estimates, variances: [Double]
            var mcid: Double
            var prior: [PriorPart]
            var expected: Expected
        }
        enum PriorPart: Decodable {
            case name(String), number(Double)
            init(from decoder: Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let s = try? c.decode(String.self) { self = .name(s) } else { self = .number(try c.decode(Double.self)) }
            }
        }
        var nof1: [Case]
        var pooling: [Pool]
        static let shared = try! fixture("nof1", as: Fixture.self)
    }

    static let tolerance = 1e-4

    @Test(arguments: Fixture.shared.nof1.indices)
    func matchesBruteForce(_ index: Int) throws {
        let c = Fixture.shared.nof1[index], e = c.expected
        let result = try NOf1Analysis.run(c.series, options: .init(trend: c.trend, mcid: c.mcid))
        #expect(result.n == e.n)
        let tol = Self.tolerance
        #expect(abs(result.rhoMean - e.rho_mean) < tol, "\(c.name) rho mean \(result.rhoMean) vs \(e.rho_mean)")
        #expect(abs(result.rhoStandardDeviation - e.rho_sd) < tol, "\(c.name) rho sd")
        for (got, want) in zip(result.contrasts, e.contrasts) {
            let pairs: [(String, Double, Double)] = [
                ("mean", got.mean, want.mean), ("median", got.median, want.median),
                ("ci_lower", got.ciLower, want.ci_lower), ("ci_upper", got.ciUpper, want.ci_upper),
                ("variance", got.variance, want.variance), ("p_benefit", got.probabilityOfBenefit, want.p_benefit),
                ("p_mcid", got.probabilityBeyondMCID, want.p_mcid),
            ] + zip(got.bands, want.bands).map { ("band \($0.label)", $0.probability, $1) }
            for (name, a, b) in pairs { #expect(abs(a - b) < tol, "\(c.name) \(got.arm) \(name): \(a) vs \(b)") }
        }
        if let wantTrend = e.trend, let trend = result.trend {
            #expect(abs(trend.mean - wantTrend.mean) < tol, "\(c.name) trend mean")
            #expect(abs(trend.quantile(0.025) - wantTrend.ci_lower) < tol, "\(c.name) trend ci")
        }
    }

    @Test(arguments: Fixture.shared.pooling.indices)
    func poolingMatchesBruteForce(_ index: Int) throws {
        let c = Fixture.shared.pooling[index], e = c.expected
        let prior: HierarchicalPooling.TauPrior
        if case .number(let scale) = c.prior.last { prior = .halfNormal(scale: scale) } else { prior = .uniform }
        let r = try HierarchicalPooling.pool(estimates: c.estimates, variances: c.variances, mcid: c.mcid, tauPrior: prior)
        let tol = Self.tolerance
        let pairs: [(String, Double, Double)] = [
            ("mu mean", r.muMean, e.mu_mean), ("mu lower", r.muCILower, e.mu_ci_lower), ("mu upper", r.muCIUpper, e.mu_ci_upper),
            ("tau mean", r.tauMean, e.tau_mean), ("tau median", r.tauMedian, e.tau_median),
            ("p new benefit", r.probabilityNewBenefit, e.p_new_benefit), ("p new mcid", r.probabilityNewBeyondMCID, e.p_new_mcid),
        ] + zip(r.participants, e.shrunken).enumerated().map { ("shrunken \($0)", $1.0.shrunken, $1.1) }
        for (name, a, b) in pairs { #expect(abs(a - b) < tol, "\(c.name) \(name): \(a) vs \(b)") }
    }

    // MARK: Identities

    static let base = Fixture.shared.nof1[0]

    @Test func swappingArmLabelsFlipsTheSign() throws {
        let c = Self.base
        let swapped = NOf1Series(days: c.days, outcomes: c.outcomes, arms: c.arms.map { 1 - $0 },
                                 armNames: c.arm_names.reversed(), periods: c.periods)
        let a = try NOf1Analysis.run(c.series).contrasts[0]
        let b = try NOf1Analysis.run(swapped).contrasts[0]
        #expect(abs(a.mean + b.mean) < 1e-9)
        #expect(abs(a.ciLower + b.ciUpper) < 1e-9)
        #expect(abs(a.probabilityOfBenefit - (1 - b.probabilityOfBenefit)) < 1e-9)
    }

    @Test func addingAConstantChangesNothing() throws {
        let c = Self.base
        var shifted = c.series
        shifted.outcomes = shifted.outcomes.map { $0 + 3.7 }
        let a = try NOf1Analysis.run(c.series, options: .init(trend: true))
        let b = try NOf1Analysis.run(shifted, options: .init(trend: true))
        #expect(abs(a.contrasts[0].mean - b.contrasts[0].mean) < 1e-9)
        #expect(abs(a.contrasts[0].ciUpper - b.contrasts[0].ciUpper) < 1e-9)
        #expect(abs(a.rhoMean - b.rhoMean) < 1e-9)
    }

    /// At ρ = 0 the transform is the identity and the conditional posterior is the textbook
    /// conjugate result: β | y ~ t_{n−p}(OLS estimate, s²(XᵀX)⁻¹).
    @Test func conditionalPosteriorAtRhoZeroIsTheConjugateT() throws {
        let c = Self.base
        let x = DesignMatrix(rows: c.days.count, columnNames: ["intercept", "cream"],
                             values: c.arms.flatMap { [1, Double($0)] })
        let fit = try #require(AutoregressiveRegression(days: c.days, y: c.outcomes, design: x, rho: 0, oneMinusRhoSquared: 1))
        // OLS by hand for a two-group design: difference of means, pooled variance.
        let group1 = zip(c.outcomes, c.arms).filter { $1 == 1 }.map(\.0)
        let group0 = zip(c.outcomes, c.arms).filter { $1 == 0 }.map(\.0)
        let m1 = group1.reduce(0, +) / Double(group1.count), m0 = group0.reduce(0, +) / Double(group0.count)
        let ss = group1.reduce(0) { $0 + ($1 - m1) * ($1 - m1) } + group0.reduce(0) { $0 + ($1 - m0) * ($1 - m0) }
        let s2 = ss / Double(c.days.count - 2)
        #expect(abs(fit.coefficients[1] - (m1 - m0)) < 1e-12)
        #expect(abs(fit.residualVariance - s2) < 1e-12)
        let se = (s2 * (1 / Double(group1.count) + 1 / Double(group0.count))).squareRoot()
        #expect(abs((fit.residualVariance * fit.inverseInformation[1, 1]).squareRoot() - se) < 1e-12)
    }

    /// With independent data the integrated result approaches the ρ = 0 conjugate t result.
    @Test func independentDataGiveNearlyTheConjugateResult() throws {
        var rng = SplitMix64(seed: 5)
        let n = 400
        let arms = (0..<n).map { ($0 / 10) % 2 }
        let y = arms.map { 5 - 0.7 * Double($0) + rng.nextGaussian() }
        let series = NOf1Series(days: Array(0..<n), outcomes: y, arms: arms, armNames: ["none", "cream"],
                                periods: (0..<n).map { $0 / 10 })
        let result = try NOf1Analysis.run(series)
        let x = DesignMatrix(rows: n, columnNames: ["i", "a"], values: arms.flatMap { [1, Double($0)] })
        let conjugate = try #require(AutoregressiveRegression(days: Array(0..<n), y: y, design: x, rho: 0, oneMinusRhoSquared: 1))
        #expect(abs(result.rhoMean) < 0.1)
        #expect(abs(result.contrasts[0].mean - conjugate.coefficients[1]) < 0.02)
    }

    @Test func gapsAreNotTreatedAsAdjacent() throws {
        // Moving a block of days later (a longer gap) must change the result when ρ matters.
        let c = Fixture.shared.nof1[2]  // the interruption log, strongly autocorrelated
        var later = c.series
        later.days = later.days.map { $0 >= 150 ? $0 + 30 : $0 }
        let a = try NOf1Analysis.run(c.series), b = try NOf1Analysis.run(later)
        #expect(abs(a.contrasts[0].mean - b.contrasts[0].mean) > 1e-4)
    }

    @Test func badSeriesAreRefused() {
        let s = NOf1Series(days: [0, 1, 2, 3, 4], outcomes: [1, 2, 3, 4, 5], arms: [0, 0, 0, 1, 1],
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
