import EpsomCore
import Foundation
import Testing

@testable import EpsomStorage

/// A closed study's stored analysis, on both databases: saved only for the investigator's closed
/// study, once (a second save keeps the first), read by the investigator and by the study's
/// participants, nobody else; the invitation codes counted for the flow.
@Suite struct StudyResultsStoreTests {
    @Test(arguments: Backend.available)
    func resultsAreSavedOnceForAClosedStudyAndReadByItsPeople(_ backend: Backend) async throws {
        try await backend.with { store in
            let investigator = try await StoreTests.newAccount(store, role: .clinician)
            let other = try await StoreTests.newAccount(store, role: .clinician)
            let study = try await StudyStoreTests.registeredStudy(store, investigator: investigator)
            try await store.addStudyInvitations(
                studyID: study.id, investigatorID: investigator.id, codeHashes: ["h1-\(study.id)", "h2-\(study.id)"])
            let participant = try await StoreTests.newAccount(store), stranger = try await StoreTests.newAccount(store)
            let enrolment = try await store.enrol(StudyStoreTests.request(study, participant, codeHash: "h1-\(study.id)"))
            let counts = try await store.studyInvitationCounts(studyID: study.id, investigatorID: investigator.id)
            #expect(counts.made == 2 && counts.used == 1)
            let others = try await store.studyInvitationCounts(studyID: study.id, investigatorID: other.id)
            #expect(others.made == 0 && others.used == 0)

            let first = StoredStudyResults(computedOn: StudyStoreTests.today, json: #"{"reference":"Placebo cream"}"#, forestSVG: "<svg/>")
            // Not while the study runs.
            #expect(try await store.saveStudyResults(studyID: study.id, investigatorID: investigator.id, first) == false)
            #expect(try await store.studyResults(studyID: study.id, investigatorID: investigator.id) == nil)

            let end = try #require(try await store.trial(id: enrolment.trialID, accountID: participant.id)).lastDay.adding(days: 1)
            // Closed on the last day a date may have, so that it comes first among the closed
            // studies awaiting an analysis in a database other tests share.
            try await store.closeStudy(id: study.id, investigatorID: investigator.id, on: CalendarDate.accepted.upperBound)
            #expect(
                try await store.studiesAwaitingResults(limit: 20).contains {
                    $0.studyID == study.id && $0.investigatorID == investigator.id
                })
            #expect(try await store.saveStudyResults(studyID: study.id, investigatorID: other.id, first) == false)
            #expect(try await store.saveStudyResults(studyID: study.id, investigatorID: investigator.id, first))
            #expect(try await !store.studiesAwaitingResults(limit: 20).contains { $0.studyID == study.id })
            var second = first
            second.json = #"{"reference":"Another"}"#
            #expect(try await store.saveStudyResults(studyID: study.id, investigatorID: investigator.id, second) == false)

            #expect(try await store.studyResults(studyID: study.id, investigatorID: investigator.id) == first)
            #expect(try await store.studyResults(studyID: study.id, investigatorID: other.id) == nil)
            #expect(try await store.studyResultsJSON(studyID: study.id, participantID: participant.id) == first.json)
            #expect(try await store.studyResultsJSON(studyID: study.id, participantID: stranger.id) == nil)
            #expect(try await store.studyResultsJSON(studyID: study.id, participantID: investigator.id) == nil)

            // A large analysis (a 1,000-participant study's JSON is about a megabyte) is kept whole.
            let big = StoredStudyResults(
                computedOn: end, json: String(repeating: "x", count: 1_000_000), forestSVG: String(repeating: "y", count: 300_000))
            let study2 = try await StudyStoreTests.registeredStudy(store, investigator: investigator)
            try await store.closeStudy(id: study2.id, investigatorID: investigator.id, on: end)
            #expect(try await store.saveStudyResults(studyID: study2.id, investigatorID: investigator.id, big))
            #expect(try await store.studyResults(studyID: study2.id, investigatorID: investigator.id) == big)

            // Deleting the investigator's account takes the study and its results with it.
            try await store.deleteAccount(id: investigator.id)
            #expect(try await store.studyResultsJSON(studyID: study.id, participantID: participant.id) == nil)
        }
    }
}
