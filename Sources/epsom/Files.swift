import EpsomCore
import Foundation

/// Reads a CSV file for a command, turning every failure into a message that names the file.
enum Files {
    static func readCSV(_ path: String) throws -> CSVTable {
        // The size first: a file too large to be an input is refused before it is read.
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        if let size, size > CSVTable.maximumBytes {
            throw CommandFailure("\(path): the file is larger than \(CSVTable.maximumBytes >> 20) MB")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CommandFailure("\(path): cannot be read") }
        defer { try? handle.close() }
        let bytes: [UInt8]
        do {
            // One read into one array of bytes: the table keeps it and points into it.
            bytes = [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            throw CommandFailure("\(path): cannot be read")
        }
        do {
            return try CSVTable(bytes: bytes)
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

/// Standard output for large answers: bytes go out as they are written.
enum StandardOutput {
    static func write(_ bytes: ArraySlice<UInt8>) {
        try? FileHandle.standardOutput.write(contentsOf: Data(bytes))
    }

    /// Streams text to standard output as `produce` hands it over, a megabyte at a time.
    static func text(_ produce: (([UInt8]) -> Void) -> Void) {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        produce { piece in
            buffer.append(contentsOf: piece)
            if buffer.count >= 1 << 20 {
                write(buffer[...])
                buffer.removeAll(keepingCapacity: true)
            }
        }
        write(buffer[...])
    }

    /// Streams a report's JSON to standard output (`JSONStream`).
    static func json<T: Encodable>(_ value: T) throws {
        try JSONStream.write(value, sink: write)
    }
}
