import EpsomTestSupport
import Foundation
import Testing

/// `epsom evidence check|add` on copies of the catalogue in a temporary folder.
@Suite struct EvidenceCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/EpsomCore/Evidence/Catalogue")

    func copy() throws -> URL {
        let folder = try TestFiles.temporaryFolder()
        for name in ["studies.csv", "references.csv", "prisma.csv"] {
            try FileManager.default.copyItem(at: Self.repository.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        return folder
    }

    static let header =
        "id,study,first_author,year,doi_or_pmid,condition,condition_group,scope,route,route_group,salt,dose,"
        + "duration_weeks,design,n_mg,n_control,comparator,outcome_measure,result_summary,mean_mg,sd_mg,mean_ctrl,sd_ctrl,timepoint,"
        + "rob_randomisation,rob_randomisation_reason,rob_blinding,rob_blinding_reason,rob_missing,rob_missing_reason,"
        + "rob_reporting,rob_reporting_reason,source_url,source_location,verified"
    static let goodRow =
        "cream2027,cream2027,Doe,2027,none assigned,chronic low back pain,chronic low back pain,chronic,transdermal,"
        + "transdermal,magnesium chloride,2 g cream nightly,12,rct-parallel,30,30,placebo cream,pain NRS 0-10,Invented row for the test,"
        + "3.1,1.2,3.9,1.4,12 weeks,low,computer-generated list,low,identical placebo cream,some concerns,attrition not reported,"
        + "low,registered outcome reported,https://example.org/trial,abstract,yes"

    @Test func checkPassesOnTheBundledCatalogue() throws {
        let run = try epsom(["evidence", "check"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("70 rows (67 studies, 60 controlled)") && run.stdout.contains("PRISMA flow adds up"))
    }

    @Test func checkReportsRiskOfBiasAndPrismaProblems() throws {
        let folder = try copy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let studies = folder.appendingPathComponent("studies.csv")
        var text = try String(contentsOf: studies, encoding: .utf8)
        text += Self.goodRow.replacingOccurrences(of: ",low,computer-generated list,", with: ",moderate,,") + "\n"
        try text.write(to: studies, atomically: true, encoding: .utf8)
        let run = try epsom(["evidence", "check", "--studies", studies.path])
        #expect(
            run.status == 2 && run.stderr.contains("line 72, column rob_randomisation:")
                && run.stderr.contains("line 72, column rob_randomisation_reason: is required"), "\(run.stderr)")
        let prisma = folder.appendingPathComponent("prisma.csv")
        let flow = try String(contentsOf: prisma, encoding: .utf8).replacingOccurrences(of: "duplicates,298", with: "duplicates,297")
        try flow.write(to: prisma, atomically: true, encoding: .utf8)
        try (try String(contentsOf: Self.repository.appendingPathComponent("studies.csv"), encoding: .utf8))
            .write(to: studies, atomically: true, encoding: .utf8)
        let bad = try epsom(["evidence", "check", "--studies", studies.path])
        #expect(bad.status != 0 && bad.stderr.contains("identified − duplicates = screened"), "\(bad.stderr)")
    }

    @Test func addAppendsValidRowsAndRefusesBadOnesWritingNothing() throws {
        let folder = try copy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let catalogue = folder.appendingPathComponent("studies.csv").path
        let before = try String(contentsOfFile: catalogue, encoding: .utf8)

        let bad = folder.appendingPathComponent("bad.csv")
        try
            (Self.header + "\n"
            + Self.goodRow.replacingOccurrences(of: ",12,rct-parallel,30,30,", with: ",twelve,rct-parallel,30,-30,")
            .replacingOccurrences(of: "https://example.org/trial", with: "") + "\n").write(to: bad, atomically: true, encoding: .utf8)
        let refused = try epsom(["evidence", "add", bad.path, "--catalogue", catalogue])
        #expect(refused.status == 2)
        #expect(
            refused.stderr.contains("line 2, column duration_weeks") && refused.stderr.contains("column n_control")
                && refused.stderr.contains("column source_url"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: catalogue, encoding: .utf8) == before)

        let duplicate = folder.appendingPathComponent("dup.csv")
        try (Self.header + "\n" + Self.goodRow.replacingOccurrences(of: "cream2027,cream2027,", with: "frusso1999,cream2027,") + "\n")
            .write(to: duplicate, atomically: true, encoding: .utf8)
        let dup = try epsom(["evidence", "add", duplicate.path, "--catalogue", catalogue])
        #expect(dup.status == 2 && dup.stderr.contains("already in the catalogue"))

        let good = folder.appendingPathComponent("good.csv")
        try (Self.header + "\n" + Self.goodRow + "\n").write(to: good, atomically: true, encoding: .utf8)
        let added = try epsom(["evidence", "add", good.path, "--catalogue", catalogue])
        #expect(added.status == 0, "\(added.stderr)")
        let check = try epsom(["evidence", "check", "--studies", catalogue])
        #expect(check.status == 0 && check.stdout.contains("71 rows (68 studies, 61 controlled)"), "\(check.stderr)")
    }
}
