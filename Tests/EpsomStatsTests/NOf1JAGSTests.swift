import EpsomTestSupport
import Testing

@testable import EpsomStats

/// The exact posterior against JAGS MCMC on the same model (scripts/fixtures/nof1_jags.R):
/// agreement within 4 Monte Carlo standard errors.
@Suite struct NOf1JAGSTests {
    struct Reference: Decodable {
        var caseName: String
        var draws: Int
        var betaMean, betaMeanMcse, betaSd, betaQ025, betaQ975: Double
        var pBenefit, pBenefitMcse, rhoMean, rhoMeanMcse: Double
        enum CodingKeys: String, CodingKey {
            case caseName = "case", draws, betaMean, betaMeanMcse, betaSd, betaQ025, betaQ975
            case pBenefit, pBenefitMcse, rhoMean, rhoMeanMcse
        }
    }

    @Test func agreesWithJAGSWithinMonteCarloError() throws {
        let jags: Reference = try TestFiles.decode("EpsomStatsTests/Fixtures/nof1-jags.json")
        let c = try #require(try NOf1Fixture.shared.named(jags.caseName))
        let result = try NOf1Analysis.run(c.series)
        let contrast = try #require(result.contrasts.first)
        expectClose(contrast.mean, jags.betaMean, absolute: 4 * jags.betaMeanMcse, "mean \(contrast.mean) vs \(jags.betaMean)")
        expectClose(contrast.probabilityOfBenefit, jags.pBenefit, absolute: 4 * jags.pBenefitMcse, "P(benefit)")
        expectClose(result.rhoMean, jags.rhoMean, absolute: 4 * jags.rhoMeanMcse, "rho mean")
        // Quantiles of 100,000 draws: a Monte Carlo error of about 1% of the SD.
        expectClose(contrast.ciLower, jags.betaQ025, absolute: 0.03 * jags.betaSd, "2.5% quantile")
        expectClose(contrast.ciUpper, jags.betaQ975, absolute: 0.03 * jags.betaSd, "97.5% quantile")
        expectClose(contrast.variance.squareRoot(), jags.betaSd, absolute: 0.01 * jags.betaSd, "SD")
    }
}
