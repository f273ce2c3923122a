import Testing

@testable import EpsomCore

@Suite struct CalendarDateTests {
    @Test func parsesAndPrintsISODates() {
        #expect(CalendarDate(iso: "2026-11-25")?.description == "2026-11-25")
        #expect(CalendarDate(iso: "1970-01-01")?.dayNumber == 0)
        #expect(CalendarDate(iso: "2000-03-01")!.dayNumber - CalendarDate(iso: "2000-02-28")!.dayNumber == 2)  // leap year
        #expect(CalendarDate(iso: "1900-03-01")!.dayNumber - CalendarDate(iso: "1900-02-28")!.dayNumber == 1)  // not leap
        for bad in ["2026-02-30", "2026-13-01", "2026-1-5", "25/11/2026", "", "2026-11-25T10:00", "２０２６-11-25"] {
            #expect(CalendarDate(iso: bad) == nil, "\(bad)")
        }
    }

    /// One accepted range for every date the product takes; exports and storage cover it whole.
    @Test func acceptsOnlyTheOneRange() throws {
        #expect(CalendarDate.accepted.lowerBound.description == "1900-01-01")
        #expect(CalendarDate.accepted.upperBound.description == "2199-12-31")
        for outside in ["1899-12-31", "0001-01-01", "2200-01-01", "9999-12-31"] {
            #expect(CalendarDate(iso: outside) == nil, "\(outside)")
            #expect(LocalDateTime(iso: outside + "T08:00") == nil, "\(outside)")
        }
        #expect(CalendarDate(iso: "1900-01-01") == CalendarDate.accepted.lowerBound)
        #expect(CalendarDate(iso: "2199-12-31") == CalendarDate.accepted.upperBound)
        let errors = try #require(throws: FieldErrors.self) { try DiaryEntry.validated(["date": "1850-06-01", "pain": "3"]) }
        #expect(errors.messages["date"] == "must be a date (YYYY-MM-DD) from 1900-01-01 to 2199-12-31")
    }

    @Test func dayNumbersRoundTrip() {
        for n in stride(from: -800_000, through: 2_900_000, by: 997) {
            #expect(CalendarDate(dayNumber: n).dayNumber == n)
        }
    }
}
