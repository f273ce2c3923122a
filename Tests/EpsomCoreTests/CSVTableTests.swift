import Testing

@testable import EpsomCore

@Suite struct CSVTableTests {
    @Test func parsesQuotesEscapesAndLineEndings() throws {
        let text = "\u{FEFF}study, yi ,vi\r\n\"Smith, J\",0.1,0.01\r\n\"He said \"\"hi\"\"\",0.2,0.02\n\nLast,0.3,0.03"
        let table = try CSVTable(parsing: text)
        #expect(table.header == ["study", "yi", "vi"])
        #expect(table.rows.map(\.fields[0]) == ["Smith, J", "He said \"hi\"", "Last"])
        #expect(table.rows.map(\.line) == [2, 3, 5])
    }

    @Test func multiLineQuotedFieldKeepsLineNumbers() throws {
        let table = try CSVTable(parsing: "study,note\n\"a\",\"two\nlines\"\nb,x\n")
        #expect(table.rows.map(\.line) == [2, 4])
        #expect(table.rows[0].fields[1] == "two\nlines")
    }

    @Test func errorsNameTheLine() {
        #expect(throws: InputError(message: "the file is empty")) { try CSVTable(parsing: "") }
        #expect(throws: InputError(line: 3, message: "has 2 fields but the header has 3")) {
            try CSVTable(parsing: "a,b,c\n1,2,3\n1,2\n")
        }
        #expect(throws: InputError(line: 2, message: "a quoted field is not closed (missing \")")) {
            try CSVTable(parsing: "a,b\n\"open,2\n")
        }
    }

    @Test func strictNumbers() {
        #expect(NumberParsing.decimal(" 1.5e-3 ") == 0.0015)
        #expect(NumberParsing.decimal("-2") == -2)
        for bad in ["", "NaN", "inf", "0x10", "1,5", "abc", "1e999"] { #expect(NumberParsing.decimal(bad) == nil, "\(bad)") }
    }
}
