import EpsomCore
import SQLKit

/// What a study's exports are made from, for its investigator only. Four queries after the
/// study's own (five once it is closed), each over the study's enrolments and by primary keys, so
/// the cost is the rows returned: the enrolments with their trials, the trials' amendments, the
/// diary entries (and, closed, those of the fortnight before each start, for the baseline table)
/// and the adherence answers. Every one of them leaves out a participant who withdrew their data: for
/// them only the enrolment row is read.
extension SQLStore {
    public func studyExport(studyID: String, investigatorID: String) async throws -> StudyExport? {
        guard let study = try await study(id: studyID, investigatorID: investigatorID) else { return nil }
        // Whose records the study may read: everyone but a participant who withdrew their data.
        let kept: SQLQueryString = "(e.withdrawn_on IS NULL OR e.keeps_data)"

        let enrolmentRows = try await db.raw(
            """
            SELECT e.id AS enrolment_id, e.participant_number, e.trial_id, e.consent_sha256, e.consented_at, e.start_date,
              e.withdrawn_on, e.keeps_data, e.baseline_diary_consented, t.id, t.design_json, t.schedule_json, t.protocol_json, t.protocol_hash, t.registered_on,
              t.stopped_on, t.stop_reason, t.consent_to_pool, t.allocation_shown_on
            FROM enrolments e LEFT JOIN trials t ON t.id = e.trial_id AND \(kept)
            WHERE e.study_id = \(bind: studyID)
            ORDER BY e.participant_number
            """
        ).all()
        var amendments: [String: [TrialAmendment]] = [:]
        for row in try await db.raw(
            """
            SELECT a.* FROM enrolments e JOIN trial_amendments a ON a.trial_id = e.trial_id
            WHERE e.study_id = \(bind: studyID) AND \(kept)
            ORDER BY a.trial_id, a.number
            """
        ).all() {
            amendments[try row.decode(column: "trial_id", as: String.self), default: []].append(try Self.trialAmendment(row))
        }

        var participants: [StudyExport.Participant] = []
        var index: [Int: Int] = [:]
        for row in enrolmentRows {
            let number = try row.decode(column: "participant_number", as: Int.self)
            let enrolment = Enrolment(
                id: try row.decode(column: "enrolment_id", as: String.self), studyID: studyID,
                participantCode: Enrolment.participantCode(number: number), trialID: try row.decode(column: "trial_id", as: String.self),
                consentSha256: try row.decode(column: "consent_sha256", as: String.self),
                consentedAt: try row.decode(column: "consented_at", as: Int.self), startDate: try CalendarDate.stored(row, "start_date"),
                withdrawnOn: try CalendarDate.storedIfPresent(row, "withdrawn_on"),
                keepsData: try row.decode(column: "keeps_data", as: Bool?.self))
            var part: StudyExport.Kept?
            if try row.decode(column: "id", as: String?.self) != nil {
                let trial = try Self.trial(row, amendments: amendments[enrolment.trialID] ?? [])
                part = StudyExport.Kept(
                    trial: trial, diary: [], adherence: [],
                    baselineAsked: try row.decode(column: "baseline_diary_consented", as: Bool.self))
                index[number] = participants.count
            }
            participants.append(StudyExport.Participant(enrolment: enrolment, kept: part))
        }

        // The diary by its key (account, date) from the first day to the longest a trial may last
        // (an amendment may have moved the end), and not after a stop or a withdrawal; the note
        // is never read. Then each participant's trial bounds what is kept.
        let diary = try await db.raw(
            """
            SELECT e.participant_number, d.date, d.pain, d.enjoyment, d.activity, d.spasms, d.stiffness, d.sleep, d.side_effects,
              '' AS note
            FROM enrolments e JOIN trials t ON t.id = e.trial_id
              JOIN diary_entries d ON d.account_id = e.account_id AND d.date >= e.start_date
                AND d.date < e.start_date + \(literal: TrialDesign.maximumTotalDays)
            WHERE e.study_id = \(bind: studyID) AND \(kept)
              AND (t.stopped_on IS NULL OR d.date <= t.stopped_on) AND (e.withdrawn_on IS NULL OR d.date <= e.withdrawn_on)
            ORDER BY e.participant_number, d.date
            """
        ).all()
        for row in diary {
            guard let i = index[try row.decode(column: "participant_number", as: Int.self)] else { continue }
            let entry = try Self.diaryEntry(row)
            if let trial = participants[i].kept?.trial, entry.date <= trial.lastDay { participants[i].kept?.diary.append(entry) }
        }
        // The baseline table's diary (`StudyBaseline`): the fortnight before each first day, read
        // only once the study is closed, when its analysis is made, never the note, and only of a
        // participant told so before consenting (`baseline_diary_consented`).
        if study.status == .closed {
            for row in try await db.raw(
                """
                SELECT e.participant_number, d.date, d.pain, d.enjoyment, d.activity, d.spasms, d.stiffness, d.sleep, d.side_effects,
                  '' AS note
                FROM enrolments e JOIN diary_entries d ON d.account_id = e.account_id
                  AND d.date >= e.start_date - \(literal: StudyBaseline.windowDays) AND d.date < e.start_date
                WHERE e.study_id = \(bind: studyID) AND \(kept) AND e.baseline_diary_consented
                ORDER BY e.participant_number, d.date
                """
            ).all() {
                guard let i = index[try row.decode(column: "participant_number", as: Int.self)] else { continue }
                participants[i].kept?.diaryBefore.append(try Self.diaryEntry(row))
            }
        }
        let days = try await db.raw(
            """
            SELECT e.participant_number, td.date, td.adherence, td.amount, td.severe_side_effect
            FROM enrolments e JOIN trial_days td ON td.trial_id = e.trial_id
            WHERE e.study_id = \(bind: studyID) AND \(kept) AND (e.withdrawn_on IS NULL OR td.date <= e.withdrawn_on)
            ORDER BY e.participant_number, td.date
            """
        ).all()
        for row in days {
            guard let i = index[try row.decode(column: "participant_number", as: Int.self)] else { continue }
            let day = try Self.trialDay(row)
            if let trial = participants[i].kept?.trial, day.date <= trial.lastDay { participants[i].kept?.adherence.append(day) }
        }
        return StudyExport(study: study, participants: participants)
    }
}
