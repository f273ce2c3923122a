import EpsomCore
import EpsomTestSupport
import Foundation
import SQLKit
import Testing

@testable import EpsomStorage

/// Migration 0011 turns every stored date from ISO text into an integer. Each test builds a
/// database at migration 0010, writes text dates as the old code did, opens it as the server
/// does (which migrates), and reads every value back, on SQLite and on a fresh PostgreSQL
/// database.
@Suite struct DateMigrationTests {
    static let beforeTypedDates = Array(Migrations.all.prefix { $0.name != "0011_dates_as_day_numbers" })

    /// Dates at both ends of the accepted range, on both sides of 1970 (negative day numbers).
    static let days = ["1900-01-01", "1969-12-31", "1970-01-01", "2026-03-01", "2199-12-31"]
    static let times = ["1900-01-01T00:00", "1969-12-31T23:59", "1970-01-01T00:01", "2026-03-01T08:30", "2199-12-31T23:59"]

    @Test(arguments: Backend.available)
    func textDatesBecomeDayNumbersWithTheSameValues(_ backend: Backend) async throws {
        try await backend.withEmptyDatabase { location in
            let old = try await Database.open(location, migrations: Self.beforeTypedDates)
            do {
                try await Self.writeTextDates(old.store.db)
            } catch {
                try await old.close()
                throw error
            }
            try await old.close()

            let migrated = try await Database.open(location)
            do {
                try await Self.expectValues(migrated.store)
            } catch {
                try await migrated.close()
                throw error
            }
            try await migrated.close()
        }
    }

    static func writeTextDates(_ db: any SQLDatabase) async throws {
        try await db.insert(into: "accounts").columns("id", "email", "name", "password_hash", "role", "created_at")
            .values(SQLBind("a1"), SQLBind("a1@example.org"), SQLBind("A"), SQLBind("x"), SQLBind("patient"), SQLBind(0)).run()
        for (i, day) in days.enumerated() {
            try await db.insert(into: "diary_entries").columns("account_id", "date", "pain", "note")
                .values(SQLBind("a1"), SQLBind(day), SQLBind(i), SQLBind("day \(i)")).run()
        }
        for (i, time) in times.enumerated() {
            try await db.insert(into: "doses")
                .columns("id", "account_id", "taken_at", "product", "route", "amount", "unit", "elemental_mg", "elemental_source")
                .values(
                    SQLBind("d\(i)"), SQLBind("a1"), SQLBind(time), SQLBind("Cream"), SQLBind("transdermal_cream"), SQLBind(1.0),
                    SQLBind("g"), SQLBind(50.0), SQLBind("label")
                ).run()
        }
        try await db.insert(into: "trials")
            .columns(
                "id", "account_id", "design_json", "schedule_json", "protocol_json", "protocol_hash", "registered_on",
                "stopped_on", "allocation_shown_on", "created_at"
            )
            .values(
                SQLBind("t1"), SQLBind("a1"), SQLBind("{}"), SQLBind("{}"), SQLBind("{}"), SQLBind("h"), SQLBind("1969-12-31"),
                SQLBind("2199-12-31"), SQLBind(String?.none), SQLBind(0)
            ).run()
        try await db.insert(into: "trial_amendments")
            .columns("trial_id", "number", "date", "change", "reason", "protocol_json", "protocol_hash")
            .values(SQLBind("t1"), SQLBind(1), SQLBind("1900-01-01"), SQLBind("c"), SQLBind("r"), SQLBind("{}"), SQLBind("h")).run()
        try await db.insert(into: "trial_days").columns("trial_id", "date", "adherence", "severe_side_effect")
            .values(SQLBind("t1"), SQLBind("2026-03-01"), SQLBind("yes"), SQLBind(false)).run()
    }

    static func expectValues(_ store: SQLStore) async throws {
        let all = (CalendarDate.accepted.lowerBound, CalendarDate.accepted.upperBound)
        let diary = try await store.diaryEntries(accountID: "a1", from: all.0, to: all.1)
        #expect(diary.map(\.date.description) == days)
        #expect(diary.map(\.note) == days.indices.map { "day \($0)" })
        let doses = try await store.doses(accountID: "a1", from: all.0, to: all.1)
        #expect(doses.map(\.dose.takenAt.description) == times)
        #expect(doses.map(\.id) == times.indices.map { "d\($0)" })
        // Migration 0012: the account's zone is UTC and each dose's instant is its wall clock read
        // as UTC (offset 0), so no dose changed day.
        #expect(doses.map(\.dose.time.rfc3339) == times.map { $0 + ":00Z" })
        #expect(try await store.account(id: "a1")?.timeZone == "UTC")

        // A day's range holds that day's doses only, at both edges of the day.
        let newYearsEve = try #require(CalendarDate(iso: "1969-12-31"))
        #expect(try await store.doses(accountID: "a1", from: newYearsEve, to: newYearsEve).map(\.id) == ["d1"])

        let trial = try #require(
            try await store.db.select().columns("registered_on", "stopped_on", "allocation_shown_on")
                .from("trials").where("id", .equal, SQLBind("t1")).first())
        #expect(try CalendarDate.stored(trial, "registered_on").description == "1969-12-31")
        #expect(try CalendarDate.storedIfPresent(trial, "stopped_on")?.description == "2199-12-31")
        #expect(try CalendarDate.storedIfPresent(trial, "allocation_shown_on") == nil)
        let amendment = try #require(try await store.db.select().column("date").from("trial_amendments").first())
        #expect(try CalendarDate.stored(amendment, "date").description == "1900-01-01")
        let day = try #require(try await store.db.select().column("date").from("trial_days").first())
        #expect(try CalendarDate.stored(day, "date").description == "2026-03-01")
    }
}

extension Backend {
    /// Runs `body` with the location of an empty database: a new SQLite file, or a PostgreSQL
    /// database created beside the test database and dropped afterwards.
    func withEmptyDatabase(_ body: (DatabaseLocation) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let path = TestFiles.temporarySQLitePath()
            defer { TestFiles.removeSQLite(at: path) }
            try await body(.sqlite(path: path))
        case .postgres:
            let url = try #require(ProcessInfo.processInfo.environment["EPSOM_TEST_POSTGRES_URL"])
            var components = try #require(URLComponents(string: url))
            let name = "epsom_migration_\(UUID().uuidString.prefix(8).lowercased())"
            components.path = "/" + name
            let newURL = try #require(components.string)
            let admin = try await Database.open(.postgres(url: url))
            do {
                try await admin.store.db.raw("CREATE DATABASE \(unsafeRaw: name)").run()
                do {
                    try await body(.postgres(url: newURL))
                } catch {
                    try? await admin.store.db.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name)").run()
                    throw error
                }
                try await admin.store.db.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name)").run()
            } catch {
                try await admin.close()
                throw error
            }
            try await admin.close()
        }
    }
}
