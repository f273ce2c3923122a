import Foundation
import Testing

/// `epsom analyze` and `epsom pool`, run as a user would.
@Suite struct AnalyzeCommandTests {
    func json(_ run: MetaCommandTests.Run) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    /// The diary behind the first case of Tests/EpsomStatsTests/Fixtures/nof1.json, read from CSV
    /// with its washout and missing days: the brute-force numbers, end to end.
    @Test func analyzeMatchesTheBruteForceReference() throws {
        let run = try MetaCommandTests.epsom(["analyze", "diary-cream-trial.csv", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let j = try json(run)
        #expect(j["n"] as? Int == 37)
        #expect(abs((j["rho_mean"] as! Double) - 0.349341674220295) < 1e-6)
        let c = (j["contrasts"] as! [[String: Any]])[0]
        #expect(c["arm"] as? String == "cream" && c["reference"] as? String == "none")
        #expect(abs((c["mean"] as! Double) - -1.358578570723117) < 1e-6)
        #expect(abs((c["ci_lower"] as! Double) - -2.3528663308916533) < 1e-6)
        #expect(abs((c["p_benefit"] as! Double) - 0.9939483111989963) < 1e-6)
        for key in ["median", "ci_upper", "variance", "p_mcid", "bands"] { #expect(c[key] != nil, "missing \(key)") }
    }

    /// With "on" as reference the contrast is off − on, the brute-force case "interruption".
    @Test func referenceArmCanBeChosen() throws {
        let run = try MetaCommandTests.epsom(["analyze", "diary-interruption.csv", "--reference", "on", "--format", "json"])
        let c = (try json(run)["contrasts"] as! [[String: Any]])[0]
        #expect(c["arm"] as? String == "off")
        #expect(abs((c["mean"] as! Double) - 2.2114188141396847) < 1e-6)
    }

    @Test func textSpeaksPlainly() throws {
        let run = try MetaCommandTests.epsom(["analyze", "diary-cream-trial.csv"])
        #expect(run.stdout.hasPrefix("Cream likely helps, by enough to matter. Chance that it lowers your pain by at least 1 point compared with none: 78%. "
                                     + "With cream, your pain was 1.4 points lower on average than with none (95% interval: 0.4 to 2.4 points lower)."))
    }

    /// Negative numbers are option values: `--mcid -1` is the same one-point reduction as
    /// `--mcid 1`; help text is wrapped once and states each default once.
    @Test func negativeOptionValuesAndHelpText() throws {
        let negative = try MetaCommandTests.epsom(["analyze", "diary-cream-trial.csv", "--mcid", "-1"])
        let positive = try MetaCommandTests.epsom(["analyze", "diary-cream-trial.csv", "--mcid", "1"])
        #expect(negative.status == 0, "\(negative.stderr)")
        #expect(negative.stdout == positive.stdout && positive.stdout.contains("at least 1 point"))
        let level = try MetaCommandTests.epsom(["meta", "bcg.csv", "--measure", "RR", "--level", "-5"])
        #expect(level.status == 2 && level.stderr.contains("--level must lie between 0 and 100"))
        for command in ["analyze", "meta", "pool", "serve"] {
            let help = try MetaCommandTests.epsom([command, "--help"]).stdout
            let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
            // A paragraph wrapped twice leaves a short line followed by a line that continues it
            // ("Washout" alone, then "and missing days…"): no line of prose ends in mid-sentence below 50 columns.
            for (line, next) in zip(lines, lines.dropFirst()) where !line.isEmpty && !next.isEmpty
                && !line.hasPrefix(" ") && !next.hasPrefix(" ") && !line.hasSuffix(":") && !line.hasSuffix(".") {
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
        let run = try MetaCommandTests.epsom(["analyze", "trial-export.csv", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let contrasts = try #require(try json(run)["contrasts"] as? [[String: Any]])
        #expect(contrasts.count == 1)
        #expect(contrasts.first?["arm"] as? String == "Magnesium cream" && contrasts.first?["reference"] as? String == "Placebo cream")
        let text = try MetaCommandTests.epsom(["analyze", "trial-export.csv"]).stdout
        #expect(text.contains("compared with Placebo cream") && !text.contains("Placebo cream likely"))
    }

    @Test func interruptionIsMarkedObservationalAndPlotted() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let plot = dir.appendingPathComponent("p.svg").path
        let run = try MetaCommandTests.epsom(["analyze", "diary-interruption.csv", "--observational", "--plot", plot])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("observational, not randomised"))
        // "off" is taken as the reference by default: the effect of using it.
        #expect(run.stdout.hasPrefix("On likely helps, by enough to matter. Chance that it lowers your pain by at least 1 point compared with off"))
        #expect(run.stdout.contains("With on, your pain was 2.2 points lower on average than with off"))
        #expect(try String(contentsOfFile: plot, encoding: .utf8).contains("<svg"))
    }

    @Test(arguments: [
        (["analyze", "diary-cream-trial.csv", "--reference", "oral"], "the reference arm \"oral\" is not in the file"),
        (["analyze", "bcg.csv"], "the column \"date\" is missing"),
        (["analyze", "diary-cream-trial.csv", "--mcid", "inf"], "--mcid must be a number"),
        (["pool", "bcg.csv"], "the column \"participant\" is missing"),
        (["pool", "pool.csv", "--tau-prior", "cauchy"], "--tau-prior"),
    ])
    func badInputExitsTwo(arguments: [String], expected: String) throws {
        let run = try MetaCommandTests.epsom(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.contains(expected), "\(run.stderr)")
    }

    @Test func poolReportsTheHierarchicalModel() throws {
        let run = try MetaCommandTests.epsom(["pool", "pool.csv", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let j = try json(run)
        for key in ["k", "mu_mean", "mu_ci_lower", "mu_ci_upper", "tau_mean", "tau_median", "p_new_benefit", "p_new_mcid",
                    "participants"] {
            #expect(j[key] != nil, "missing \(key)")
        }
        #expect(j["k"] as? Int == 8)
        let people = j["participants"] as! [[String: Any]]
        #expect(people[0]["participant"] as? String == "P01")
        let text = try MetaCommandTests.epsom(["pool", "pool.csv", "--tau-prior", "uniform"])
        #expect(text.stdout.contains("For a new person"))
    }
}
