import EpsomCore
import EpsomTestSupport
import Foundation
import SQLKit
import Testing

@testable import EpsomStorage

/// One conformance suite for every backend: SQLite in a temporary file always, PostgreSQL when
/// EPSOM_TEST_POSTGRES_URL is set (CI sets it). Tests share a PostgreSQL database, so each one
/// works in accounts of its own.
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres

    static var available: [Backend] {
        ProcessInfo.processInfo.environment["EPSOM_TEST_POSTGRES_URL"] == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    var testDescription: String { rawValue }

    /// Opens a fresh database; a SQLite one lives at `sqlitePath`.
    func open(sqlitePath: String) async throws -> Database {
        switch self {
        case .sqlite:
            return try await Database.open(.sqlite(path: sqlitePath))
        case .postgres:
            return try await Database.open(
                .postgres(url: ProcessInfo.processInfo.environment["EPSOM_TEST_POSTGRES_URL"]!), migrations: Migrations.all,
                postgresRequestTimeout: .seconds(120))
        }
    }

    /// Runs `body` on a fresh database, closed afterwards; a temporary SQLite file is removed with its -wal and -shm.
    func with(_ body: (SQLStore) async throws -> Void) async throws {
        let path = TestFiles.temporarySQLitePath()
        defer { TestFiles.removeSQLite(at: path) }
        let database = try await open(sqlitePath: path)
        do {
            try await body(database.store)
        } catch {
            try await database.close()
            throw error
        }
        try await database.close()
    }
}

@Suite struct StoreTests {
    static func newAccount(_ store: SQLStore, role: Role = .patient) async throws -> Account {
        try await store.createAccount(
            NewAccount(
                email: "\(UUID().uuidString)@Example.org", name: "Test Person",
                passwordHash: "$2b$12$hash", role: role))
    }

    static let day = CalendarDate(iso: "2026-03-01")!

    @Test(arguments: Backend.available)
    func migrationsAreAppliedOnce(_ backend: Backend) async throws {
        try await backend.with { store in
            let applied = try await store.migrate()
            #expect(applied.isEmpty)  // Database.open already applied them
        }
    }

    @Test(arguments: Backend.available)
    func accountsAreUniqueByEmailCaseInsensitively(_ backend: Backend) async throws {
        try await backend.with { store in
            let a = try await Self.newAccount(store)
            #expect(a.email == a.email.lowercased())
            #expect(try await store.account(email: a.email.uppercased())?.id == a.id)
            #expect(try await store.account(id: a.id)?.name == "Test Person")
            await #expect(throws: StoreError.duplicateEmail) {
                _ = try await store.createAccount(NewAccount(email: a.email.uppercased(), name: "Other", passwordHash: "x"))
            }
            try await store.updateSafetyProfile(
                accountID: a.id, SafetyProfile(kidneyDisease: true, medicines: [.quinolone, .tetracycline]))
            let updated = try #require(try await store.account(id: a.id))
            #expect(updated.safetyProfile == SafetyProfile(kidneyDisease: true, medicines: [.quinolone, .tetracycline]))
            #expect(updated.missedUseDays == 2)  // the column default
            try await store.updateMissedUseDays(accountID: a.id, days: 5)
            #expect(try await store.account(id: a.id)?.missedUseDays == 5)
        }
    }

    @Test(arguments: Backend.available)
    func sessionsExpireAndEnd(_ backend: Backend) async throws {
        try await backend.with { store in
            let a = try await Self.newAccount(store)
            let live = StoredSession(tokenHash: UUID().uuidString, accountID: a.id, kind: .web, csrfToken: "c", expiresAt: 2_000_000_000)
            let old = StoredSession(tokenHash: UUID().uuidString, accountID: a.id, kind: .api, csrfToken: "", expiresAt: 1_000)
            try await store.createSession(live)
            try await store.createSession(old)
            #expect(try await store.session(tokenHash: live.tokenHash) == live)
            let identity = try #require(try await store.identity(tokenHash: live.tokenHash))
            #expect(identity.session == live && identity.account == a)
            #expect(try await store.identity(tokenHash: "unknown") == nil)
            try await store.deleteExpiredSessions(now: 1_500_000_000, idleSince: 0)
            #expect(try await store.session(tokenHash: old.tokenHash) == nil)
            #expect(try await store.session(tokenHash: live.tokenHash) != nil)
            try await store.deleteSession(tokenHash: live.tokenHash)
            #expect(try await store.session(tokenHash: live.tokenHash) == nil)
        }
    }

    @Test(arguments: Backend.available)
    func diaryEntriesAreEditableAndPrivate(_ backend: Backend) async throws {
        try await backend.with { store in
            let a = try await Self.newAccount(store), b = try await Self.newAccount(store)
            var entry = DiaryEntry(date: Self.day, pain: 6, enjoyment: 5, sideEffects: [.diarrhoea], note: "ok")
            try await store.saveDiaryEntry(entry, accountID: a.id)
            entry.pain = 4
            entry.sleep = 7
            entry.sideEffects = [.skinIrritation, .other]
            try await store.saveDiaryEntry(entry, accountID: a.id)  // same day: an edit
            try await store.saveDiaryEntry(DiaryEntry(date: Self.day.adding(days: 1), pain: 3), accountID: a.id)
            #expect(try await store.diaryEntry(accountID: a.id, date: Self.day) == entry)
            let range = try await store.diaryEntries(accountID: a.id, from: Self.day, to: Self.day.adding(days: 5))
            #expect(range.map(\.pain) == [4, 3])
            #expect(try await store.diaryEntries(accountID: b.id, from: Self.day, to: Self.day.adding(days: 5)).isEmpty)
            #expect(try await store.diaryEntry(accountID: b.id, date: Self.day) == nil)
            #expect(try await store.deleteDiaryEntry(accountID: b.id, date: Self.day) == false)
            #expect(try await store.deleteDiaryEntry(accountID: a.id, date: Self.day) == true)
            #expect(try await store.diaryEntry(accountID: a.id, date: Self.day) == nil)
        }
    }

    @Test(arguments: Backend.available)
    func dosesAndProductsRoundTrip(_ backend: Backend) async throws {
        try await backend.with { store in
            let a = try await Self.newAccount(store), b = try await Self.newAccount(store)
            let cream = try Dose.validated([
                "taken_at": "2026-03-01T21:30", "product": "Cream", "route": "transdermal_cream",
                "amount": "2", "unit": "pump", "elemental_mg": "56", "site": "soles of the feet",
            ])
            let tablet = try Dose.validated([
                "taken_at": "2026-03-02T08:00", "product": "Citrate", "route": "oral",
                "salt": "citrate", "amount": "1.5", "unit": "g",
            ])
            let id = try await store.addDose(cream, accountID: a.id)
            _ = try await store.addDose(tablet, accountID: a.id)
            let stored = try await store.doses(accountID: a.id, from: Self.day, to: Self.day.adding(days: 1))
            #expect(stored.map(\.dose) == [cream, tablet])
            #expect(try await store.doses(accountID: a.id, from: Self.day, to: Self.day).map(\.dose) == [cream])
            #expect(try await store.deleteDose(id: id, accountID: b.id) == false)  // not b's dose
            #expect(try await store.deleteDose(id: id, accountID: a.id) == true)

            var product = Product(
                id: UUID().uuidString, name: "Cream", route: .transdermalCream, amount: 2, unit: .pump,
                elementalMilligrams: 56, site: "soles of the feet")
            try await store.saveProduct(product, accountID: a.id)
            product.amount = 3
            try await store.saveProduct(product, accountID: a.id)
            #expect(try await store.products(accountID: a.id) == [product])
            #expect(try await store.products(accountID: b.id).isEmpty)
            // The same id saved by someone else is their own product, and leaves a's untouched.
            var other = product
            other.name = "B's cream"
            try await store.saveProduct(other, accountID: b.id)
            #expect(try await store.products(accountID: a.id) == [product])
            #expect(try await store.products(accountID: b.id).map(\.name) == ["B's cream"])
            // Deleting that id for b removes b's product only.
            #expect(try await store.deleteProduct(id: product.id, accountID: b.id) == true)
            #expect(try await store.products(accountID: a.id) == [product])
            #expect(try await store.deleteProduct(id: product.id, accountID: a.id) == true)
            #expect(try await store.deleteProduct(id: product.id, accountID: a.id) == false)
        }
    }

    @Test(arguments: Backend.available)
    func sharingUntilRevoked(_ backend: Backend) async throws {
        try await backend.with { store in
            let patient = try await Self.newAccount(store), clinician = try await Self.newAccount(store, role: .clinician)
            #expect(try await store.isShared(patientID: patient.id, clinicianID: clinician.id) == false)
            try await store.share(patientID: patient.id, clinicianID: clinician.id)
            try await store.share(patientID: patient.id, clinicianID: clinician.id)  // idempotent
            #expect(try await store.isShared(patientID: patient.id, clinicianID: clinician.id))
            #expect(try await store.patients(sharedWith: clinician.id).map(\.id) == [patient.id])
            #expect(try await store.clinicians(of: patient.id).map(\.id) == [clinician.id])
            try await store.revoke(patientID: patient.id, clinicianID: clinician.id)
            #expect(try await store.isShared(patientID: patient.id, clinicianID: clinician.id) == false)
        }
    }

    /// Sharing by email: an email with no clinician account waits as an invitation, which
    /// becomes a share when a clinician signs up with it or an account turns clinician.
    @Test(arguments: Backend.available)
    func invitationsWaitForTheClinician(_ backend: Backend) async throws {
        try await backend.with { store in
            let patient = try await Self.newAccount(store)
            let email = "invited-\(UUID().uuidString.prefix(8).lowercased())@example.org"
            try await store.share(patientID: patient.id, email: email.uppercased())
            #expect(try await store.sharedEmails(of: patient.id) == [email])
            let clinician = try await store.createAccount(NewAccount(email: email, name: "Dr", passwordHash: "x", role: .clinician))
            #expect(try await store.isShared(patientID: patient.id, clinicianID: clinician.id))
            #expect(try await store.sharedEmails(of: patient.id) == [email])
            try await store.revoke(patientID: patient.id, email: email)
            #expect(try await !store.isShared(patientID: patient.id, clinicianID: clinician.id))
            #expect(try await store.sharedEmails(of: patient.id).isEmpty)
            // A patient's email waits too, and is shared once that account becomes a clinician's.
            let colleague = try await Self.newAccount(store)
            try await store.share(patientID: patient.id, email: colleague.email)
            #expect(try await !store.isShared(patientID: patient.id, clinicianID: colleague.id))
            try await store.updateRole(accountID: colleague.id, role: .clinician)
            #expect(try await store.isShared(patientID: patient.id, clinicianID: colleague.id))
        }
    }

    /// The newest diary entry in one row (the clinician's list reads it for every patient).
    @Test(arguments: Backend.available)
    func latestDiaryEntryIsTheNewest(_ backend: Backend) async throws {
        try await backend.with { store in
            let a = try await Self.newAccount(store)
            #expect(try await store.latestDiaryEntry(accountID: a.id) == nil)
            for (day, pain) in [("2026-03-05", 4), ("2026-03-01", 7)] {
                try await store.saveDiaryEntry(DiaryEntry(date: try #require(CalendarDate(iso: day)), pain: pain), accountID: a.id)
            }
            let latest = try #require(try await store.latestDiaryEntry(accountID: a.id))
            #expect(latest.date.description == "2026-03-05" && latest.pain == 4)
        }
    }

    /// Rate-limit counters: per key and fixed window, atomic, restarting in a new window.
    @Test(arguments: Backend.available)
    func rateLimitCountersCountPerWindow(_ backend: Backend) async throws {
        try await backend.with { store in
            let key = "test-" + UUID().uuidString, window = 900, t = 1_800_000_000
            #expect(try await store.failures(key: key, window: window, now: t) == 0)
            for _ in 0..<3 { try await store.recordFailure(key: key, window: window, now: t) }
            #expect(try await store.failures(key: key, window: window, now: t + 10) == 3)
            let next = t - t % window + window
            #expect(try await store.failures(key: key, window: window, now: next) == 0)
            try await store.recordFailure(key: key, window: window, now: next)
            #expect(try await store.failures(key: key, window: window, now: next) == 1)
        }
    }

    @Test(arguments: Backend.available)
    func transactionsAreAllOrNothing(_ backend: Backend) async throws {
        try await backend.with { store in
            let a = try await Self.newAccount(store)
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await SQLStore.changingRecords(of: a.id, on: store.db) { records in
                    try await SQLStore.upsert(DiaryEntry(date: Self.day, pain: 5), in: records)
                    throw Boom()
                }
            }
            #expect(try await store.diaryEntry(accountID: a.id, date: Self.day) == nil)
            try await store.importRecords(accountID: a.id, diary: [DiaryEntry(date: Self.day, pain: 2)], doses: [])
            #expect(try await store.diaryEntry(accountID: a.id, date: Self.day)?.pain == 2)
        }
    }

    /// A 20,000-row import goes in 500 rows to a statement, all in one transaction: a failure in
    /// the last statement (a trigger refusing one row) leaves nothing of the first 39; a date given
    /// twice keeps its last row, as row-by-row upserts did.
    @Test(arguments: Backend.available)
    func largeImportsWriteEveryRowOrNone(_ backend: Backend) async throws {
        try await backend.with { store in
            let a = try await Self.newAccount(store)
            let start = CalendarDate(iso: "1970-01-01")!
            try await store.saveDiaryEntry(DiaryEntry(date: start, pain: 9, note: "before"), accountID: a.id)
            let refused = "refused \(UUID().uuidString)"
            switch backend {
            case .sqlite:
                try await store.db.raw(
                    """
                    CREATE TEMP TRIGGER refuse_one BEFORE INSERT ON diary_entries WHEN NEW.note = \(literal: refused)
                    BEGIN SELECT RAISE(ABORT, 'refused'); END
                    """
                ).run()
            case .postgres:
                try await store.db.raw(
                    """
                    CREATE OR REPLACE FUNCTION epsom_test_refuse() RETURNS trigger AS $$ BEGIN
                    IF NEW.note LIKE 'refused %' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql
                    """
                ).run()
                try await store.db.raw("DROP TRIGGER IF EXISTS refuse_one ON diary_entries").run()
                try await store.db.raw(
                    "CREATE TRIGGER refuse_one BEFORE INSERT ON diary_entries FOR EACH ROW EXECUTE FUNCTION epsom_test_refuse()"
                ).run()
            }
            let rows = (0..<20_000).map { DiaryEntry(date: start.adding(days: $0), pain: $0 % 11, note: $0 == 19_999 ? refused : "new") }
            await #expect(throws: (any Error).self) {
                try await store.importRecords(accountID: a.id, diary: rows, doses: [])
            }
            let far = start.adding(days: 30_000)
            #expect(try await store.diaryEntries(accountID: a.id, from: start, to: far).map(\.note) == ["before"])
            if backend == .postgres { try await store.db.raw("DROP TRIGGER refuse_one ON diary_entries").run() }
            // Without the refused row: all 20,000 written; the first date given twice keeps its last row.
            var good = rows
            good[19_999].note = "new"
            good.append(DiaryEntry(date: start, pain: 1, note: "last"))
            try await store.importRecords(accountID: a.id, diary: good, doses: [])
            let stored = try await store.diaryEntries(accountID: a.id, from: start, to: far)
            #expect(stored.count == 20_000)
            #expect(stored.first?.note == "last" && stored.first?.pain == 1 && stored.last?.pain == 19_999 % 11)
        }
    }

    @Test(arguments: Backend.available)
    func deletingAnAccountErasesEverything(_ backend: Backend) async throws {
        try await backend.with { store in
            let a = try await Self.newAccount(store)
            try await store.saveDiaryEntry(DiaryEntry(date: Self.day, pain: 5), accountID: a.id)
            _ = try await store.addDose(
                try Dose.validated([
                    "taken_at": "2026-03-01T08:00", "product": "P", "route": "oral",
                    "amount": "1", "unit": "tablet", "elemental_mg": "100",
                ]), accountID: a.id)
            let token = UUID().uuidString
            try await store.createSession(
                StoredSession(tokenHash: token, accountID: a.id, kind: .web, csrfToken: "c", expiresAt: 2_000_000_000))
            try await store.deleteAccount(id: a.id)
            #expect(try await store.account(id: a.id) == nil)
            #expect(try await store.diaryEntries(accountID: a.id, from: Self.day, to: Self.day).isEmpty)
            #expect(try await store.doses(accountID: a.id, from: Self.day, to: Self.day).isEmpty)
            #expect(try await store.session(tokenHash: token) == nil)
        }
    }

    @Test func locationsParseAndHidePasswords() {
        #expect(DatabaseLocation("sqlite:epsom.db") == .sqlite(path: "epsom.db"))
        #expect(DatabaseLocation("postgres://u:secret@localhost:5433/epsom")?.description == "postgres://localhost:5433/epsom")
        #expect(DatabaseLocation("mysql://x") == nil)
        #expect(DatabaseLocation("sqlite:") == nil)
    }
}
