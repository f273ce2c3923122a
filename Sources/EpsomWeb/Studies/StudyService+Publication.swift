import EpsomCore
import EpsomStorage
import Foundation

/// Publishing a closed study into the evidence pages, for the study's page and the API alike.
extension StudyService {
    /// The catalogue's condition groups, in its order: the groups a study can be published into.
    static let conditionGroups: [String] = {
        var groups: [String] = []
        for s in EvidenceCatalogue.bundled.studies where !groups.contains(s.conditionGroup) { groups.append(s.conditionGroup) }
        return groups
    }()

    /// The demo study's investigator publishes synthetic data, and every card says so.
    static func isSynthetic(_ investigator: Account) -> Bool { investigator.email == DemoStudySeed.investigatorEmail }

    /// The investigator's closed study's stored analysis, or 409: nothing can be published before.
    func publishableResults(_ study: Study, investigatorID: String) async throws -> StudyResults {
        guard study.status == .closed, let stored = try await store.studyResults(studyID: study.id, investigatorID: investigatorID)
        else { throw APIError(.conflict, "Only a closed study with its analysis can be published.") }
        return try StudyResults.decoded(stored.json)
    }

    /// The publication the choice makes of the study; its problems are field errors named as the
    /// form's fields (and the API's keys).
    func publication(
        of study: Study, results: StudyResults, choice: StudyPublication.Choice, investigator: Account
    ) throws(FieldErrors) -> StudyPublication {
        do {
            return try StudyPublication.make(
                study: study, results: results, choice: choice, conditionGroups: Self.conditionGroups,
                synthetic: Self.isSynthetic(investigator), today: clock.today())
        } catch {
            throw FieldErrors([error.field: error.message])
        }
    }

    /// Writes the publication (replacing an earlier one of the study); 409 if the study is no
    /// longer publishable.
    func publish(_ publication: StudyPublication, investigatorID: String) async throws {
        guard try await store.publishStudy(studyID: publication.studyID, investigatorID: investigatorID, publication) else {
            throw APIError(.conflict, "Only a closed study with its analysis can be published.")
        }
    }
}
