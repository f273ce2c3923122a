import Foundation
import Testing

/// Runs the built `epsom` binary, as a user would, and checks its output and exit code.
@Suite struct MetaCommandTests {
    struct Run { var status: Int32; var stdout: String; var stderr: String }

    static var fixtures: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures") }

    static func epsom(_ arguments: [String]) throws -> Run {
        let binary = Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("epsom")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = fixtures
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// metafor 3.8.1, rma(measure="RR", ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg) (REML):
    /// the same numbers as in Tests/EpsomStatsTests/Fixtures/metafor.json.
    @Test func jsonMatchesMetaforOnBCG() throws {
        let run = try Self.epsom(["meta", "bcg.csv", "--measure", "RR", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        for key in ["k", "measure", "method", "test", "estimate", "se", "statistic", "p", "ci_lower", "ci_upper",
                    "tau2", "i2", "h2", "q", "q_p", "pi_lower", "pi_upper", "studies"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["k"] as? Int == 13)
        #expect(abs((json["estimate"] as! Double) - -0.714532342158139) < 1e-9)
        #expect(abs((json["tau2"] as! Double) - 0.313243258136481) < 1e-9)
        #expect(abs((json["i2"] as! Double) - 92.221384521269) < 1e-7)
        let studies = json["studies"] as! [[String: Any]]
        #expect(studies.count == 13)
        #expect(studies[0]["study"] as? String == "Aronson 1948")
        let totalWeight = studies.map { $0["weight"] as! Double }.reduce(0, +)
        #expect(abs(totalWeight - 100) < 1e-9)
    }

    @Test func textReportShowsRatiosAndHeterogeneity() throws {
        let run = try Self.epsom(["meta", "bcg.csv", "--measure", "RR", "--method", "DL"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Random-effects meta-analysis: Risk ratio (k = 13)"))
        #expect(run.stdout.contains("RE model (DL)"))
        #expect(run.stdout.contains("I² = "))
        #expect(!run.stdout.lowercased().contains("nan"))
    }

    @Test func writesForestAndFunnelPlots() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let forest = dir.appendingPathComponent("f.svg").path, funnel = dir.appendingPathComponent("u.svg").path
        let run = try Self.epsom(["meta", "egger2001.csv", "--measure", "OR", "--trimfill", "--egger",
                                  "--forest", forest, "--funnel", funnel])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try String(contentsOfFile: forest, encoding: .utf8).contains("<svg"))
        #expect(try String(contentsOfFile: funnel, encoding: .utf8).contains("<svg"))
        #expect(run.stdout.contains("Egger's regression test"))
        #expect(run.stdout.contains("Trim-and-fill"))
    }

    @Test func metaRegressionAndSubgroups() throws {
        let run = try Self.epsom(["meta", "bcg.csv", "--measure", "RR", "--mods", "ablat,alloc", "--by", "alloc", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        let names = (json["coefficients"] as! [[String: Any]]).map { $0["name"] as! String }
        #expect(names == ["intrcpt", "ablat", "allocrandom", "allocsystematic"])
        #expect(json["r2"] is Double)
        #expect((json["subgroups"] as! [String: Any])["df"] as? Int == 2)
    }

    @Test(arguments: [
        (["meta", "missing.csv", "--measure", "RR"], "missing.csv: cannot be read"),
        (["meta", "bcg.csv", "--measure", "MD"], "the column \"m1i\" is missing"),
        (["meta", "bcg.csv", "--measure", "XX"], "measure"),
        (["meta", "bcg.csv", "--measure", "RR", "--method", "ABC"], "method"),
        (["meta", "bcg.csv", "--measure", "RR", "--mods", "nope"], "the column \"nope\" is missing"),
        (["meta", "bcg.csv", "--measure", "RR", "--level", "150"], "--level"),
        (["meta", "bcg.csv", "--measure", "RR", "--mods", "ablat", "--egger"], "Egger"),
    ])
    func badInputExitsTwoWithAMessage(arguments: [String], expected: String) throws {
        let run = try Self.epsom(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.contains(expected), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(!run.stderr.contains("Fatal") && !run.stderr.contains("0x"))
    }

    @Test func badRowIsNamedByLineAndColumn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.csv")
        try "study,m1i,sd1i,n1i,m2i,sd2i,n2i\nA,5,2,30,6,2,30\nB,5,-1,30,6,2,30\n".write(to: file, atomically: true, encoding: .utf8)
        let run = try Self.epsom(["meta", file.path, "--measure", "SMD"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("line 3, column sd1i"), "\(run.stderr)")
        let empty = dir.appendingPathComponent("empty.csv")
        try "".write(to: empty, atomically: true, encoding: .utf8)
        let emptyRun = try Self.epsom(["meta", empty.path, "--measure", "GEN"])
        #expect(emptyRun.status == 2 && emptyRun.stderr.contains("the file is empty"))
    }

    @Test func helpDocumentsColumnsAndExitCodes() throws {
        let run = try Self.epsom(["meta", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("m1i,sd1i,n1i,m2i,sd2i,n2i"))
        #expect(run.stdout.contains("exits with code 2"))
    }
}
