import EpsomCore
import Foundation
import SQLKit

/// Published studies (`study_publications`): written by the study's investigator once the study
/// is closed and analysed, read by everyone through the evidence pages and the workbench.
extension SQLStore {
    public func publishStudy(studyID: String, investigatorID: String, _ publication: StudyPublication) async throws -> Bool {
        let json = try Self.json(publication)
        // One statement: the study must be the investigator's, closed, with its analysis stored.
        let written = try await db.raw(
            """
            INSERT INTO study_publications (study_id, published_on, publication_json, created_at)
            SELECT s.id, \(bind: publication.publishedOn.dayNumber), \(bind: json), \(bind: Self.now())
            FROM studies s JOIN study_results r ON r.study_id = s.id
            WHERE s.id = \(bind: studyID) AND s.investigator_id = \(bind: investigatorID) AND s.status = \(bind: Study.Status.closed.rawValue)
            ON CONFLICT (study_id) DO UPDATE SET published_on = excluded.published_on, publication_json = excluded.publication_json
            RETURNING study_id
            """
        ).all()
        return written.count == 1
    }

    public func unpublishStudy(studyID: String, investigatorID: String) async throws {
        try await db.raw(
            """
            DELETE FROM study_publications WHERE study_id = \(bind: studyID)
              AND study_id IN (SELECT id FROM studies WHERE investigator_id = \(bind: investigatorID))
            """
        ).run()
    }

    public func studyPublication(studyID: String, investigatorID: String) async throws -> StudyPublication? {
        try await db.raw(
            """
            SELECT p.publication_json, \(unsafeRaw: Self.dataWithdrawalsNow) FROM study_publications p JOIN studies s ON s.id = p.study_id
            WHERE p.study_id = \(bind: studyID) AND s.investigator_id = \(bind: investigatorID)
            """
        ).first().map(Self.publication)
    }

    public func studyPublications() async throws -> [StudyPublication] {
        try await db.raw(
            "SELECT p.publication_json, \(unsafeRaw: Self.dataWithdrawalsNow) FROM study_publications p ORDER BY p.published_on, p.study_id"
        ).all().map(Self.publication)
    }

    /// The study's participants who have withdrawn their data, counted at each read: the card
    /// flags those who did after the analysis.
    private static let dataWithdrawalsNow =
        "(SELECT COUNT(*) FROM enrolments e WHERE e.study_id = p.study_id AND e.withdrawn_on IS NOT NULL AND e.keeps_data = FALSE) AS withdrawn"

    private static func publication(_ row: any SQLRow) throws -> StudyPublication {
        var publication = try JSONDecoder().decode(
            StudyPublication.self, from: Data(try row.decode(column: "publication_json", as: String.self).utf8))
        publication.dataWithdrawalsNow = try row.decode(column: "withdrawn", as: Int.self)
        return publication
    }
}
