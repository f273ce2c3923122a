/// A calendar date (proleptic Gregorian), parsed from and printed as ISO 8601 "YYYY-MM-DD".
/// Dates are plain values: no time zone can shift a diary day.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Self.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly "YYYY-MM-DD", within `accepted`: every date Epsom takes (diary, doses,
    /// trials, imports, query ranges) enters through here, so none can fall outside the range
    /// that exports, storage and the charts are built for.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
        guard Self.accepted.contains(self) else { return nil }
    }

    /// The same rule as `init(iso:)`, read from a cell's bytes (already trimmed) without making a
    /// string: exactly "YYYY-MM-DD" in ASCII digits, within `accepted`.
    public init?(isoBytes bytes: ArraySlice<UInt8>) {
        guard bytes.count == 10 else { return nil }
        let base = bytes.startIndex
        func digits(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for i in (base + from)..<(base + from + count) {
                let b = bytes[i]
                guard b >= 0x30, b <= 0x39 else { return nil }
                value = value * 10 + Int(b - 0x30)
            }
            return value
        }
        guard bytes[base + 4] == 0x2D, bytes[base + 7] == 0x2D, let y = digits(0, 4), let m = digits(5, 2), let d = digits(8, 2)
        else { return nil }
        self.init(year: y, month: m, day: d)
        guard Self.accepted.contains(self) else { return nil }
    }

    /// The one range of dates Epsom accepts anywhere: a diary day, a dose, a trial's start, a
    /// query's bounds. Wide enough for any record a living person keeps and for long trials,
    /// narrow enough that "all time" is a real range.
    public static let accepted = CalendarDate(dayNumber: -25_567)...CalendarDate(dayNumber: 84_005)

    /// The field message for text that is not an accepted date.
    public static let requirement = "must be a date (YYYY-MM-DD) from 1900-01-01 to 2199-12-31"

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `dayNumber` days after 1970-01-01 (civil_from_days).
    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let d = dayOfYear - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yearOfEra + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    public func adding(days: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + days) }

    public var description: String {
        let y = String(year), m = month < 10 ? "0\(month)" : "\(month)", d = day < 10 ? "0\(day)" : "\(day)"
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + m + "-" + d
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { a.dayNumber < b.dayNumber }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// Dates encode as their ISO text, as everywhere else in Epsom.
extension CalendarDate: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CalendarDate(iso: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: CalendarDate.requirement)
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
