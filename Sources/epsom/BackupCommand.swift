import ArgumentParser
import EpsomStorage
import Foundation

/// `epsom backup PATH`: a consistent copy of the SQLite database while the server runs.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the SQLite database to a new file, consistently, while the server may be running.",
        discussion: """
            The copy is one transaction's snapshot (SQLite's VACUUM INTO), so it is never half \\
            written. For PostgreSQL use pg_dump (README, Backups). Restore with epsom restore.
            """)

    @Argument(help: "The new file to write (it must not exist).")
    var path: String

    @Option(help: "sqlite:PATH (default: EPSOM_DATABASE_URL, else sqlite:epsom.sqlite).")
    var database: String?

    func run() async throws {
        let location = try DatabaseLocation.resolve(database)
        guard case .sqlite = location else {
            throw CommandFailure("epsom backup copies an SQLite file; for PostgreSQL use pg_dump (README, Backups).")
        }
        let opened = try await Database.openForCommand(location)
        do {
            try await opened.backup(to: path)
        } catch {
            try? await opened.close()
            throw CommandFailure("\(error)")
        }
        try await opened.close()
        say("Backed up \(location) to \(path).")
    }
}

/// `epsom restore BACKUP`: replaces the SQLite database with a backup (server stopped).
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the SQLite database with a backup made by epsom backup (stop the server first).",
        discussion: """
            The backup is checked first (it must open as an Epsom database); the database file is \\
            then replaced in one step, so a failed restore changes nothing.
            """)

    @Argument(help: "The backup file.")
    var backup: String

    @Option(help: "sqlite:PATH to replace (default: EPSOM_DATABASE_URL, else sqlite:epsom.sqlite).")
    var database: String?

    func run() async throws {
        guard case .sqlite(let target) = try DatabaseLocation.resolve(database) else {
            throw CommandFailure("epsom restore replaces an SQLite file; for PostgreSQL use pg_restore (README, Backups).")
        }
        do {
            try await Database.restore(backup: backup, to: target)
        } catch {
            throw CommandFailure("\(error)")
        }
        say("Restored \(backup) into sqlite:\(target).")
    }
}

extension DatabaseLocation {
    /// The --database option, else EPSOM_DATABASE_URL, else the default file.
    static func resolve(_ option: String?) throws -> DatabaseLocation {
        let text = option ?? ProcessInfo.processInfo.environment["EPSOM_DATABASE_URL"] ?? "sqlite:epsom.sqlite"
        guard let location = DatabaseLocation(text) else {
            throw ValidationError("--database must be sqlite:PATH or a postgres:// URL.")
        }
        return location
    }
}

extension Database {
    static func openForCommand(_ location: DatabaseLocation) async throws -> Database {
        do { return try await Database.open(location) } catch { throw CommandFailure("\(error)") }
    }
}
