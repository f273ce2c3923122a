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
        values.reserveCapacity(table.rowCount)
        for row in 0..<table.rowCount {
            guard let value = table.number(row, column) else {
                let text = table.text(row, column)
                let shown = table.isBlank(row, column) ? "is empty" : "\"\(text.prefix(40))\" is not a number"
                throw InputError(line: table.line(row), column: name, message: shown)
            }
            values.append(value)
        }
        return values
    }

    func labels(_ name: String) throws(InputError) -> [String] {
        let column = try index(name)
        var labels: [String] = []
        labels.reserveCapacity(table.rowCount)
        for row in 0..<table.rowCount {
            let label = table.trimmedText(row, column)
            guard !label.isEmpty else { throw InputError(line: table.line(row), column: name, message: "is empty") }
            labels.append(label)
        }
        return labels
    }

    /// Labels that must not repeat (study names, participants).
    func uniqueLabels(_ name: String) throws(InputError) -> [String] {
        let values = try labels(name)
        if let repeated = table.firstRepeat(inColumn: try index(name)) {
            throw InputError(
                line: table.line(repeated.row), column: name,
                message: "\"\(values[repeated.row])\" appears twice (also on line \(table.line(repeated.earlier)))")
        }
        return values
    }

    /// n - events, checking that events do not exceed n.
    func remainder(total: String, events: [Double], eventsColumn: String) throws(InputError) -> [Double] {
        let totals = try numbers(total)
        return try zip(totals, events).enumerated().map { i, pair throws(InputError) in
            guard pair.0 >= pair.1 else {
                throw InputError(line: table.line(i), column: eventsColumn, message: "is larger than \(total)")
            }
            return pair.0 - pair.1
        }
    }

    /// A moderator column: continuous if every cell is a number, otherwise categorical.
    func moderator(_ name: String, rows kept: [Int]) throws(InputError) -> Moderator {
        let column = try index(name)
        let cells = kept.map { (line: table.line($0), text: table.trimmedText($0, column)) }
        if let empty = cells.first(where: { $0.text.isEmpty }) {
            throw InputError(line: empty.line, column: name, message: "is empty (every study needs a moderator value)")
        }
        let numbers = cells.map { NumberParsing.decimal($0.text) }
        if numbers.allSatisfy({ $0 != nil }) { return .continuous(name: name, values: numbers.map { $0! }) }
        return .categorical(name: name, values: cells.map(\.text))
    }
}
