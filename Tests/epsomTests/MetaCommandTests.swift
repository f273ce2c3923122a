import EpsomCore
import EpsomTestSupport
import Foundation
import Testing

/// Runs the built `epsom` binary, as a user would, and checks its output and exit code.
@Suite struct MetaCommandTests {
    /// metafor's rma(measure="RR", ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg) (REML, z), read
    /// from the engine's committed fixture Tests/EpsomStatsTests/Fixtures/metafor.json.
    @Test func jsonMatchesMetaforOnBCG() throws {
        let reference = try #require(try MetaforFixture.shared.models.first { $0.name == "bcg-RR-REML-z" })
        let run = try epsom(["meta", "bcg.csv", "--measure", "RR", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try decodeJSON(MetaAnalysisJSON.self, from: run.stdout)
        #expect(json.k == reference.yi.count && json.measure == "RR" && json.method == "REML" && json.test == "z")
        expectClose(json.estimate, try #require(reference.beta.first), relative: 1e-8, "estimate")
        expectClose(json.se, try #require(reference.se.first), relative: 1e-8, "se")
        expectClose(json.tau2, reference.tau2, relative: 1e-8, "tau2")
        expectClose(json.i2, reference.i2, relative: 1e-8, "I2")
        expectClose(json.q, reference.qe, relative: 1e-8, "Q")
        #expect(json.studies.first?.study == "Aronson 1948")
        expectClose(json.studies.map(\.yi), reference.yi, relative: 1e-12, "yi")
        expectClose(json.studies.map(\.weight), reference.weights, relative: 1e-8, "weights")
        expectClose(json.studies.map(\.weight).reduce(0, +), 100, absolute: 1e-9, "total weight")
        for value in [json.piLower, json.piUpper, json.statistic, json.p, json.ciLower, json.ciUpper, json.h2] {
            #expect(value.isFinite)
        }
    }

    @Test func textReportShowsRatiosAndHeterogeneity() throws {
        let run = try epsom(["meta", "bcg.csv", "--measure", "RR", "--method", "DL"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Random-effects meta-analysis: Risk ratio (k = 13)"))
        #expect(run.stdout.contains("RE model (DL)"))
        #expect(run.stdout.contains("I² = "))
        #expect(!run.stdout.lowercased().contains("nan"))
    }

    @Test func writesForestAndFunnelPlots() throws {
        try TestFiles.withTemporaryFolder { dir in
            let forest = dir.appendingPathComponent("f.svg").path, funnel = dir.appendingPathComponent("u.svg").path
            let run = try epsom([
                "meta", "egger2001.csv", "--measure", "OR", "--trimfill", "--egger",
                "--forest", forest, "--funnel", funnel,
            ])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try String(contentsOfFile: forest, encoding: .utf8).contains("<svg"))
            #expect(try String(contentsOfFile: funnel, encoding: .utf8).contains("<svg"))
            #expect(run.stdout.contains("Egger's regression test"))
            #expect(run.stdout.contains("Trim-and-fill"))
        }
    }

    @Test func metaRegressionAndSubgroups() throws {
        let run = try epsom(["meta", "bcg.csv", "--measure", "RR", "--mods", "ablat,alloc", "--by", "alloc", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try decodeJSON(MetaAnalysisJSON.self, from: run.stdout)
        #expect(json.coefficients.map(\.name) == ["intrcpt", "ablat", "allocrandom", "allocsystematic"])
        #expect(json.r2 != nil)
        #expect(json.subgroups?.df == 2)
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
        let run = try epsom(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.contains(expected), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(!run.stderr.contains("Fatal") && !run.stderr.contains("0x"))
    }

    @Test func badRowIsNamedByLineAndColumn() throws {
        try TestFiles.withTemporaryFolder { dir in
            let file = dir.appendingPathComponent("bad.csv")
            try "study,m1i,sd1i,n1i,m2i,sd2i,n2i\nA,5,2,30,6,2,30\nB,5,-1,30,6,2,30\n".write(to: file, atomically: true, encoding: .utf8)
            let run = try epsom(["meta", file.path, "--measure", "SMD"])
            #expect(run.status == 2)
            #expect(run.stderr.contains("line 3, column sd1i"), "\(run.stderr)")
            let empty = dir.appendingPathComponent("empty.csv")
            try "".write(to: empty, atomically: true, encoding: .utf8)
            let emptyRun = try epsom(["meta", empty.path, "--measure", "GEN"])
            #expect(emptyRun.status == 2 && emptyRun.stderr.contains("the file is empty"))
        }
    }

    /// A file larger than any input (here 2 GB, sparse, so the test writes nothing) is refused
    /// by its size before a byte is read: a message and exit code 2, not an out-of-memory crash.
    /// And a file with CRLF line ends, a byte-order mark and nothing but a header says so.
    @Test func hugeAndHeaderOnlyFilesAreRefusedWithAMessage() throws {
        try TestFiles.withTemporaryFolder { dir in
            let huge = dir.appendingPathComponent("huge.csv")
            #expect(FileManager.default.createFile(atPath: huge.path, contents: Data("study,yi,vi\n".utf8)))
            let handle = try FileHandle(forWritingTo: huge)
            try handle.truncate(atOffset: 2 << 30)
            try handle.close()
            let run = try epsom(["meta", huge.path, "--measure", "GEN", "--format", "json"])
            #expect(run.status == 2 && run.stdout.isEmpty)
            #expect(run.stderr.contains("the file is larger than 1024 MB"), "\(run.stderr)")
            let headerOnly = dir.appendingPathComponent("header.csv")
            try Data("\u{FEFF}study,yi,vi\r\n".utf8).write(to: headerOnly)
            let headerRun = try epsom(["meta", headerOnly.path, "--measure", "GEN", "--format", "json"])
            #expect(headerRun.status == 2 && headerRun.stdout.isEmpty)
            #expect(headerRun.stderr.contains("the file has a header but no studies"), "\(headerRun.stderr)")
        }
    }

    @Test func helpDocumentsColumnsAndExitCodes() throws {
        let run = try epsom(["meta", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("m1i,sd1i,n1i,m2i,sd2i,n2i"))
        #expect(run.stdout.contains("exits with code 2"))
    }
}
