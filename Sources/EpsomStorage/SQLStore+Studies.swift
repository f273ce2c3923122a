import EpsomCore
import Foundation
import SQLKit

/// Studies: the investigator's rows, found by id and investigator (or by enrolment code for an
/// invitee), and enrolment in one transaction.
extension SQLStore {
    public func createStudy(_ study: Study, investigatorID: String) async throws {
        try await db.insert(into: "studies")
            .columns("id", "investigator_id", "design_json", "status", "created_at")
            .values(
                SQLBind(study.id), SQLBind(investigatorID), SQLBind(try Self.json(study.design)),
                SQLBind(Study.Status.draft.rawValue), SQLBind(Self.now())
            )
            .run()
    }

    public func studies(investigatorID: String) async throws -> [Study] {
        let rows = try await db.select().column("*").from("studies").where("investigator_id", .equal, SQLBind(investigatorID))
            .orderBy("created_at", .descending).orderBy("id").all()
        var studies: [Study] = []
        for row in rows { studies.append(try await study(row, on: db)) }
        return studies
    }

    public func study(id: String, investigatorID: String) async throws -> Study? {
        guard
            let row = try await db.select().column("*").from("studies").where("id", .equal, SQLBind(id))
                .where("investigator_id", .equal, SQLBind(investigatorID)).first()
        else { return nil }
        return try await study(row, on: db)
    }

    public func study(id: String, participantID: String) async throws -> Study? {
        guard
            let row = try await db.raw(
                """
                SELECT s.* FROM studies s JOIN enrolments e ON e.study_id = s.id
                WHERE s.id = \(bind: id) AND e.account_id = \(bind: participantID)
                """
            ).first()
        else { return nil }
        return try await study(row, on: db)
    }

    public func study(enrolmentCode: String) async throws -> Study? {
        guard
            let row = try await db.select().column("*").from("studies").where("enrolment_code", .equal, SQLBind(enrolmentCode))
                .first()
        else { return nil }
        return try await study(row, on: db)
    }

    public func updateStudyDraft(id: String, investigatorID: String, design: StudyDesign) async throws {
        let json = try Self.json(design)
        try await SQLTransaction.run(on: db) { tx in
            guard try await Self.status(of: id, investigatorID: investigatorID, on: tx) == .draft else { throw StoreError.studyNotFound }
            try await tx.update("studies").set("design_json", to: SQLBind(json)).where("id", .equal, SQLBind(id)).run()
        }
    }

    public func registerStudy(
        id: String, investigatorID: String, design: StudyDesign, registered: StudyProtocol, on date: CalendarDate,
        enrolmentCode: String
    ) async throws {
        let json = try Self.json(design)
        try await SQLTransaction.run(on: db) { tx in
            guard try await Self.status(of: id, investigatorID: investigatorID, on: tx) == .draft else { throw StoreError.studyNotFound }
            try await tx.update("studies")
                .set("design_json", to: SQLBind(json)).set("status", to: SQLBind(Study.Status.registered.rawValue))
                .set("protocol_json", to: SQLBind(registered.json)).set("protocol_hash", to: SQLBind(registered.sha256))
                .set("registered_on", to: date.stored).set("enrolment_code", to: SQLBind(enrolmentCode))
                .where("id", .equal, SQLBind(id)).run()
        }
    }

    public func amendStudy(id: String, investigatorID: String, design: StudyDesign, amendment: StudyAmendment) async throws {
        let json = try Self.json(design)
        try await SQLTransaction.run(on: db) { tx in
            guard try await Self.status(of: id, investigatorID: investigatorID, on: tx) == .registered else {
                throw StoreError.studyNotFound
            }
            try await tx.update("studies").set("design_json", to: SQLBind(json)).where("id", .equal, SQLBind(id)).run()
            try await tx.insert(into: "study_amendments")
                .columns("study_id", "number", "date", "reason", "protocol_json", "protocol_hash")
                .values(
                    SQLBind(id), SQLBind(amendment.number), amendment.date.stored, SQLBind(amendment.reason),
                    SQLBind(amendment.protocolJSON), SQLBind(amendment.protocolHash)
                )
                .run()
        }
    }

    public func addStudyInvitations(studyID: String, investigatorID: String, codeHashes: [String]) async throws {
        let now = Self.now()
        try await SQLTransaction.run(on: db) { tx in
            guard try await Self.status(of: studyID, investigatorID: investigatorID, on: tx) != nil else { throw StoreError.studyNotFound }
            for hash in codeHashes {
                try await tx.insert(into: "study_invitations").columns("code_hash", "study_id", "created_at")
                    .values(SQLBind(hash), SQLBind(studyID), SQLBind(now)).run()
            }
        }
    }

    public func recordScreening(studyID: String, eligible: Bool) async throws {
        try await db.insert(into: "study_screenings").columns("study_id", "eligible", "count")
            .values(SQLBind(studyID), SQLBind(eligible), SQLBind(1))
            .onConflict(with: ["study_id", "eligible"]) { update in
                update.set(SQLIdentifier("count"), to: SQLRaw("study_screenings.count + 1"))
            }
            .run()
    }

    public func screeningCounts(studyID: String) async throws -> (eligible: Int, ineligible: Int) {
        let rows = try await db.select().column("eligible").column("count").from("study_screenings")
            .where("study_id", .equal, SQLBind(studyID)).all()
        var counts = (eligible: 0, ineligible: 0)
        for row in rows {
            let count = try row.decode(column: "count", as: Int.self)
            if try row.decode(column: "eligible", as: Bool.self) { counts.eligible = count } else { counts.ineligible = count }
        }
        return counts
    }

    public func enrol(_ request: EnrolmentRequest) async throws -> Enrolment {
        let createdAt = Self.now()
        // The new enrolment's summary is counted in the same transaction: a participant may have
        // written diary days of the trial's dates already (and may be writing one now: `exclusive`
        // waits for that write, and holds off the next until this commits).
        return try await Self.changingRecords(of: request.accountID, on: db, exclusive: true) { records in
            let tx = records.db
            func refuseUnlessRegistered(lock: String = "") async throws {
                guard
                    let row = try await tx.raw("SELECT status FROM studies WHERE id = \(bind: request.studyID)\(unsafeRaw: lock)").first(),
                    try row.decode(column: "status", as: String.self) == Study.Status.registered.rawValue
                else { throw EnrolmentRefusal.closed }
            }
            try await refuseUnlessRegistered()
            // The account's own checks and its new trial come first, under the account's lock
            // (`exclusive`), so that the study's lock below is held for as few statements as may be.
            if try await tx.select().column("id").from("enrolments").where("study_id", .equal, SQLBind(request.studyID))
                .where("account_id", .equal, SQLBind(request.accountID)).first() != nil
            {
                throw EnrolmentRefusal.alreadyEnrolled
            }
            // Read in this transaction, not through `trial(_:)`, which queries outside it.
            let trials = try await tx.select().column("design_json").column("stopped_on").from("trials")
                .where("account_id", .equal, SQLBind(request.accountID)).all()
            for row in trials {
                guard try row.decode(column: "stopped_on", as: Int?.self) == nil else { continue }
                guard
                    let design = try? JSONDecoder().decode(
                        TrialDesign.self, from: Data(try row.decode(column: "design_json", as: String.self).utf8))
                else { throw StoreError(.unavailable, "A stored trial is unreadable.") }
                let new = request.trial.design
                if design.startDate <= new.endDate, design.endDate >= new.startDate {
                    throw EnrolmentRefusal.trialRunning(until: design.endDate)
                }
            }
            try await Self.insert(request.trial, accountID: request.accountID, createdAt: createdAt, on: tx)
            let firstCount = try await Self.firstCount(records, from: request.trial.design.startDate, to: request.trial.design.endDate)
            // One enrolment at a time per study on PostgreSQL (SQLite writes one at a time anyway),
            // so participant numbers follow each other without gaps or repeats; the study is looked
            // at again under the lock, in case it closed meanwhile.
            if tx.dialect.name == "postgresql" { try await refuseUnlessRegistered(lock: " FOR UPDATE") }
            if let codeHash = request.invitationCodeHash {
                let used = try await tx.raw(
                    """
                    UPDATE study_invitations SET used_at = \(bind: Self.now())
                    WHERE code_hash = \(bind: codeHash) AND study_id = \(bind: request.studyID) AND used_at IS NULL
                    RETURNING code_hash
                    """
                ).all()
                guard used.count == 1 else { throw EnrolmentRefusal.codeNotValid }
            }
            let last = try await tx.raw(
                "SELECT MAX(participant_number) AS last FROM enrolments WHERE study_id = \(bind: request.studyID)"
            ).first()
            let number = (try last?.decode(column: "last", as: Int?.self) ?? 0) + 1
            let enrolment = Enrolment(
                id: Self.newID(), studyID: request.studyID, participantCode: Enrolment.participantCode(number: number),
                trialID: request.trial.id, consentSha256: request.consentSha256, consentedAt: request.consentedAt,
                startDate: request.trial.design.startDate)
            try await tx.insert(into: "enrolments")
                .columns(
                    "id", "study_id", "account_id", "participant_number", "trial_id", "consent_sha256", "consented_at", "start_date",
                    "end_date", "jar_letters", "arm_names", "baseline_diary_consented"
                )
                .values(
                    SQLBind(enrolment.id), SQLBind(request.studyID), SQLBind(request.accountID), SQLBind(number),
                    SQLBind(request.trial.id), SQLBind(request.consentSha256), SQLBind(request.consentedAt),
                    enrolment.startDate.stored, request.trial.design.endDate.stored,
                    SQLBind(request.trial.schedule.jars.joined(separator: ",")),
                    SQLBind(try Self.json(request.trial.design.arms.map(\.name))),
                    SQLBind(request.baselineNoticeShown)
                )
                .run()
            try await firstCount.write(enrolmentID: enrolment.id, in: records)
            return enrolment
        }
    }

    public func enrolments(studyID: String, investigatorID: String) async throws -> [Enrolment] {
        guard try await Self.status(of: studyID, investigatorID: investigatorID, on: db) != nil else { return [] }
        return try await db.select().column("*").from("enrolments").where("study_id", .equal, SQLBind(studyID))
            .orderBy("participant_number").all().map(Self.enrolment)
    }

    public func withdraw(studyID: String, accountID: String, on date: CalendarDate, keepsData: Bool) async throws {
        // A participant who withdraws their data has their stored summary emptied with it. One who
        // left keeping their data may withdraw it later (also after the close: the rule is in
        // `StudyDataWithdrawal`); their leaving day stays the day they left.
        try await Self.changingRecords(of: accountID, on: db) { records in
            let tx = records.db
            guard
                let row = try await tx.select().column("trial_id").column("withdrawn_on").column("keeps_data").column("end_date")
                    .from("enrolments").where("study_id", .equal, SQLBind(studyID)).where("account_id", .equal, SQLBind(accountID))
                    .first()
            else { throw StoreError.enrolmentNotFound }
            if try row.decode(column: "withdrawn_on", as: Int?.self) != nil {
                guard try row.decode(column: "keeps_data", as: Bool?.self) == true, !keepsData else { throw StoreError.enrolmentNotFound }
                try await tx.update("enrolments").set("keeps_data", to: SQLBind(false))
                    .where("study_id", .equal, SQLBind(studyID)).where("account_id", .equal, SQLBind(accountID)).run()
                return
            }
            let trialID = try row.decode(column: "trial_id", as: String.self)
            try await tx.update("enrolments").set("withdrawn_on", to: date.stored).set("keeps_data", to: SQLBind(keepsData))
                .where("study_id", .equal, SQLBind(studyID)).where("account_id", .equal, SQLBind(accountID)).run()
            // The trial stops that day, unless it had stopped or ended already (a trial that ran
            // to its end and whose data is withdrawn afterwards stays a completed trial).
            guard date <= (try CalendarDate.stored(row, "end_date")) else { return }
            try await tx.raw(
                """
                UPDATE trials SET stopped_on = \(bind: date.dayNumber), stop_reason = 'Left the study.'
                WHERE id = \(bind: trialID) AND account_id = \(bind: accountID) AND stopped_on IS NULL
                """
            ).run()
        }
    }

    public func participantSummaries(studyID: String, investigatorID: String) async throws -> [ParticipantSummary] {
        guard try await Self.status(of: studyID, investigatorID: investigatorID, on: db) != nil else { return [] }
        // One query over the study's enrolments, each joined by primary key to its trial (for a
        // stop) and to its stored summary: one row per participant, whatever the diaries hold.
        let rows = try await db.raw(
            """
            SELECT e.participant_number, e.start_date, e.end_date, e.withdrawn_on, e.keeps_data, t.stopped_on, t.stop_reason,
              s.diary_days, s.last_diary_date, s.side_effect_days, s.adherence_days, s.adherent_days, s.severe_days
            FROM enrolments e JOIN trials t ON t.id = e.trial_id LEFT JOIN study_participant_summaries s ON s.enrolment_id = e.id
            WHERE e.study_id = \(bind: studyID)
            ORDER BY e.participant_number
            """
        ).all()
        return try rows.map { row in
            let keepsData = try row.decode(column: "keeps_data", as: Bool?.self)
            let withdrawnOn = try CalendarDate.storedIfPresent(row, "withdrawn_on")
            // A participant who withdrew their data: nothing of it leaves the store (and the stored
            // counts are zero). A missing summary fails the decoding: it would be a bug to hide.
            let activity =
                withdrawnOn != nil && keepsData == false
                ? nil
                : ParticipantSummary.Activity(
                    diaryDays: try row.decode(column: "diary_days", as: Int.self),
                    lastDiaryDate: try CalendarDate.storedIfPresent(row, "last_diary_date"),
                    sideEffectDays: try row.decode(column: "side_effect_days", as: Int.self),
                    adherenceDays: try row.decode(column: "adherence_days", as: Int.self),
                    adherentDays: try row.decode(column: "adherent_days", as: Int.self),
                    severeSideEffectDays: try row.decode(column: "severe_days", as: Int.self))
            return ParticipantSummary(
                participantCode: Enrolment.participantCode(number: try row.decode(column: "participant_number", as: Int.self)),
                startDate: try CalendarDate.stored(row, "start_date"), endDate: try CalendarDate.stored(row, "end_date"),
                withdrawnOn: withdrawnOn, keepsData: keepsData, stoppedOn: try CalendarDate.storedIfPresent(row, "stopped_on"),
                stopReason: try row.decode(column: "stop_reason", as: String?.self), activity: activity)
        }
    }

    public func studyUsesInvitations(studyID: String) async throws -> Bool {
        try await db.select().column("code_hash").from("study_invitations").where("study_id", .equal, SQLBind(studyID)).limit(1)
            .first() != nil
    }

    public func enrolments(accountID: String) async throws -> [Enrolment] {
        try await db.select().column("*").from("enrolments").where("account_id", .equal, SQLBind(accountID))
            .orderBy("consented_at").all().map(Self.enrolment)
    }

    // MARK: Rows

    static func status(of id: String, investigatorID: String, on db: any SQLDatabase) async throws -> Study.Status? {
        guard
            let row = try await db.select().column("status").from("studies").where("id", .equal, SQLBind(id))
                .where("investigator_id", .equal, SQLBind(investigatorID)).first()
        else { return nil }
        return Study.Status(rawValue: try row.decode(column: "status", as: String.self))
    }

    func study(_ row: any SQLRow, on db: any SQLDatabase) async throws -> Study {
        let unreadable = StoreError(.unavailable, "A stored study is unreadable.")
        let id = try row.decode(column: "id", as: String.self)
        guard
            let design = try? JSONDecoder().decode(
                StudyDesign.self, from: Data(try row.decode(column: "design_json", as: String.self).utf8)),
            let status = Study.Status(rawValue: try row.decode(column: "status", as: String.self))
        else { throw unreadable }
        var registered: StudyProtocol?
        if let json = try row.decode(column: "protocol_json", as: String?.self),
            let hash = try row.decode(column: "protocol_hash", as: String?.self)
        {
            registered = StudyProtocol(json: json, sha256: hash)
        }
        let amendments = try await db.select().column("*").from("study_amendments").where("study_id", .equal, SQLBind(id))
            .orderBy("number").all().map { a in
                StudyAmendment(
                    number: try a.decode(column: "number", as: Int.self), date: try CalendarDate.stored(a, "date"),
                    reason: try a.decode(column: "reason", as: String.self),
                    protocolJSON: try a.decode(column: "protocol_json", as: String.self),
                    protocolHash: try a.decode(column: "protocol_hash", as: String.self))
            }
        return Study(
            id: id, design: design, status: status, registeredProtocol: registered,
            registeredOn: try CalendarDate.storedIfPresent(row, "registered_on"), amendments: amendments,
            enrolmentCode: try row.decode(column: "enrolment_code", as: String?.self),
            pharmacistID: try row.decode(column: "pharmacist_id", as: String?.self),
            closedOn: try CalendarDate.storedIfPresent(row, "closed_on"), unblindings: try await Self.unblindings(studyID: id, on: db))
    }

    static func enrolment(_ row: any SQLRow) throws -> Enrolment {
        Enrolment(
            id: try row.decode(column: "id", as: String.self), studyID: try row.decode(column: "study_id", as: String.self),
            participantCode: Enrolment.participantCode(number: try row.decode(column: "participant_number", as: Int.self)),
            trialID: try row.decode(column: "trial_id", as: String.self),
            consentSha256: try row.decode(column: "consent_sha256", as: String.self),
            consentedAt: try row.decode(column: "consented_at", as: Int.self), startDate: try CalendarDate.stored(row, "start_date"),
            withdrawnOn: try CalendarDate.storedIfPresent(row, "withdrawn_on"),
            keepsData: try row.decode(column: "keeps_data", as: Bool?.self))
    }
}
