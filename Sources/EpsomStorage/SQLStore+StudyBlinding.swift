import EpsomCore
import Foundation
import SQLKit

/// Who holds a study's allocations: its pharmacist while it runs, its investigator once it is
/// closed (or for one participant after an emergency unblinding).
extension SQLStore {
    public func setStudyPharmacist(studyID: String, investigatorID: String, pharmacistID: String?) async throws {
        try await SQLTransaction.run(on: db) { tx in
            guard try await Self.status(of: studyID, investigatorID: investigatorID, on: tx).map({ $0 != .closed }) == true else {
                throw StoreError.studyNotFound
            }
            try await tx.update("studies").set("pharmacist_id", to: SQLBind(pharmacistID)).where("id", .equal, SQLBind(studyID)).run()
        }
    }

    public func studies(pharmacistID: String) async throws -> [Study] {
        let rows = try await db.select().column("*").from("studies").where("pharmacist_id", .equal, SQLBind(pharmacistID))
            .orderBy("created_at", .descending).orderBy("id").all()
        var studies: [Study] = []
        for row in rows { studies.append(try await study(row, on: db)) }
        return studies
    }

    public func study(id: String, pharmacistID: String) async throws -> Study? {
        guard
            let row = try await db.select().column("*").from("studies").where("id", .equal, SQLBind(id))
                .where("pharmacist_id", .equal, SQLBind(pharmacistID)).first()
        else { return nil }
        return try await study(row, on: db)
    }

    /// Whether the account is the study's investigator or its pharmacist.
    private func holdsAllocations(studyID: String, accountID: String) async throws -> Bool {
        try await db.raw(
            """
            SELECT id FROM studies WHERE id = \(bind: studyID) AND (investigator_id = \(bind: accountID) OR pharmacist_id = \(bind: accountID))
            """
        ).first() != nil
    }

    public func studyTrials(studyID: String, accountID: String) async throws -> [(enrolment: Enrolment, trial: Trial)] {
        guard try await holdsAllocations(studyID: studyID, accountID: accountID) else { return [] }
        // Two queries: the enrolments with their trials, then all their trials' amendments.
        let rows = try await db.raw(
            """
            SELECT e.id AS enrolment_id, e.study_id, e.participant_number, e.trial_id, e.consent_sha256, e.consented_at,
              e.start_date AS enrolment_start, e.withdrawn_on, e.keeps_data, t.*
            FROM enrolments e JOIN trials t ON t.id = e.trial_id
            WHERE e.study_id = \(bind: studyID)
            ORDER BY e.participant_number
            """
        ).all()
        var amendments: [String: [TrialAmendment]] = [:]
        for row in try await db.raw(
            """
            SELECT a.* FROM enrolments e JOIN trial_amendments a ON a.trial_id = e.trial_id
            WHERE e.study_id = \(bind: studyID)
            ORDER BY a.trial_id, a.number
            """
        ).all() {
            amendments[try row.decode(column: "trial_id", as: String.self), default: []].append(try Self.trialAmendment(row))
        }
        return try rows.map { row in
            let enrolment = Enrolment(
                id: try row.decode(column: "enrolment_id", as: String.self), studyID: studyID,
                participantCode: Enrolment.participantCode(number: try row.decode(column: "participant_number", as: Int.self)),
                trialID: try row.decode(column: "trial_id", as: String.self),
                consentSha256: try row.decode(column: "consent_sha256", as: String.self),
                consentedAt: try row.decode(column: "consented_at", as: Int.self),
                startDate: try CalendarDate.stored(row, "enrolment_start"),
                withdrawnOn: try CalendarDate.storedIfPresent(row, "withdrawn_on"),
                keepsData: try row.decode(column: "keeps_data", as: Bool?.self))
            return (enrolment, try Self.trial(row, amendments: amendments[enrolment.trialID] ?? []))
        }
    }

    public func studyAllocations(studyID: String, accountID: String) async throws -> [StudyAllocation] {
        guard try await holdsAllocations(studyID: studyID, accountID: accountID) else { return [] }
        // The enrolment's copy of its trial's jar letters and arm names (migration 0017): parsing
        // every trial's JSON on each request, in Swift or in the database, was most of a
        // 1,000-participant page's time.
        let rows = try await db.raw(
            """
            SELECT participant_number, start_date, end_date, withdrawn_on, keeps_data, jar_letters AS jars, arm_names
            FROM enrolments WHERE study_id = \(bind: studyID)
            ORDER BY participant_number
            """
        ).all()
        let unreadable = StoreError(.unavailable, "A stored trial is unreadable.")
        // The names of every participant's arms in one decoding: a decoder's fixed cost per call
        // would otherwise be paid 1,000 times.
        let namesText = "[" + (try rows.map { try $0.decode(column: "arm_names", as: String?.self) ?? "null" }).joined(separator: ",") + "]"
        guard let names = try? JSONDecoder().decode([[String]?].self, from: Data(namesText.utf8)), names.count == rows.count else {
            throw unreadable
        }
        return try zip(rows, names).map { row, names in
            let jars = (try row.decode(column: "jars", as: String?.self) ?? "").split(separator: ",").map(String.init)
            guard let names, !names.isEmpty, names.count == jars.count else { throw unreadable }
            return StudyAllocation(
                participantCode: Enrolment.participantCode(number: try row.decode(column: "participant_number", as: Int.self)),
                startDate: try CalendarDate.stored(row, "start_date"), endDate: try CalendarDate.stored(row, "end_date"),
                withdrawnOn: try CalendarDate.storedIfPresent(row, "withdrawn_on"),
                keepsData: try row.decode(column: "keeps_data", as: Bool?.self),
                arms: zip(names, jars).map { StudyAllocation.Arm(name: $0, jar: $1) })
        }
    }

    public func closeStudy(id: String, investigatorID: String, on date: CalendarDate) async throws {
        try await SQLTransaction.run(on: db) { tx in
            // Locks the study against an enrolment in between (SQLite writes one at a time anyway).
            let lock = tx.dialect.name == "postgresql" ? " FOR UPDATE" : ""
            guard
                let row = try await tx.raw(
                    "SELECT status FROM studies WHERE id = \(bind: id) AND investigator_id = \(bind: investigatorID)\(unsafeRaw: lock)"
                ).first(),
                try row.decode(column: "status", as: String.self) == Study.Status.registered.rawValue
            else { throw StoreError.studyNotFound }
            // A trial runs on while it has neither ended, stopped nor been left.
            let running = try await tx.raw(
                """
                SELECT COUNT(*) AS running FROM enrolments e JOIN trials t ON t.id = e.trial_id
                WHERE e.study_id = \(bind: id) AND e.withdrawn_on IS NULL AND t.stopped_on IS NULL AND e.end_date >= \(bind: date.dayNumber)
                """
            ).first()
            let count = try running?.decode(column: "running", as: Int.self) ?? 0
            guard count == 0 else { throw StudyCloseRefusal.participantsRunning(count) }
            try await tx.update("studies").set("status", to: SQLBind(Study.Status.closed.rawValue))
                .set("closed_on", to: date.stored).where("id", .equal, SQLBind(id)).run()
        }
    }

    public func unblind(studyID: String, investigatorID: String, _ unblinding: StudyUnblinding) async throws {
        guard let number = Enrolment.participantNumber(code: unblinding.participantCode) else { throw StoreError.enrolmentNotFound }
        try await SQLTransaction.run(on: db) { tx in
            guard try await Self.status(of: studyID, investigatorID: investigatorID, on: tx) == .registered else {
                throw StoreError.studyNotFound
            }
            guard
                try await tx.select().column("id").from("enrolments").where("study_id", .equal, SQLBind(studyID))
                    .where("participant_number", .equal, SQLBind(number)).first() != nil
            else { throw StoreError.enrolmentNotFound }
            let inserted = try await tx.raw(
                """
                INSERT INTO study_unblindings (study_id, participant_number, date, reason, at)
                VALUES (\(bind: studyID), \(bind: number), \(bind: unblinding.date.dayNumber), \(bind: unblinding.reason), \(bind: Self.now()))
                ON CONFLICT (study_id, participant_number) DO NOTHING
                RETURNING participant_number
                """
            ).all()
            guard inserted.count == 1 else { throw StudyUnblindingRefusal.alreadyUnblinded }
        }
    }

    static func unblindings(studyID: String, on db: any SQLDatabase) async throws -> [StudyUnblinding] {
        try await db.select().column("*").from("study_unblindings").where("study_id", .equal, SQLBind(studyID))
            .orderBy("at").orderBy("participant_number").all().map { row in
                StudyUnblinding(
                    participantCode: Enrolment.participantCode(number: try row.decode(column: "participant_number", as: Int.self)),
                    date: try CalendarDate.stored(row, "date"), reason: try row.decode(column: "reason", as: String.self))
            }
    }
}
