import EpsomCore
import Foundation

/// The clock, injected so that tests can fix "now" and "today".
public struct AppClock: Sendable {
    /// Seconds since 1970.
    public var now: @Sendable () -> Int
    /// Today's date where the server runs (for a laptop, the person's own day).
    public var today: @Sendable () -> CalendarDate

    /// The local date and time of day, for doses logged "now".
    public var localNow: @Sendable () -> LocalDateTime

    public init(now: @escaping @Sendable () -> Int, localNow: @escaping @Sendable () -> LocalDateTime) {
        self.now = now
        self.localNow = localNow
        self.today = { localNow().date }
    }

    public static let live = AppClock(
        now: { Int(Date().timeIntervalSince1970) },
        localNow: {
            let parts = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute], from: Date())
            return LocalDateTime(
                date: CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!,
                minutes: parts.hour! * 60 + parts.minute!)
        })

    /// A fixed day at noon.
    public static func fixed(_ date: CalendarDate) -> AppClock {
        AppClock(now: { date.dayNumber * 86_400 + 43_200 }, localNow: { LocalDateTime(date: date, minutes: 720) })
    }
}
