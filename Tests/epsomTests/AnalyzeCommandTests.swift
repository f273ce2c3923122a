import EpsomCore
import EpsomTestSupport
import Foundation
import Testing

/// `epsom analyze` and `epsom pool`, run as a user would.
@Suite struct AnalyzeCommandTests {
    /// The brute-force reference of a case of Tests/EpsomStatsTests/Fixtures/nof1.json.
    static func reference(_ name: String) throws -> NOf1Fixture.Case {
        try #require(try NOf1Fixture.shared.named(name), "nof1.json has no case \(name)")
    }

    /// The diary behind the case "cream-vs-none" of Tests/EpsomStatsTests/Fixtures/nof1.json, read
    /// from CSV with its washout and missing days: the brute-force numbers, end to end.
    @Test func analyzeMatchesTheBruteForceReference() throws {
        let reference = try Self.reference("cream-vs-none"), e = reference.expected
        let run = try epsom(["analyze", "diary-cream-trial.csv", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let j = try decodeJSON(NOf1JSON.self, from: run.stdout)
        #expect(j.n == e.n)
        expectClose(j.rhoMean, e.rhoMean, absolute: 1e-6, "rho mean")
        expectClose(j.rhoSd, e.rhoSd, absolute: 1e-4, "rho sd")
        try #require(j.contrasts.count == e.contrasts.count)
        let c = try #require(j.contrasts.first), want = try #require(e.contrasts.first)
        #expect(c.arm == reference.armNames[1] && c.reference == reference.armNames[0])
        expectClose(c.mean, want.mean, absolute: 1e-6, "mean")
        expectClose(c.ciLower, want.ciLower, absolute: 1e-6, "ci_lower")
        expectClose(c.pBenefit, want.pBenefit, absolute: 1e-6, "p_benefit")
        expectClose(c.median, want.median, absolute: 1e-4, "median")
        expectClose(c.ciUpper, want.ciUpper, absolute: 1e-4, "ci_upper")
        expectClose(c.variance, want.variance, absolute: 1e-4, "variance")
        expectClose(c.pMcid, want.pMcid, absolute: 1e-4, "p_mcid")
        expectClose(c.bands.map(\.probability), want.bands, absolute: 1e-4, "bands")
    }

    /// With "on" as reference the contrast is off − on, the brute-force case "interruption".
    @Test func referenceArmCanBeChosen() throws {
        let reference = try Self.reference("interruption")
        let run = try epsom(["analyze", "diary-interruption.csv", "--reference", "on", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let c = try #require(try decodeJSON(NOf1JSON.self, from: run.stdout).contrasts.first)
        #expect(c.arm == "off" && c.reference == "on" && reference.armNames == ["on", "off"])
        expectClose(c.mean, try #require(reference.expected.contrasts.first).mean, absolute: 1e-6, "mean")
    }

    @Test func textSpeaksPlainly() throws {
        let run = try epsom(["analyze", "diary-cream-trial.csv"])
        #expect(
            run.stdout.hasPrefix(
                "Cream likely helps, by enough to matter. Chance that it lowers your pain by at least 1 point compared with none: 78%. "
                    + "With cream, your pain was 1.4 points lower on average than with none (95% interval: 0.4 to 2.4 points lower)."))
    }

    /// Negative numbers are option values: `--mcid -1` is the same one-point reduction as
    /// `--mcid 1`; help text is wrapped once and states each default once.
    @Test func negativeOptionValuesAndHelpText() throws {
        let negative = try epsom(["analyze", "diary-cream-trial.csv", "--mcid", "-1"])
        let positive = try epsom(["analyze", "diary-cream-trial.csv", "--mcid", "1"])
        #expect(negative.status == 0, "\(negative.stderr)")
        #expect(negative.stdout == positive.stdout && positive.stdout.contains("at least 1 point"))
        let level = try epsom(["meta", "bcg.csv", "--measure", "RR", "--level", "-5"])
        #expect(level.status == 2 && level.stderr.contains("--level must lie between 0 and 100"))
        for command in ["analyze", "meta", "pool", "serve"] {
            let help = try epsom([command, "--help"]).stdout
            let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
            // A paragraph wrapped twice leaves a short line followed by a line that continues it
            // ("Washout" alone, then "and missing days…"): no line of prose ends in mid-sentence below 50 columns.
            for (line, next) in zip(lines, lines.dropFirst())
            where !line.isEmpty && !next.isEmpty
                && !line.hasPrefix(" ") && !next.hasPrefix(" ") && !line.hasSuffix(":") && !line.hasSuffix(".")
            {
                #expect(line.count >= 50, "\(command) --help wraps twice: \(line)")
            }
            for option in lines where option.contains("default:") {
                #expect(option.components(separatedBy: "default").count == 2, "\(command): default said twice: \(option)")
            }
            #expect(!help.contains("text or json. (values: text, json"), "\(command): values said twice")
        }
    }

    /// The app's own trial export (arms "Placebo cream" and "Magnesium cream", placebo listed
    /// first in time or not) reads the right way round without --reference.
    @Test func theAppsTrialExportReadsTheRightWayRound() throws {
        let run = try epsom(["analyze", "trial-export.csv", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let contrasts = try decodeJSON(NOf1JSON.self, from: run.stdout).contrasts
        #expect(contrasts.count == 1)
        #expect(contrasts.first?.arm == "Magnesium cream" && contrasts.first?.reference == "Placebo cream")
        let text = try epsom(["analyze", "trial-export.csv"]).stdout
        #expect(text.contains("compared with Placebo cream") && !text.contains("Placebo cream likely"))
    }

    @Test func interruptionIsMarkedObservationalAndPlotted() throws {
        try TestFiles.withTemporaryFolder { dir in
            let plot = dir.appendingPathComponent("p.svg").path
            let run = try epsom(["analyze", "diary-interruption.csv", "--observational", "--plot", plot])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("observational, not randomised"))
            // "off" is taken as the reference by default: the effect of using it.
            #expect(
                run.stdout.hasPrefix(
                    "On likely helps, by enough to matter. Chance that it lowers your pain by at least 1 point compared with off"))
            #expect(run.stdout.contains("With on, your pain was 2.2 points lower on average than with off"))
            #expect(try String(contentsOfFile: plot, encoding: .utf8).contains("<svg"))
        }
    }

    @Test(arguments: [
        (["analyze", "diary-cream-trial.csv", "--reference", "oral"], "the reference arm \"oral\" is not in the file"),
        (["analyze", "bcg.csv"], "the column \"date\" is missing"),
        (["analyze", "diary-cream-trial.csv", "--mcid", "inf"], "--mcid must be a number"),
        (["pool", "bcg.csv"], "the column \"participant\" is missing"),
        (["pool", "pool.csv", "--tau-prior", "cauchy"], "--tau-prior"),
    ])
    func badInputExitsTwo(arguments: [String], expected: String) throws {
        let run = try epsom(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.contains(expected), "\(run.stderr)")
    }

    /// pool.csv is the case "eight-people" of Tests/EpsomStatsTests/Fixtures/nof1.json (half-normal(2) prior).
    @Test func poolReportsTheHierarchicalModel() throws {
        let reference = try #require(try NOf1Fixture.shared.pooling.first { $0.name == "eight-people" }), e = reference.expected
        let run = try epsom(["pool", "pool.csv", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let j = try decodeJSON(PoolingReport.JSON.self, from: run.stdout)
        #expect(j.k == e.k)
        expectClose(j.participants.map(\.estimate), reference.estimates, absolute: 1e-12, "estimates read from pool.csv")
        let pairs: [(String, Double, Double)] = [
            ("mu mean", j.muMean, e.muMean), ("mu lower", j.muCiLower, e.muCiLower), ("mu upper", j.muCiUpper, e.muCiUpper),
            ("tau mean", j.tauMean, e.tauMean), ("tau median", j.tauMedian, e.tauMedian),
            ("p new benefit", j.pNewBenefit, e.pNewBenefit), ("p new mcid", j.pNewMcid, e.pNewMcid),
        ]
        for (name, got, want) in pairs { expectClose(got, want, absolute: 1e-4, name) }
        expectClose(j.participants.map(\.shrunken), e.shrunken, absolute: 1e-4, "shrunken")
        #expect(j.participants.first?.participant == "P01")
        let text = try epsom(["pool", "pool.csv", "--tau-prior", "uniform"])
        #expect(text.stdout.contains("For a new person"))
    }
}
