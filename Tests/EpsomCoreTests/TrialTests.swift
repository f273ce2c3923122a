import EpsomTestSupport
import Foundation
import Testing

@testable import EpsomCore

@Suite struct TrialTests {
    static let start = CalendarDate(iso: "2026-12-01")!

    static func trial(template: TrialTemplate = .creamVsPlacebo, seed: UInt64 = 5) throws -> Trial {
        let design = try TrialDesign.validated(["template": template.rawValue, "seed": String(seed)], today: start, randomSeed: 0)
        return Trial(id: "t1", design: design, registeredOn: start)
    }

    /// The stored hash is what anyone gets from `sha256sum` of the stored protocol text (the
    /// README's way to check a protocol was not changed after registration).
    @Test func theProtocolHashIsTheSHA256SumOfTheStoredText() throws {
        let t = try Self.trial()
        let run = try TestFiles.withTemporaryFolder { folder in
            let file = folder.appendingPathComponent("protocol.json")
            try Data(t.registeredProtocol.json.utf8).write(to: file)
            return try runCommand(URL(fileURLWithPath: "/usr/bin/env"), ["sha256sum", file.path], in: folder)
        }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.split(separator: " ").first.map(String.init) == t.registeredProtocol.sha256)
    }

    /// Any change to the protocol's text changes its hash; the same design gives the same text.
    @Test func theHashChangesWhenTheProtocolTextChanges() throws {
        let t = try Self.trial()
        let other = try TrialDesign.validated(
            ["template": TrialTemplate.creamVsPlacebo.rawValue, "seed": "5", "mcid": "1.5"],
            today: Self.start, randomSeed: 0)
        let changed = Trial(id: "t1", design: other, registeredOn: Self.start).registeredProtocol
        #expect(changed.json != t.registeredProtocol.json && changed.sha256 != t.registeredProtocol.sha256)
        let later = Trial(id: "t1", design: t.design, registeredOn: Self.start.adding(days: 1)).registeredProtocol
        #expect(later.sha256 != t.registeredProtocol.sha256)
        let oneCharacter = t.registeredProtocol.json.replacingOccurrences(of: "\"seed\":\"5\"", with: "\"seed\":\"6\"")
        #expect(oneCharacter != t.registeredProtocol.json && TrialProtocol.hash(oneCharacter) != t.registeredProtocol.sha256)
    }

    @Test func theProtocolIsCanonicalJSON() throws {
        let t = try Self.trial()
        #expect(t.registeredProtocol.json.contains("\"seed\":\"5\""))
        #expect(t.registeredProtocol.json.contains("\"jar\":\"Jar "))
        // Same design, same protocol; another seed, another hash.
        #expect(try Self.trial().registeredProtocol == t.registeredProtocol)
        #expect(try Self.trial(seed: 6).registeredProtocol.sha256 != t.registeredProtocol.sha256)
    }

    @Test func statusAndConcealmentFollowTheDates() throws {
        var t = try Self.trial()
        #expect(t.status(today: Self.start.adding(days: -1)) == .planned)
        #expect(t.status(today: Self.start) == .running && t.isConcealed(today: Self.start))
        #expect(t.armLabel(1, today: Self.start).hasPrefix("Jar "))
        let after = t.design.endDate.adding(days: 1)
        #expect(t.status(today: after) == .finished && !t.isConcealed(today: after))
        #expect(t.armLabel(1, today: after) == "Magnesium cream")
        t.stoppedOn = Self.start.adding(days: 3)
        #expect(t.status(today: Self.start.adding(days: 4)) == .stopped && t.lastDay == Self.start.adding(days: 3))
        #expect(t.instruction(on: Self.start.adding(days: 4)) == nil)
    }

    @Test func amendmentsNeedAReasonKeepPlannedPeriodsAndCarryTheirHash() throws {
        let t = try Self.trial(template: .creamVsNone)
        let today = Self.start.adding(days: 20)
        #expect(throws: FieldErrors.self) { try t.amended(fields: ["cycles": "6"], today: today) }
        #expect(throws: FieldErrors.self) { try t.amended(fields: ["cycles": "1", "reason": "x"], today: today) }
        let amended = try t.amended(
            fields: ["cycles": "6", "mcid": "1.5", "reason": "Pain varies more than expected"],
            today: today)
        #expect(amended.design.cycles == 6 && amended.design.mcid == 1.5)
        #expect(Array(amended.schedule.periods.prefix(8)) == t.schedule.periods)
        #expect(amended.amendments.count == 1)
        let a = amended.amendments[0]
        #expect(a.change == "cycles 4 → 6; MCID 1 → 1.5" && a.number == 1)
        #expect(a.protocolHash == TrialProtocol.hash(a.protocolJSON) && a.protocolHash != t.registeredProtocol.sha256)
        #expect(amended.currentProtocolHash == a.protocolHash)
        #expect(amended.registeredProtocol == t.registeredProtocol)
    }

    @Test func adherenceIsValidatedAgainstTheTrialDays() throws {
        let t = try Self.trial()
        let today = Self.start.adding(days: 3)
        let day = try TrialDay.validated(["date": "2026-12-02", "adherence": "partly", "amount": "1.5"], trial: t, today: today)
        #expect(day.adherence == .partly && day.amount == 1.5 && !day.severeSideEffect)
        func errors(_ fields: [String: String]) -> FieldErrors {
            do { _ = try TrialDay.validated(fields, trial: t, today: today); return FieldErrors() } catch { return error }
        }
        #expect(errors(["date": "2026-11-30", "adherence": "yes"])["date"]?.contains("not a day") == true)
        #expect(errors(["date": "2026-12-05", "adherence": "yes"])["date"]?.contains("future") == true)
        #expect(errors(["date": "2026-12-02", "adherence": "maybe"])["adherence"] != nil)
        #expect(errors(["date": "2026-12-02", "adherence": "yes", "amount": "-1"])["amount"] != nil)
    }
}
