import EpsomStats
import Foundation
import Testing

@testable import EpsomCore

@Suite struct EvidenceCatalogueTests {
    static var catalogue: EvidenceCatalogue { EvidenceCatalogue.bundled }

    /// The schema test: every bundled row parses under docs/evidence.md's rules.
    @Test func theBundledCatalogueIsValidAndComplete() throws {
        let studies = try #require(EvidenceCatalogue.resource("studies")),
            references = try #require(EvidenceCatalogue.resource("references"))
        let catalogue = try EvidenceCatalogue(studiesCSV: studies, referencesCSV: references)
        #expect(catalogue == EvidenceCatalogue.bundled)
        #expect(catalogue.studies.count == 70 && Set(catalogue.studies.map(\.study)).count == 67)
        #expect(Set(catalogue.references.map(\.id)).isSuperset(of: ["morel2021", "park2020", "grober2017"]))
        for study in catalogue.studies {
            #expect(study.link.hasPrefix("http"), "\(study.id) has no link")
            #expect(!study.sourceLocation.isEmpty)
            #expect(study.riskOfBias.count == 4 && study.riskOfBias.values.allSatisfy { !$0.reason.isEmpty }, "\(study.id)")
        }
        // The research notes' "unverified" marks survive, row by row.
        let research = try String(contentsOf: Self.researchFile("studies-v2.csv"), encoding: .utf8)
        let table = try CSVTable(parsing: research)
        let verified = try #require(table.column("verified")), id = try #require(table.column("id"))
        let unverified = Set(table.rows.filter { $0.fields[verified] == "no" }.map { $0.fields[id] })
        #expect(unverified.count == 27 && Set(catalogue.studies.filter { !$0.verified }.map(\.id)) == unverified)
        #expect(catalogue.studies.first { $0.id == "yousef2013-nrs-6mo" }?.verified == false)
        #expect(catalogue.studies.first { $0.id == "jain2023" }?.doiOrPMID == nil)
        #expect(catalogue.studies.first { $0.id == "waring-bath" }?.routeGroup == .bath)
    }

    static func researchFile(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/evidence/research").appendingPathComponent(name)
    }

    /// The search protocol's inclusion rules (search-protocol.md §3): a prospective study of magnesium
    /// in a chronic condition (scope chronic) or muscle cramps (scope related), with a controlled design
    /// or labelled single-arm, and identifiable. Acute and absorption rows are context, not included studies.
    @Test func atLeastFortyIncludedStudiesEachIdentified() throws {
        let studies = Self.catalogue.studies
        let included = studies.filter { $0.scope == .chronic || $0.scope == .related }
        let distinct = Set(included.map(\.study))
        #expect(distinct.count == 64 && distinct.count >= 40)
        // The stricter count: controlled chronic-pain studies, the gap map's trials.
        let controlledChronic = Set(studies.filter { $0.scope == .chronic && $0.design.isControlled }.map(\.study))
        #expect(controlledChronic.count == 45)
        // Every row carries an identifier or says "none assigned" (the parser refuses an empty cell).
        let text = try #require(EvidenceCatalogue.resource("studies"))
        let table = try CSVTable(parsing: text)
        let column = try #require(table.column("doi_or_pmid"))
        let study = try #require(table.column("study"))
        let noneAssigned = Set(table.rows.filter { $0.fields[column] == "none assigned" }.map { $0.fields[study] })
        #expect(table.rows.allSatisfy { !$0.fields[column].isEmpty })
        #expect(noneAssigned.count == 15)
        #expect(Set(studies.filter { $0.doiOrPMID == nil }.map(\.study)) == noneAssigned)
    }

    /// No shown text holds an unfinished note; unknown values are "not reported".
    @Test func noPlaceholderWordingInTheShownColumns() throws {
        let text = try #require(EvidenceCatalogue.resource("studies"))
        let table = try CSVTable(parsing: text)
        let columns = try EvidenceCatalogue.shownTextColumns.map { ($0, try #require(table.column($0))) }
        for row in table.rows {
            for (column, index) in columns {
                let value = row.fields[index]
                #expect(PlaceholderWording.find(in: value) == nil, "line \(row.line), \(column): \(value)")
            }
        }
        for r in Self.catalogue.references {
            #expect(PlaceholderWording.find(in: r.citation + " " + r.summary) == nil, "\(r.id)")
        }
        for box in try #require(PrismaFlow.bundled).boxes { #expect(PlaceholderWording.find(in: box.label) == nil) }
        // The detector: "etodolac" is a drug, "TODO" a note.
        #expect(PlaceholderWording.find(in: "etodolac 400 mg") == nil)
        #expect(
            PlaceholderWording.find(in: "dose TODO") == "TODO" && PlaceholderWording.find(in: "author (memory, unverified)") == "(memory")
        // The check refuses such wording with its line and column.
        var errors: [InputError] = []
        var row = Self.goodRow
        row["result_summary"] = "Results not captured yet"
        _ = EvidenceCatalogue.parseStudies(Self.csv([row]), errors: &errors)
        #expect(errors.map(\.line) == [2] && errors.map(\.column) == ["result_summary"])
    }

    static var goodRow: [String: String] {
        var good = Dictionary(uniqueKeysWithValues: EvidenceCatalogue.studyColumns.map { ($0, "x") })
        good["id"] = "new2026"; good["study"] = "new2026"; good["year"] = "2026"; good["doi_or_pmid"] = "PMID:123"
        good["duration_weeks"] = "8"; good["n_mg"] = "30"; good["n_control"] = "30"; good["mean_mg"] = "3.1"
        good["sd_mg"] = "1.2"; good["mean_ctrl"] = "3.9"; good["sd_ctrl"] = "1.4"; good["source_url"] = "https://example.org/a"
        good["verified"] = "yes"; good["design"] = "rct-parallel"; good["route_group"] = "transdermal"; good["scope"] = "chronic"
        for d in EvidenceStudy.Domain.allCases {
            good[d.column] = "some concerns"; good[d.column + "_reason"] = "not described in the abstract"
        }
        return good
    }

    static func csv(_ rows: [[String: String]]) -> String {
        let header = EvidenceCatalogue.studyColumns.joined(separator: ",")
        return ([header] + rows.map { row in EvidenceCatalogue.studyColumns.map { CSVWriter.quote(row[$0] ?? "") }.joined(separator: ",") })
            .joined(separator: "\n") + "\n"
    }

    @Test func everyProblemIsReportedWithItsLineAndColumn() {
        var bad = Self.goodRow
        bad["id"] = "frusso1999"; bad["year"] = "20x6"; bad["n_mg"] = "-3"; bad["sd_ctrl"] = "-1"; bad["source_url"] = ""
        bad["doi_or_pmid"] = "10.1000/x"; bad["verified"] = "maybe"; bad["design"] = "cohort"; bad["duration_weeks"] = "two"
        bad["scope"] = "chronic-ish"; bad["route_group"] = "skin"; bad["rob_blinding"] = "medium"; bad["rob_missing_reason"] = ""
        var none = Self.goodRow
        none["id"] = "new2027"; none["study"] = "new2027"; none["doi_or_pmid"] = "none assigned"; none["route_group"] = "bath"
        none["design"] = "within-subject"; none["n_control"] = "29"
        var empty = Self.goodRow
        empty["id"] = "new2028"; empty["study"] = "new2028"; empty["doi_or_pmid"] = ""; empty["design"] = "registered-no-results"
        var errors: [InputError] = []
        let parsed = EvidenceCatalogue.parseStudies(
            Self.csv([Self.goodRow, bad, none, empty]), errors: &errors,
            existingIDs: Set(EvidenceCatalogue.bundled.studies.map(\.id)))
        #expect(parsed.map(\.id) == ["new2026"])
        #expect(Set(errors.compactMap(\.line)) == [3, 4, 5])
        #expect(
            Set(errors.filter { $0.line == 3 }.compactMap(\.column)) == [
                "id", "year", "n_mg", "sd_ctrl", "source_url", "doi_or_pmid", "verified", "design", "duration_weeks", "scope",
                "route_group", "rob_blinding", "rob_missing_reason",
            ])
        // "none assigned" and bath are accepted; a within-subject study lists the same people twice.
        #expect(errors.filter { $0.line == 4 }.compactMap(\.column) == ["n_control"])
        #expect(errors.filter { $0.line == 5 }.compactMap(\.column) == ["doi_or_pmid"])
        #expect(errors.first { $0.line == 5 }?.message.contains("none assigned") == true)
        var missing: [InputError] = []
        _ = EvidenceCatalogue.parseStudies("id,year\nx,2020\n", errors: &missing)
        #expect(missing.first?.message.contains("missing columns") == true)
        #expect(missing.first?.message.contains("rob_reporting_reason") == true)
    }

    @Test func riskOfBiasOverallIsTheWorstDomain() throws {
        let jain = try #require(Self.catalogue.studies.first { $0.id == "jain2023" })
        #expect(jain.riskOfBias[.reporting]?.judgement == .high && jain.overallRisk == .high)
        let supakatisant = try #require(Self.catalogue.studies.first { $0.id == "supakatisant2015" })
        #expect(supakatisant.overallRisk == .low)
        let garrison = try #require(Self.catalogue.studies.first { $0.id == "garrison2011" })
        #expect(garrison.overallRisk == .someConcerns)
    }

    @Test func thePrismaFlowAddsUp() throws {
        let flow = try #require(PrismaFlow.bundled)
        #expect(flow.arithmeticProblems.isEmpty, "\(flow.arithmeticProblems)")
        #expect(flow.count("identified_index") == 584 && flow.count("duplicates") == 298 && flow.count("screened") == 286)
        #expect(flow.count("identified_index") - flow.count("duplicates") == flow.count("screened"))
        #expect(flow.count("screened") - flow.count("excluded_screening") - flow.count("reviews") == flow.count("assessed"))
        #expect(
            flow.count("assessed") - flow.count("excluded_assessment") + flow.count("assessed_other") - flow.count("excluded_other")
                == flow.count("included_reports"))
        #expect(flow.reasons("excluded_screening").map(\.count) == [61, 30, 29, 23, 5, 2])
        #expect(flow.count("included_studies") == Set(Self.catalogue.studies.map(\.study)).count)
        // A broken file is caught.
        let broken = try PrismaFlow(
            csv: (try #require(EvidenceCatalogue.resource("prisma"))).replacingOccurrences(of: "screened,286", with: "screened,285"))
        #expect(broken.arithmeticProblems.contains { $0.hasPrefix("identified − duplicates = screened") })
    }

    @Test func theGapMapCountsOnlyControlledChronicStudies() {
        let map = GapMap(Self.catalogue.studies)
        #expect(map.routes.first == .transdermal && !map.routes.contains(.bath))
        #expect(
            !map.conditions.contains("muscle cramps") && !map.conditions.contains("healthy volunteers")
                && !map.conditions.contains("acute low back pain"))
        let counted = map.conditions.flatMap { c in map.routes.map { map.cell(c, $0).studies } }.reduce(0, +)
        #expect(counted == 45)
        // Transdermal chronic low back pain: Jain (RCT), Thakker and Padave (controlled, not randomised).
        let back = map.cell("chronic low back pain", .transdermal)
        #expect(back.studies == 3 && back.randomised == 1 && back.controlled.map(\.overallRisk) == [.high, .high, .high])
        #expect(back.longestWeeks == 12.9 && back.band == .twelveOrMore)
        // Fibromyalgia on the skin: only Engen's single-arm study.
        let fibro = map.cell("fibromyalgia", .transdermal)
        #expect(fibro.band == .empty && fibro.uncontrolled.count == 1)
        // Yousef 2013: 80 participants, 6 weeks of treatment; its two rows are one trial.
        let yousef = map.cell("chronic low back pain", .intravenousThenOral)
        #expect(yousef.studies == 1 && yousef.participants == 80 && yousef.longestWeeks == 6 && yousef.band == .fourToTwelve)
        #expect(map.cell("migraine", .oral).longestWeeks == 16 && map.cell("migraine", .oral).band == .twelveOrMore)
        // Crossovers count their people once (Brill 2002: 7; Pickering 2020: 20; Kim 2015: 30).
        #expect(map.cell("neuropathic pain", .intravenous).participants == 7 + 20 + 30)
        // The cramp studies have their own map, never the chronic one.
        let cramps = GapMap(Self.catalogue.studies, scope: .related)
        #expect(cramps.conditions == ["muscle cramps"] && cramps.cell("muscle cramps", .oral).studies == 10)
    }

    static func study(
        _ id: String, group: String, design: EvidenceStudy.Design, measure: String = "pain NRS 0-10",
        mean: (Double, Double) = (3, 4)
    ) -> EvidenceStudy {
        let rob = Dictionary(
            uniqueKeysWithValues: EvidenceStudy.Domain.allCases.map { ($0, EvidenceStudy.RiskOfBias(judgement: .low, reason: "r")) })
        return EvidenceStudy(
            id: id, study: id, firstAuthor: "A", year: 2020, doiOrPMID: nil, condition: group, conditionGroup: group,
            scope: .chronic, route: "oral", routeGroup: .oral, design: design, salt: "", dose: "", durationWeeks: 8,
            participantsMagnesium: 20, participantsControl: 20, comparator: "placebo", outcomeMeasure: measure,
            resultSummary: "s", meanMagnesium: mean.0, sdMagnesium: 1, meanControl: mean.1, sdControl: 1.2,
            timepoint: "", riskOfBias: rob, sourceURL: "https://example.org", sourceLocation: "abstract", verified: true)
    }

    /// A crossover row is never pooled as parallel arms; rows of different condition groups or
    /// measures are never pooled together.
    @Test func theWorkbenchPoolsOnlyComparableParallelRows() {
        let rows = [
            Self.study("a", group: "migraine", design: .rctParallel),
            Self.study("b", group: "migraine", design: .rctParallel),
            Self.study("x", group: "migraine", design: .rctCrossover),
            Self.study("w", group: "migraine", design: .withinSubject),
            Self.study("c", group: "fibromyalgia", design: .rctParallel),
            Self.study("d", group: "migraine", design: .rctParallel, measure: "attacks per month"),
            Self.study("e", group: "cramps", design: .rctCrossover), Self.study("f", group: "cramps", design: .rctCrossover),
        ]
        let plan = WorkbenchInput.plan(rows)
        #expect(plan.pools.count == 1 && plan.pools[0].rows.map(\.id) == ["a", "b"])
        #expect(plan.pools[0].conditionGroup == "migraine" && plan.pools[0].lowerIsBetter == true)
        #expect(Set(plan.leftOut.map(\.row.id)) == ["x", "w", "c", "d", "e", "f"])
        #expect(plan.leftOut.first { $0.row.id == "x" }?.reason.contains("paired data") == true)
        #expect(plan.leftOut.first { $0.row.id == "c" }?.reason.contains("no other study in fibromyalgia") == true)
        // The bundled catalogue: no pool can be formed today, and every crossover row is left out.
        let bundled = WorkbenchInput.plan(Self.catalogue.studies)
        #expect(bundled.pools.isEmpty)
        #expect(bundled.leftOut.count == Self.catalogue.studies.count)
        for id in ["frusso1999", "pickering2020", "karimi2021"] {
            #expect(bundled.leftOut.first { $0.row.id == id }?.reason.contains("crossover") == true, "\(id)")
        }
        let text = WorkbenchInput.describe(
            estimate: -0.4, lower: -0.7, upper: -0.1, measure: .standardizedMeanDifference,
            lowerIsBetter: true, catalogue: true)
        #expect(text.contains("Group 1 is magnesium") && text.contains("lower values") && text.contains("favours group 1"))
    }
}
