import Foundation
import Testing

/// `epsom evidence check|add` on copies of the catalogue in a temporary folder.
@Suite struct EvidenceCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/EpsomCore/Evidence/Catalogue")

    func copy() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("epsom-evidence-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["studies.csv", "references.csv"] {
            try FileManager.default.copyItem(at: Self.repository.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        return folder
    }

    static let header = "id,first_author,year,doi_or_pmid,condition,route,salt,dose,duration_weeks,n_mg,n_control,comparator,"
        + "outcome_measure,result_summary,mean_mg,sd_mg,mean_ctrl,sd_ctrl,timepoint,source_url,source_location,verified,study,"
        + "design,condition_group,route_group"
    static let goodRow = "cream2027,Doe,2027,PMID:99999999,chronic low back pain,transdermal,magnesium chloride,2 g cream nightly,12,"
        + "30,30,placebo cream,pain NRS 0-10,Invented row for the test,3.1,1.2,3.9,1.4,12 weeks,https://example.org/trial,abstract,"
        + "yes,cream2027,rct-parallel,chronic low back pain,transdermal"

    @Test func checkPassesOnTheBundledCatalogue() throws {
        let run = try MetaCommandTests.epsom(["evidence", "check"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("27 rows (25 studies)"))
    }

    @Test func addAppendsValidRowsAndRefusesBadOnesWritingNothing() throws {
        let folder = try copy()
        let catalogue = folder.appendingPathComponent("studies.csv").path
        let before = try String(contentsOfFile: catalogue, encoding: .utf8)

        let bad = folder.appendingPathComponent("bad.csv")
        try (Self.header + "\n" + Self.goodRow.replacingOccurrences(of: ",12,30,30,", with: ",twelve,30,-30,")
            .replacingOccurrences(of: "https://example.org/trial", with: "") + "\n").write(to: bad, atomically: true, encoding: .utf8)
        let refused = try MetaCommandTests.epsom(["evidence", "add", bad.path, "--catalogue", catalogue])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("line 2, column duration_weeks") && refused.stderr.contains("column n_control")
                && refused.stderr.contains("column source_url"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: catalogue, encoding: .utf8) == before)

        let duplicate = folder.appendingPathComponent("dup.csv")
        try (Self.header + "\n" + Self.goodRow.replacingOccurrences(of: "cream2027,Doe", with: "frusso1999,Doe") + "\n")
            .write(to: duplicate, atomically: true, encoding: .utf8)
        let dup = try MetaCommandTests.epsom(["evidence", "add", duplicate.path, "--catalogue", catalogue])
        #expect(dup.status == 2 && dup.stderr.contains("already in the catalogue"))

        let good = folder.appendingPathComponent("good.csv")
        try (Self.header + "\n" + Self.goodRow + "\n").write(to: good, atomically: true, encoding: .utf8)
        let added = try MetaCommandTests.epsom(["evidence", "add", good.path, "--catalogue", catalogue])
        #expect(added.status == 0, "\(added.stderr)")
        let check = try MetaCommandTests.epsom(["evidence", "check", "--studies", catalogue])
        #expect(check.status == 0 && check.stdout.contains("28 rows (26 studies)"), "\(check.stderr)")
    }
}
