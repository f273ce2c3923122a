import EpsomCore
import SQLKit

/// A transaction in which a person's diary entries, trial days or enrolments change. Only
/// `SQLStore.changingRecords(of:_:)` makes one, and it recounts the person's stored study
/// summaries before it commits; the helpers that write those tables take one instead of a bare
/// connection, so that no write can leave a study's dashboard behind.
struct RecordsTransaction: Sendable {
    /// The transaction's connection.
    let db: any SQLDatabase
    /// Whose records change: every summary recounted is one of this account's enrolments.
    let accountID: String

    fileprivate init(db: any SQLDatabase, accountID: String) {
        self.db = db
        self.accountID = accountID
    }
}

/// The study dashboard's counts, stored per enrolment (`study_participant_summaries`, migration
/// 0015) so that a study's page reads one row per participant and never the diaries.
///
/// Kept exact by recounting, not by increments: every write that changes a person's diary, trial
/// days or enrolments runs in `changingRecords(of:_:)`, which recounts that person's summaries
/// from their own rows (by primary key, their enrolments' dates only) in the same transaction.
extension SQLStore {
    /// Runs `body` in one transaction, then recounts the account's study summaries in it, if the
    /// account has any enrolment (most accounts are in no study: then nothing more is done).
    ///
    /// On PostgreSQL, under READ COMMITTED, each statement sees what was committed before it
    /// began, so two transactions could each count without the other's uncommitted row. Locks on
    /// the account's row order them:
    /// - every write first takes KEY SHARE (shared: writes of an account in no study never wait
    ///   for one another);
    /// - a recount first takes NO KEY UPDATE, so recounts of one account run one after another and
    ///   each sees every write committed before it (two diary saves at once lose no day);
    /// - an enrolment (`exclusive`) first takes FOR UPDATE, which waits for every write of the
    ///   account in flight and holds off new ones until it commits: a write that found no
    ///   enrolment, and so counted nothing, has committed before the enrolment counts.
    /// SQLite writes one transaction at a time on its one writing connection, so it needs none.
    ///
    /// `oneStatement`: the body writes one statement, so on SQLite an account in no study needs no
    /// transaction around it. The session holds the one writing connection for its whole run, so
    /// nothing, an enrolment included, can come between the look for enrolments and the write:
    /// two statements instead of BEGIN, the write, the look and COMMIT. Most diary writes are
    /// such, and the four statements had halved their rate.
    static func changingRecords<R: Sendable>(
        of accountID: String, on db: any SQLDatabase, exclusive: Bool = false, oneStatement: Bool = false,
        _ body: @escaping @Sendable (RecordsTransaction) async throws -> R
    ) async throws -> R {
        if oneStatement && !exclusive && db.dialect.name != "postgresql" {
            // `.some(result)` when written; nil when the account is in a study (then the
            // transaction below). Boxed, so that a body whose own result is nil runs only once.
            let written: [R]? = try await db.withSession { session in
                guard try await !hasEnrolment(accountID, on: session) else { return nil }
                return [try await body(RecordsTransaction(db: session, accountID: accountID))]
            }
            if let written { return written[0] }
        }
        return try await SQLTransaction.run(on: db) { tx in
            if tx.dialect.name == "postgresql" {
                let mode = exclusive ? "UPDATE" : "KEY SHARE"
                try await tx.raw("SELECT id FROM accounts WHERE id = \(bind: accountID) FOR \(unsafeRaw: mode)").run()
            }
            let records = RecordsTransaction(db: tx, accountID: accountID)
            let result = try await body(records)
            // An enrolment writes its new enrolment's first count itself (`firstCount`), in as few
            // statements as may be while it holds its study's lock; nothing else of the account
            // changes, and its FOR UPDATE orders it before and after every other write.
            if !exclusive { try await recountStudySummaries(records) }
            return result
        }
    }

    /// The counts the dashboard shows of each enrolment, from the participant's own rows within
    /// the enrolment's dates: diary days, the last of them, days with a side effect; adherence
    /// answers, those "as planned", and severe side effects. Zero for a participant who withdrew
    /// their data, so nothing of it is stored for the study.
    static let summaryCounts = """
        SELECT e.id,
          (SELECT COUNT(*) \(diaryOfEnrolment)) AS diary_days,
          (SELECT MAX(d.date) \(diaryOfEnrolment)) AS last_diary_date,
          (SELECT COUNT(*) \(diaryOfEnrolment) AND d.side_effects <> '') AS side_effect_days,
          (SELECT COUNT(*) \(daysOfEnrolment)) AS adherence_days,
          (SELECT COUNT(*) \(daysOfEnrolment) AND td.adherence = 'yes') AS adherent_days,
          (SELECT COUNT(*) \(daysOfEnrolment) AND td.severe_side_effect) AS severe_days
        FROM enrolments e
        """
    static let countColumns = ["diary_days", "last_diary_date", "side_effect_days", "adherence_days", "adherent_days", "severe_days"]
    private static let kept = "(e.withdrawn_on IS NULL OR e.keeps_data)"
    private static let diaryOfEnrolment =
        "FROM diary_entries d WHERE d.account_id = e.account_id AND d.date >= e.start_date AND d.date <= e.end_date AND \(kept)"
    private static let daysOfEnrolment = "FROM trial_days td WHERE td.trial_id = e.trial_id AND \(kept)"

    /// Recounts (or first counts) the summary of each of the account's enrolments, if it has any.
    private static func recountStudySummaries(_ records: RecordsTransaction) async throws {
        let tx = records.db
        // After the body's writes, so that an enrolment committed while they waited is seen.
        guard try await hasEnrolment(records.accountID, on: tx) else { return }
        if tx.dialect.name == "postgresql" {
            try await tx.raw("SELECT id FROM accounts WHERE id = \(bind: records.accountID) FOR NO KEY UPDATE").run()
        }
        let columns = (["enrolment_id"] + countColumns).joined(separator: ", ")
        let updates = countColumns.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        // "WHERE" before "ON CONFLICT" keeps SQLite's parser from reading ON as a join's.
        try await tx.raw(
            """
            INSERT INTO study_participant_summaries (\(unsafeRaw: columns))
            \(unsafeRaw: summaryCounts) WHERE e.account_id = \(bind: records.accountID)
            ON CONFLICT (enrolment_id) DO UPDATE SET \(unsafeRaw: updates)
            """
        ).run()
    }

    private static func hasEnrolment(_ accountID: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT id FROM enrolments WHERE account_id = \(bind: accountID) LIMIT 1").first() != nil
    }

    /// A new enrolment's first count, by the rules of `summaryCounts`: its trial is new, so it has
    /// no trial days yet, and only the diary days already written in its dates count. `enrol`
    /// reads them before it locks the study (the account's FOR UPDATE keeps them as they are) and
    /// writes the row after the enrolment; the store's tests compare it with a recount.
    static func firstCount(_ records: RecordsTransaction, from start: CalendarDate, to end: CalendarDate) async throws -> FirstCount {
        let row = try await records.db.raw(
            """
            SELECT COUNT(*) AS days, MAX(date) AS last, COUNT(CASE WHEN side_effects <> '' THEN 1 END) AS side
            FROM diary_entries
            WHERE account_id = \(bind: records.accountID) AND date >= \(bind: start.dayNumber) AND date <= \(bind: end.dayNumber)
            """
        ).first()
        return FirstCount(
            diaryDays: try row?.decode(column: "days", as: Int.self) ?? 0, lastDiaryDate: try row?.decode(column: "last", as: Int?.self),
            sideEffectDays: try row?.decode(column: "side", as: Int.self) ?? 0)
    }

    struct FirstCount: Sendable {
        var diaryDays: Int, lastDiaryDate: Int?, sideEffectDays: Int

        func write(enrolmentID: String, in records: RecordsTransaction) async throws {
            // Named here, not from `countColumns`, so that the values below cannot fall out of order.
            try await records.db.raw(
                """
                INSERT INTO study_participant_summaries
                  (enrolment_id, diary_days, last_diary_date, side_effect_days, adherence_days, adherent_days, severe_days)
                VALUES (\(bind: enrolmentID), \(bind: diaryDays), \(bind: lastDiaryDate), \(bind: sideEffectDays), 0, 0, 0)
                """
            ).run()
        }
    }

    /// The account's enrolments whose stored summary is missing or differs from a recount now:
    /// none, unless a write went around `changingRecords(of:_:)`. For tests and checks.
    func studySummariesOutOfStep(accountID: String) async throws -> [String] {
        try await db.raw(
            """
            SELECT c.id FROM (\(unsafeRaw: Self.summaryCounts) WHERE e.account_id = \(bind: accountID)) c
            LEFT JOIN study_participant_summaries s ON s.enrolment_id = c.id
            WHERE s.enrolment_id IS NULL OR s.diary_days <> c.diary_days OR s.side_effect_days <> c.side_effect_days
              OR s.adherence_days <> c.adherence_days OR s.adherent_days <> c.adherent_days OR s.severe_days <> c.severe_days
              OR COALESCE(s.last_diary_date, -1) <> COALESCE(c.last_diary_date, -1)
            """
        ).all().map { try $0.decode(column: "id", as: String.self) }
    }
}
