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

    @Test func dayNumbersRoundTrip() {
        for n in stride(from: -800_000, through: 2_900_000, by: 997) {
            #expect(CalendarDate(dayNumber: n).dayNumber == n)
        }
    }
}
