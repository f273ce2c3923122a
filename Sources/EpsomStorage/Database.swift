import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit

/// Where the data lives: `sqlite:PATH` (the default, one file, WAL journal) or a PostgreSQL URL
/// (`postgres://user:password@host:port/database`), for several server processes sharing it.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    public init?(_ text: String) {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { return nil }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else {
            return nil
        }
    }

    /// Never prints a password.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url):
            if let components = URLComponents(string: url), let host = components.host {
                "postgres://\(host)\(components.port.map { ":\($0)" } ?? "")\(components.path)"
            } else {
                "postgres://…"
            }
        }
    }
}

/// An open database: a connection pool and the `Store` over it. Call `close()` when done.
public final class Database: Sendable {
    public let store: SQLStore
    public let location: DatabaseLocation
    private let shutdown: @Sendable () async throws -> Void

    private init(store: SQLStore, location: DatabaseLocation, shutdown: @escaping @Sendable () async throws -> Void) {
        self.store = store
        self.location = location
        self.shutdown = shutdown
    }

    /// Opens the database and applies pending migrations.
    public static func open(
        _ location: DatabaseLocation, logger: Logger = Logger(label: "epsom.database"),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> Database {
        try await open(location, logger: logger, eventLoopGroup: eventLoopGroup, migrations: Migrations.all)
    }

    /// Opens the database and applies `migrations` (the tests of a migration stop before it).
    /// `postgresRequestTimeout`: how long a request waits for a pooled connection; the storage
    /// tests, which run 400 enrolments at once beside the rest of the suite, wait longer, so that
    /// they check correctness and not the machine's speed.
    static func open(
        _ location: DatabaseLocation, logger: Logger = Logger(label: "epsom.database"),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        migrations: [Migration], postgresRequestTimeout: TimeAmount = .seconds(30)
    ) async throws -> Database {
        let database: Database
        switch location {
        case .sqlite(let path):
            let connection: SQLiteConnection
            do {
                connection = try await SQLiteConnection.open(
                    storage: .file(path: path), threadPool: .singleton, logger: logger,
                    on: eventLoopGroup.any())
            } catch {
                throw StoreError(.unavailable, "The SQLite file at \(path) could not be opened.")
            }
            let base = connection.sql(encoder: .init(), decoder: .init(), queryLogLevel: nil)
            // WAL: readers do not block the writer (the mode is stored in the file). FULL sync: an
            // acknowledged write survives a process crash and a power loss (NORMAL would survive
            // only the crash); for health data that is the promise the README makes.
            let synchronous = Self.measuredSynchronous ?? "FULL"
            if synchronous != "FULL" {
                logger.warning(
                    "EPSOM_BENCH_SQLITE_SYNCHRONOUS is set: SQLite runs with synchronous=\(synchronous), for measurement only; acknowledged writes may be lost on a power cut"
                )
            }
            do {
                for pragma in [
                    "PRAGMA foreign_keys = ON", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = \(synchronous)",
                    "PRAGMA busy_timeout = 5000",
                ] {
                    try await base.raw(SQLQueryString(pragma)).run()
                }
            } catch {
                // Not an SQLite database (or unreadable): close before the connection goes away.
                try? await connection.close()
                throw StoreError(.unavailable, "The file at \(path) is not an SQLite database Epsom can use.")
            }
            // A second connection, read-only, for lone SELECTs (see SerializedDatabase).
            let readerConnection: SQLiteConnection
            let reader: any SQLDatabase
            do {
                readerConnection = try await SQLiteConnection.open(
                    storage: .file(path: path), threadPool: .singleton, logger: logger,
                    on: eventLoopGroup.any())
                reader = readerConnection.sql(encoder: SQLiteDataEncoder(), decoder: SQLiteDataDecoder(), queryLogLevel: nil)
                for pragma in ["PRAGMA query_only = ON", "PRAGMA busy_timeout = 5000"] {
                    try await reader.raw(SQLQueryString(pragma)).run()
                }
            } catch {
                try? await connection.close()
                throw StoreError(.unavailable, "The SQLite file at \(path) could not be opened for reading.")
            }
            let readerLock = AsyncLock()
            let db = SerializedDatabase(base: base, lock: AsyncLock(), reader: (database: reader, lock: readerLock))
            let box = UncheckedSendableBox(connection), readerBox = UncheckedSendableBox(readerConnection)
            database = Database(store: SQLStore(database: db), location: location) {
                try await readerBox.value.close()
                try await box.value.close()
            }
        case .postgres(let url):
            let configuration = try SQLPostgresConfiguration(url: url)
            // A burst (200 enrolments at once, each locking its study's row in turn) queues for a
            // connection; 30 s rather than the pool's 10 s default lets the queue drain on a busy
            // machine instead of failing requests that would have been served.
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration),
                maxConnectionsPerEventLoop: 8, requestTimeout: postgresRequestTimeout, logger: logger, on: eventLoopGroup)
            let db = pool.database(logger: logger).sql(queryLogLevel: nil)
            let box = UncheckedSendableBox(pool)
            database = Database(store: SQLStore(database: db), location: location) { try await box.value.shutdownAsync() }
        }
        do {
            try await database.store.migrate(migrations)
        } catch {
            // Schema statements carry no health data; the cause helps whoever runs the server.
            logger.error("database migration failed", metadata: ["location": "\(location)", "error": "\(String(reflecting: error))"])
            try? await database.close()
            throw StoreError(.unavailable, "The database at \(location) could not be opened or migrated.")
        }
        return database
    }

    public func close() async throws { try await shutdown() }

    /// For benchmarks only (`scripts/bench/responsive_under_load.py` measures what FULL costs):
    /// `EPSOM_BENCH_SQLITE_SYNCHRONOUS=NORMAL` weakens SQLite's durability so that the cost can be
    /// measured against it. Not a setting for production, and not documented as one; any other
    /// value than NORMAL or FULL is ignored.
    static var measuredSynchronous: String? {
        guard let value = ProcessInfo.processInfo.environment["EPSOM_BENCH_SQLITE_SYNCHRONOUS"]?.uppercased(),
            value == "NORMAL" || value == "FULL"
        else { return nil }
        return value
    }

    /// A consistent copy of an SQLite database, made online (`VACUUM INTO`: a transaction's
    /// snapshot, written to a new file). Refuses to overwrite a file. PostgreSQL has pg_dump.
    public func backup(to path: String) async throws {
        guard case .sqlite = location else {
            throw StoreError(.unavailable, "Backups of PostgreSQL are made with pg_dump (README, Backups).")
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.unavailable, "\(path) already exists; choose a new file name.")
        }
        try await store.vacuum(into: path)
    }

    /// Replaces the SQLite file at `target` with a backup, after checking that the backup is an
    /// Epsom database whose migrations this version knows. The server must be stopped first.
    public static func restore(backup: String, to target: String) async throws {
        guard FileManager.default.fileExists(atPath: backup) else { throw StoreError(.unavailable, "\(backup) does not exist.") }
        // Check on a scratch copy, so that a bad file changes nothing.
        let scratch = target + ".restoring"
        try? FileManager.default.removeItem(atPath: scratch)
        try FileManager.default.copyItem(atPath: backup, toPath: scratch)
        do {
            let opened = try await Database.open(.sqlite(path: scratch))
            try await opened.close()
        } catch {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: scratch + suffix) }
            throw StoreError(.unavailable, "\(backup) is not an Epsom database this version can open.")
        }
        for suffix in ["-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: target + suffix)
            try? FileManager.default.removeItem(atPath: scratch + suffix)
        }
        // rename(2) replaces the target in one step: never a half-restored file.
        guard rename(scratch, target) == 0 else {
            throw StoreError(.unavailable, "\(target) could not be replaced.")
        }
    }
}

/// AsyncKit's pool and SQLiteNIO's connection are safe to use from any thread but are not marked
/// `Sendable`; this box carries them into the shutdown closure.
struct UncheckedSendableBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
