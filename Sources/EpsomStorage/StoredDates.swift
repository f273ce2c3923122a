import EpsomCore
import SQLKit

/// How dates are stored (migration 0011): typed integers that both databases compare and range
/// over correctly. Every bind and read of a date column goes through here.
extension CalendarDate {
    /// Days since 1970-01-01.
    var stored: SQLBind { SQLBind(dayNumber) }

    /// The date in column `column` of `row`; a value outside the accepted range is unreadable,
    /// never silently shifted.
    static func stored(_ row: any SQLRow, _ column: String) throws -> CalendarDate {
        guard let date = try storedIfPresent(row, column) else { throw StoreError.unreadableDate }
        return date
    }

    static func storedIfPresent(_ row: any SQLRow, _ column: String) throws -> CalendarDate? {
        guard let days = try row.decode(column: column, as: Int?.self) else { return nil }
        return CalendarDate(dayNumber: days)
    }
}

extension LocalDateTime {
    /// Minutes since 1970-01-01T00:00 of the same wall clock.
    var storedMinutes: Int { date.dayNumber * 1440 + minutes }

    init(storedMinutes: Int) {
        let days = Int((Double(storedMinutes) / 1440).rounded(.down))
        self.init(date: CalendarDate(dayNumber: days), minutes: storedMinutes - days * 1440)
    }
}

extension StoreError {
    static let unreadableDate = StoreError(.unavailable, "A stored date is unreadable.")
}
