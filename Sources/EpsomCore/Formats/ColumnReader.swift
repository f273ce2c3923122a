import EpsomStats

/// Reads whole columns of a table, failing on the first bad cell with its line and column.
struct ColumnReader {
    let table: CSVTable

    func index(_ name: String) throws(InputError) -> Int {
        guard let index = table.column(name) else {
            throw InputError(message: "the column \"\(name)\" is missing (the header has: \(table.header.joined(separator: ", ")))")
        }
        return index
    }

    func numbers(_ name: String) throws(InputError) -> [Double] {
        let column = try index(name)
        var values: [Double] = []
        values.reserveCapacity(table.rows.count)
        for row in table.rows {
            let text = row.fields[column]
            guard let value = NumberParsing.decimal(text) else {
                let shown = text.trimmingSpaces().isEmpty ? "is empty" : "\"\(text.prefix(40))\" is not a number"
                throw InputError(line: row.line, column: name, message: shown)
            }
            values.append(value)
        }
        return values
    }

    func labels(_ name: String) throws(InputError) -> [String] {
        let column = try index(name)
        return try table.rows.map { row throws(InputError) in
            let label = row.fields[column].trimmingSpaces()
            guard !label.isEmpty else { throw InputError(line: row.line, column: name, message: "is empty") }
            return label
        }
    }

    /// Labels that must not repeat (study names, participants).
    func uniqueLabels(_ name: String) throws(InputError) -> [String] {
        let values = try labels(name)
        var seen: [String: Int] = [:]
        for (label, row) in zip(values, table.rows) {
            if let first = seen[label] {
                throw InputError(line: row.line, column: name, message: "\"\(label)\" appears twice (also on line \(first))")
            }
            seen[label] = row.line
        }
        return values
    }

    /// n - events, checking that events do not exceed n.
    func remainder(total: String, events: [Double], eventsColumn: String) throws(InputError) -> [Double] {
        let totals = try numbers(total)
        return try zip(totals, events).enumerated().map { i, pair throws(InputError) in
            guard pair.0 >= pair.1 else {
                throw InputError(line: table.rows[i].line, column: eventsColumn, message: "is larger than \(total)")
            }
            return pair.0 - pair.1
        }
    }

    /// A moderator column: continuous if every cell is a number, otherwise categorical.
    func moderator(_ name: String, rows kept: [Int]) throws(InputError) -> Moderator {
        let column = try index(name)
        let cells = kept.map { (line: table.rows[$0].line, text: table.rows[$0].fields[column].trimmingSpaces()) }
        if let empty = cells.first(where: { $0.text.isEmpty }) {
            throw InputError(line: empty.line, column: name, message: "is empty (every study needs a moderator value)")
        }
        let numbers = cells.map { NumberParsing.decimal($0.text) }
        if numbers.allSatisfy({ $0 != nil }) { return .continuous(name: name, values: numbers.map { $0! }) }
        return .categorical(name: name, values: cells.map(\.text))
    }
}
