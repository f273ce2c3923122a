import Testing

@testable import EpsomCore

@Suite struct NOf1InputTests {
    func read(_ csv: String, reference: String? = nil) throws(InputError) -> NOf1Input {
        try NOf1Input(table: try CSVTable(parsing: csv), reference: reference)
    }

    @Test func washoutAndMissingDaysBecomeGapsAndPeriodsFollowTheArm() throws {
        let csv = """
            date,arm,pain,washout
            2026-01-01,cream,5,true
            2026-01-02,cream,4,false
            2026-01-03,cream,,false
            2026-01-04,cream,3,false
            2026-01-05,none,6,true
            2026-01-06,none,6,false
            2026-01-07,none,7,false
            2026-01-09,none,7,false
            """
        let input = try read(csv)
        #expect(input.series.armNames == ["none", "cream"])  // "none" is recognised as the reference
        #expect(input.series.days == [1, 3, 5, 6, 8])
        #expect(input.series.arms == [1, 1, 0, 0, 0])
        #expect(input.series.periods == [0, 0, 1, 1, 1])
        #expect(input.rows.count == 8)
    }

    @Test func rowsAreSortedByDateAndAPeriodColumnSeparatesSameArmPeriods() throws {
        let csv = "date,arm,pain,period\n2026-01-03,b,1,2\n2026-01-01,a,1,1\n2026-01-02,a,1,1\n2026-01-04,b,1,3\n"
        let input = try read(csv, reference: "a")
        #expect(input.series.days == [0, 1, 2, 3])
        #expect(input.series.periods == [0, 0, 1, 2])
    }

    @Test func errorsNameTheLine() {
        let cases: [(String, String?, InputError)] = [
            (
                "date,arm,pain\n2026-01-01,a,5\n2026-01-01,b,4\n", nil,
                InputError(line: 3, column: "date", message: "2026-01-01 appears twice (also on line 2)")
            ),
            (
                "date,arm,pain\n01/02/2026,a,5\n", nil,
                InputError(line: 2, column: "date", message: "\"01/02/2026\" is not a date from 1900-01-01 to 2199-12-31 (use YYYY-MM-DD)")
            ),
            (
                "date,arm,pain\n2026-01-01,a,11\n2026-01-02,b,1\n", nil,
                InputError(line: 2, column: "pain", message: "must lie between 0 and 10")
            ),
            ("date,arm,pain\n2026-01-01,a,x\n", nil, InputError(line: 2, column: "pain", message: "\"x\" is not a number")),
            (
                "date,arm,pain\n2026-01-01,a,1\n2026-01-02,a,2\n", nil,
                InputError(column: "arm", message: "only one arm (\"a\") is in the file; a comparison needs two")
            ),
            (
                "date,arm,pain\n2026-01-01,a,1\n2026-01-02,b,2\n", "c",
                InputError(message: "the reference arm \"c\" is not in the file (arms: a, b)")
            ),
            (
                "date,arm,pain,washout\n2026-01-01,a,1,maybe\n", nil,
                InputError(line: 2, column: "washout", message: "must be true or false")
            ),
            ("date,pain\n2026-01-01,1\n", nil, InputError(message: "the column \"arm\" is missing (the header has: date, pain)")),
        ]
        for (csv, reference, expected) in cases {
            #expect(throws: expected, "\(csv)") { try read(csv, reference: reference) }
        }
    }

    @Test func tooFewDaysInAnArmIsAClearError() throws {
        let input = try read("date,arm,pain\n2026-01-01,a,1\n2026-01-02,a,2\n2026-01-03,a,3\n2026-01-04,b,2\n2026-01-05,b,2\n")
        #expect(throws: InputError(message: "Too little data to tell: the arm \"b\" has 2 analysed days; at least 3 are needed.")) {
            try NOf1Report(input: input, options: .init())
        }
    }

    @Test func plainSummaryWording() throws {
        #expect(NOf1Report.chance(0.9999) == "more than 99%")
        #expect(NOf1Report.chance(0.001) == "less than 1%")
        #expect(NOf1Report.chance(0.62) == "62%")
    }
}
