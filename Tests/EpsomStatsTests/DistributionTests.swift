import Testing
@testable import EpsomStats

/// Reference values from SciPy: scripts/fixtures/distributions.py.
@Suite struct DistributionTests {
    struct Case: Decodable {
        var x: Double?, p: Double?, df: Double?, d1: Double?, d2: Double?
        var cdf: Double?, sf: Double?, quantile: Double?
        var two_sided: Double?
    }
    struct Cases: Decodable { var normal, t, chisq, f: [Case] }

    let cases: Cases
    init() throws { cases = try fixture("distributions", as: Cases.self) }

    @Test func normal() {
        for c in cases.normal {
            if let x = c.x {
                expectClose(Normal.cdf(x), c.cdf!, relative: 1e-13, absolute: 1e-305, "Φ(\(x))")
                expectClose(Normal.survival(x), c.sf!, relative: 1e-13, absolute: 1e-305, "1-Φ(\(x))")
            } else {
                expectClose(Normal.quantile(c.p!), c.quantile!, relative: 1e-14, "Φ⁻¹(\(c.p!))")
            }
        }
    }

    @Test func studentT() {
        for c in cases.t {
            let df = c.df!
            if let x = c.x {
                expectClose(StudentT.cdf(x, degreesOfFreedom: df), c.cdf!, relative: 1e-11, "t cdf(\(x); \(df))")
                expectClose(StudentT.twoSidedP(x, degreesOfFreedom: df), c.two_sided!, relative: 1e-11,
                    "t two-sided(\(x); \(df))")
            } else {
                expectClose(StudentT.quantile(c.p!, degreesOfFreedom: df), c.quantile!, relative: 1e-11,
                    "t quantile(\(c.p!); \(df))")
            }
        }
    }

    @Test func chiSquared() {
        for c in cases.chisq {
            let df = c.df!
            // Precision of the log-space prefactor falls slowly with df (see IncompleteGamma).
            let tolerance = df > 1000 ? 1e-8 : 1e-12
            if let x = c.x {
                expectClose(ChiSquared.cdf(x, degreesOfFreedom: df), c.cdf!, relative: tolerance, "χ² cdf(\(x); \(df))")
                expectClose(ChiSquared.survival(x, degreesOfFreedom: df), c.sf!, relative: tolerance, "χ² sf(\(x); \(df))")
            } else {
                expectClose(ChiSquared.quantile(c.p!, degreesOfFreedom: df), c.quantile!, relative: 1e-11,
                    "χ² quantile(\(c.p!); \(df))")
            }
        }
    }

    @Test func fisherF() {
        for c in cases.f {
            expectClose(FisherF.survival(c.x!, numerator: c.d1!, denominator: c.d2!), c.sf!, relative: 1e-11,
                "F sf(\(c.x!); \(c.d1!), \(c.d2!))")
        }
    }

    @Test func quantilesInvertDistributionFunctions() {
        for p in stride(from: 0.01, through: 0.99, by: 0.07) {
            for df in [1.0, 4, 30] {
                expectClose(StudentT.cdf(StudentT.quantile(p, degreesOfFreedom: df), degreesOfFreedom: df), p,
                    relative: 1e-12, "t round trip")
                expectClose(ChiSquared.cdf(ChiSquared.quantile(p, degreesOfFreedom: df), degreesOfFreedom: df), p,
                    relative: 1e-12, "χ² round trip")
            }
        }
    }
}
