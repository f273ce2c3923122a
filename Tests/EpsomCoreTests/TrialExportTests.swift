import EpsomTestSupport
import Foundation
import Testing

@testable import EpsomCore

/// The FHIR bundles are golden files: the test compares the builder's output with the committed
/// fixture, and `scripts/fhir/validate_bundle.py` (run by .ci/run) validates those fixtures
/// against the FHIR R4 models. Set EPSOM_UPDATE_FIXTURES=1 to rewrite them after a deliberate change.
@Suite struct TrialExportTests {
    /// The parts of a FHIR bundle these tests read.
    struct FHIRBundle: Decodable {
        struct Entry: Decodable { var fullUrl: String; var resource: Resource }
        struct Resource: Decodable {
            struct Concept: Decodable { struct Coding: Decodable { var code: String? }; var coding: [Coding]? }
            var resourceType: String
            var code: Concept?
        }
        var entry: [Entry]
    }

    static let lastDay = CalendarDate(iso: "2026-11-17")!
    static let demo = DemoTrial.generate(lastDay: lastDay, id: "demo-trial")

    func golden(_ name: String, _ text: String) throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil)).appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["EPSOM_UPDATE_FIXTURES"] != nil {
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/" + name)
            try text.write(to: source, atomically: true, encoding: .utf8)
        }
        #expect(text == (try String(contentsOf: url, encoding: .utf8)), "regenerate with EPSOM_UPDATE_FIXTURES=1 and validate")
    }

    @Test func theFinishedTrialsBundleMatchesTheValidatedFixture() throws {
        let d = Self.demo
        let bundle = TrialFHIR.bundle(
            d.trial, diary: d.diary, adherence: d.adherence, today: Self.lastDay.adding(days: 8),
            timestamp: "2026-11-25T09:00:00Z")
        try golden("trial-bundle-finished.json", bundle)
        let entries = try decodeJSON(FHIRBundle.self, from: bundle).entry
        let resources = entries.map(\.resource)
        let pain = resources.filter { $0.code?.coding?.first?.code == "72514-3" }
        #expect(pain.count == 56)
        #expect(resources.filter { $0.resourceType == "DocumentReference" }.count == 1)
        // Every reference resolves inside the bundle.
        let urls = Set(entries.map(\.fullUrl))
        let references = bundle.components(separatedBy: "\"reference\" : \"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(!references.isEmpty && references.allSatisfy { urls.contains(String($0)) })
        #expect(bundle.contains("Magnesium cream") && bundle.contains(d.trial.registeredProtocol.sha256))
    }

    @Test func aRunningBlindedTrialsBundleRevealsNothing() throws {
        let d = Self.demo
        let today = d.trial.design.startDate.adding(days: 20)
        let bundle = TrialFHIR.bundle(
            d.trial, diary: Array(d.diary.prefix(21)), adherence: Array(d.adherence.prefix(21)),
            today: today, timestamp: "2026-11-25T09:00:00Z")
        try golden("trial-bundle-running.json", bundle)
        #expect(!bundle.contains("Magnesium cream") && !bundle.contains("Placebo"))
        #expect(!bundle.contains("\"data\""))
        #expect(bundle.contains(d.trial.registeredProtocol.sha256))
    }

    @Test func calendarHasAnAlarmedDailyEventPerPeriodAndFoldsLongLines() {
        let d = Self.demo
        let ics = TrialCalendar.ics(d.trial, today: d.trial.design.startDate, stamp: "20261125T090000Z")
        #expect(ics.hasPrefix("BEGIN:VCALENDAR\r\n") && ics.hasSuffix("END:VCALENDAR\r\n"))
        #expect(ics.components(separatedBy: "BEGIN:VEVENT").count - 1 == 8)
        #expect(ics.components(separatedBy: "BEGIN:VALARM").count - 1 == 8)
        #expect(ics.contains("RRULE:FREQ=DAILY;COUNT=7"))
        #expect(ics.contains("DTSTART:\(TrialCalendar.compact(d.trial.design.startDate))T200000"))
        #expect(!ics.contains("Magnesium cream") && ics.contains("Jar "))
        for line in ics.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75) }
        #expect(TrialCalendar.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne")
    }

    /// The app's own trial export is a fixture of `epsom analyze` (Tests/epsomTests/Fixtures):
    /// this keeps that file what the app writes. EPSOM_UPDATE_FIXTURES=1 rewrites it.
    @Test func theCLIFixtureIsTheAppsTrialExport() throws {
        let d = Self.demo
        let csv = TrialCSV.csv(d.trial, diary: d.diary, adherence: d.adherence, today: Self.lastDay.adding(days: 1))
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("epsomTests/Fixtures/trial-export.csv")
        if ProcessInfo.processInfo.environment["EPSOM_UPDATE_FIXTURES"] != nil {
            try csv.write(to: path, atomically: true, encoding: .utf8)
        }
        #expect(csv == (try String(contentsOf: path, encoding: .utf8)))
    }

    @Test func csvHasADayARowWithTheArmAsShown() throws {
        let d = Self.demo
        let csv = TrialCSV.csv(d.trial, diary: d.diary, adherence: d.adherence, today: Self.lastDay.adding(days: 1))
        let lines = csv.split(separator: "\n")
        #expect(lines.count == 57)
        #expect(lines[0] == "date,cycle,period,arm,comparator,washout,pain,outcome,adherence,amount,severe_side_effect,side_effects")
        #expect(lines[1].hasPrefix("\(d.trial.design.startDate),1,1,"))
        // Once over, the comparator is marked, so `epsom analyze` reads the export the right way round.
        let placeboDays = lines.filter { $0.contains(",Placebo cream,true,") }.count
        #expect(placeboDays == 28 && !csv.contains(",Magnesium cream,true,"))
        let input = try NOf1Input(table: try CSVTable(parsing: csv))
        #expect(input.series.armNames == ["Placebo cream", "Magnesium cream"])
        // While the blinded trial runs, the column is empty: it must not unblind.
        let running = TrialCSV.csv(d.trial, diary: d.diary, adherence: d.adherence, today: d.trial.design.startDate.adding(days: 3))
        #expect(
            !running.contains(",true,")
                || running.split(separator: "\n").dropFirst().allSatisfy {
                    $0.split(separator: ",", omittingEmptySubsequences: false)[4].isEmpty
                })
        #expect(csv.contains("Magnesium cream") && csv.contains("skin_irritation"))
    }

    /// A title with CRLF once added raw lines to the calendar ("\r\n" is one Character). Fuzzed
    /// titles of line breaks, separators, controls and multi-byte scalars: every physical line
    /// is at most 75 octets and is a property or a fold, and unfolding and unescaping (RFC 5545
    /// §3.1, §3.3.11) gives the title back, line breaks as "\n" and controls dropped.
    @Test func calendarTextCannotInjectLines() throws {
        let alphabet: [Unicode.Scalar] = [
            "a", "Z", " ", ",", ";", "\\", ":", "\r", "\n", "\t", "\u{0}", "\u{7F}", "é", "€", "😀",
            "\u{2028}", "B", "E", "G", "I", "N", "V",
        ]
        var generator = SystemRandomNumberGenerator()
        let start = CalendarDate(iso: "2026-03-16")!
        for round in 0..<300 {
            var title = round == 0 ? "Cream\r\nBEGIN:VEVENT\r\nSUMMARY:injected" : ""
            for _ in 0..<Int.random(in: 1...120, using: &generator) {
                title.unicodeScalars.append(alphabet.randomElement(using: &generator)!)
            }
            var design = Self.demo.trial.design
            design.title = title
            let trial = Trial(id: "t", design: design, registeredOn: start)
            let ics = TrialCalendar.ics(trial, today: start, stamp: "20260316T000000Z")
            let physical = ics.components(separatedBy: "\r\n").dropLast()
            for line in physical {
                #expect(line.utf8.count <= 75, "line over 75 octets")
                #expect(line.hasPrefix(" ") || line.range(of: #"^[A-Z-]+[;:]"#, options: .regularExpression) != nil, "raw line: \(line)")
            }
            #expect(physical.filter { $0 == "BEGIN:VEVENT" }.count == trial.schedule.periods.count)
            // Unfold, find the calendar's name, unescape.
            let unfolded = ics.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n")
            let nameLine = try #require(unfolded.first { $0.hasPrefix("X-WR-CALNAME:") })
            var expected = ""
            var previousCR = false
            for scalar in title.unicodeScalars {
                defer { previousCR = scalar == "\r" }
                if scalar == "\n" && previousCR { continue }
                if ["\r", "\n", "\u{2028}", "\u{2029}", "\u{85}"].contains(scalar) { expected += "\n"; continue }
                if (scalar.value < 0x20 && scalar != "\t") || scalar.value == 0x7F { continue }
                expected.unicodeScalars.append(scalar)
            }
            #expect(Self.unescape(String(nameLine.dropFirst("X-WR-CALNAME:".count))) == "Epsom: " + expected)
        }
    }

    static func unescape(_ text: String) -> String {
        var out = "", escaping = false
        for c in text.unicodeScalars {
            if escaping {
                out += c == "n" || c == "N" ? "\n" : String(c)
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
