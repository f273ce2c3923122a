import EpsomCore
import Foundation
import Testing

/// The one JSON configuration: snake_case keys from camelCase names, and back.
@Suite struct WireJSONTests {
    @Test func wireNamesFollowFoundationsRule() throws {
        // wireName is what the schema reader names a property; the encoder must agree.
        struct Sample: Encodable {
            var takenAt = 1, protocolSha256 = 2, tau2CiLower = 3, pNewMcid = 4, i2 = 5, elementalMg = 6, qmP = 7
        }
        let text = try WireJSON.text(Sample())
        for name in ["takenAt", "protocolSha256", "tau2CiLower", "pNewMcid", "i2", "elementalMg", "qmP"] {
            #expect(text.contains("\"\(WireJSON.wireName(name))\""), "\(name) → \(WireJSON.wireName(name)) not in \(text)")
        }
        #expect(WireJSON.wireName("protocolSha256") == "protocol_sha256")
        #expect(WireJSON.wireName("tau2CiLower") == "tau2_ci_lower")
    }

    /// Archives written before every key was snake_case hold a trial's design in camelCase: the
    /// wire decoder still reads them, and the design it writes now reads back the same.
    @Test func aDesignInEitherCaseReadsBack() throws {
        let design = TrialDesign(
            title: "Cream vs none", arms: [TrialArm(name: "None", instruction: "No cream"), TrialArm(name: "Cream", instruction: "2 g")],
            periodDays: 10, cycles: 3, washoutDays: 3, startDate: try #require(CalendarDate(iso: "2026-12-01")), seed: 1 << 60,
            reminderTime: "21:30")
        let old = try JSONEncoder().encode(design)
        #expect(String(decoding: old, as: UTF8.self).contains("\"periodDays\""))
        #expect(try WireJSON.decoder().decode(TrialDesign.self, from: old) == design)
        let now = try WireJSON.encoder().encode(design)
        #expect(String(decoding: now, as: UTF8.self).contains("\"period_days\""))
        #expect(try WireJSON.decoder().decode(TrialDesign.self, from: now) == design)
    }
}
