import EpsomCore
import Foundation

/// Reads a CSV file for a command, turning every failure into a message that names the file.
enum Files {
    static func readCSV(_ path: String) throws -> CSVTable {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure("\(path): cannot be read")
        }
        do {
            return try CSVTable(parsing: String(decoding: data, as: UTF8.self))
        } catch {
            throw CommandFailure("\(path): \(error)")
        }
    }

    static func write(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CommandFailure("\(path): cannot be written")
        }
    }
}
