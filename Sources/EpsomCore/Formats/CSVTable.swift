/// A parsed CSV file (RFC 4180): a header row and data rows, each remembering its line number so
/// that every error can name the line a person sees in their editor.
///
/// The file is kept as its bytes and each field as a range of them: parsing allocates no string
/// per cell, and numbers are read straight from the bytes (`number(_:_:)`). `rows` makes the
/// cells into strings for readers that want them (imports of a few thousand rows); the large
/// inputs (`epsom meta`, `pool`, the workbench) read columns through `ColumnReader`, which uses
/// the byte accessors.
public struct CSVTable: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        /// 1-based line number where the row starts in the file.
        public var line: Int
        public var fields: [String]
    }

    /// The largest file read: offsets are 32-bit, and a larger table is no meta-analysis input.
    public static let maximumBytes = 1 << 30

    public private(set) var header: [String]
    /// The file's bytes.
    let bytes: [UInt8]
    /// Per data row: its line, and where its cells start in `cells`.
    private let lines: [Int32]
    /// Every data cell, row after row: start and end offsets into `bytes` (a quoted cell
    /// without its quotes).
    let starts: [UInt32]
    let ends: [UInt32]
    /// Cells whose text has doubled quotes to undo (rare: kept aside).
    let escaped: Set<Int>

    /// The number of data rows.
    public var rowCount: Int { lines.count }

    /// The 1-based line in the file where data row `row` starts.
    public func line(_ row: Int) -> Int { Int(lines[row]) }

    /// Parses text: fields separated by commas, optionally quoted with double quotes (a quote
    /// inside a quoted field is doubled), records ending in LF or CRLF. Header names are trimmed of
    /// surrounding spaces; a byte-order mark is ignored; blank lines are skipped.
    public init(parsing text: String) throws(InputError) {
        try self.init(bytes: Array(text.utf8))
    }

    /// Parses a file's bytes (UTF-8), as `init(parsing:)` does text.
    public init(bytes input: [UInt8]) throws(InputError) {
        guard input.count <= Self.maximumBytes else {
            throw InputError(message: "the file is larger than \(Self.maximumBytes >> 20) MB")
        }
        bytes = input
        var header: [String]? = nil
        var width = 0
        var lines: [Int32] = [], starts: [UInt32] = [], ends: [UInt32] = []
        var escaped = Set<Int>()
        // Rough capacity from the first line, to avoid regrowing on large files.
        if let firstBreak = input.firstIndex(of: 10), firstBreak > 0 {
            let estimate = input.count / (firstBreak + 1) + 1
            lines.reserveCapacity(estimate)
        }
        var failure: InputError?
        input.withUnsafeBufferPointer { buffer in
            let n = buffer.count
            var i = 0
            // A byte-order mark (EF BB BF) at the very start is not part of the header.
            if n >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { i = 3 }
            var line = 1
            // The current record's cells.
            var recordStarts: [UInt32] = [], recordEnds: [UInt32] = [], recordEscaped: [Bool] = []
            var recordLine = 1
            while i <= n {
                // One record: cells until a line break or the end.
                recordStarts.removeAll(keepingCapacity: true)
                recordEnds.removeAll(keepingCapacity: true)
                recordEscaped.removeAll(keepingCapacity: true)
                recordLine = line
                var endOfRecord = false
                var onlyEmpty = true
                while !endOfRecord {
                    if i < n, buffer[i] == 0x22 {  // a quoted cell
                        let start = i + 1
                        var j = start
                        var doubled = false
                        var closed = false
                        while j < n {
                            let b = buffer[j]
                            if b == 0x22 {
                                if j + 1 < n, buffer[j + 1] == 0x22 {
                                    doubled = true
                                    j += 2
                                    continue
                                }
                                closed = true
                                break
                            }
                            if b == 10 { line += 1 }
                            j += 1
                        }
                        guard closed else {
                            failure = InputError(line: recordLine, message: "a quoted field is not closed (missing \")")
                            return
                        }
                        recordStarts.append(UInt32(start))
                        recordEnds.append(UInt32(j))
                        recordEscaped.append(doubled)
                        onlyEmpty = false
                        i = j + 1
                        // A quoted cell ends at its closing quote: text after it is a stray quote.
                        if i < n, buffer[i] != 0x2C, buffer[i] != 10, buffer[i] != 13 {
                            let column = header.flatMap { recordStarts.count <= $0.count ? $0[recordStarts.count - 1] : nil }
                            failure = InputError(
                                line: recordLine, column: column,
                                message: "has text after its closing quote (a quote inside a quoted field is written twice)")
                            return
                        }
                    } else {
                        let start = i
                        while i < n, buffer[i] != 0x2C, buffer[i] != 10, buffer[i] != 13 { i += 1 }
                        recordStarts.append(UInt32(start))
                        recordEnds.append(UInt32(i))
                        recordEscaped.append(false)
                        if i > start { onlyEmpty = false }
                    }
                    // After a cell: a comma (another cell), a line break or the end.
                    if i < n, buffer[i] == 0x2C {
                        i += 1
                        onlyEmpty = false
                        continue
                    }
                    if i < n, buffer[i] == 13 {
                        i += 1
                        if i < n, buffer[i] == 10 { i += 1 }
                    } else if i < n, buffer[i] == 10 {
                        i += 1
                    } else {
                        i = n + 1  // the end of the file
                    }
                    line += 1
                    endOfRecord = true
                }
                // Blank lines (one empty, unquoted cell) are skipped.
                if onlyEmpty && recordStarts.count == 1 { continue }
                if header == nil {
                    header = zip(recordStarts, recordEnds).map {
                        String(decoding: buffer[Int($0)..<Int($1)], as: UTF8.self).trimmingSpaces()
                    }
                    width = recordStarts.count
                    continue
                }
                guard recordStarts.count == width else {
                    failure = InputError(line: recordLine, message: "has \(recordStarts.count) fields but the header has \(width)")
                    return
                }
                for k in recordEscaped.indices where recordEscaped[k] { escaped.insert(starts.count + k) }
                lines.append(Int32(truncatingIfNeeded: recordLine))
                starts.append(contentsOf: recordStarts)
                ends.append(contentsOf: recordEnds)
            }
        }
        if let failure { throw failure }
        guard let header else { throw InputError(message: "the file is empty") }
        self.header = header
        self.lines = lines
        self.starts = starts
        self.ends = ends
        self.escaped = escaped
    }

    /// Whether a cell had a doubled quote inside quotes. Most files have none, and then no cell
    /// pays for a hash lookup.
    private func isEscaped(_ cell: Int) -> Bool { !escaped.isEmpty && escaped.contains(cell) }

    /// The index of a column, or nil.
    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// The text of a cell, as written (quotes undone).
    public func text(_ row: Int, _ column: Int) -> String {
        let cell = row * header.count + column
        let text = String(decoding: bytes[Int(starts[cell])..<Int(ends[cell])], as: UTF8.self)
        return isEscaped(cell) ? text.replacingOccurrences(of: "\"\"", with: "\"") : text
    }

    /// The text of a cell without surrounding spaces and tabs.
    public func trimmedText(_ row: Int, _ column: Int) -> String {
        let cell = row * header.count + column
        guard !isEscaped(cell) else { return text(row, column).trimmingSpaces() }
        var start = Int(starts[cell]), end = Int(ends[cell])
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// A cell's bytes without surrounding spaces and tabs (quotes undone): a key for grouping rows
    /// by a label (a participant, an arm) without making a string of every cell. The slice shares
    /// the table's storage; only a cell with doubled quotes is copied.
    public func trimmedBytes(_ row: Int, _ column: Int) -> ArraySlice<UInt8> {
        let cell = row * header.count + column
        guard escaped.isEmpty || !escaped.contains(cell) else { return ArraySlice(Array(trimmedText(row, column).utf8)) }
        var start = Int(starts[cell]), end = Int(ends[cell])
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return bytes[start..<end]
    }

    /// Whether a cell holds nothing but spaces and tabs.
    public func isBlank(_ row: Int, _ column: Int) -> Bool {
        let cell = row * header.count + column
        return bytes[Int(starts[cell])..<Int(ends[cell])].allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// A cell read as a plain decimal number (`NumberParsing.decimal`), straight from its bytes;
    /// nil when it is anything else.
    public func number(_ row: Int, _ column: Int) -> Double? {
        let cell = row * header.count + column
        return bytes.withUnsafeBufferPointer {
            NumberParsing.decimal(UnsafeBufferPointer(rebasing: $0[Int(starts[cell])..<Int(ends[cell])]))
        }
    }

    /// The data rows with their cells as strings.
    public var rows: [Row] {
        (0..<rowCount).map { r in Row(line: line(r), fields: (0..<header.count).map { text(r, $0) }) }
    }

    public static func == (a: CSVTable, b: CSVTable) -> Bool { a.header == b.header && a.rows == b.rows }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
