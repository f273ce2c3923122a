/// A diary for the N-of-1 analysis, read from CSV with the header `date,arm,pain` and an optional
/// `washout` column (true/false) and `period` column.
///
/// - An empty pain cell is a missing day; washout days are logged but not analysed. Both become
///   gaps in the model (section 3 of docs/methods.md).
/// - Periods: a new period starts whenever the `period` label (if given) or else the arm changes
///   from one row to the next in date order. Without a `period` column two back-to-back periods
///   of the same arm count as one.
/// - The reference arm is `--reference`; else the arm a `comparator` column marks true (the app's
///   trial export, once the allocation may be known); else the comparator by its name (`isComparator`);
///   else the first arm in the file.
public struct NOf1Input: Sendable, Equatable {
    public var series: NOf1Series
    /// Every row of the diary in date order (for plots): date, arm index, outcome or nil, washout.
    public var rows: [Row]

    public struct Row: Sendable, Equatable {
        public var date: CalendarDate
        public var arm: Int
        public var outcome: Double?
        public var washout: Bool
        public var period: Int
    }

    public init(series: NOf1Series, rows: [Row]) {
        self.series = series
        self.rows = rows
    }

    public static let outcomeRange = 0.0...10.0
    static let referenceNames: Set<String> = ["none", "no", "off", "placebo", "control", "usual care", "sham"]
    static let comparatorWords = ["placebo", "none", "control", "usual care", "sham"]

    /// A comparator by its name: none, no, off, placebo, control, usual care or sham, or a name
    /// that starts or ends with one of these words ("Placebo cream", "no cream", "cream control").
    /// Without this, "Placebo cream" vs "Magnesium cream" was read the wrong way round.
    public static func isComparator(_ name: String) -> Bool {
        let n = name.lowercased().trimmingSpaces()
        if referenceNames.contains(n) { return true }
        if n.hasPrefix("no ") || n.hasPrefix("without ") { return true }
        return comparatorWords.contains { n.hasPrefix($0 + " ") || n.hasSuffix(" " + $0) }
    }

    public init(table: CSVTable, reference: String? = nil, outcomeColumn: String = "pain") throws(InputError) {
        let reader = ColumnReader(table: table)
        guard table.rowCount > 0 else { throw InputError(message: "the file has a header but no days") }
        let dateColumn = try reader.index("date"), armColumn = try reader.index("arm")
        let outcomeIndex = try reader.index(outcomeColumn)
        let washoutColumn = table.column("washout"), periodColumn = table.column("period")
        let comparatorColumn = table.column("comparator")
        var marked: String?

        var parsed: [Entry] = []
        parsed.reserveCapacity(table.rowCount)
        var seen: [CalendarDate: Int] = [:]
        for row in table.rows {
            let text = row.fields[dateColumn].trimmingSpaces()
            guard let date = CalendarDate(iso: text) else {
                throw InputError(
                    line: row.line, column: "date",
                    message: "\"\(text.prefix(20))\" is not a date from 1900-01-01 to 2199-12-31 (use YYYY-MM-DD)")
            }
            if let first = seen[date] {
                throw InputError(line: row.line, column: "date", message: "\(date) appears twice (also on line \(first))")
            }
            seen[date] = row.line
            let arm = row.fields[armColumn].trimmingSpaces()
            guard !arm.isEmpty else { throw InputError(line: row.line, column: "arm", message: "is empty") }
            let cell = row.fields[outcomeIndex].trimmingSpaces()
            var outcome: Double?
            if !cell.isEmpty {
                guard let value = NumberParsing.decimal(cell) else {
                    throw InputError(line: row.line, column: outcomeColumn, message: "\"\(cell.prefix(20))\" is not a number")
                }
                guard Self.outcomeRange.contains(value) else {
                    throw InputError(line: row.line, column: outcomeColumn, message: "must lie between 0 and 10")
                }
                outcome = value
            }
            var washout = false
            if let washoutColumn {
                switch row.fields[washoutColumn].trimmingSpaces().lowercased() {
                case "", "false", "no", "0": washout = false
                case "true", "yes", "1": washout = true
                default: throw InputError(line: row.line, column: "washout", message: "must be true or false")
                }
            }
            if let comparatorColumn, ["true", "yes", "1"].contains(row.fields[comparatorColumn].trimmingSpaces().lowercased()) {
                if let other = marked, other != arm {
                    throw InputError(
                        line: row.line, column: "comparator", message: "marks \"\(arm)\" but an earlier row marks \"\(other)\"")
                }
                marked = arm
            }
            let period = periodColumn.map { row.fields[$0].trimmingSpaces() }
            parsed.append(Entry(line: row.line, date: date, arm: arm, outcome: outcome, washout: washout, period: period))
        }
        try self.init(entries: parsed, reference: reference, marked: marked)
    }

    /// One diary row as read, before the days are ordered and the arms numbered.
    public struct Entry: Sendable, Equatable {
        /// 1-based line in the file (for messages).
        public var line: Int
        public var date: CalendarDate
        public var arm: String
        /// nil for a day without a score (a gap).
        public var outcome: Double?
        public var washout: Bool
        /// The `period` label, when the file has that column.
        public var period: String?

        public init(line: Int, date: CalendarDate, arm: String, outcome: Double?, washout: Bool, period: String?) {
            self.line = line
            self.date = date
            self.arm = arm
            self.outcome = outcome
            self.washout = washout
            self.period = period
        }
    }

    /// The diary from rows already read and checked (dates unique): orders them by date, chooses
    /// the reference arm (`reference`, else the arm a `comparator` column `marked`, else by its
    /// name, else the first arm in date order), numbers the periods and keeps the analysed days.
    /// `epsom analyze` and `epsom series` (one participant's rows) both build their diary here, so
    /// the same rows give the same analysis.
    /// The reference arm among `armNames` (in order of first appearance): `reference` if given
    /// (it must be one of them), else the `marked` arm, else one named as a reference, else one
    /// named like a comparator, else the first. Also refuses a file with one arm. `epsom series`
    /// applies it once to all the arms of the file.
    static func referenceArm(among armNames: [String], reference: String?, marked: String?) throws(InputError) -> String {
        let referenceName: String
        if let reference {
            guard armNames.contains(reference) else {
                throw InputError(
                    message: "the reference arm \"\(reference)\" is not in the file (arms: \(armNames.joined(separator: ", ")))")
            }
            referenceName = reference
        } else {
            referenceName =
                marked
                ?? armNames.first { referenceNames.contains($0.lowercased()) }
                ?? armNames.first(where: isComparator) ?? armNames[0]
        }
        guard armNames.count >= 2 else {
            throw InputError(column: "arm", message: "only one arm (\"\(armNames[0])\") is in the file; a comparison needs two")
        }
        return referenceName
    }

    public init(entries: [Entry], reference: String?, marked: String? = nil) throws(InputError) {
        guard !entries.isEmpty else { throw InputError(message: "the file has a header but no days") }
        var parsed = entries
        parsed.sort { $0.date < $1.date }

        var armNames: [String] = []
        for entry in parsed where !armNames.contains(entry.arm) { armNames.append(entry.arm) }
        let referenceName = try Self.referenceArm(among: armNames, reference: reference, marked: marked)
        armNames.removeAll { $0 == referenceName }
        armNames.insert(referenceName, at: 0)

        var rows: [Row] = []
        var period = 0
        for (i, entry) in parsed.enumerated() {
            if i > 0 {
                let previous = parsed[i - 1]
                let changed = entry.period != nil ? entry.period != previous.period : entry.arm != previous.arm
                if changed { period += 1 }
            }
            rows.append(
                Row(
                    date: entry.date, arm: armNames.firstIndex(of: entry.arm)!, outcome: entry.outcome,
                    washout: entry.washout, period: period))
        }
        let analysed = rows.filter { !$0.washout && $0.outcome != nil }
        let start = rows[0].date.dayNumber
        series = NOf1Series(
            days: analysed.map { $0.date.dayNumber - start }, outcomes: analysed.map { $0.outcome! },
            arms: analysed.map(\.arm), armNames: armNames, periods: analysed.map(\.period))
        self.rows = rows
    }
}
