import EpsomCore
import Foundation
import Testing

@testable import EpsomStorage

/// Published studies, on both databases: only the investigator's closed study with its stored
/// analysis is published; publishing again replaces the publication; withdrawing removes it; the
/// list is everyone's; deleting the investigator's account takes it away.
@Suite struct StudyPublicationStoreTests {
    static func publication(studyID: String, mu: Double) throws -> StudyPublication {
        try JSONDecoder().decode(
            StudyPublication.self,
            from: Data(
                """
                {"studyID": "\(studyID)", "title": "Cream", "condition": "back pain", "conditionGroup": "chronic low back pain",
                 "route": "transdermal", "salt": "", "dose": "2 g", "arm": "Magnesium cream", "reference": "Placebo cream",
                 "outcome": "pain", "blinded": true, "durationWeeks": 12, "enrolled": 3, "analysed": 3, "muMean": \(mu),
                 "muSd": 0.3, "muCiLower": -1.4, "muCiUpper": -0.2, "tauMedian": 0.7, "mcid": 1, "tauPrior": "half-normal:2",
                 "registryCode": "c", "protocolSha256": "h", "registeredOn": "2026-01-01", "closedOn": "2026-06-01",
                 "publishedOn": "2026-06-02", "synthetic": false, "dataWithdrawalsAtAnalysis": 0, "dataWithdrawalsNow": 0}
                """.utf8))
    }

    @Test(arguments: Backend.available)
    func onlyAClosedAnalysedStudyIsPublishedByItsInvestigator(_ backend: Backend) async throws {
        try await backend.with { store in
            let investigator = try await StoreTests.newAccount(store, role: .clinician)
            let other = try await StoreTests.newAccount(store, role: .clinician)
            let study = try await StudyStoreTests.registeredStudy(store, investigator: investigator)
            let first = try Self.publication(studyID: study.id, mu: -0.8)
            func published() async throws -> [StudyPublication] { try await store.studyPublications().filter { $0.studyID == study.id } }

            // Not while it runs, nor closed without its analysis, nor by another investigator.
            #expect(try await store.publishStudy(studyID: study.id, investigatorID: investigator.id, first) == false)
            try await store.closeStudy(id: study.id, investigatorID: investigator.id, on: StudyStoreTests.today)
            #expect(try await store.publishStudy(studyID: study.id, investigatorID: investigator.id, first) == false)
            let results = StoredStudyResults(computedOn: StudyStoreTests.today, json: "{}", forestSVG: "<svg/>")
            #expect(try await store.saveStudyResults(studyID: study.id, investigatorID: investigator.id, results))
            #expect(try await store.publishStudy(studyID: study.id, investigatorID: other.id, first) == false)
            #expect(try await published().isEmpty)

            #expect(try await store.publishStudy(studyID: study.id, investigatorID: investigator.id, first))
            #expect(try await published() == [first])
            #expect(try await store.studyPublication(studyID: study.id, investigatorID: investigator.id) == first)
            #expect(try await store.studyPublication(studyID: study.id, investigatorID: other.id) == nil)
            // Publishing anew replaces it; another investigator's withdrawal does nothing.
            let second = try Self.publication(studyID: study.id, mu: -0.5)
            #expect(try await store.publishStudy(studyID: study.id, investigatorID: investigator.id, second))
            #expect(try await published() == [second])
            try await store.unpublishStudy(studyID: study.id, investigatorID: other.id)
            #expect(try await published() == [second])
            try await store.unpublishStudy(studyID: study.id, investigatorID: investigator.id)
            #expect(try await published().isEmpty)

            // Deleting the investigator's account takes the publication with the study.
            #expect(try await store.publishStudy(studyID: study.id, investigatorID: investigator.id, first))
            try await store.deleteAccount(id: investigator.id)
            #expect(try await published().isEmpty)
        }
    }
}
