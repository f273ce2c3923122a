import EpsomCore
import Foundation
import Testing

@testable import EpsomStorage

/// Withdrawing data after a study has closed (docs/methods.md §7.8), on both databases: the data
/// leaves the exports read from then on, a completed trial stays completed, a participant who left
/// keeping their data may withdraw it later, nobody withdraws twice, and the analysis computed at
/// the close is flagged with how many withdrew their data after it.
@Suite struct StudyDataWithdrawalStoreTests {
    @Test(arguments: Backend.available)
    func dataWithdrawnAfterTheCloseLeavesTheExportsAndFlagsTheAnalysis(_ backend: Backend) async throws {
        try await backend.with { store in
            let investigator = try await StoreTests.newAccount(store, role: .clinician)
            let study = try await StudyStoreTests.registeredStudy(store, investigator: investigator)
            let ann = try await StoreTests.newAccount(store), bob = try await StoreTests.newAccount(store)
            let cat = try await StoreTests.newAccount(store)
            var trials: [Trial] = []
            for account in [ann, bob, cat] {
                let request = StudyStoreTests.request(study, account)
                _ = try await store.enrol(request)
                trials.append(request.trial)
                for offset in 0..<request.trial.design.totalDays {
                    let date = request.trial.design.startDate.adding(days: offset)
                    let arm = try #require(request.trial.schedule.period(on: date)).arm
                    try await store.saveDiaryEntry(DiaryEntry(date: date, pain: 6 - 2 * arm + offset % 3), accountID: account.id)
                }
            }
            let end = trials[0].lastDay
            // Bob leaves near the end keeping his data; the others complete. The study closes.
            try await store.withdraw(studyID: study.id, accountID: bob.id, on: end.adding(days: -3), keepsData: true)
            let closedOn = end.adding(days: 1)
            try await store.closeStudy(id: study.id, investigatorID: investigator.id, on: closedOn)
            let atClose = try #require(try await store.studyExport(studyID: study.id, investigatorID: investigator.id))
            let (results, _) = StudyAnalysis.results(atClose, invitations: (0, 0), screening: (0, 0), today: closedOn)
            #expect(results.participants.map(\.participant) == ["P-001", "P-002", "P-003"])
            let before = try await store.enrolments(studyID: study.id, investigatorID: investigator.id)
            #expect(results.dataWithdrawnSince(before).isEmpty && results.standing(before).laterDataWithdrawals == nil)

            // After the close: Ann, who completed, withdraws her data; Bob, who left keeping his,
            // withdraws it too. Ann's trial stays completed (not stopped); Bob keeps his leaving day.
            let later = closedOn.adding(days: 10)
            try await store.withdraw(studyID: study.id, accountID: ann.id, on: later, keepsData: false)
            try await store.withdraw(studyID: study.id, accountID: bob.id, on: later, keepsData: false)
            #expect(try await store.trial(id: trials[0].id, accountID: ann.id)?.stoppedOn == nil)
            #expect(try await store.trial(id: trials[1].id, accountID: bob.id)?.stoppedOn == end.adding(days: -3))
            // Nobody withdraws twice, nor takes a withdrawal of data back; Cat cannot keep-leave twice.
            for account in [ann, bob] {
                for keeps in [true, false] {
                    await #expect(throws: StoreError.self) {
                        try await store.withdraw(studyID: study.id, accountID: account.id, on: later, keepsData: keeps)
                    }
                }
            }

            let enrolments = try await store.enrolments(studyID: study.id, investigatorID: investigator.id)
            #expect(enrolments.map(\.withdrawnOn) == [later, end.adding(days: -3), nil])
            #expect(enrolments.map(\.keepsData) == [false, false, nil])
            let export = try #require(try await store.studyExport(studyID: study.id, investigatorID: investigator.id))
            #expect(export.participants.map { $0.kept == nil } == [true, true, false])
            let csv = StudyCSV.csv(export, today: later)
            #expect(csv.contains("\nP-003,") && !csv.contains("P-001") && !csv.contains("P-002"))
            // The bundle: everyone listed, Observations of Cat's only (fewer than half of those at the close).
            func observations(_ export: StudyExport) throws -> Int {
                let bundle = try #require(StudyFHIR.bundle(export, today: later, timestamp: "2027-04-01T00:00:00Z"))
                #expect(["P-001", "P-002", "P-003"].allSatisfy { bundle.contains($0) })
                return bundle.components(separatedBy: "\"Observation\"").count - 1
            }
            let (now, then) = (try observations(export), try observations(atClose))
            #expect(now > 0 && now * 2 < then)
            let summaries = try await store.participantSummaries(studyID: study.id, investigatorID: investigator.id)
            #expect(summaries.map { $0.activity == nil } == [true, true, false])

            // The analysis made at the close stands, flagged with the two later withdrawals.
            #expect(results.dataWithdrawnSince(enrolments) == ["P-001", "P-002"])
            let shown = results.standing(enrolments)
            #expect(shown.participants == results.participants && shown.pooled == results.pooled)
            #expect(shown.laterDataWithdrawals?.participants == 2)
            let note = try #require(shown.laterDataWithdrawals?.note)
            #expect(note.hasPrefix("Computed on \(closedOn) before 2 participants withdrew their data."))
            let json = try shown.encoded()
            #expect(json.contains(#""later_data_withdrawals":{"participants":2,"note":"Computed on "#))
            #expect(try StudyResults.decoded(json) == shown && !(try results.encoded()).contains("later_data_withdrawals"))
        }
    }
}
