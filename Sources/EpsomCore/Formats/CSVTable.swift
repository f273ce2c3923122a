/// A parsed CSV file (RFC 4180): a header row and data rows, each remembering its line number so
/// that every error can name the line a person sees in their editor.
public struct CSVTable: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        /// 1-based line number where the row starts in the file.
        public var line: Int
        public var fields: [String]
    }

    public var header: [String]
    public var rows: [Row]

    /// Parses text: fields separated by commas, optionally quoted with double quotes (a quote
    /// inside a quoted field is doubled), records ending in LF or CRLF. Header names are trimmed of
    /// surrounding spaces; a byte-order mark is ignored; blank lines are skipped.
    public init(parsing text: String) throws(InputError) {
        var records: [(line: Int, fields: [String])] = []
        var field = "", fields: [String] = []
        var inQuotes = false, fieldWasQuoted = false
        var line = 1, recordLine = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endRecord() {
            fields.append(field)
            let blank = fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted
            if !blank { records.append((recordLine, fields)) }
            fields = []
            field = ""
            fieldWasQuoted = false
        }
        while let scalar = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if scalar == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = next }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty && !fieldWasQuoted:
                inQuotes = true
                fieldWasQuoted = true
            case ",":
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            case "\r":
                let next = iterator.next()
                if next != "\n" { pending = next }
                endRecord()
                line += 1
                recordLine = line
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            case "\u{FEFF}" where line == 1 && records.isEmpty && fields.isEmpty && field.isEmpty:
                continue
            default:
                field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes { throw InputError(line: recordLine, message: "a quoted field is not closed (missing \")") }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        guard let first = records.first else { throw InputError(message: "the file is empty") }
        header = first.fields.map { $0.trimmingSpaces() }
        rows = []
        for record in records.dropFirst() {
            guard record.fields.count == header.count else {
                throw InputError(
                    line: record.line,
                    message: "has \(record.fields.count) fields but the header has \(header.count)")
            }
            rows.append(Row(line: record.line, fields: record.fields))
        }
    }

    /// The index of a column, or nil.
    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
