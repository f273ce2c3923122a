import EpsomCore
import Foundation

/// The committed fixtures and temporary files of the test suites.
public enum TestFiles {
    /// The Tests folder of the repository.
    public static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    /// A file below Tests, such as "EpsomStatsTests/Fixtures/metafor.json".
    public static func url(_ path: String) -> URL { tests.appendingPathComponent(path) }

    /// Decodes a committed JSON fixture below Tests.
    public static func decode<T: Decodable>(_ path: String, as type: T.Type = T.self) throws -> T {
        try WireJSON.decoder().decode(T.self, from: Data(contentsOf: url(path)))
    }

    /// A new empty folder in the temporary directory.
    public static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("epsom-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Runs `body` with a new temporary folder and removes the folder afterwards, whatever happens.
    public static func withTemporaryFolder<T>(_ body: (URL) throws -> T) throws -> T {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        return try body(folder)
    }

    /// A path for a new SQLite database in the temporary directory (nothing is created).
    public static func temporarySQLitePath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("epsom-test-\(UUID().uuidString).sqlite").path
    }

    /// Removes a SQLite database with its write-ahead log and shared-memory files.
    public static func removeSQLite(at path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

/// Decodes a JSON text (a response body, a command's output) into a Decodable type.
public func decodeJSON<T: Decodable>(_ type: T.Type = T.self, from text: String) throws -> T {
    try WireJSON.decoder().decode(T.self, from: Data(text.utf8))
}
