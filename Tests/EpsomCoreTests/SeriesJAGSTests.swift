import EpsomCore
import EpsomTestSupport
import Foundation
import Testing

/// The two-stage series analysis against the one-stage hierarchical model fitted by MCMC
/// (scripts/fixtures/series_jags.R, 20 participants x 84 days; docs/methods.md §6.4).
///
/// Each tolerance is 4 Monte Carlo standard errors of the JAGS figure plus an allowance for the
/// two-stage approximation (each person's posterior of θᵢ replaced by a normal with its mean and
/// variance), stated here and measured in docs/methods.md.
@Suite struct SeriesJAGSTests {
    struct Reference: Decodable {
        var draws: Int
        var muMean, muMeanMcse, muSd, muQ025, muQ975: Double
        var tauMean, tauMeanMcse, tauSd, tauQ500: Double
        var pNewMcid, pNewMcidMcse, shareBeyondMcid, shareBeyondMcidMcse: Double
        var thetaMeans, thetaMcse: [Double]
    }

    /// The two-stage approximation's allowance, in points (observed gaps in docs/methods.md §6.4).
    static let muAllowance = 0.01
    static let tauAllowance = 0.01
    static let shrunkenAllowance = 0.03
    static let probabilityAllowance = 0.005

    @Test func agreesWithTheOneStageModel() throws {
        let jags: Reference = try TestFiles.decode("EpsomCoreTests/Fixtures/series-jags.json")
        let csv = try String(contentsOf: TestFiles.url("EpsomCoreTests/Fixtures/series-sim.csv"), encoding: .utf8)
        let series = SeriesReport(input: try SeriesInput(table: try CSVTable(parsing: csv)))
        #expect(series.reference == "none" && series.participants.allSatisfy(\.isPooled))
        let pool = try #require(series.pooled.first), r = try #require(pool.result)
        #expect(pool.k == 20)
        expectClose(r.muMean, jags.muMean, absolute: 4 * jags.muMeanMcse + Self.muAllowance, "μ mean")
        expectClose(r.tauMean, jags.tauMean, absolute: 4 * jags.tauMeanMcse + Self.tauAllowance, "τ mean")
        expectClose(r.tauMedian, jags.tauQ500, absolute: 0.03 * jags.tauSd + Self.tauAllowance, "τ median")
        // Quantiles of the draws: a Monte Carlo error of about 1-2% of the SD.
        expectClose(r.muCILower, jags.muQ025, absolute: 0.03 * jags.muSd + Self.muAllowance, "μ 2.5%")
        expectClose(r.muCIUpper, jags.muQ975, absolute: 0.03 * jags.muSd + Self.muAllowance, "μ 97.5%")
        let p = r.probabilityNewBeyondMCID
        expectClose(p, jags.pNewMcid, absolute: 4 * jags.pNewMcidMcse + Self.probabilityAllowance, "P(new < −1)")
        expectClose(
            try #require(pool.shareBeyondMCID), jags.shareBeyondMcid,
            absolute: 4 * jags.shareBeyondMcidMcse + Self.probabilityAllowance, "share beyond the MCID")
        let shrunken = series.participants.compactMap { $0.shrunken.first ?? nil }
        try #require(shrunken.count == jags.thetaMeans.count)
        for (i, (mine, theirs)) in zip(shrunken, jags.thetaMeans).enumerated() {
            expectClose(mine, theirs, absolute: 4 * jags.thetaMcse[i] + Self.shrunkenAllowance, "θ\(i + 1)")
        }
    }
}
