import EpsomTestSupport
import Testing

@testable import EpsomStats

/// Reference values from SciPy: scripts/fixtures/distributions.py.
@Suite struct DistributionTests {
    struct Case: Decodable {
        var x: Double?, p: Double?, df: Double?, d1: Double?, d2: Double?
        var cdf: Double?, sf: Double?, quantile: Double?
        var twoSided: Double?
    }
    struct Cases: Decodable { var normal, t, chisq, f: [Case] }

    let cases: Cases
    init() throws { cases = try TestFiles.decode("EpsomStatsTests/Fixtures/distributions.json") }

    @Test func normal() throws {
        for c in cases.normal {
            if let x = c.x {
                expectClose(Normal.cdf(x), try #require(c.cdf), relative: 1e-13, absolute: 1e-305, "Φ(\(x))")
                expectClose(Normal.survival(x), try #require(c.sf), relative: 1e-13, absolute: 1e-305, "1-Φ(\(x))")
            } else {
                let p = try #require(c.p)
                expectClose(Normal.quantile(p), try #require(c.quantile), relative: 1e-14, "Φ⁻¹(\(p))")
            }
        }
    }

    @Test func studentT() throws {
        for c in cases.t {
            let df = try #require(c.df)
            if let x = c.x {
                expectClose(StudentT.cdf(x, degreesOfFreedom: df), try #require(c.cdf), relative: 1e-11, "t cdf(\(x); \(df))")
                expectClose(
                    StudentT.twoSidedP(x, degreesOfFreedom: df), try #require(c.twoSided), relative: 1e-11,
                    "t two-sided(\(x); \(df))")
            } else {
                let p = try #require(c.p)
                expectClose(
                    StudentT.quantile(p, degreesOfFreedom: df), try #require(c.quantile), relative: 1e-11,
                    "t quantile(\(p); \(df))")
            }
        }
    }

    @Test func chiSquared() throws {
        for c in cases.chisq {
            let df = try #require(c.df)
            // Precision of the log-space prefactor falls slowly with df (see IncompleteGamma).
            let tolerance = df > 1000 ? 1e-8 : 1e-12
            if let x = c.x {
                expectClose(ChiSquared.cdf(x, degreesOfFreedom: df), try #require(c.cdf), relative: tolerance, "χ² cdf(\(x); \(df))")
                expectClose(ChiSquared.survival(x, degreesOfFreedom: df), try #require(c.sf), relative: tolerance, "χ² sf(\(x); \(df))")
            } else {
                let p = try #require(c.p)
                expectClose(
                    ChiSquared.quantile(p, degreesOfFreedom: df), try #require(c.quantile), relative: 1e-11,
                    "χ² quantile(\(p); \(df))")
            }
        }
    }

    @Test func fisherF() throws {
        for c in cases.f {
            let x = try #require(c.x), d1 = try #require(c.d1), d2 = try #require(c.d2)
            expectClose(
                FisherF.survival(x, numerator: d1, denominator: d2), try #require(c.sf), relative: 1e-11,
                "F sf(\(x); \(d1), \(d2))")
        }
    }

    /// A probability outside [0, 1] is no input for a quantile: NaN, as swift-numerics answers
    /// outside a domain, never a trap that takes the server down.
    @Test(arguments: [-0.1, 1.5, -.infinity, .infinity, .nan])
    func quantilesOutsideTheirDomainAreNaN(_ p: Double) {
        #expect(Normal.quantile(p).isNaN)
        #expect(StudentT.quantile(p, degreesOfFreedom: 5).isNaN)
        #expect(ChiSquared.quantile(p, degreesOfFreedom: 3).isNaN)
        let mixture = StudentTMixture(locations: [0], scales: [1], weights: [1], degreesOfFreedom: 5)
        #expect(mixture.quantile(p).isNaN)
    }

    @Test func quantilesAtTheEndsAreInfinite() {
        #expect(Normal.quantile(0) == -.infinity && Normal.quantile(1) == .infinity)
        #expect(StudentT.quantile(0, degreesOfFreedom: 4) == -.infinity && StudentT.quantile(1, degreesOfFreedom: 4) == .infinity)
        #expect(ChiSquared.quantile(0, degreesOfFreedom: 2) == 0 && ChiSquared.quantile(1, degreesOfFreedom: 2) == .infinity)
        #expect(StudentT.quantile(0.3, degreesOfFreedom: 0).isNaN && ChiSquared.quantile(0.3, degreesOfFreedom: -1).isNaN)
    }

    /// The shared Lentz routine says when it gives up instead of returning its last iterate.
    @Test func continuedFractionsReportNonConvergence() throws {
        // 1 + 1/(1 + 1/(1 + …)) is the golden ratio; three terms are not enough to reach it.
        let golden = (1 + 5.0.squareRoot()) / 2
        expectClose(try #require(ContinuedFraction.evaluate(1, tolerance: 1e-15) { _ in (1, 1) }), golden, relative: 1e-15, "golden ratio")
        #expect(ContinuedFraction.evaluate(1, tolerance: 1e-15, maximumTerms: 3) { _ in (1, 1) } == nil)
        // A fraction that never settles (its terms grow without bound) is not a value.
        #expect(ContinuedFraction.evaluate(1) { j in (Double(j) * 1e300, 1) } == nil)
        // The special functions turn that into NaN, and the distributions pass it on.
        #expect(IncompleteBeta.regularized(x: .nan, y: .nan, a: 2, b: 3).isNaN)
        #expect(StudentT.cdf(.nan, degreesOfFreedom: 3).isNaN && StudentT.twoSidedP(.nan, degreesOfFreedom: 3).isNaN)
        #expect(ChiSquared.survival(.nan, degreesOfFreedom: 3).isNaN)
    }

    /// Callers turn a probability they cannot use into a clear error, not NaN in a report.
    @Test func callersRefuseLevelsOutsideTheUnitInterval() {
        #expect(throws: NOf1Error.self) { try HierarchicalPooling.pool(estimates: [1, 2], variances: [1, 1], level: 1.5) }
        #expect(throws: MetaAnalysisError.self) {
            try MetaAnalysis.fit(y: [0.1, 0.3, 0.2], v: [0.1, 0.1, 0.1], options: .init(level: 1.2))
        }
    }

    @Test func quantilesInvertDistributionFunctions() {
        for p in stride(from: 0.01, through: 0.99, by: 0.07) {
            for df in [1.0, 4, 30] {
                expectClose(
                    StudentT.cdf(StudentT.quantile(p, degreesOfFreedom: df), degreesOfFreedom: df), p,
                    relative: 1e-12, "t round trip")
                expectClose(
                    ChiSquared.cdf(ChiSquared.quantile(p, degreesOfFreedom: df), degreesOfFreedom: df), p,
                    relative: 1e-12, "χ² round trip")
            }
        }
    }
}
