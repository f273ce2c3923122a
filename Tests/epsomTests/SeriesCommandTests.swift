import EpsomCore
import EpsomTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `epsom series`, run as a user would.
@Suite struct SeriesCommandTests {
    @Test func jsonHasTheIssuesKeys() throws {
        let run = try epsom(["series", "series.csv", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stdout.contains("NaN") && !run.stdout.contains("nan"))
        let json = try decodeJSON(SeriesJSON.self, from: run.stdout)
        #expect(json.participants.count == 8 && json.reference == "none" && json.tauPrior == "half-normal:2")
        let pooled = try #require(json.pooled.first)
        #expect(pooled.arm == "cream" && pooled.reference == "none" && pooled.k == 7)
        #expect(pooled.shareBeyondMcid == pooled.pNewMcid)
        for key in [
            "\"participant\"", "\"n\"", "\"rho_mean\"", "\"contrasts\"", "\"arm\"", "\"reference\"", "\"mean\"", "\"median\"",
            "\"variance\"", "\"ci_lower\"", "\"ci_upper\"", "\"p_benefit\"", "\"p_mcid\"", "\"shrunken\"", "\"excluded_reason\"",
            "\"pooled\"", "\"k\"", "\"mu_mean\"", "\"mu_ci_lower\"", "\"mu_ci_upper\"", "\"tau_mean\"", "\"tau_median\"",
            "\"p_new_benefit\"", "\"p_new_mcid\"", "\"share_beyond_mcid\"",
        ] {
            #expect(run.stdout.contains(key), "missing \(key)")
        }
        // The library gives the same document.
        let library = SeriesReport(
            input: try SeriesInput(
                table: try CSVTable(parsing: try String(contentsOf: TestFiles.url("epsomTests/Fixtures/series.csv"), encoding: .utf8))))
        #expect(library.json == json)
    }

    @Test func textAndForestPlot() throws {
        try TestFiles.withTemporaryFolder { dir in
            let forest = dir.appendingPathComponent("forest.svg")
            let run = try epsom(["series", "series.csv", "--mcid", "-1", "--forest", forest.path])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.hasPrefix("Series of N-of-1 trials: 8 participants; 7 pooled, 1 left out"))
            #expect(run.stdout.contains("For a new person like these"))
            #expect(run.stdout.contains("P8: only one arm"))
            let svg = try Data(contentsOf: forest)
            let text = String(decoding: svg, as: UTF8.self)
            #expect(!text.lowercased().contains("nan") && !text.contains("inf"))
            let parser = XMLParser(data: svg)
            let counter = ElementCounter()
            parser.delegate = counter
            #expect(parser.parse(), "the SVG is not well-formed XML: \(String(describing: parser.parserError))")
            // 7 pooled participants: a square each, a dot each, and the pooled diamond.
            #expect(counter.counts["circle"] == 7)
            #expect((counter.counts["rect"] ?? 0) == 8)  // the background and 7 squares
            #expect((counter.counts["polygon"] ?? 0) >= 1)
            #expect(text.contains("Average μ (k = 7)") && text.contains("New person (predictive)"))
        }
    }

    final class ElementCounter: NSObject, XMLParserDelegate {
        var counts: [String: Int] = [:]
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            counts[name, default: 0] += 1
        }
    }

    /// Bad input: exit 2, the line and column, and nothing on standard output (no partial report).
    @Test(arguments: [
        ("participant,date,arm,pain\nA,2026-01-01,none,3\n,2026-01-02,none,4\n", "line 3, column participant: is empty"),
        ("participant,date,arm,pain\nA,2026-01-01,none,3\nA,01/02/2026,none,4\n", "line 3, column date: \"01/02/2026\" is not a date"),
        ("participant,date,arm,pain\nA,2026-01-01,none,3\nA,2026-01-02,cream,three\n", "line 3, column pain: \"three\" is not a number"),
        (
            "participant,date,arm,pain\nA,2026-01-01,none,3\nA,2026-01-02,cream,4\nA,2026-01-01,cream,5\n",
            "line 4, column date: 2026-01-01 appears twice for participant \"A\" (also on line 2)"
        ),
        ("date,arm,pain\n2026-01-01,none,3\n", "the column \"participant\" is missing"),
    ])
    func badFilesExitTwo(csv: String, message: String) throws {
        try TestFiles.withTemporaryFolder { dir in
            let file = dir.appendingPathComponent("bad.csv")
            try Data(csv.utf8).write(to: file)
            let forest = dir.appendingPathComponent("forest.svg")
            let run = try epsom(["series", file.path, "--forest", forest.path])
            #expect(run.status == 2)
            #expect(run.stderr == "error: \(file.path): \(message)\n" || run.stderr.contains(message), "\(run.stderr)")
            #expect(run.stdout.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: forest.path))
        }
    }

    /// The app and the command agree: `epsom series` on a closed study's CSV export prints the
    /// primary analysis the app stores for the study (the demo study, 19 participants with data).
    @Test func aStudysCSVGivesTheAppsStoredAnalysis() throws {
        let today = CalendarDate(iso: "2026-03-15")!
        let export = DemoStudyFixture.export(today: today)
        let (results, _) = StudyAnalysis.results(export, invitations: (0, 0), screening: (0, 0), today: today)
        try TestFiles.withTemporaryFolder { dir in
            let file = dir.appendingPathComponent("study.csv")
            try Data(StudyCSV.csv(export, today: today).utf8).write(to: file)
            let run = try epsom(["series", file.path, "--format", "json"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try decodeJSON(SeriesJSON.self, from: run.stdout) == results.primary)
        }
    }

    /// A participant with one arm only is an exclusion, not an error.
    @Test func oneArmIsNotAnError() throws {
        try TestFiles.withTemporaryFolder { dir in
            let file = dir.appendingPathComponent("one.csv")
            var csv = try String(contentsOf: TestFiles.url("epsomTests/Fixtures/series.csv"), encoding: .utf8)
            csv += "Z,2026-05-01,none,4,false,1\nZ,2026-05-02,none,5,false,1\n"
            try Data(csv.utf8).write(to: file)
            let run = try epsom(["series", file.path, "--format", "json"])
            #expect(run.status == 0, "\(run.stderr)")
            let z = try #require(try decodeJSON(SeriesJSON.self, from: run.stdout).participants.last)
            #expect(z.participant == "Z" && z.excludedReason?.contains("only one arm") == true && z.contrasts.isEmpty)
        }
    }

    @Test(arguments: [
        (["series", "series.csv", "--tau-prior", "cauchy"], "--tau-prior must be half-normal:SCALE"),
        (["series", "series.csv", "--mcid", "nan"], "--mcid must be a number"),
        (["series", "series.csv", "--reference", "oral"], "the reference arm \"oral\" is not in the file"),
        (["series", "no-such-file.csv"], "no-such-file.csv: cannot be read"),
    ])
    func badOptionsExitTwo(arguments: [String], expected: String) throws {
        let run = try epsom(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.contains(expected), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }
}
