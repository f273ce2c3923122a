/// A series of N-of-1 trials read from one long CSV: `participant,date,arm,pain` and optionally
/// `washout` (true/false), `period` and `comparator`, one row per participant and day, with the
/// rules of `epsom analyze` for each cell (docs/methods.md §6.1).
///
/// The file is read once, in file order, from the table's bytes: a participant, an arm or a period
/// label becomes a string once, when first seen, and rows are grouped by participant through their
/// bytes. So reading is linear in the rows, and the first bad cell in the file is the one named.
///
/// Errors (exit 2): an empty participant or arm, a bad date, a pain that is not a number from 0
/// to 10, a washout that is not true/false, the same participant and date twice, a reference arm
/// not in the file. A participant with one arm only, or too few days, is not an error: the
/// analysis leaves it out of the pooling and says why (`SeriesReport`).
public struct SeriesInput: Sendable, Equatable {
    /// One participant's rows, in file order, as `NOf1Input(entries:reference:)` takes them.
    public struct Participant: Sendable, Equatable {
        public var name: String
        /// The line of the participant's first row.
        public var line: Int
        public var entries: [NOf1Input.Entry]
    }

    /// Participants in order of first appearance.
    public var participants: [Participant]
    /// Every arm in the file, the reference first, the others in order of first appearance.
    public var arms: [String]
    public var reference: String { arms[0] }

    public init(participants: [Participant], arms: [String]) {
        self.participants = participants
        self.arms = arms
    }

    /// Reads the table. The reference arm, chosen once for the whole series so that every
    /// participant is compared with the same arm, is `reference`; else the arm a `comparator`
    /// column marks; else the first arm (in file order) named like a comparator (none, placebo,
    /// control…, `NOf1Input.isComparator`); else the first arm in the file.
    public init(table: CSVTable, reference: String? = nil, outcomeColumn: String = "pain") throws(InputError) {
        let reader = ColumnReader(table: table)
        guard table.rowCount > 0 else { throw InputError(message: "the file has a header but no rows") }
        let participantColumn = try reader.index("participant")
        let dateColumn = try reader.index("date"), armColumn = try reader.index("arm")
        let outcomeIndex = try reader.index(outcomeColumn)
        let washoutColumn = table.column("washout"), periodColumn = table.column("period")
        let comparatorColumn = table.column("comparator")

        var participantIndex: [ArraySlice<UInt8>: Int] = [:]
        var participants: [Participant] = []
        var armIndex: [ArraySlice<UInt8>: Int] = [:]
        var armNames: [String] = []
        var periodLabels: [ArraySlice<UInt8>: String] = [:]
        var marked: (arm: String, line: Int)?
        // (participant, day) → the line that has it: the key packs the participant above the day
        // number, shifted to be non-negative (accepted dates span fewer than 2^17 days).
        let dayOffset = -CalendarDate.accepted.lowerBound.dayNumber
        var seen: [Int: Int32] = [:]
        seen.reserveCapacity(table.rowCount)
        // Rows of one participant usually follow each other: the last one is checked first.
        var lastKey: ArraySlice<UInt8> = []
        var last = -1

        for row in 0..<table.rowCount {
            let line = table.line(row)
            let key = table.trimmedBytes(row, participantColumn)
            guard !key.isEmpty else { throw InputError(line: line, column: "participant", message: "is empty") }
            let person: Int
            if last >= 0, key.elementsEqual(lastKey) {
                person = last
            } else if let known = participantIndex[key] {
                person = known
            } else {
                person = participants.count
                participantIndex[key] = person
                participants.append(Participant(name: String(decoding: key, as: UTF8.self), line: line, entries: []))
            }
            lastKey = key
            last = person

            let dateBytes = table.trimmedBytes(row, dateColumn)
            guard let date = CalendarDate(isoBytes: dateBytes) else {
                let text = String(decoding: dateBytes, as: UTF8.self)
                throw InputError(
                    line: line, column: "date",
                    message: "\"\(text.prefix(20))\" is not a date from 1900-01-01 to 2199-12-31 (use YYYY-MM-DD)")
            }
            let slot = person << 17 | (date.dayNumber + dayOffset)
            if let first = seen.updateValue(Int32(truncatingIfNeeded: line), forKey: slot) {
                throw InputError(
                    line: line, column: "date",
                    message: "\(date) appears twice for participant \"\(participants[person].name)\" (also on line \(first))")
            }

            let armBytes = table.trimmedBytes(row, armColumn)
            guard !armBytes.isEmpty else { throw InputError(line: line, column: "arm", message: "is empty") }
            let arm: String
            if let known = armIndex[armBytes] {
                arm = armNames[known]
            } else {
                arm = String(decoding: armBytes, as: UTF8.self)
                armIndex[armBytes] = armNames.count
                armNames.append(arm)
            }

            var outcome: Double?
            if !table.isBlank(row, outcomeIndex) {
                guard let value = table.number(row, outcomeIndex) else {
                    throw InputError(
                        line: line, column: outcomeColumn, message: "\"\(table.trimmedText(row, outcomeIndex).prefix(20))\" is not a number"
                    )
                }
                guard NOf1Input.outcomeRange.contains(value) else {
                    throw InputError(line: line, column: outcomeColumn, message: "must lie between 0 and 10")
                }
                outcome = value
            }

            var washout = false
            if let washoutColumn {
                guard let flag = Self.flag(table.trimmedBytes(row, washoutColumn)) else {
                    throw InputError(line: line, column: "washout", message: "must be true or false")
                }
                washout = flag
            }
            if let comparatorColumn, Self.flag(table.trimmedBytes(row, comparatorColumn)) == true {
                if let other = marked, other.arm != arm {
                    throw InputError(
                        line: line, column: "comparator",
                        message: "marks \"\(arm)\" but line \(other.line) marks \"\(other.arm)\" (the series has one reference arm)")
                }
                marked = (arm, line)
            }
            var period: String?
            if let periodColumn {
                let label = table.trimmedBytes(row, periodColumn)
                if let known = periodLabels[label] {
                    period = known
                } else {
                    let text = String(decoding: label, as: UTF8.self)
                    periodLabels[label] = text
                    period = text
                }
            }
            participants[person].entries.append(
                NOf1Input.Entry(line: line, date: date, arm: arm, outcome: outcome, washout: washout, period: period))
        }

        let referenceName = try NOf1Input.referenceArm(among: armNames, reference: reference, marked: marked?.arm)
        armNames.removeAll { $0 == referenceName }
        armNames.insert(referenceName, at: 0)
        self.participants = participants
        self.arms = armNames
    }

    /// A true/false cell as `epsom analyze` reads it: empty, false, no, 0 or true, yes, 1 in any
    /// case; nil for anything else.
    static func flag(_ bytes: ArraySlice<UInt8>) -> Bool? {
        guard bytes.count <= 5 else { return nil }
        let word = packed(bytes)
        if falseWords.contains(word) { return false }
        if trueWords.contains(word) { return true }
        return nil
    }

    /// Up to 8 bytes, ASCII letters lowered, as one integer: a comparison without a string.
    private static func packed<C: Collection<UInt8>>(_ bytes: C) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1 >= 0x41 && $1 <= 0x5A ? $1 | 0x20 : $1) }
    }
    private static let falseWords = ["", "false", "no", "0"].map { packed($0.utf8) }
    private static let trueWords = ["true", "yes", "1"].map { packed($0.utf8) }
}
