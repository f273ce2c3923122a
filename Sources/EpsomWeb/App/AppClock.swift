import EpsomCore
import Foundation

/// The clock, injected so that tests can fix "now" and "today".
public struct AppClock: Sendable {
    /// Seconds since 1970.
    public var now: @Sendable () -> Int
    /// Today's date where the server runs (for a laptop, the person's own day).
    public var today: @Sendable () -> CalendarDate

    public init(now: @escaping @Sendable () -> Int, today: @escaping @Sendable () -> CalendarDate) {
        self.now = now
        self.today = today
    }

    public static let live = AppClock(now: { Int(Date().timeIntervalSince1970) }, today: {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    })

    /// A fixed day at noon UTC.
    public static func fixed(_ date: CalendarDate) -> AppClock {
        AppClock(now: { date.dayNumber * 86_400 + 43_200 }, today: { date })
    }
}
