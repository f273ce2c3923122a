import EpsomTestSupport
import Foundation
import Testing

@testable import EpsomCore

/// A closed study's analysis from its data (docs/methods.md §7.7), on the demo study's 20
/// synthetic participants: the app reads the rows `epsom series` reads from the study's CSV,
/// each participant's numbers are their own trial's analysis, the stored JSON is the command's
/// plus the report's, and the flow counts every enrolment.
@Suite struct StudyAnalysisTests {
    static let today = CalendarDate(iso: "2026-03-15")!

    static func demoExport() -> StudyExport { DemoStudyFixture.export(today: today) }

    /// The demo study's stored results, computed once for the tests that read them (the whole
    /// analysis runs every participant's model five times).
    static let demoResults = StudyAnalysis.results(demoExport(), invitations: (24, 20), screening: (22, 4), today: today)

    /// The study's CSV export, read as `epsom series` reads it.
    static func csvInput(_ export: StudyExport) throws -> SeriesInput {
        try SeriesInput(table: try CSVTable(parsing: StudyCSV.csv(export, today: today)))
    }

    @Test func theAppReadsTheRowsOfTheStudysCSV() throws {
        let export = Self.demoExport()
        let app = StudyAnalysis.input(export, population: .intentionToTreat, today: Self.today)
        let cli = try Self.csvInput(export)
        // The same participants, arms, rows, washout, periods and even line numbers.
        #expect(app == cli)
        #expect(app.arms == ["Placebo cream", "Magnesium cream"])
        #expect(app.participants.count == 19 && !app.participants.contains { $0.name == "P-015" })
        // Per protocol: the rows answered "as planned", nothing else.
        let pp = StudyAnalysis.input(export, population: .perProtocol, today: Self.today)
        for (all, kept) in zip(app.participants, pp.participants) {
            #expect(kept.entries.count <= all.entries.count && kept.entries.allSatisfy(all.entries.contains))
        }
    }

    /// Each participant's numbers are their own trial's analysis (`TrialAnalysis`, what their
    /// trial report shows), for both populations.
    @Test(arguments: TrialAnalysis.Population.allCases)
    func eachParticipantIsTheirOwnTrialsAnalysis(population: TrialAnalysis.Population) throws {
        let export = Self.demoExport()
        let series = SeriesReport(
            input: StudyAnalysis.input(export, population: population, today: Self.today),
            options: StudyAnalysis.primaryOptions(export.study))
        var compared = 0
        for (person, participant) in zip(series.participants, export.participants.filter { $0.kept != nil }) {
            #expect(person.name == participant.code)
            let kept = try #require(participant.kept)
            let own = TrialAnalysis.run(
                participant.days(today: Self.today), population: population, armNames: kept.trial.design.arms.map(\.name),
                mcid: export.study.design.mcid)
            guard case .success(let alone) = own, let report = person.report else {
                #expect(person.exclusion != nil, "\(person.name)")
                continue
            }
            #expect(report.result.n == alone.n)
            expectClose(report.result.rhoMean, alone.rhoMean, relative: 1e-9, "\(person.name) ρ")
            for (mine, theirs) in zip(report.result.contrasts, alone.contrasts) {
                #expect(mine.arm == theirs.arm && mine.reference == theirs.reference)
                expectClose(
                    [mine.mean, mine.variance, mine.ciLower, mine.ciUpper, mine.probabilityOfBenefit, mine.probabilityBeyondMCID],
                    [
                        theirs.mean, theirs.variance, theirs.ciLower, theirs.ciUpper, theirs.probabilityOfBenefit,
                        theirs.probabilityBeyondMCID,
                    ],
                    relative: 1e-9, absolute: 1e-12, "\(person.name)")
            }
            compared += 1
        }
        #expect(compared >= 17)
    }

    /// The stored primary analysis is `epsom series` on the study's CSV, to the last bit; the
    /// other priors only pool again, and equal a full run under that prior.
    @Test func thePrimaryAnalysisIsTheCommandsOnTheExportedCSV() throws {
        let export = Self.demoExport()
        let (results, svg) = Self.demoResults
        let cli = SeriesReport(input: try Self.csvInput(export), options: .init(mcid: 1, tauPrior: .halfNormal(scale: 2))).json
        #expect(results.primary == cli)
        #expect(results.tauPrior == "half-normal:2" && !results.trend && results.population == .intentionToTreat)
        #expect(svg.hasPrefix("<svg") && svg.contains("Average μ"))
        let uniform = SeriesReport(input: try Self.csvInput(export), options: .init(mcid: 1, tauPrior: .uniform)).json
        #expect(results.sensitivity.first { $0.name == "tau_uniform" }?.pooled == uniform.pooled)
        #expect(results.sensitivity.map(\.name) == ["tau_half_normal_1", "tau_uniform", "trend"])
        #expect(results.secondaryOutcomes.map(\.outcome) == [.spasms, .activity])
        #expect(results.dataSha256 == Digest.sha256Hex(StudyCSV.csv(export, today: Self.today)))
    }

    @Test func theFlowCountsEveryEnrolment() {
        let export = Self.demoExport()
        let results = Self.demoResults.results
        let flow = results.flow
        #expect(flow.invitationCodes == 24 && flow.invitationCodesUsed == 20 && flow.screened == 26 && flow.eligible == 22)
        #expect(flow.enrolled == 20 && flow.completed == 18 && flow.stops.isEmpty && flow.withData == 19)
        #expect(flow.withdrawals.map(\.participant) == ["P-007", "P-015"])
        #expect(flow.withdrawals.map(\.keepsData) == [true, false] && flow.withdrawals.map(\.day) == [21, 11])
        // Everyone with data is analysed or left out with a reason; P-007 left in period 2.
        #expect(flow.analysed + flow.excluded.count == 19)
        #expect(flow.excluded.contains { $0.participant == "P-007" && !$0.reason.isEmpty })
        #expect(flow.analysedPerProtocol > 0)
        // Adherence and side effects by arm, comparator first.
        #expect(results.arms.map(\.arm) == ["Placebo cream", "Magnesium cream"])
        let days = results.arms.map(\.scheduledDays).reduce(0, +)
        #expect(days == export.participants.compactMap { $0.kept == nil ? nil : $0.days(today: Self.today).count }.reduce(0, +))
        #expect(results.arms[1].sideEffects.first?.effect == .skinIrritation && results.arms[0].sideEffectDays == 0)
    }

    /// The stored JSON: the command's keys first, every number finite, and read back unchanged.
    @Test func theStoredJSONIsTheCommandsAndReadsBack() throws {
        let results = Self.demoResults.results
        let json = try results.encoded()
        #expect(json.hasPrefix(#"{"reference":"Placebo cream","mcid":1,"tau_prior":"half-normal:2","trend":false,"participants":["#))
        #expect(!json.lowercased().contains("nan") && !json.contains("inf"))
        #expect(try StudyResults.decoded(json) == results)
        // What reads `epsom series --format json` reads it too.
        #expect(try WireJSON.decoder().decode(SeriesJSON.self, from: Data(json.utf8)) == results.primary)
        let pooled = try #require(results.pooled.first)
        #expect(pooled.pMuBenefit != nil && pooled.k >= 15)
    }

    @Test func repoolingEqualsAFullRunUnderThatPrior() {
        let input = StudyAnalysis.input(Self.demoExport(), population: .intentionToTreat, today: Self.today)
        let primary = SeriesReport(input: input)
        for prior in [HierarchicalPooling.TauPrior.uniform, .halfNormal(scale: 1)] {
            #expect(primary.repooled(tauPrior: prior).json == SeriesReport(input: input, options: .init(tauPrior: prior)).json)
        }
    }
}
