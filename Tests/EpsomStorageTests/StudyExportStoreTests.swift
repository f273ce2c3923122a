import EpsomCore
import Foundation
import Testing

@testable import EpsomStorage

/// The read behind a study's exports, on both databases: the investigator's only; each
/// participant's diary and adherence within their trial (as amended) and up to a withdrawal,
/// without notes, and once the study is closed the fortnight before each first day; and nothing but
/// the enrolment of a participant who withdrew their data.
@Suite struct StudyExportStoreTests {
    @Test(arguments: Backend.available)
    func theExportReadsKeptDataWithinEachTrialForTheInvestigatorOnly(_ backend: Backend) async throws {
        try await backend.with { store in
            let investigator = try await StoreTests.newAccount(store, role: .clinician)
            let other = try await StoreTests.newAccount(store, role: .clinician)
            let study = try await StudyStoreTests.registeredStudy(store, investigator: investigator)
            let first = try await StoreTests.newAccount(store), second = try await StoreTests.newAccount(store)
            let third = try await StoreTests.newAccount(store)
            let one = try await store.enrol(StudyStoreTests.request(study, first))
            let two = try await store.enrol(StudyStoreTests.request(study, second))
            let three = try await store.enrol(StudyStoreTests.request(study, third))
            let start = one.startDate
            func day(_ offset: Int) -> CalendarDate { start.adding(days: offset) }
            func log(_ account: Account, _ offsets: [Int]) async throws {
                for offset in offsets {
                    let entry = DiaryEntry(date: day(offset), pain: 4, spasms: 2, note: "Private note \(offset)")
                    try await store.saveDiaryEntry(entry, accountID: account.id)
                }
            }

            // The first participant adds a cycle: the trial now ends on day 111, not day 83.
            var trial = try #require(try await store.trial(id: one.trialID, accountID: first.id))
            trial = try trial.amended(fields: ["cycles": "4", "reason": "A longer trial"], today: StudyStoreTests.today)
            try await store.updateTrial(trial, accountID: first.id)
            #expect(trial.lastDay == day(111))
            try await log(first, [-15, -14, -1, 0, 1, 2, 90, 112])
            try await store.saveTrialDay(TrialDay(date: day(0), adherence: .yes), trialID: one.trialID, accountID: first.id)
            try await store.saveTrialDay(TrialDay(date: day(1), adherence: .no), trialID: one.trialID, accountID: first.id)
            // The second leaves on day 2 keeping their data; the third leaves withdrawing it.
            try await log(second, [-3, 0, 1, 2, 3])
            try await store.saveTrialDay(TrialDay(date: day(3), adherence: .yes), trialID: two.trialID, accountID: second.id)
            try await store.saveTrialDay(TrialDay(date: day(2), adherence: .partly), trialID: two.trialID, accountID: second.id)
            try await store.withdraw(studyID: study.id, accountID: second.id, on: day(2), keepsData: true)
            try await log(third, [-2, 0, 1])
            try await store.saveTrialDay(TrialDay(date: day(0), adherence: .yes), trialID: three.trialID, accountID: third.id)
            try await store.withdraw(studyID: study.id, accountID: third.id, on: day(1), keepsData: false)

            let export = try #require(try await store.studyExport(studyID: study.id, investigatorID: investigator.id))
            #expect(export.study == study)
            #expect(export.participants.map(\.code) == ["P-001", "P-002", "P-003"])
            #expect(export.participants.map(\.enrolment.trialID) == [one.trialID, two.trialID, three.trialID])
            let kept = export.participants.map(\.kept)
            #expect(kept[0]?.trial == trial && kept[0]?.trial.amendments.count == 1)
            #expect(kept[0]?.diary.map(\.date) == [day(0), day(1), day(2), day(90)])
            #expect(kept[0]?.diary.allSatisfy { $0.note.isEmpty && $0.pain == 4 && $0.spasms == 2 } == true)
            #expect(kept[0]?.adherence == [TrialDay(date: day(0), adherence: .yes), TrialDay(date: day(1), adherence: .no)])
            #expect(kept[1]?.diary.map(\.date) == [day(0), day(1), day(2)] && kept[1]?.adherence.map(\.date) == [day(2)])
            #expect(kept[1]?.trial.stoppedOn == day(2) && export.participants[1].enrolment.keepsData == true)
            #expect(kept[2] == nil && export.participants[2].enrolment.withdrawnOn == day(1))
            // The fortnight before each first day is read only once the study is closed (for its
            // baseline table), without notes, and still nothing of the third.
            #expect(kept[0]?.diaryBefore == [] && kept[1]?.diaryBefore == [])
            try await store.closeStudy(id: study.id, investigatorID: investigator.id, on: day(120))
            let closed = try #require(try await store.studyExport(studyID: study.id, investigatorID: investigator.id)).participants
            #expect(closed[0].kept?.diaryBefore.map(\.date) == [day(-14), day(-1)] && closed[0].kept?.diary.count == 4)
            #expect(closed[0].kept?.diaryBefore.allSatisfy { $0.note.isEmpty && $0.spasms == 2 } == true)
            #expect(closed[1].kept?.diaryBefore.map(\.date) == [day(-3)] && closed[2].kept == nil)
            // An enrolment made before participants were told of it (migration 0020) has none read.
            try await store.db.raw(
                "UPDATE enrolments SET baseline_diary_consented = \(bind: false) WHERE id = \(bind: closed[0].enrolment.id)"
            ).run()
            let older = try #require(try await store.studyExport(studyID: study.id, investigatorID: investigator.id)).participants
            #expect(older[0].kept?.diaryBefore == [] && older[0].kept?.diary.count == 4)
            #expect(older[1].kept?.diaryBefore.map(\.date) == [day(-3)])

            // Nobody else's: another investigator, a participant, an unknown study.
            #expect(try await store.studyExport(studyID: study.id, investigatorID: other.id) == nil)
            #expect(try await store.studyExport(studyID: study.id, investigatorID: first.id) == nil)
            #expect(try await store.studyExport(studyID: UUID().uuidString, investigatorID: investigator.id) == nil)
        }
    }
}
