/// Migration 0011's statements: every stored date from ISO text to an integer. PostgreSQL
/// changes a column's type in place; SQLite cannot, so a key column is moved to a rebuilt table
/// and any other column to a new one (no table that others reference is dropped, so no foreign
/// key cascades).
enum DateMigration {
    /// Days since 1970-01-01 of an ISO date, and minutes since 1970-01-01T00:00 of an ISO local
    /// date and time. Both are exact: SQLite's `%s` counts whole seconds of the text read as UTC.
    static func sqliteDay(_ column: String) -> String { "CAST(strftime('%s', \(column)) AS INTEGER) / 86400" }
    static func sqliteMinute(_ column: String) -> String { "CAST(strftime('%s', \(column)) AS INTEGER) / 60" }
    static func postgresDay(_ column: String) -> String { "(\(column)::date - DATE '1970-01-01')" }
    static func postgresMinute(_ column: String) -> String { "(EXTRACT(EPOCH FROM \(column)::timestamp)::bigint / 60)" }

    /// A non-key column of SQLite's: add the typed column, fill it, drop the old one, rename.
    static func sqliteRetype(_ table: String, _ column: String, type: String, _ convert: (String) -> String) -> [String] {
        [
            "ALTER TABLE \(table) ADD COLUMN \(column)_typed \(type)",
            "UPDATE \(table) SET \(column)_typed = \(convert(column)) WHERE \(column) IS NOT NULL",
            "ALTER TABLE \(table) DROP COLUMN \(column)",
            "ALTER TABLE \(table) RENAME COLUMN \(column)_typed TO \(column)",
        ]
    }

    static let sqlite: [String] =
        [
            """
            CREATE TABLE diary_entries_typed (
                account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                date INTEGER NOT NULL,
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
            INSERT INTO diary_entries_typed (account_id, date, pain, enjoyment, activity, spasms, stiffness, sleep, side_effects, note)
            SELECT account_id, \(sqliteDay("date")), pain, enjoyment, activity, spasms, stiffness, sleep, side_effects, note
            FROM diary_entries
            """,
            "DROP TABLE diary_entries",
            "ALTER TABLE diary_entries_typed RENAME TO diary_entries",
            """
            CREATE TABLE trial_days_typed (
                trial_id TEXT NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
                date INTEGER NOT NULL,
                adherence TEXT NOT NULL,
                amount DOUBLE PRECISION,
                severe_side_effect BOOLEAN NOT NULL,
                PRIMARY KEY (trial_id, date)
            )
            """,
            """
            INSERT INTO trial_days_typed (trial_id, date, adherence, amount, severe_side_effect)
            SELECT trial_id, \(sqliteDay("date")), adherence, amount, severe_side_effect FROM trial_days
            """,
            "DROP TABLE trial_days",
            "ALTER TABLE trial_days_typed RENAME TO trial_days",
            "DROP INDEX doses_account_time",
        ]
        + sqliteRetype("doses", "taken_at", type: "BIGINT NOT NULL DEFAULT 0", sqliteMinute)
        + ["CREATE INDEX doses_account_time ON doses(account_id, taken_at)"]
        + sqliteRetype("trial_amendments", "date", type: "INTEGER NOT NULL DEFAULT 0", sqliteDay)
        + sqliteRetype("trials", "registered_on", type: "INTEGER NOT NULL DEFAULT 0", sqliteDay)
        + sqliteRetype("trials", "stopped_on", type: "INTEGER", sqliteDay)
        + sqliteRetype("trials", "allocation_shown_on", type: "INTEGER", sqliteDay)

    static let postgres: [String] =
        [
            ("diary_entries", "date"), ("trial_days", "date"), ("trial_amendments", "date"),
            ("trials", "registered_on"), ("trials", "stopped_on"), ("trials", "allocation_shown_on"),
        ].map { table, column in
            "ALTER TABLE \(table) ALTER COLUMN \(column) TYPE INTEGER USING \(postgresDay(column))"
        } + ["ALTER TABLE doses ALTER COLUMN taken_at TYPE BIGINT USING \(postgresMinute("taken_at"))"]
}
