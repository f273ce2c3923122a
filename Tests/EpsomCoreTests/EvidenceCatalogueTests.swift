import Foundation
import Testing
@testable import EpsomCore

@Suite struct EvidenceCatalogueTests {
    /// The schema test: every bundled row parses under docs/evidence.md's rules.
    @Test func theBundledCatalogueIsValidAndComplete() throws {
        let studies = try #require(EvidenceCatalogue.resource("studies")), references = try #require(EvidenceCatalogue.resource("references"))
        let catalogue = try EvidenceCatalogue(studiesCSV: studies, referencesCSV: references)
        #expect(catalogue == EvidenceCatalogue.bundled)
        #expect(catalogue.studies.count == 27 && Set(catalogue.studies.map(\.study)).count == 25)
        #expect(Set(catalogue.references.map(\.id)).isSuperset(of: ["morel2021", "park2020"]))
        for study in catalogue.studies {
            #expect(study.link.hasPrefix("http"), "\(study.id) has no link")
            #expect(!study.sourceLocation.isEmpty)
        }
        // The research notes' "unverified" marks survive.
        #expect(catalogue.studies.first { $0.id == "yousef2013-nrs-6mo" }?.verified == false)
        #expect(catalogue.studies.first { $0.id == "frusso1999" }?.hasArmLevelData == true)
    }

    @Test func everyProblemIsReportedWithItsLineAndColumn() {
        let header = EvidenceCatalogue.studyColumns.joined(separator: ",")
        var good = Dictionary(uniqueKeysWithValues: EvidenceCatalogue.studyColumns.map { ($0, "x") })
        good["id"] = "new2026"; good["study"] = "new2026"; good["year"] = "2026"; good["doi_or_pmid"] = "PMID:123"
        good["duration_weeks"] = "8"; good["n_mg"] = "30"; good["n_control"] = "30"; good["mean_mg"] = "3.1"
        good["sd_mg"] = "1.2"; good["mean_ctrl"] = "3.9"; good["sd_ctrl"] = "1.4"; good["source_url"] = "https://example.org/a"
        good["verified"] = "yes"; good["design"] = "rct-parallel"; good["route_group"] = "transdermal"
        func line(_ row: [String: String]) -> String { EvidenceCatalogue.studyColumns.map { CSVWriter.quote(row[$0] ?? "") }.joined(separator: ",") }
        var bad = good
        bad["id"] = "frusso1999"; bad["year"] = "20x6"; bad["n_mg"] = "-3"; bad["sd_ctrl"] = "-1"; bad["source_url"] = ""
        bad["doi_or_pmid"] = "10.1000/x"; bad["verified"] = "maybe"; bad["design"] = "cohort"; bad["duration_weeks"] = "two"
        var errors: [InputError] = []
        let parsed = EvidenceCatalogue.parseStudies(header + "\n" + line(good) + "\n" + line(bad) + "\n", errors: &errors,
                                                    existingIDs: Set(EvidenceCatalogue.bundled.studies.map(\.id)))
        #expect(parsed.map(\.id) == ["new2026"])
        #expect(Set(errors.map { $0.line }) == [3])
        #expect(Set(errors.compactMap(\.column)) == ["id", "year", "n_mg", "sd_ctrl", "source_url", "doi_or_pmid", "verified",
                                                     "design", "duration_weeks"])
        var missing: [InputError] = []
        _ = EvidenceCatalogue.parseStudies("id,year\nx,2020\n", errors: &missing)
        #expect(missing.first?.message.contains("missing columns") == true)
    }

    @Test func theGapMapShowsTheEmptyAndShortCells() {
        let map = GapMap(EvidenceCatalogue.bundled.studies)
        #expect(map.conditions.contains("chronic low back pain") && map.routes.count == 4)
        // Transdermal: no randomised trial in chronic low back pain, fibromyalgia only single-arm.
        #expect(map.cell("chronic low back pain", .transdermal).flag == .empty)
        #expect(map.cell("fibromyalgia", .transdermal).flag == .empty && map.cell("fibromyalgia", .transdermal).otherStudies == 1)
        // Yousef 2013: 80 participants, 6 weeks of treatment; its two rows are one trial.
        let yousef = map.cell("chronic low back pain", .intravenousThenOral)
        #expect(yousef.trials == 1 && yousef.participants == 80 && yousef.longestWeeks == 6 && yousef.flag == .shortOnly)
        // Migraine by mouth has trials of 12 weeks.
        #expect(map.cell("migraine", .oral).flag == GapMap.Cell.Flag.none && map.cell("migraine", .oral).longestWeeks == 12)
        // No trial reports a duration: not called short, not called long.
        #expect(map.cell("chronic low back pain", .oral).flag == .unknownDuration)
        // Crossover trials count their people once (Brill 2002: 7 patients).
        #expect(map.cell("neuropathic pain", .intravenous).participants == 7 + 30 + 20)
    }
}
