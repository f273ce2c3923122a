import EpsomCore
import EpsomTestSupport
import Foundation
import Testing

@testable import EpsomStorage

/// Backups, restores, readiness and text the databases must treat alike.
@Suite struct OperationsTests {
    static func temporaryPath(_ name: String = "db") -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("epsom-\(name)-\(UUID().uuidString).sqlite").path
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// A backup taken while the database is open is a consistent copy; restoring it brings back
    /// exactly what it held, and a file that is not an Epsom database changes nothing.
    @Test func backupAndRestore() async throws {
        let live = Self.temporaryPath(), copy = Self.temporaryPath("backup")
        defer { Self.remove(live); Self.remove(copy) }
        let database = try await Database.open(.sqlite(path: live))
        let account = try await database.store.createAccount(NewAccount(email: "a@example.org", name: "A", passwordHash: "x"))
        try await database.store.saveDiaryEntry(
            DiaryEntry(date: CalendarDate(iso: "2026-03-01")!, pain: 6, note: "before"), accountID: account.id)
        try await database.backup(to: copy)
        await #expect(throws: StoreError.self) { try await database.backup(to: copy) }  // never overwrites
        try await database.store.saveDiaryEntry(
            DiaryEntry(date: CalendarDate(iso: "2026-03-01")!, pain: 2, note: "after"), accountID: account.id)
        try await database.close()

        let junk = Self.temporaryPath("junk")
        defer { Self.remove(junk) }
        try "not a database".write(toFile: junk, atomically: true, encoding: .utf8)
        await #expect(throws: StoreError.self) { try await Database.restore(backup: junk, to: live) }
        let untouched = try await Database.open(.sqlite(path: live))
        #expect(try await untouched.store.diaryEntry(accountID: account.id, date: CalendarDate(iso: "2026-03-01")!)?.note == "after")
        try await untouched.close()

        try await Database.restore(backup: copy, to: live)
        let restored = try await Database.open(.sqlite(path: live))
        #expect(try await restored.store.diaryEntry(accountID: account.id, date: CalendarDate(iso: "2026-03-01")!)?.note == "before")
        try await restored.store.ping()
        try await restored.close()
    }
}

/// On SQLite a lone read does not wait for another request's transaction: it runs on the
/// read-only connection and sees what was committed before.
@Suite struct ReaderConnectionTests {
    actor Flag {
        var done = false
        func set() { done = true }
    }

    @Test func aReadCompletesWhileATransactionHoldsTheWriter() async throws {
        let path = TestFiles.temporarySQLitePath()
        defer { TestFiles.removeSQLite(at: path) }
        let database = try await Database.open(.sqlite(path: path))
        let store = database.store
        let account = try await store.createAccount(NewAccount(email: "r@example.org", name: "R", passwordHash: "x"))
        let readDone = Flag()
        let sawReadInside = try await SQLTransaction.run(on: store.db) { tx in
            try await tx.raw("UPDATE accounts SET name = 'changed, not yet committed'").run()
            let reader = Task { () async throws -> String? in
                let name = try await store.account(id: account.id)?.name
                await readDone.set()
                return name
            }
            // Wait (at most 5 s) for the read while this transaction still holds the writer.
            for _ in 0..<500 where !(await readDone.done) { try await Task.sleep(for: .milliseconds(10)) }
            let done = await readDone.done
            #expect(try await reader.value == "R")  // the committed name, not this transaction's
            return done
        }
        #expect(sawReadInside)
        #expect(try await store.account(id: account.id)?.name == "changed, not yet committed")
        try await database.close()
    }
}
