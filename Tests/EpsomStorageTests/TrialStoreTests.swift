import EpsomCore
import Foundation
import Testing

@testable import EpsomStorage

@Suite struct TrialStoreTests {
    static func trial(seed: UInt64 = UInt64.max - 3) throws -> Trial {
        let start = CalendarDate(iso: "2026-12-01")!
        let design = try TrialDesign.validated(["template": "cream-vs-placebo", "seed": String(seed)], today: start, randomSeed: 0)
        return Trial(id: UUID().uuidString.lowercased(), design: design, registeredOn: start)
    }

    @Test(arguments: Backend.available)
    func aTrialRoundTripsWithAmendmentsDaysAndFeedToken(_ backend: Backend) async throws {
        try await backend.with { store in
            let owner = try await StoreTests.newAccount(store), other = try await StoreTests.newAccount(store)
            let t = try Self.trial()
            try await store.createTrial(t, accountID: owner.id)
            #expect(try await store.trial(id: t.id, accountID: owner.id) == t)  // the largest seed survives JSON
            #expect(try await store.trial(id: t.id, accountID: other.id) == nil)
            #expect(try await store.trials(accountID: other.id).isEmpty)

            var amended = try t.amended(fields: ["cycles": "5", "reason": "More data"], today: t.design.startDate)
            amended.consentToPool = true
            amended.allocationSheetShownOn = t.design.startDate
            try await store.updateTrial(amended, accountID: owner.id)
            await #expect(throws: StoreError.self) { try await store.updateTrial(amended, accountID: other.id) }
            let loaded = try await store.trial(id: t.id, accountID: owner.id)
            #expect(loaded == amended)
            #expect(try await store.consentedTrials().contains { $0.trial.id == t.id && $0.accountID == owner.id })
            #expect(loaded?.registeredProtocol == t.registeredProtocol)

            let day = TrialDay(date: t.design.startDate, adherence: .partly, amount: 2)
            try await store.saveTrialDay(day, trialID: t.id, accountID: owner.id)
            try await store.saveTrialDay(TrialDay(date: t.design.startDate, adherence: .yes), trialID: t.id, accountID: owner.id)
            await #expect(throws: StoreError.self) { try await store.saveTrialDay(day, trialID: t.id, accountID: other.id) }
            #expect(try await store.trialDays(trialID: t.id, accountID: owner.id) == [TrialDay(date: t.design.startDate, adherence: .yes)])
            #expect(try await store.trialDays(trialID: t.id, accountID: other.id).isEmpty)

            let hash = String(repeating: "ab", count: 32) + UUID().uuidString
            try await store.setTrialFeedToken(trialID: t.id, accountID: owner.id, tokenHash: hash)
            let byFeed = try await store.trial(feedTokenHash: hash)
            #expect(byFeed?.trial.id == t.id && byFeed?.accountID == owner.id)
            try await store.setTrialFeedToken(trialID: t.id, accountID: owner.id, tokenHash: nil)
            #expect(try await store.trial(feedTokenHash: hash) == nil)

            try await store.deleteAccount(id: owner.id)
            #expect(try await store.trialDays(trialID: t.id, accountID: owner.id).isEmpty)
            #expect(try await store.trials(accountID: owner.id).isEmpty)
        }
    }
}
