import EpsomCore
import Foundation
import SQLKit

/// CSV import: every row or none, without holding SQLite's writer longer than a short copy.
extension SQLStore {
    /// Rows per INSERT statement in an import: 500 diary rows bind 5,000 values, far below
    /// SQLite's 32,766 and PostgreSQL's 65,535.
    static let importBatch = 500

    /// All rows or none, holding SQLite's writing connection only briefly at a time. Every row's
    /// values are built first; rows go in 500 to a statement.
    ///
    /// On SQLite every other write waits for the one writing connection, so the rows are first staged
    /// in a temporary table (connection-local, never synced to disk), one short statement at a
    /// time with other people's requests in between; then one transaction copies them into the
    /// real tables with two `INSERT … SELECT` statements that run inside SQLite's C code. Writing
    /// the 40 statements inside the transaction instead held the connection for ~300 ms per
    /// 20,000-row import and pushed other people's diary reads to a p99 of 240 ms. On PostgreSQL
    /// a transaction holds only its own pooled connection, so the batches go straight in.
    /// A date that appears twice keeps its last row, as row-by-row upserts did.
    public func importRecords(accountID: String, diary: [DiaryEntry], doses: [Dose]) async throws {
        var lastRowOfDate: [CalendarDate: Int] = [:]
        for (i, entry) in diary.enumerated() { lastRowOfDate[entry.date] = i }
        let diaryRows: [[any SQLExpression]] = diary.indices.filter { lastRowOfDate[diary[$0].date] == $0 }.map {
            Self.diaryValues(diary[$0], accountID: accountID)
        }
        let doseRows: [[any SQLExpression]] = doses.map { Self.doseValues($0, id: Self.newID(), accountID: accountID) }
        if db.dialect.name == "sqlite" {
            try await importStaged(accountID: accountID, diaryRows: diaryRows, doseRows: doseRows)
            return
        }
        let diaryBatches = Self.batches(diaryRows), doseBatches = Self.batches(doseRows)
        try await Self.changingRecords(of: accountID, on: db) { records in
            let tx = records.db
            for batch in diaryBatches {
                try await tx.insert(into: "diary_entries").columns(Self.diaryColumns).rows(batch)
                    .onConflict(with: ["account_id", "date"]) { update in Self.updateDiaryColumns(update) }
                    .run()
            }
            for batch in doseBatches {
                try await tx.insert(into: "doses").columns(Self.doseColumns).rows(batch).run()
            }
        }
    }

    static func batches(_ rows: [[any SQLExpression]]) -> [[[any SQLExpression]]] {
        stride(from: 0, to: rows.count, by: importBatch).map { Array(rows[$0..<min($0 + importBatch, rows.count)]) }
    }

    private func importStaged(accountID: String, diaryRows: [[any SQLExpression]], doseRows: [[any SQLExpression]]) async throws {
        let importID = Self.newID()
        let diaryList = Self.diaryColumns.joined(separator: ", ")
        let doseList = Self.doseColumns.joined(separator: ", ")
        let updates = Self.diaryColumns.dropFirst(2).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        // Same columns as the real tables (no constraints: those are checked on the copy), plus the import's id.
        try await db.raw(
            "CREATE TEMP TABLE IF NOT EXISTS staged_diary_entries AS SELECT '' AS import_id, * FROM main.diary_entries WHERE 0"
        ).run()
        try await db.raw("CREATE TEMP TABLE IF NOT EXISTS staged_doses AS SELECT '' AS import_id, * FROM main.doses WHERE 0").run()
        do {
            for batch in Self.batches(diaryRows) {
                try await db.insert(into: "staged_diary_entries").columns(["import_id"] + Self.diaryColumns)
                    .rows(batch.map { [SQLBind(importID)] + $0 }).run()
            }
            for batch in Self.batches(doseRows) {
                try await db.insert(into: "staged_doses").columns(["import_id"] + Self.doseColumns)
                    .rows(batch.map { [SQLBind(importID)] + $0 }).run()
            }
            try await Self.changingRecords(of: accountID, on: db) { records in
                let tx = records.db
                // "WHERE" before "ON CONFLICT" keeps SQLite's parser from reading ON as a join's.
                try await tx.raw(
                    """
                    INSERT INTO main.diary_entries (\(unsafeRaw: diaryList)) SELECT \(unsafeRaw: diaryList) FROM temp.staged_diary_entries
                    WHERE import_id = \(bind: importID) ON CONFLICT (account_id, date) DO UPDATE SET \(unsafeRaw: updates)
                    """
                ).run()
                try await tx.raw(
                    "INSERT INTO main.doses (\(unsafeRaw: doseList)) SELECT \(unsafeRaw: doseList) FROM temp.staged_doses WHERE import_id = \(bind: importID)"
                ).run()
                try await tx.raw("DELETE FROM temp.staged_diary_entries WHERE import_id = \(bind: importID)").run()
                try await tx.raw("DELETE FROM temp.staged_doses WHERE import_id = \(bind: importID)").run()
            }
        } catch {
            try? await db.raw("DELETE FROM temp.staged_diary_entries WHERE import_id = \(bind: importID)").run()
            try? await db.raw("DELETE FROM temp.staged_doses WHERE import_id = \(bind: importID)").run()
            throw error
        }
    }
}
