import EpsomTestSupport
import Testing

@testable import EpsomStats

/// The exact posterior against JAGS MCMC on the same model (scripts/fixtures/nof1_jags.R):
/// agreement within 4 Monte Carlo standard errors.
@Suite struct NOf1JAGSTests {
    struct Reference: Decodable {
        var case_: String
        var draws: Int
        var beta_mean, beta_mean_mcse, beta_sd, beta_q025, beta_q975: Double
        var p_benefit, p_benefit_mcse, rho_mean, rho_mean_mcse: Double
        enum CodingKeys: String, CodingKey {
            case case_ = "case", draws, beta_mean, beta_mean_mcse, beta_sd, beta_q025, beta_q975
            case p_benefit, p_benefit_mcse, rho_mean, rho_mean_mcse
        }
    }

    @Test func agreesWithJAGSWithinMonteCarloError() throws {
        let jags: Reference = try TestFiles.decode("EpsomStatsTests/Fixtures/nof1-jags.json")
        let c = try #require(try NOf1Fixture.shared.named(jags.case_))
        let result = try NOf1Analysis.run(c.series)
        let contrast = try #require(result.contrasts.first)
        expectClose(contrast.mean, jags.beta_mean, absolute: 4 * jags.beta_mean_mcse, "mean \(contrast.mean) vs \(jags.beta_mean)")
        expectClose(contrast.probabilityOfBenefit, jags.p_benefit, absolute: 4 * jags.p_benefit_mcse, "P(benefit)")
        expectClose(result.rhoMean, jags.rho_mean, absolute: 4 * jags.rho_mean_mcse, "rho mean")
        // Quantiles of 100,000 draws: a Monte Carlo error of about 1% of the SD.
        expectClose(contrast.ciLower, jags.beta_q025, absolute: 0.03 * jags.beta_sd, "2.5% quantile")
        expectClose(contrast.ciUpper, jags.beta_q975, absolute: 0.03 * jags.beta_sd, "97.5% quantile")
        expectClose(contrast.variance.squareRoot(), jags.beta_sd, absolute: 0.01 * jags.beta_sd, "SD")
    }
}
