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
        let jags = try fixture("nof1-jags", as: Reference.self)
        let c = try #require(NOf1Tests.Fixture.shared.nof1.first { $0.name == jags.case_ })
        let result = try NOf1Analysis.run(c.series)
        let contrast = result.contrasts[0]
        #expect(abs(contrast.mean - jags.beta_mean) < 4 * jags.beta_mean_mcse, "mean \(contrast.mean) vs \(jags.beta_mean)")
        #expect(abs(contrast.probabilityOfBenefit - jags.p_benefit) < 4 * jags.p_benefit_mcse, "P(benefit)")
        #expect(abs(result.rhoMean - jags.rho_mean) < 4 * jags.rho_mean_mcse, "rho mean")
        // Quantiles of 100,000 draws: a Monte Carlo error of about 1% of the SD.
        #expect(abs(contrast.ciLower - jags.beta_q025) < 0.03 * jags.beta_sd, "2.5% quantile")
        #expect(abs(contrast.ciUpper - jags.beta_q975) < 0.03 * jags.beta_sd, "97.5% quantile")
        #expect(abs(contrast.variance.squareRoot() - jags.beta_sd) < 0.01 * jags.beta_sd, "SD")
    }
}
