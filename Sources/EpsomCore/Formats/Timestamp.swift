import Foundation

/// When a dose was taken: the instant, and the UTC offset in force then in the person's time
/// zone. Kept to the whole second (a fraction of a second in the input is dropped).
///
/// The rule the diary follows: **a dose belongs to the local day on which it was taken**, the
/// day on the person's own clock (their account's time zone) at that instant. `local` is that
/// wall clock and `localDate` that day.
///
/// Text as clients send it (`Timestamp.parse`, the one parser of forms, the JSON API and CSV
/// import):
/// - RFC 3339 with `Z` or an offset (`2026-11-07T08:00:00Z`, `…08:00:00.250+01:00`,
///   `…T23:30-05:00`): an instant, shown on the account's clock with the offset in force there
///   at that instant (the client's own offset only locates the instant).
/// - Without an offset (`2026-11-07T08:00`, the forms' `datetime-local`, optionally with `:SS`
///   and a fraction): a wall-clock time in the account's time zone. A time that the clocks
///   skipped (spring forward) is read with the offset before the change, so it lands as far
///   after the gap as it was into it (01:30 in London on the last Sunday of March becomes 02:30
///   BST, same day); a time that happened twice (fall back) is the first of the two.
/// Seconds "60" (a leap second) is read as 59. "-00:00" is UTC. Offsets are whole minutes (a
/// zone's historical local mean time is rounded to the nearest minute).
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var instant: Int
    /// Minutes east of UTC in force at `instant` (e.g. -300 in New York in winter).
    public var utcOffsetMinutes: Int

    public init(instant: Int, utcOffsetMinutes: Int) {
        self.instant = instant
        self.utcOffsetMinutes = utcOffsetMinutes
    }

    /// The instant with the zone's offset at that instant.
    public init(instant: Int, in zone: TimeZone) {
        self.init(instant: instant, utcOffsetMinutes: Self.offsetMinutes(zone, at: instant))
    }

    /// A wall-clock time read in a zone (gaps and overlaps as the type's documentation says).
    public init(local: LocalDateTime, second: Int = 0, in zone: TimeZone) {
        let wall = local.date.dayNumber * 86_400 + local.minutes * 60 + second
        let candidates = Set([-86_400, 0, 86_400].map { Self.offsetMinutes(zone, at: wall + $0) })
        let valid = candidates.map { wall - $0 * 60 }.filter { wall - Self.offsetMinutes(zone, at: $0) * 60 == $0 }
        if let earliest = valid.min() {
            self.init(instant: earliest, in: zone)
        } else {
            // In a gap: the offset of the day before, then the one in force at that instant.
            self.init(instant: wall - Self.offsetMinutes(zone, at: wall - 86_400) * 60, in: zone)
        }
    }

    /// A wall clock taken as UTC (offset 0): for demo data and for doses stored before accounts
    /// had a time zone.
    public init(utc local: LocalDateTime, second: Int = 0) {
        self.init(instant: local.date.dayNumber * 86_400 + local.minutes * 60 + second, utcOffsetMinutes: 0)
    }

    static func offsetMinutes(_ zone: TimeZone, at instant: Int) -> Int {
        let seconds = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
        return Int((Double(seconds) / 60).rounded())
    }

    /// Seconds since 1970-01-01T00:00 of the person's wall clock.
    var wallSeconds: Int { instant + utcOffsetMinutes * 60 }

    /// The wall clock in the person's zone at the instant, to the minute.
    public var local: LocalDateTime {
        let days = Self.floorDiv(wallSeconds, 86_400)
        return LocalDateTime(date: CalendarDate(dayNumber: days), minutes: (wallSeconds - days * 86_400) / 60)
    }

    /// The second within the minute (0…59).
    public var second: Int { wallSeconds - Self.floorDiv(wallSeconds, 60) * 60 }

    /// The local day the dose belongs to.
    public var localDate: CalendarDate { local.date }

    /// RFC 3339, to the second, with the offset in force: "2026-11-07T08:00:00-05:00" ("Z" at 0).
    public var rfc3339: String { local.description + ":" + Self.two(second) + Self.offsetText(utcOffsetMinutes, zulu: true) }

    public var description: String { rfc3339 }

    /// "+01:00", "-05:30"; zero as "Z" (`zulu`) or "+00:00".
    public static func offsetText(_ minutes: Int, zulu: Bool) -> String {
        if minutes == 0 && zulu { return "Z" }
        return (minutes < 0 ? "-" : "+") + two(abs(minutes) / 60) + ":" + two(abs(minutes) % 60)
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { (a.instant, a.utcOffsetMinutes) < (b.instant, b.utcOffsetMinutes) }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
}

// MARK: Parsing

extension Timestamp {
    /// Text as written, before it is placed in a zone.
    public struct Written: Sendable, Equatable {
        public var local: LocalDateTime
        public var second: Int
        /// The offset written in the text, if any.
        public var utcOffsetMinutes: Int?

        /// An offset makes it an instant, shown in `zone`; without one it is `zone`'s wall clock.
        public func resolved(in zone: TimeZone) -> Timestamp {
            guard let offset = utcOffsetMinutes else { return Timestamp(local: local, second: second, in: zone) }
            return Timestamp(instant: Timestamp(utc: local, second: second).instant - offset * 60, in: zone)
        }

        /// With the offset exactly as written (archives and CSV files record the offset in force).
        public func recorded(offset: Int) -> Timestamp {
            Timestamp(instant: Timestamp(utc: local, second: second).instant - offset * 60, utcOffsetMinutes: offset)
        }
    }

    /// Why a text is not a timestamp; `message` completes "taken_at …" and gives an example.
    public struct ParseError: Error, Sendable, Equatable {
        public var message: String
        static let example = "e.g. 2026-11-07T08:00:00Z, 2026-11-07T08:00:00-05:00 or 2026-11-07T08:00 (your own time zone)"
        static let format = ParseError(message: "must be a date and time, RFC 3339 or local; " + example)
        static let date = ParseError(message: "is not a real date (month 01–12, a day the month has); " + example)
        static let time = ParseError(message: "is not a time of day (hours 00–23, minutes and seconds 00–59); " + example)
        static let offset = ParseError(message: "has an impossible UTC offset (Z, or ±HH:MM up to ±23:59); " + example)
        static let range = ParseError(message: "must be from 1900-01-01 to 2199-12-31 (on your own clock); " + example)
        /// For a UTC offset given on its own (CSV's utc_offset).
        public static let offsetField = ParseError(message: "must be a UTC offset such as +01:00, -05:30 or Z")
    }

    /// Reads `YYYY-MM-DD` `T` (or `t`, or a space) `HH:MM`, optionally `:SS` and `.fraction`, then
    /// optionally `Z` or `±HH:MM` (or `±HHMM`). The written date must be within
    /// `CalendarDate.accepted`.
    public static func written(_ raw: String) -> Result<Written, ParseError> {
        let chars = Array(raw.trimmingCharacters(in: .whitespaces).unicodeScalars)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= chars.count else { return nil }
            var v = 0
            for c in chars[i..<(i + n)] {
                guard (48...57).contains(c.value) else { return nil }
                v = v * 10 + Int(c.value - 48)
            }
            i += n
            return v
        }
        func take(_ s: Character) -> Bool {
            guard i < chars.count, Character(chars[i]) == s else { return false }
            i += 1
            return true
        }
        guard let y = digits(4), take("-"), let mo = digits(2), take("-"), let d = digits(2) else { return .failure(.format) }
        guard i < chars.count, "Tt ".unicodeScalars.contains(chars[i]) else { return .failure(.format) }
        i += 1
        guard let h = digits(2), take(":"), let mi = digits(2) else { return .failure(.format) }
        var s = 0
        if take(":") {
            guard let sec = digits(2) else { return .failure(.format) }
            s = sec
            if take(".") || take(",") {
                let start = i
                while i < chars.count, (48...57).contains(chars[i].value) { i += 1 }
                guard i > start, i - start <= 9 else { return .failure(.format) }
            }
        }
        var offset: Int?
        if take("Z") || take("z") {
            offset = 0
        } else if i < chars.count, chars[i] == "+" || chars[i] == "-" {
            let sign = chars[i] == "-" ? -1 : 1
            i += 1
            guard let oh = digits(2) else { return .failure(.offset) }
            _ = take(":")
            guard let om = digits(2) else { return .failure(.offset) }
            guard oh < 24, om < 60 else { return .failure(.offset) }
            offset = sign * (oh * 60 + om)
        }
        guard i == chars.count else {
            return .failure(chars.count > i && offset == nil && "+-".unicodeScalars.contains(chars[i]) ? .offset : .format)
        }
        guard let date = CalendarDate(year: y, month: mo, day: d) else { return .failure(.date) }
        guard h < 24, mi < 60, s <= 60 else { return .failure(.time) }
        guard CalendarDate.accepted.contains(date) else { return .failure(.range) }
        return .success(Written(local: LocalDateTime(date: date, minutes: h * 60 + mi), second: min(s, 59), utcOffsetMinutes: offset))
    }

    /// Parses and places in the account's zone; the local day must be within `CalendarDate.accepted`.
    public static func parse(_ text: String, in zone: TimeZone) -> Result<Timestamp, ParseError> {
        written(text).flatMap { w in
            let t = w.resolved(in: zone)
            return CalendarDate.accepted.contains(t.localDate) ? .success(t) : .failure(.range)
        }
    }

    /// A UTC offset on its own: "Z", "+01:00", "-0530".
    public static func offset(_ text: String) -> Int? {
        guard case .success(let w) = written("2000-01-01T00:00" + text.trimmingCharacters(in: .whitespaces)) else { return nil }
        return w.utcOffsetMinutes
    }
}

extension TimeZone {
    /// UTC, the default zone of an account (see `Account.timeZone`).
    public static let utc = TimeZone(secondsFromGMT: 0) ?? TimeZone.current
}
