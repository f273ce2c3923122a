import Foundation
import SQLKit

/// A named, append-only schema change. Names are never reused and applied migrations are never
/// edited: a change to the schema is a new migration at the end of the list.
struct Migration: Sendable {
    let name: String
    /// Statements valid in both SQLite and PostgreSQL.
    let statements: [String]
    /// Where the two must differ (SQLite cannot change a column's type in place): each
    /// database's own statements, used instead of `statements`.
    var sqlite: [String]? = nil
    var postgres: [String]? = nil

    init(name: String, statements: [String]) {
        self.name = name
        self.statements = statements
    }

    init(name: String, sqlite: [String], postgres: [String]) {
        self.name = name
        statements = []
        self.sqlite = sqlite
        self.postgres = postgres
    }

    func statements(forDialect dialect: String) -> [String] {
        (dialect == "postgresql" ? postgres : sqlite) ?? statements
    }
}

enum Migrations {
    static let all: [Migration] = [
        Migration(
            name: "0001_accounts_and_sessions",
            statements: [
                """
                CREATE TABLE accounts (
                    id TEXT PRIMARY KEY,
                    email TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    role TEXT NOT NULL,
                    kidney_disease BOOLEAN NOT NULL DEFAULT FALSE,
                    medicines TEXT NOT NULL DEFAULT '',
                    created_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE sessions (
                    token_hash TEXT PRIMARY KEY,
                    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    csrf_token TEXT NOT NULL,
                    expires_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX sessions_account ON sessions(account_id)",
            ]),
        Migration(
            name: "0002_diary_doses_products",
            statements: [
                """
                CREATE TABLE diary_entries (
                    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    date TEXT NOT NULL,
                    pain INTEGER NOT NULL,
                    enjoyment INTEGER,
                    activity INTEGER,
                    spasms INTEGER,
                    stiffness INTEGER,
                    sleep INTEGER,
                    side_effects TEXT NOT NULL DEFAULT '',
                    note TEXT NOT NULL DEFAULT '',
                    PRIMARY KEY (account_id, date)
                )
                """,
                """
                CREATE TABLE doses (
                    id TEXT PRIMARY KEY,
                    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    taken_at TEXT NOT NULL,
                    product TEXT NOT NULL,
                    route TEXT NOT NULL,
                    salt TEXT,
                    amount DOUBLE PRECISION NOT NULL,
                    unit TEXT NOT NULL,
                    elemental_mg DOUBLE PRECISION NOT NULL,
                    elemental_source TEXT NOT NULL,
                    site TEXT
                )
                """,
                "CREATE INDEX doses_account_time ON doses(account_id, taken_at)",
                """
                CREATE TABLE products (
                    id TEXT NOT NULL,
                    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    route TEXT NOT NULL,
                    salt TEXT,
                    amount DOUBLE PRECISION NOT NULL,
                    unit TEXT NOT NULL,
                    elemental_mg DOUBLE PRECISION,
                    site TEXT,
                    is_regular BOOLEAN NOT NULL,
                    PRIMARY KEY (account_id, id)
                )
                """,
            ]),
        Migration(
            name: "0003_shares",
            statements: [
                """
                CREATE TABLE shares (
                    patient_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    clinician_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    created_at BIGINT NOT NULL,
                    PRIMARY KEY (patient_id, clinician_id)
                )
                """,
                "CREATE INDEX shares_clinician ON shares(clinician_id)",
            ]),
        Migration(
            name: "0004_missed_use_days",
            statements: [
                "ALTER TABLE accounts ADD COLUMN missed_use_days INTEGER NOT NULL DEFAULT 2"
            ]),
        // Trials: the design and schedule as JSON (they are read and written whole); the frozen
        // protocol as the exact text that was hashed; amendments and daily adherence in rows.
        Migration(
            name: "0005_trials",
            statements: [
                """
                CREATE TABLE trials (
                    id TEXT PRIMARY KEY,
                    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    design_json TEXT NOT NULL,
                    schedule_json TEXT NOT NULL,
                    protocol_json TEXT NOT NULL,
                    protocol_hash TEXT NOT NULL,
                    registered_on TEXT NOT NULL,
                    stopped_on TEXT,
                    stop_reason TEXT,
                    consent_to_pool BOOLEAN NOT NULL DEFAULT FALSE,
                    feed_token_hash TEXT UNIQUE,
                    allocation_shown_on TEXT,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX trials_account ON trials(account_id)",
                """
                CREATE TABLE trial_amendments (
                    trial_id TEXT NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
                    number INTEGER NOT NULL,
                    date TEXT NOT NULL,
                    change TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    protocol_json TEXT NOT NULL,
                    protocol_hash TEXT NOT NULL,
                    PRIMARY KEY (trial_id, number)
                )
                """,
                """
                CREATE TABLE trial_days (
                    trial_id TEXT NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
                    date TEXT NOT NULL,
                    adherence TEXT NOT NULL,
                    amount DOUBLE PRECISION,
                    severe_side_effect BOOLEAN NOT NULL,
                    PRIMARY KEY (trial_id, date)
                )
                """,
            ]),
        // A product's label strength (basis, value, per unit), so that pumps, grams or millilitres
        // of a cream become elemental magnesium.
        Migration(
            name: "0006_product_strength",
            statements: [
                "ALTER TABLE products ADD COLUMN strength_basis TEXT",
                "ALTER TABLE products ADD COLUMN strength_value DOUBLE PRECISION",
                "ALTER TABLE products ADD COLUMN strength_per TEXT",
            ]),
        // Sharing by email: an invitation waits until a clinician account with that email
        // exists, so the share form never tells whether one does.
        Migration(
            name: "0007_share_invitations",
            statements: [
                """
                CREATE TABLE share_invitations (
                    patient_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    email TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    PRIMARY KEY (patient_id, email)
                )
                """,
                "CREATE INDEX share_invitations_email ON share_invitations(email)",
            ]),
        // Sessions record when they were made and last used: for an idle timeout, the purge,
        // and Account's list of where one is signed in. Older sessions read 0 and are purged
        // as idle, so their owners sign in again once.
        Migration(
            name: "0008_session_times",
            statements: [
                "ALTER TABLE sessions ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0",
                "ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0",
            ]),
        // Who looked at a patient's data: every clinician's access, for the patient's Account
        // page. The viewer's email is kept so that the record outlives the viewer's account.
        Migration(
            name: "0009_access_log",
            statements: [
                """
                CREATE TABLE access_log (
                    patient_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    viewer_id TEXT NOT NULL,
                    viewer_email TEXT NOT NULL,
                    what TEXT NOT NULL,
                    at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX access_log_patient ON access_log(patient_id, at)",
            ]),
        // Counters for rate limits, in the database so that several server processes share them.
        Migration(
            name: "0010_rate_limits",
            statements: [
                """
                CREATE TABLE rate_limits (
                    key TEXT PRIMARY KEY,
                    window_start BIGINT NOT NULL,
                    count INTEGER NOT NULL
                )
                """
            ]),
        // Dates as numbers: a calendar day as days since 1970-01-01 and a dose's local date and
        // time as minutes since 1970-01-01T00:00 of the same wall clock. Both databases then
        // compare and range over typed integers, so no date can sort outside its range the way
        // the text "10000-01-01" sorted before "2026-…". (Wall-clock numbers, not instants: a
        // diary day is the person's own day.)
        Migration(name: "0011_dates_as_day_numbers", sqlite: DateMigration.sqlite, postgres: DateMigration.postgres),
        // Time zones: each account has one (IANA id), and a dose keeps its instant (seconds since
        // 1970, UTC) and the UTC offset in force then beside the wall-clock minutes that place it
        // in a local day. Existing accounts get "UTC", so existing doses' instants are their wall
        // clocks read as UTC (offset 0): exact for that zone, and no dose changes day.
        Migration(
            name: "0012_time_zones",
            statements: [
                "ALTER TABLE accounts ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC'",
                "ALTER TABLE doses ADD COLUMN taken_at_utc BIGINT NOT NULL DEFAULT 0",
                "ALTER TABLE doses ADD COLUMN utc_offset_minutes INTEGER NOT NULL DEFAULT 0",
                "UPDATE doses SET taken_at_utc = taken_at * 60, utc_offset_minutes = 0",
            ]),
        // Studies (issue 16): an investigator's series of N-of-1 trials. A participant's trial
        // is an ordinary row of `trials`, tied to the study by their enrolment. Screening
        // answers are only counted: an ineligible invitee leaves no identity behind. Single-use
        // invitation codes are kept as hashes, as session tokens are.
        Migration(
            name: "0013_studies",
            statements: [
                """
                CREATE TABLE studies (
                    id TEXT PRIMARY KEY,
                    investigator_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    pharmacist_id TEXT REFERENCES accounts(id) ON DELETE SET NULL,
                    design_json TEXT NOT NULL,
                    status TEXT NOT NULL,
                    protocol_json TEXT,
                    protocol_hash TEXT,
                    registered_on INTEGER,
                    enrolment_code TEXT UNIQUE,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX studies_investigator ON studies(investigator_id)",
                """
                CREATE TABLE study_amendments (
                    study_id TEXT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
                    number INTEGER NOT NULL,
                    date INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    protocol_json TEXT NOT NULL,
                    protocol_hash TEXT NOT NULL,
                    PRIMARY KEY (study_id, number)
                )
                """,
                """
                CREATE TABLE study_invitations (
                    code_hash TEXT PRIMARY KEY,
                    study_id TEXT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
                    used_at BIGINT,
                    created_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE study_screenings (
                    study_id TEXT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
                    eligible BOOLEAN NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (study_id, eligible)
                )
                """,
                """
                CREATE TABLE enrolments (
                    id TEXT PRIMARY KEY,
                    study_id TEXT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
                    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    participant_number INTEGER NOT NULL,
                    trial_id TEXT NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
                    consent_sha256 TEXT NOT NULL,
                    consented_at BIGINT NOT NULL,
                    start_date INTEGER NOT NULL,
                    end_date INTEGER NOT NULL,
                    withdrawn_on INTEGER,
                    keeps_data BOOLEAN,
                    UNIQUE (study_id, account_id),
                    UNIQUE (study_id, participant_number)
                )
                """,
                "CREATE INDEX enrolments_account ON enrolments(account_id)",
            ]),
        // Blinding held to the end (issue 16): the day a study closes (then its investigator sees
        // allocations), and each emergency unblinding of one participant, with its reason. One per
        // participant: once unblinded, a participant stays so.
        Migration(
            name: "0014_study_blinding",
            statements: [
                "ALTER TABLE studies ADD COLUMN closed_on INTEGER",
                "CREATE INDEX studies_pharmacist ON studies(pharmacist_id)",
                """
                CREATE TABLE study_unblindings (
                    study_id TEXT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
                    participant_number INTEGER NOT NULL,
                    date INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    at BIGINT NOT NULL,
                    PRIMARY KEY (study_id, participant_number)
                )
                """,
            ]),
        // A study's dashboard from stored summaries (issue 16): per enrolment, what the
        // investigator's page shows of a participant's diary and adherence within their trial's
        // dates, recounted by the store in the transaction of every write that changes it
        // (`SQLStore.changingRecords`). Zero for a participant who withdrew their data. The
        // existing enrolments are counted here, with the same rules.
        Migration(
            name: "0015_study_participant_summaries",
            statements: [
                """
                CREATE TABLE study_participant_summaries (
                    enrolment_id TEXT PRIMARY KEY REFERENCES enrolments(id) ON DELETE CASCADE,
                    diary_days INTEGER NOT NULL,
                    last_diary_date INTEGER,
                    side_effect_days INTEGER NOT NULL,
                    adherence_days INTEGER NOT NULL,
                    adherent_days INTEGER NOT NULL,
                    severe_days INTEGER NOT NULL
                )
                """,
                """
                INSERT INTO study_participant_summaries
                  (enrolment_id, diary_days, last_diary_date, side_effect_days, adherence_days, adherent_days, severe_days)
                SELECT e.id,
                  (SELECT COUNT(*) FROM diary_entries d WHERE d.account_id = e.account_id AND d.date >= e.start_date
                    AND d.date <= e.end_date AND (e.withdrawn_on IS NULL OR e.keeps_data)),
                  (SELECT MAX(d.date) FROM diary_entries d WHERE d.account_id = e.account_id AND d.date >= e.start_date
                    AND d.date <= e.end_date AND (e.withdrawn_on IS NULL OR e.keeps_data)),
                  (SELECT COUNT(*) FROM diary_entries d WHERE d.account_id = e.account_id AND d.date >= e.start_date
                    AND d.date <= e.end_date AND (e.withdrawn_on IS NULL OR e.keeps_data) AND d.side_effects <> ''),
                  (SELECT COUNT(*) FROM trial_days td WHERE td.trial_id = e.trial_id AND (e.withdrawn_on IS NULL OR e.keeps_data)),
                  (SELECT COUNT(*) FROM trial_days td WHERE td.trial_id = e.trial_id AND (e.withdrawn_on IS NULL OR e.keeps_data)
                    AND td.adherence = 'yes'),
                  (SELECT COUNT(*) FROM trial_days td WHERE td.trial_id = e.trial_id AND (e.withdrawn_on IS NULL OR e.keeps_data)
                    AND td.severe_side_effect)
                FROM enrolments e
                """,
            ]),
        // A closed study's analysis (issue 17), computed once when it closes and read by its report
        // and its participants' pages: the analysis as JSON (`StudyResults`) and the primary
        // analysis's forest plot as SVG. One row per study, never rewritten.
        Migration(
            name: "0016_study_results",
            statements: [
                """
                CREATE TABLE study_results (
                    study_id TEXT PRIMARY KEY REFERENCES studies(id) ON DELETE CASCADE,
                    computed_on INTEGER NOT NULL,
                    analysis_json TEXT NOT NULL,
                    forest_svg TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """
            ]),
        // Each enrolment keeps its trial's jar letters (comma-separated, in arm order) and arm names
        // (a JSON array), as it keeps the trial's dates: a study's trial never changes, and the
        // study's page then reads them without parsing 1,000 trials' JSON on every request.
        Migration(
            name: "0017_enrolment_allocations",
            sqlite: [
                "ALTER TABLE enrolments ADD COLUMN jar_letters TEXT NOT NULL DEFAULT ''",
                "ALTER TABLE enrolments ADD COLUMN arm_names TEXT NOT NULL DEFAULT '[]'",
                """
                UPDATE enrolments SET
                  jar_letters = (SELECT group_concat(j.value, ',' ORDER BY j.key)
                    FROM trials t, json_each(t.schedule_json, '$.jars') j WHERE t.id = enrolments.trial_id),
                  arm_names = (SELECT json_group_array(json_extract(a.value, '$.name') ORDER BY a.key)
                    FROM trials t, json_each(t.design_json, '$.arms') a WHERE t.id = enrolments.trial_id)
                """,
            ],
            postgres: [
                "ALTER TABLE enrolments ADD COLUMN jar_letters TEXT NOT NULL DEFAULT ''",
                "ALTER TABLE enrolments ADD COLUMN arm_names TEXT NOT NULL DEFAULT '[]'",
                """
                UPDATE enrolments e SET
                  jar_letters = (SELECT string_agg(j, ',' ORDER BY n)
                    FROM trials t, json_array_elements_text(t.schedule_json::json -> 'jars') WITH ORDINALITY AS x(j, n)
                    WHERE t.id = e.trial_id),
                  arm_names = (SELECT json_agg(a ->> 'name' ORDER BY n)::text
                    FROM trials t, json_array_elements(t.design_json::json -> 'arms') WITH ORDINALITY AS x(a, n)
                    WHERE t.id = e.trial_id)
                """,
            ]),
        // A closed study's result published into the evidence pages by its investigator (issue 17):
        // one row per study (`StudyPublication` as JSON), removed when the investigator withdraws
        // the publication, or with the study.
        Migration(
            name: "0018_study_publications",
            statements: [
                """
                CREATE TABLE study_publications (
                    study_id TEXT PRIMARY KEY REFERENCES studies(id) ON DELETE CASCADE,
                    published_on INTEGER NOT NULL,
                    publication_json TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """
            ]),
        // (0019 is unused: it was set aside for a branch that needed no migration.)
        // Whether the participant was told, before consenting, that the study reads their diary's
        // scores in the fortnight before their first day for its baseline table
        // (`StudyBaseline.consentNotice`). Enrolments made before the notice existed were not:
        // theirs is never read.
        Migration(
            name: "0020_enrolment_baseline_consent",
            statements: ["ALTER TABLE enrolments ADD COLUMN baseline_diary_consented BOOLEAN NOT NULL DEFAULT FALSE"]),
    ]

    /// Applies, in order and each in its own transaction, the migrations not yet recorded.
    /// Returns the names applied. On PostgreSQL, several server processes may start at once: an
    /// advisory lock lets one migrate while the others wait, then find nothing left to do.
    @discardableResult
    static func run(on db: any SQLDatabase, migrations: [Migration] = all) async throws -> [String] {
        guard db.dialect.name == "postgresql" else { return try await apply(on: db, migrations: migrations) }
        return try await db.withSession { session in
            try await session.raw("SELECT pg_advisory_lock(\(literal: advisoryLockKey))").run()
            do {
                let applied = try await apply(on: session, migrations: migrations)
                try await session.raw("SELECT pg_advisory_unlock(\(literal: advisoryLockKey))").run()
                return applied
            } catch {
                try? await session.raw("SELECT pg_advisory_unlock(\(literal: advisoryLockKey))").run()
                throw error
            }
        }
    }

    /// An arbitrary constant naming Epsom's migration lock.
    static let advisoryLockKey = 4_207_061_001

    private static func apply(on db: any SQLDatabase, migrations: [Migration]) async throws -> [String] {
        try await db.raw("CREATE TABLE IF NOT EXISTS epsom_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)").run()
        let done = Set(
            try await db.select().column("name").from("epsom_migrations").all().map {
                try $0.decode(column: "name", as: String.self)
            })
        var applied: [String] = []
        for migration in migrations where !done.contains(migration.name) {
            try await SQLTransaction.run(on: db) { tx in
                for statement in migration.statements(forDialect: tx.dialect.name) {
                    try await tx.execute(sql: SQLRaw(statement)) { _ in }
                }
                try await tx.insert(into: "epsom_migrations").columns("name", "applied_at")
                    .values(SQLBind(migration.name), SQLBind(Int(Date().timeIntervalSince1970))).run()
            }
            applied.append(migration.name)
        }
        return applied
    }
}

/// BEGIN … COMMIT on one connection (`withSession`), rolled back on any error.
enum SQLTransaction {
    static func run<R: Sendable>(on db: any SQLDatabase, _ body: @escaping @Sendable (any SQLDatabase) async throws -> R)
        async throws -> R
    {
        try await db.withSession { session in
            try await session.raw("BEGIN").run()
            do {
                let result = try await body(session)
                try await session.raw("COMMIT").run()
                return result
            } catch {
                try? await session.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}
