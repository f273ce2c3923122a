import Logging
import NIOCore
import SQLKit

/// One SQL connection shared by many tasks, with sessions serialized by an async lock, and
/// optionally a second, read-only connection for single reads.
///
/// SQLite allows one writer at a time, so Epsom keeps a single writing connection to the file. A
/// plain shared connection would let one task's query run inside another task's BEGIN…COMMIT;
/// here every query, and every `withSession` block as a whole, holds the lock, so a transaction
/// sees only its own statements.
///
/// A lone SELECT goes to the reader connection instead, under a lock of its own: in WAL mode a
/// reader sees every committed write and never waits for the writer, so one person's large
/// import no longer holds up another's diary read. Anything inside `withSession` (transactions)
/// stays on the writer and sees its own uncommitted rows.
struct SerializedDatabase: SQLDatabase {
    let base: any SQLDatabase
    let lock: AsyncLock
    var reader: (database: any SQLDatabase, lock: AsyncLock)? = nil

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await self.execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        if let reader, isRead(query) {
            try await reader.lock.withLock { try await reader.database.execute(sql: query, onRow) }
        } else {
            try await lock.withLock { try await base.execute(sql: query, onRow) }
        }
    }

    /// A statement that only reads: its text starts with SELECT.
    func isRead(_ query: any SQLExpression) -> Bool {
        var serializer = SQLSerializer(database: base)
        query.serialize(to: &serializer)
        return serializer.sql.prefix(7).uppercased() == "SELECT "
    }

    /// The closure gets the unlocked connection: it already holds the lock for its whole run.
    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await lock.withLock { try await closure(base) }
    }
}

/// A FIFO async mutex.
actor AsyncLock {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !locked {
            locked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            locked = false
        } else {
            waiters.removeFirst().resume()
        }
    }

    nonisolated func withLock<R>(_ body: () async throws -> R) async throws -> R {
        await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }
}
