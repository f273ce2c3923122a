import EpsomCore
import Foundation
import Testing

/// Timestamps as clients send them: RFC 3339 instants and local wall clocks, one parser.
@Suite struct TimestampTests {
    static func zone(_ id: String) throws -> TimeZone { try #require(TimeZone(identifier: id)) }

    static func parsed(_ text: String, _ zoneID: String = "UTC") throws -> Timestamp {
        switch Timestamp.parse(text, in: try zone(zoneID)) {
        case .success(let t): return t
        case .failure(let e): Issue.record("\(text): \(e.message)"); throw e
        }
    }

    static func failure(_ text: String, _ zoneID: String = "UTC") throws -> String? {
        if case .failure(let e) = Timestamp.parse(text, in: try zone(zoneID)) { return e.message }
        return nil
    }

    @Test func zuluIsAnInstantShownOnTheAccountsClock() throws {
        let t = try Self.parsed("2026-11-07T08:00:00Z")
        #expect(t.instant == 1_794_038_400 && t.utcOffsetMinutes == 0)
        #expect(t.rfc3339 == "2026-11-07T08:00:00Z" && t.local.description == "2026-11-07T08:00")
        let ny = try Self.parsed("2026-11-07T08:00:00Z", "America/New_York")
        #expect(ny.instant == t.instant && ny.rfc3339 == "2026-11-07T03:00:00-05:00")
        #expect(try Self.parsed("2026-11-07t08:00:00z").instant == t.instant)
        #expect(try Self.parsed("2026-11-07T08:00:00-00:00").instant == t.instant)
    }

    @Test func offsetsLocateTheInstant() throws {
        #expect(try Self.parsed("2026-11-07T09:00:00+01:00").instant == 1_794_038_400)
        #expect(try Self.parsed("2026-11-07T02:30:00-05:30").instant == 1_794_038_400)
        #expect(try Self.parsed("2026-11-07T13:45:00+0545").instant == 1_794_038_400)
        #expect(try Self.parsed("2026-11-07T09:00+01:00").instant == 1_794_038_400)
        // Shown with the offset of the account's zone at that instant, not the client's.
        #expect(try Self.parsed("2026-11-07T02:30:00-05:30", "Asia/Kolkata").rfc3339 == "2026-11-07T13:30:00+05:30")
    }

    @Test func aDoseBelongsToTheLocalDayOnWhichItWasTaken() throws {
        let late = "2026-11-07T23:30:00-05:00"
        #expect(try Self.parsed(late, "America/New_York").localDate.description == "2026-11-07")
        #expect(try Self.parsed(late, "America/New_York").rfc3339 == late)
        #expect(try Self.parsed(late, "Europe/London").localDate.description == "2026-11-08")
        #expect(try Self.parsed(late, "Europe/London").rfc3339 == "2026-11-08T04:30:00Z")
        #expect(try Self.parsed(late, "Pacific/Auckland").rfc3339 == "2026-11-08T17:30:00+13:00")
    }

    @Test func fractionsAreDroppedToTheSecond() throws {
        let t = try Self.parsed("2026-11-07T08:00:59.999999999Z")
        #expect(t.instant == 1_794_038_459 && t.second == 59 && t.rfc3339 == "2026-11-07T08:00:59Z")
        #expect(try Self.parsed("2026-11-07T08:00:00.5+01:00").rfc3339 == "2026-11-07T07:00:00Z")
        #expect(try Self.parsed("2026-11-07T08:00:01,25Z").second == 1)
        // Seconds with a fraction and no offset: the account's wall clock.
        #expect(try Self.parsed("2026-11-07T08:00:30.125", "Europe/Paris").rfc3339 == "2026-11-07T08:00:30+01:00")
        #expect(try Self.failure("2026-11-07T08:00:00.Z") != nil)
        #expect(try Self.failure("2026-11-07T08:00.5Z") != nil)
        #expect(try Self.failure("2026-11-07T08:00:00.1234567890Z") != nil)
    }

    @Test func localTimesAreReadInTheAccountsZone() throws {
        let form = try Self.parsed("2026-11-07T08:00", "America/New_York")
        #expect(form.rfc3339 == "2026-11-07T08:00:00-05:00" && form.instant == 1_794_056_400)
        #expect(try Self.parsed("2026-07-07 08:00:15", "America/New_York").rfc3339 == "2026-07-07T08:00:15-04:00")
        #expect(try Self.parsed("  2026-11-07T08:00  ").rfc3339 == "2026-11-07T08:00:00Z")
    }

    @Test func leapDaysAndLeapSeconds() throws {
        #expect(try Self.parsed("2028-02-29T12:00:00+02:00").rfc3339 == "2028-02-29T10:00:00Z")
        #expect(try Self.parsed("2000-02-29T00:00").localDate.description == "2000-02-29")
        #expect(try Self.failure("2027-02-29T12:00:00Z")?.contains("not a real date") == true)
        #expect(try Self.failure("1900-02-29T12:00") != nil)
        // A leap second is read as :59 of the same minute.
        #expect(try Self.parsed("2016-12-31T23:59:60Z").rfc3339 == "2016-12-31T23:59:59Z")
    }

    @Test func springForwardGapMovesLaterBySoMuch() throws {
        // London skips 01:00–02:00 on 29 March 2026: 01:30 is read with GMT, so it is 02:30 BST.
        let gap = try Self.parsed("2026-03-29T01:30", "Europe/London")
        #expect(gap.rfc3339 == "2026-03-29T02:30:00+01:00" && gap.localDate.description == "2026-03-29")
        // New York skips 02:00–03:00 on 8 March 2026.
        #expect(try Self.parsed("2026-03-08T02:15", "America/New_York").rfc3339 == "2026-03-08T03:15:00-04:00")
        // Just outside the gap nothing moves.
        #expect(try Self.parsed("2026-03-29T00:59", "Europe/London").rfc3339 == "2026-03-29T00:59:00Z")
        #expect(try Self.parsed("2026-03-29T02:00", "Europe/London").rfc3339 == "2026-03-29T02:00:00+01:00")
    }

    @Test func fallBackOverlapIsTheFirstOccurrence() throws {
        // London repeats 01:00–02:00 on 25 October 2026: first in BST.
        let first = try Self.parsed("2026-10-25T01:30", "Europe/London")
        #expect(first.rfc3339 == "2026-10-25T01:30:00+01:00")
        // The second occurrence can still be given as an instant.
        #expect(try Self.parsed("2026-10-25T01:30:00Z", "Europe/London").rfc3339 == "2026-10-25T01:30:00Z")
        #expect(try Self.parsed("2026-11-01T01:30", "America/New_York").rfc3339 == "2026-11-01T01:30:00-04:00")
    }

    @Test func nonsenseIsRefusedWithAnExample() throws {
        for text in ["2026-13-01T08:00:00Z", "2026-00-10T08:00", "2026-04-31T08:00"] {
            #expect(try Self.failure(text)?.contains("not a real date") == true, "\(text)")
        }
        for text in ["2026-11-07T24:00:00Z", "2026-11-07T08:60", "2026-11-07T08:00:61Z"] {
            #expect(try Self.failure(text)?.contains("not a time of day") == true, "\(text)")
        }
        for text in ["2026-11-07T08:00:00+25:00", "2026-11-07T08:00:00+01:60", "2026-11-07T08:00:00+1", "2026-11-07T08:00:00+01:0"] {
            #expect(try Self.failure(text)?.contains("impossible UTC offset") == true, "\(text)")
        }
        for text in [
            "yesterday", "2026-11-07", "2026-11-07T8:00", "2026-11-07T08:00:00ZZ", "2026-11-07T08:00:00 UTC",
            "１２３４-11-07T08:00", "2026-11-07T08:00:00+01:00:00", "",
        ] {
            #expect(try Self.failure(text)?.contains("e.g. 2026-11-07T08:00:00Z") == true, "\(text)")
        }
        #expect(try Self.failure("1899-12-31T23:00")?.contains("1900-01-01") == true)
        #expect(try Self.failure("2200-01-01T00:00:00Z")?.contains("2199-12-31") == true)
        // Within range as written, but the day on the account's clock is not.
        #expect(try Self.failure("2199-12-31T23:00:00Z", "Asia/Tokyo")?.contains("2199-12-31") == true)
    }

    @Test func instantsOutsideTheEpochAndRoundTrip() throws {
        let old = try Self.parsed("1900-01-01T00:00:00Z")
        #expect(old.instant == -2_208_988_800 && old.rfc3339 == "1900-01-01T00:00:00Z")
        #expect(try Self.parsed("1969-12-31T23:59:59Z").second == 59)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let t = Timestamp(
                instant: Int.random(in: -2_208_902_400...7_257_945_600, using: &generator),
                utcOffsetMinutes: Int.random(in: -1439...1439, using: &generator))
            guard case .success(let written) = Timestamp.written(t.rfc3339) else { Issue.record("\(t)"); continue }
            #expect(written.recorded(offset: written.utcOffsetMinutes ?? 99_999) == t)
            #expect(Timestamp.parse(t.rfc3339, in: .utc).map(\.instant) == .success(t.instant))
        }
    }

    @Test func offsetsOnTheirOwn() {
        #expect(Timestamp.offset("Z") == 0 && Timestamp.offset("+00:00") == 0)
        #expect(Timestamp.offset("-05:30") == -330 && Timestamp.offset(" +0100 ") == 60)
        #expect(Timestamp.offset("+24:00") == nil && Timestamp.offset("EST") == nil && Timestamp.offset("") == nil)
        #expect(Timestamp.offsetText(-330, zulu: true) == "-05:30" && Timestamp.offsetText(0, zulu: false) == "+00:00")
    }
}
