import EpsomCore
import SQLKit

/// A closed study's stored analysis (`study_results`): written once, when the study closes, and
/// read by primary key by its investigator's report and by its participants' pages.
extension SQLStore {
    public func saveStudyResults(studyID: String, investigatorID: String, _ results: StoredStudyResults) async throws -> Bool {
        // Only for the investigator's closed study; a second save (two closes racing, a report
        // computing what the close could not) keeps the first.
        let written = try await db.raw(
            """
            INSERT INTO study_results (study_id, computed_on, analysis_json, forest_svg, created_at)
            SELECT s.id, \(bind: results.computedOn.dayNumber), \(bind: results.json), \(bind: results.forestSVG), \(bind: Self.now())
            FROM studies s
            WHERE s.id = \(bind: studyID) AND s.investigator_id = \(bind: investigatorID) AND s.status = \(bind: Study.Status.closed.rawValue)
            ON CONFLICT (study_id) DO NOTHING
            RETURNING study_id
            """
        ).all()
        return written.count == 1
    }

    public func studyResults(studyID: String, investigatorID: String) async throws -> StoredStudyResults? {
        guard
            let row = try await db.raw(
                """
                SELECT r.computed_on, r.analysis_json, r.forest_svg FROM study_results r JOIN studies s ON s.id = r.study_id
                WHERE r.study_id = \(bind: studyID) AND s.investigator_id = \(bind: investigatorID)
                """
            ).first()
        else { return nil }
        return StoredStudyResults(
            computedOn: try CalendarDate.stored(row, "computed_on"), json: try row.decode(column: "analysis_json", as: String.self),
            forestSVG: try row.decode(column: "forest_svg", as: String.self))
    }

    public func studyResultsJSON(studyID: String, participantID: String) async throws -> String? {
        try await db.raw(
            """
            SELECT r.analysis_json FROM study_results r JOIN enrolments e ON e.study_id = r.study_id
            WHERE r.study_id = \(bind: studyID) AND e.account_id = \(bind: participantID)
            """
        ).first()?.decode(column: "analysis_json", as: String.self)
    }

    public func studiesAwaitingResults(limit: Int) async throws -> [(studyID: String, investigatorID: String)] {
        try await db.raw(
            """
            SELECT s.id, s.investigator_id FROM studies s LEFT JOIN study_results r ON r.study_id = s.id
            WHERE s.status = \(bind: Study.Status.closed.rawValue) AND r.study_id IS NULL
            ORDER BY s.closed_on DESC, s.id LIMIT \(bind: limit)
            """
        ).all().map { row in
            (try row.decode(column: "id", as: String.self), try row.decode(column: "investigator_id", as: String.self))
        }
    }

    public func studyInvitationCounts(studyID: String, investigatorID: String) async throws -> (made: Int, used: Int) {
        guard
            let row = try await db.raw(
                """
                SELECT COUNT(i.code_hash) AS made, COUNT(i.used_at) AS used
                FROM studies s LEFT JOIN study_invitations i ON i.study_id = s.id
                WHERE s.id = \(bind: studyID) AND s.investigator_id = \(bind: investigatorID)
                """
            ).first()
        else { return (0, 0) }
        return (try row.decode(column: "made", as: Int.self), try row.decode(column: "used", as: Int.self))
    }
}
