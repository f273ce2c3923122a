import Testing

@testable import EpsomCore

@Suite struct RecordsCSVTests {
    @Test func diaryRoundTripsThroughCSV() throws {
        let entries = [
            DiaryEntry(
                date: CalendarDate(iso: "2026-03-01")!, pain: 6, enjoyment: 4, activity: 5, sideEffects: [.diarrhoea, .other],
                note: "=SUM(A1) \"quoted\", with comma\nand a line"),
            DiaryEntry(date: CalendarDate(iso: "2026-03-02")!, pain: 3, sleep: 8),
        ]
        let arms = [CalendarDate(iso: "2026-03-01")!: DiaryArms.Day(arm: "Magnesium cream", washout: false)]
        let csv = RecordsCSV.diary(entries, arms: arms)
        #expect(csv.hasPrefix("date,arm,washout,pain,enjoyment,activity,spasms,stiffness,sleep,side_effects,note\n"))
        #expect(csv.contains("\n2026-03-01,Magnesium cream,false,6,") && csv.contains("\n2026-03-02,none,false,3,"))
        #expect(csv.contains("\"'=SUM(A1)"))  // a formula-like note is neutralized in the file
        #expect(try RecordsCSV.importDiary(csv) == entries)
    }

    @Test func dosesRoundTripThroughCSV() throws {
        let doses = [
            try Dose.validated([
                "taken_at": "2026-03-01T21:30", "product": "Cream, 2 pumps", "route": "transdermal_cream",
                "amount": "2", "unit": "pump", "elemental_mg": "56", "site": "soles of the feet",
            ]),
            try Dose.validated([
                "taken_at": "2026-03-02T08:00", "product": "Oxide", "route": "oral", "salt": "oxide",
                "amount": "400", "unit": "mg",
            ]),
        ]
        let back = try RecordsCSV.importDoses(RecordsCSV.doses(doses))
        #expect(back.map(\.product) == doses.map(\.product))
        #expect(back.map(\.elementalMilligrams) == [56, 241.2])
        // An exported computed figure comes back as the label figure: same number.
        #expect(back[1].elementalSource == .label)
    }

    @Test func importReportsEveryBadRowAndNothingElse() {
        let csv = "date,pain,note\n2026-03-01,5,ok\n2026-03-02,12,bad\nnot-a-date,,\n"
        #expect(
            throws: RecordsCSV.ImportErrors(rows: [
                .init(line: 3, field: "pain", message: "must be a whole number from 0 to 10"),
                .init(line: 4, field: "date", message: "must be a date (YYYY-MM-DD) from 1900-01-01 to 2199-12-31"),
                .init(line: 4, field: "pain", message: "is required"),
            ])
        ) { try RecordsCSV.importDiary(csv) }
        #expect(throws: RecordsCSV.ImportErrors(rows: [.init(line: 1, field: "pain", message: "the column is missing")])) {
            try RecordsCSV.importDiary("date\n2026-03-01\n")
        }
    }

    /// A second row for the same day would silently replace the first (and the count would
    /// say two were imported): it is refused, naming both lines.
    @Test func aDayTwiceInOneFileIsRefused() {
        #expect(
            throws: RecordsCSV.ImportErrors(rows: [
                .init(line: 4, field: "date", message: "appears twice in this file (first on line 2)")
            ])
        ) { try RecordsCSV.importDiary("date,pain\n2026-02-01,1\n2026-02-02,3\n2026-02-01,7\n") }
    }
}
