import EpsomStats
import EpsomTestSupport
import Foundation
import Testing

@testable import EpsomCore

/// The byte CSV reader and the streaming JSON writer: exact errors, exact numbers, and cost
/// linear in size (measured as a ratio of two sizes, not a wall-clock limit).
@Suite struct FastIOTests {
    // MARK: Reading

    @Test func awkwardButValidFilesReadAsWritten() throws {
        let bom = "\u{FEFF}study,yi,vi\r\nA,0.1,0.01\r\n\"B, \"\"the second\"\"\",0.2,0.02\r\n\r\n"
        let table = try CSVTable(parsing: bom)
        #expect(table.header == ["study", "yi", "vi"])
        #expect(table.rowCount == 2)
        #expect(table.text(1, 0) == "B, \"the second\"")
        #expect(table.line(1) == 3)
        #expect(table.number(0, 1) == 0.1 && table.number(1, 2) == 0.02)
        // A quoted line break counts as a line, so later rows keep the line an editor shows.
        let multiline = try CSVTable(parsing: "study,note\n\"A\",\"two\nlines\"\nB,x\n")
        #expect(multiline.text(0, 1) == "two\nlines" && multiline.line(1) == 4)
    }

    @Test func badFilesNameTheLineAndColumn() {
        let cases: [(String, InputError)] = [
            ("study,yi,vi\nA,0.1,0.01\nB,0.2\"x,0.02\n", InputError(line: 3, column: "yi", message: "\"0.2\"x\" is not a number")),
            (
                "study,yi,vi\nA,\"0.1\"x,0.01\n",
                InputError(
                    line: 2, column: "yi", message: "has text after its closing quote (a quote inside a quoted field is written twice)")
            ),
            ("study,yi,vi\nA,\"0.1,0.01\n", InputError(line: 2, message: "a quoted field is not closed (missing \")")),
            ("study,yi,vi\nA,,0.01\n", InputError(line: 2, column: "yi", message: "is empty")),
            ("study,yi,vi\nA,0.1\n", InputError(line: 2, message: "has 2 fields but the header has 3")),
            ("study,yi,vi\r\n", InputError(message: "the file has a header but no studies")),
            ("\u{FEFF}", InputError(message: "the file is empty")),
            ("study,yi,vi\nA,nan,0.01\n", InputError(line: 2, column: "yi", message: "\"nan\" is not a number")),
            ("study,yi,vi\nA,1e999,0.01\n", InputError(line: 2, column: "yi", message: "\"1e999\" is not a number")),
        ]
        for (csv, expected) in cases {
            #expect(throws: expected, "\(csv.debugDescription)") {
                try MetaAnalysisInput(table: try CSVTable(parsing: csv), measure: .generic)
            }
        }
    }

    @Test func numbersReadFromBytesAreExactlyStringsNumbers() throws {
        var generator = SplitMix64(seed: 7)
        var csv = "x\n"
        var expected: [Double] = []
        for i in 0..<2000 {
            let bits = generator.next()
            var value = Double(bitPattern: bits & 0x7FEF_FFFF_FFFF_FFFF)  // finite, either sign below
            if i % 2 == 0 { value = Double(Int64(bitPattern: bits) % 1_000_000) / 1000 }
            if i % 3 == 0 { value = -value }
            expected.append(value)
            csv += (i % 5 == 0 ? " \(value)\t" : "\(value)") + "\n"
        }
        let table = try CSVTable(parsing: csv)
        for (row, value) in expected.enumerated() {
            #expect(table.number(row, 0)?.bitPattern == value.bitPattern, "row \(row): \(value)")
        }
    }

    /// The fast path for short decimals (Clinger's) must give `strtod`'s answer bit for bit, and
    /// leave anything malformed or beyond it to `strtod`.
    @Test func shortDecimalsTakeTheExactFastPath() {
        var generator = SplitMix64(seed: 11)
        var taken = 0
        for i in 0..<50_000 {
            let bits = generator.next()
            let digits = Int(bits % 17) + 1
            var mantissa = String((bits >> 8) % 10_000_000_000_000_000)
            mantissa = String(mantissa.prefix(digits))
            let point = Int((bits >> 5) % UInt64(mantissa.count + 1))
            let decimal = String(mantissa.prefix(point)) + "." + String(mantissa.dropFirst(point))
            let exponent = Int((bits >> 13) % 61) - 30
            let text = (i % 2 == 0 ? "-" : "") + decimal + (i % 3 == 0 ? "e\(exponent)" : "")
            let strtod = Double(text)
            var copy = text
            let fast = copy.withUTF8 { NumberParsing.clinger($0) }
            if let fast {
                taken += 1
                #expect(fast.bitPattern == strtod?.bitPattern, "\(text)")
            }
            #expect(NumberParsing.decimal(text)?.bitPattern == strtod?.bitPattern, "\(text)")
        }
        #expect(taken > 10_000, "the fast path was taken \(taken) times")
        for text in ["1e", ".", "-", "+", "1.2.3", "1-2", "+-1", "e5", "1e+", "--1", "1e5000", "0x10", ""] {
            var copy = text
            #expect(copy.withUTF8 { NumberParsing.clinger($0) } == nil, "\(text)")
        }
        #expect(NumberParsing.decimal("-0")?.sign == .minus)
        #expect(NumberParsing.decimal("0.1") == 0.1 && NumberParsing.decimal("9007199254740993") == 9_007_199_254_740_992)
    }

    /// Repeated names are found as `String` equality finds them: by bytes when every name is
    /// plain ASCII, by canonical equivalence otherwise ("Mu\u{308}ller" is "Müller", the Kelvin
    /// sign is "K").
    @Test func repeatedNamesAreFoundAsStringsCompareThem() throws {
        let cases: [(csv: String, repeat: (row: Int, earlier: Int)?)] = [
            ("study\nA\nB\n  A\t\n", (2, 0)),
            ("study\nA\nB\nC\n", nil),
            ("study\nMüller\nMu\u{308}ller\n", (1, 0)),
            ("study\nK 2001\n\u{212A} 2001\n", (1, 0)),
            ("study\n\"A \"\"x\"\"\"\n\"A \"\"x\"\"\"\n", (1, 0)),
            ("study\nab\nba\n", nil),
        ]
        for (csv, expected) in cases {
            let found = try CSVTable(parsing: csv).firstRepeat(inColumn: 0)
            #expect(found?.row == expected?.row && found?.earlier == expected?.earlier, "\(csv)")
        }
        var many = "study\n"
        for i in 0..<50_000 { many += "Study \(i)\n" }
        #expect(try CSVTable(parsing: many).firstRepeat(inColumn: 0) == nil)
        #expect(try CSVTable(parsing: many + "Study 123\n").firstRepeat(inColumn: 0).map { [$0.row, $0.earlier] } == [50_000, 123])
    }

    // MARK: Writing

    struct Sample: Codable, Equatable {
        var studyLabel: String
        var values: [Double]
        var count: Int
        var seed: UInt64
        var flag: Bool
        var note: String?
        var missing: Double?
        var nested: [Inner]
        var widths = Widths()
        struct Inner: Codable, Equatable { var ciLower: Double }
        /// Every integer type, each written by its own case (none falls back to `encode(to:)`).
        struct Widths: Codable, Equatable {
            var int8: Int8 = .min, int16: Int16 = .min, int32: Int32 = .min, int64: Int64 = .min
            var uint8: UInt8 = .max, uint16: UInt16 = .max, uint32: UInt32 = .max, uint: UInt = .max
            var list: [Int16] = [-1, 0, 1]
        }
    }

    @Test func writtenJSONReadsBackExactly() throws {
        var generator = SplitMix64(seed: 11)
        let values =
            (0..<500).map { _ in Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF) } + [
                0, -0.0, 1, 0.1, 1e-300, 5e-324, 1e15, 123456789012345678,
            ]
        let sample = Sample(
            studyLabel: "Quote \" backslash \\ newline \n tab \t bell \u{07} é 😀", values: values, count: -3, seed: .max, flag: true,
            note: nil, missing: nil, nested: [.init(ciLower: -0.25)])
        for pretty in [true, false] {
            let text = try JSONStream.text(sample, pretty: pretty)
            #expect(text.contains("\"study_label\"") && text.contains("\"ci_lower\"") && !text.contains("note"))
            #expect(text.contains("-128") && text.contains("-9223372036854775808") && text.contains("18446744073709551615"))
            let back = try WireJSON.decoder().decode(Sample.self, from: Data(text.utf8))
            #expect(back == sample)
            #expect(zip(back.values, values).allSatisfy { $0.bitPattern == $1.bitPattern || ($0 == 0 && $1 == 0) })
        }
        #expect(throws: EncodingError.self) { try JSONStream.text([Double.nan]) }
    }

    @Test func reportsWriteTheSameJSONAsFoundation() throws {
        let csv =
            "study,yi,vi\n" + (0..<50).map { "S\($0),\(Double($0 % 7) / 10 - 0.3),\(0.01 + Double($0 % 5) / 100)" }.joined(separator: "\n")
        let report = try MetaAnalysisReport(
            input: MetaAnalysisInput(table: CSVTable(parsing: csv), measure: .generic), options: .init(),
            extras: [.egger, .trimAndFill, .leaveOneOut])
        let streamed = try WireJSON.decoder().decode(MetaAnalysisJSON.self, from: Data(try report.jsonText().utf8))
        let foundation = try WireJSON.decoder().decode(MetaAnalysisJSON.self, from: WireJSON.encoder().encode(report.json))
        #expect(streamed == foundation && streamed == report.json)
    }

    // MARK: Linear cost

    /// Reading, analysing and writing k = 200,000 studies costs about ten times k = 20,000 (a
    /// quadratic step would make it a hundred); the bound allows for noise on a shared machine.
    @Test func wholeReportsGrowLinearly() throws {
        func seconds(_ k: Int) throws -> (json: Double, text: Double) {
            var csv = "study,yi,vi\n"
            csv.reserveCapacity(k * 30)
            for i in 0..<k { csv += "Study \(i),\(Double(i % 97) / 100 - 0.4),\(0.01 + Double(i % 13) / 200)\n" }
            let clock = ContinuousClock()
            var report: MetaAnalysisReport?
            let analysed = clock.measure {
                report = try? MetaAnalysisReport(
                    input: MetaAnalysisInput(table: CSVTable(parsing: csv), measure: .generic), options: .init())
            }
            let done = try #require(report)
            var bytes = 0
            let json = try clock.measure { try JSONStream.write(done.json) { bytes += $0.count } }
            let text = clock.measure { bytes += done.text.utf8.count }
            #expect(bytes > k * 20)
            return ((analysed + json) / .seconds(1), (analysed + text) / .seconds(1))
        }
        _ = try seconds(2_000)  // warm up
        let small = try seconds(20_000), large = try seconds(200_000)
        #expect(large.json / small.json < 30, "JSON: \(small.json) s → \(large.json) s")
        #expect(large.text / small.text < 30, "text: \(small.text) s → \(large.text) s")
    }
}

/// Report numbers: the fast rounding agrees with C's printf on every value, ties included.
@Suite struct FixedFormattingTests {
    @Test func fastRoundingIsPrintfExactly() {
        var generator = SplitMix64(seed: 3)
        var values: [Double] = [
            0, -0.0, 0.5, 1.5, 2.5, 0.125, 0.375, 2.675, 1.005, 1.0005, 9.9999, 99.99995, -0.00004, -0.00005, 0.00005, 123456.78905,
        ]
        for _ in 0..<20_000 {
            let bits = generator.next()
            let scale = [1.0, 0.001, 100, 1e6][Int(bits % 4)]
            values.append((Double(bits >> 11) / Double(1 << 53) - 0.5) * scale)
            values.append(Double(Int64(bits % 2_000_001) - 1_000_000) / 10_000)  // many exact ties at 4 digits
        }
        for x in values {
            for digits in [0, 1, 2, 4, 6] {
                var bytes: [UInt8] = []
                let rounded = NumberFormatting.appendRounded(x, digits, into: &bytes) ? String(decoding: bytes, as: UTF8.self) : nil
                #expect(rounded ?? NumberFormatting.printf(x, digits) == NumberFormatting.printf(x, digits), "\(x) to \(digits)")
            }
        }
    }
}
