import EpsomStats
import EpsomTestSupport
import Foundation
import Testing

@testable import EpsomCore

/// A closed study published as evidence (docs/methods.md §6.5): its numbers are the stored
/// analysis's, every choice is checked and a refusal names its field, and in the workbench it
/// pools only with studies of its condition group and outcome measure, as a mean difference with
/// the variance SD(μ)².
@Suite struct StudyPublicationTests {
    static let today = CalendarDate(iso: "2026-03-20")!
    static let choice = StudyPublication.Choice(
        conditionGroup: "chronic low back pain", route: "transdermal", salt: "magnesium chloride",
        dose: "2 g of 20% cream a day", arm: "Magnesium cream")

    static func demo() throws -> (Study, StudyResults) {
        let export = StudyAnalysisTests.demoExport()
        return (export.study, StudyAnalysisTests.demoResults.results)
    }

    static func publication(_ choice: StudyPublication.Choice = choice) throws -> StudyPublication {
        let (study, results) = try demo()
        return try StudyPublication.make(
            study: study, results: results, choice: choice, conditionGroups: ["chronic low back pain", "migraine"],
            synthetic: true, today: today)
    }

    @Test func thePublicationCopiesTheStoredAnalysis() throws {
        let (study, results) = try Self.demo()
        let p = try Self.publication()
        let pooled = try #require(results.pooled.first { $0.arm == "Magnesium cream" })
        #expect(
            p.reference == results.reference && p.arm == "Magnesium cream" && p.analysed == pooled.k && p.analysed == results.flow.analysed)
        #expect(p.muMean == pooled.muMean && p.muCiLower == pooled.muCiLower && p.muCiUpper == pooled.muCiUpper)
        #expect(p.muSd == pooled.muSd && p.tauMedian == pooled.tauMedian && p.piLower == pooled.piLower)
        #expect(p.enrolled == 20 && p.blinded && p.synthetic && p.outcomeMeasure == "pain NRS 0-10")
        #expect(p.registryCode == "demo-code" && p.protocolSha256 == study.registeredProtocol?.sha256)
        #expect(p.durationWeeks == Double(study.design.trialDays) / 7 && p.publishedOn == Self.today)
        // μ's posterior SD is between 1/4.5 and 1/3.5 of its 95% interval's width (a normal's is 1/3.92).
        let width = p.muCiUpper - p.muCiLower
        #expect(p.muSd > width / 4.5 && p.muSd < width / 3.5)
    }

    @Test func everyChoiceIsCheckedAndTheRefusalNamesItsField() throws {
        func refusal(_ change: (inout StudyPublication.Choice) -> Void) -> String? {
            var choice = Self.choice
            change(&choice)
            do {
                _ = try Self.publication(choice)
                return nil
            } catch let refusal as StudyPublication.Refusal {
                return refusal.field
            } catch {
                return "not a refusal: \(error)"
            }
        }
        #expect(refusal { $0.conditionGroup = "back pain" } == "condition_group")
        #expect(refusal { $0.route = "nasal" } == "route")
        #expect(refusal { $0.dose = "  " } == "dose")
        #expect(refusal { $0.salt = String(repeating: "x", count: 201) } == "salt")
        #expect(refusal { $0.arm = "Placebo cream" } == "arm")
        #expect(refusal { _ in } == nil)
        // A study still running cannot be published.
        var (study, results) = try Self.demo()
        study.status = .registered
        #expect(throws: StudyPublication.Refusal.self) {
            try StudyPublication.make(
                study: study, results: results, choice: Self.choice, conditionGroups: ["chronic low back pain"], synthetic: false,
                today: Self.today)
        }
        // A contrast without a pooled result (too few participants) has nothing to publish.
        results.pooled[0].muMean = nil
        study.status = .closed
        #expect(throws: StudyPublication.Refusal.self) {
            try StudyPublication.make(
                study: study, results: results, choice: Self.choice, conditionGroups: ["chronic low back pain"], synthetic: false,
                today: Self.today)
        }
    }

    /// μ's posterior SD, exact over the τ nodes, against the one-stage model's draws (JAGS, the
    /// fixture of SeriesJAGSTests): the same allowance as the interval's ends.
    @Test func muSDAgreesWithTheOneStageModel() throws {
        struct Reference: Decodable { var muSd: Double }
        let jags: Reference = try TestFiles.decode("EpsomCoreTests/Fixtures/series-jags.json")
        let csv = try String(contentsOf: TestFiles.url("EpsomCoreTests/Fixtures/series-sim.csv"), encoding: .utf8)
        let series = SeriesReport(input: try SeriesInput(table: try CSVTable(parsing: csv)))
        let r = try #require(series.pooled.first?.result)
        expectClose(r.muSD, jags.muSd, absolute: 0.03 * jags.muSd + SeriesJAGSTests.muAllowance, "μ SD")
        #expect(series.json.pooled.first?.muSd == r.muSD)
    }

    /// Two series of one condition group and measure pool together, beside a parallel-group
    /// catalogue row; a series alone is left out with the reason.
    @Test func theWorkbenchPoolsASeriesOnlyWithComparableStudies() throws {
        let one = try Self.publication()
        var two = one
        two.studyID = "second"
        two.muMean = -0.2
        two.muSd = 0.4
        var migraine = one
        migraine.studyID = "third"
        migraine.conditionGroup = "migraine"
        let row = EvidenceCatalogueTests.study("a", group: "chronic low back pain", design: .rctParallel)
        let other = EvidenceCatalogueTests.study("b", group: "chronic low back pain", design: .rctParallel, measure: "ODI")
        let plan = WorkbenchInput.plan([row, other], series: [one, two, migraine])
        let pool = try #require(plan.pools.first)
        #expect(plan.pools.count == 1 && pool.rows.map(\.id) == ["a"] && pool.series.map(\.studyID) == ["demo-study", "second"])
        #expect(pool.count == 3 && pool.usesEffectSizes && pool.id == "a")
        #expect(plan.leftOutSeries.map(\.publication.studyID) == ["third"])
        #expect(plan.leftOutSeries.first?.reason.contains("no other study in migraine") == true)
        #expect(plan.leftOut.map(\.row.id) == ["b"])
        // Without a series the pool is arm-level, as before.
        #expect(!WorkbenchInput.plan([row, row.with(id: "c")]).pools[0].usesEffectSizes)
    }

    /// The effect-size table gives the arm-level mean-difference analysis exactly (metafor's
    /// escalc MD), and a series enters with yi = μ and vi = SD(μ)².
    @Test func theEffectSizeTableIsTheArmLevelMeanDifference() throws {
        let rows = [
            EvidenceCatalogueTests.study("a", group: "g", design: .rctParallel, mean: (3, 4)),
            EvidenceCatalogueTests.study("b", group: "g", design: .rctParallel, mean: (2.5, 4.5)),
            EvidenceCatalogueTests.study("c", group: "g", design: .rctParallel, mean: (3.8, 4.1)),
        ]
        let armLevel = try MetaAnalysisReport(
            input: MetaAnalysisInput(table: CSVTable(parsing: WorkbenchInput.csv(rows)), measure: .meanDifference), options: .init())
        let pool = WorkbenchInput.Pool(conditionGroup: "g", outcomeMeasure: "pain NRS 0-10", rows: rows, series: [])
        let sizes = try MetaAnalysisReport(
            input: MetaAnalysisInput(table: CSVTable(parsing: WorkbenchInput.effectSizesCSV(pool)), measure: .generic),
            options: .init())
        let a = armLevel.json, b = sizes.json
        expectClose(b.estimate, a.estimate, absolute: 1e-9, "estimate")
        expectClose(b.se, a.se, absolute: 1e-9, "SE")
        expectClose(b.tau2, a.tau2, absolute: 1e-9, "τ²")
        let p = try Self.publication()
        var withSeries = pool
        withSeries.series = [p]
        let table = try CSVTable(parsing: WorkbenchInput.csv(withSeries))
        #expect(table.header == WorkbenchInput.effectSizesHeader && table.rowCount == 4)
        let last = table.rows[3].fields
        #expect(last[0].contains("Epsom series") && last[3] == "Transdermal")
        expectClose(try #require(Double(last[1])), p.muMean, absolute: 1e-12, "yi")
        expectClose(try #require(Double(last[2])), p.muSd * p.muSd, absolute: 1e-12, "vi")
    }
}

extension EvidenceStudy {
    func with(id: String) -> EvidenceStudy {
        var copy = self
        copy.id = id
        copy.study = id
        return copy
    }
}
