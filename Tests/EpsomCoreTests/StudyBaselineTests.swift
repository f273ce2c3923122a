import EpsomTestSupport
import Foundation
import Testing

@testable import EpsomCore

/// The baseline table (CENT item 15) from the demo study: the diary's fortnight before each first
/// day summarised over participants, recomputed here by hand; no summary below five people; the
/// screening answers every participant gave; and an analysis stored before the table still reads.
@Suite struct StudyBaselineTests {
    static let today = StudyAnalysisTests.today

    /// Participants not told before consenting that the days before their first day may be read
    /// are counted apart, and none of their days is used, even if the export held them.
    @Test func participantsNotToldAreCountedApartAndNeverRead() throws {
        var export = StudyAnalysisTests.demoExport()
        for i in export.participants.indices where i % 2 == 0 { export.participants[i].kept?.baselineAsked = false }
        let some = StudyBaseline.baseline(export)
        // Every other participant; P-015 withdrew their data and is not described at all.
        #expect(some.notAsked == export.participants.filter { $0.kept?.baselineAsked == false }.count)
        #expect(some.notAsked == 9 && some.participants == 19)
        let asked = export.participants.filter { $0.kept?.baselineAsked == true && $0.kept?.diaryBefore.isEmpty == false }.count
        #expect(some.scores[0].participants == asked && asked < 16)
        for i in export.participants.indices { export.participants[i].kept?.baselineAsked = false }
        let none = StudyBaseline.baseline(export)
        #expect(none.notAsked == 19 && none.scores.allSatisfy { $0.participants == 0 })
        #expect(none.scores[0].reason == "not read: no participant was told before consenting that these days may be read")
    }

    @Test func theDemoStudysBaselineIsItsDiariesBeforeTheFirstDay() throws {
        let export = StudyAnalysisTests.demoExport()
        let baseline = try #require(StudyAnalysisTests.demoResults.results.baseline)
        // 19 keep their data (P-015 withdrew theirs); every fifth kept no diary before.
        #expect(baseline.participants == 19 && baseline.windowDays == 14)
        let kept = export.participants.compactMap { p in p.kept.map { (p.enrolment.startDate, $0.diaryBefore) } }
        let means = kept.compactMap { start, before -> Double? in
            let pain = before.filter { $0.date < start && $0.date >= start.adding(days: -14) }.map { Double($0.pain) }
            return pain.isEmpty ? nil : pain.reduce(0, +) / Double(pain.count)
        }
        #expect(means.count == 16)
        let pain = try #require(baseline.scores.first)
        #expect(pain.outcome == .pain && pain.participants == 16 && pain.reason == nil)
        let mean = means.reduce(0, +) / 16
        let sd = (means.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 15).squareRoot()
        expectClose(try #require(pain.mean), mean, relative: 1e-12, "mean")
        expectClose(try #require(pain.standardDeviation), sd, relative: 1e-12, "sd")
        let sorted = means.sorted()
        expectClose(try #require(pain.median), (sorted[7] + sorted[8]) / 2, relative: 1e-12, "median")
        #expect(try #require(pain.lowerQuartile) <= pain.median! && pain.median! <= pain.upperQuartile!)
        // The secondary outcomes follow the primary, in the protocol's order.
        #expect(baseline.scores.map(\.outcome) == [.pain, .spasms, .activity])
        // Every enrolled participant answered each screening question the one way enrolment takes.
        #expect(baseline.screening.map(\.answer) == [true, false, true])
        #expect(baseline.screening[1].question == "Do you have kidney disease?")
        #expect(baseline.firstStart == export.participants.map(\.enrolment.startDate).min())
    }

    /// Four people with a diary before are too few to summarise: only the count, with the reason.
    /// None at all says so too.
    @Test func fewerThanFiveGiveACountAndTheReason() throws {
        var export = StudyAnalysisTests.demoExport()
        var given = 0
        for i in export.participants.indices where export.participants[i].kept != nil {
            if !(export.participants[i].kept?.diaryBefore.isEmpty ?? true) { given += 1 }
            if given > 4 { export.participants[i].kept?.diaryBefore = [] }
        }
        let few = StudyBaseline.baseline(export).scores[0]
        #expect(few.participants == 4 && few.mean == nil && few.median == nil && few.standardDeviation == nil)
        #expect(few.reason?.contains("fewer than 5 participants") == true)
        for i in export.participants.indices { export.participants[i].kept?.diaryBefore = [] }
        let none = StudyBaseline.baseline(export).scores[0]
        #expect(none.participants == 0 && none.reason?.contains("no participant's diary") == true)
        // And the JSON holds no NaN: an absent number is absent.
        var results = StudyAnalysisTests.demoResults.results
        results.baseline = StudyBaseline.baseline(export)
        let json = try results.encoded()
        #expect(!json.contains("NaN") && !json.contains("null"))
        #expect(try StudyResults.decoded(json) == results)
    }

    /// An analysis stored before the baseline table existed decodes, without one.
    @Test func anAnalysisStoredBeforeTheTableStillDecodes() throws {
        var old = StudyAnalysisTests.demoResults.results
        old.baseline = nil
        let json = try old.encoded()
        #expect(!json.contains("\"baseline\""))
        #expect(try StudyResults.decoded(json).baseline == nil)
    }
}
