import EpsomCore
import EpsomStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import EpsomWeb

/// The evidence pages: catalogue filters, the gap map, the workbench, and pooled users' trials.
@Suite struct EvidencePageTests {
    typealias Browser = PageTests.Browser

    @Test func theCatalogueFiltersAndLinksEverySource() async throws {
        try await TestApp.make().run { client in
            let all = try await Browser(client).request(.get, "/evidence")
            #expect(all.status == .ok && all.body.contains("27 of 27 entries"))
            #expect(all.body.contains("https://pubmed.ncbi.nlm.nih.gov/23384256/") && all.body.contains("unverified"))
            #expect(all.body.contains("Park et al. (2020)") && all.body.contains("Morel et al. (2021)"))
            let skin = try await Browser(client).request(.get, "/evidence?route=transdermal").body
            #expect(skin.contains("4 of 27 entries") && skin.contains("Engen"))
            let long = try await Browser(client).request(.get, "/evidence?duration=long&condition=migraine").body
            #expect(long.contains("3 of 27 entries"))
            let gaps = try await Browser(client).request(.get, "/evidence/gaps").body
            #expect(gaps.contains("<table class=\"gapmap\">") && gaps.contains("gap-empty") && gaps.contains("gap-short"))
            #expect(gaps.contains("route=transdermal"))
        }
    }

    @Test func theWorkbenchRunsTheEngineOnCatalogueRowsAndPastedTables() async throws {
        try await TestApp.make().run { client in
            let b = Browser(client)
            let page = try await b.request(.get, "/evidence/workbench").body
            let csrf = Browser.csrf(in: page)
            #expect(page.contains("frusso1999") && page.contains("pickering2020"))
            #expect(try await b.request(.post, "/evidence/workbench", form: ["csrf": "forged", "measure": "SMD", "method": "REML", "test": "z"]).status == .forbidden)
            let one = try await b.request(.post, "/evidence/workbench", raw: "csrf=\(csrf)&measure=SMD&method=REML&test=z&study=frusso1999")
            #expect(one.status == .unprocessableContent && one.body.contains("at least two"))
            let two = try await b.request(.post, "/evidence/workbench",
                                          raw: "csrf=\(csrf)&measure=SMD&method=REML&test=z&format=html&study=frusso1999&study=pickering2020")
            #expect(two.status == .ok && two.body.contains("<svg") && two.body.contains("Random-effects"), "\(two.body.suffix(800))")
            // A pasted table: BCG, whose metafor numbers are pinned in the engine's fixtures.
            let bcg = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("epsomTests/Fixtures/bcg.csv"), encoding: .utf8)
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            let json = try await b.request(.post, "/evidence/workbench",
                                           raw: "csrf=\(csrf)&measure=RR&method=REML&test=z&format=json&csv=\(bcg.addingPercentEncoding(withAllowedCharacters: allowed)!)")
            #expect(json.status == .ok)
            let result = try jsonObject(json.body)
            #expect(abs((result["estimate"] as! Double) - -0.714532342158139) < 1e-9)
            #expect(abs((result["tau2"] as! Double) - 0.313243258136481) < 1e-9)
            #expect((result["leave_one_out"] as? [Any])?.count == 13)
            let bad = try await b.request(.post, "/evidence/workbench", raw: "csrf=\(csrf)&measure=MD&method=REML&test=z&csv=study,m1i\nx,1")
            #expect(bad.status == .unprocessableContent && bad.body.contains("The table"))
            let svg = try await b.request(.post, "/evidence/workbench",
                                          raw: "csrf=\(csrf)&measure=SMD&method=REML&test=z&format=forest&study=frusso1999&study=pickering2020")
            #expect(svg.body.hasPrefix("<svg") || svg.body.hasPrefix("<?xml"))
        }
    }

    /// Ten consenting people with finished trials make the comparison appear; nine do not.
    @Test func pooledUsersAppearOnlyFromTenContributors() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let store = test.database.store
            func contribute(_ i: Int, consent: Bool = true) async throws {
                let account = try await store.createAccount(NewAccount(email: "p\(i)@example.org", name: "Zqxname\(i)", passwordHash: "x"))
                let demo = DemoTrial.generate(lastDay: TestApp.today.adding(days: -1 - i), id: UUID().uuidString.lowercased(),
                                              seed: UInt64(100 + i))
                var trial = demo.trial
                trial.consentToPool = consent
                try await store.createTrial(trial, accountID: account.id)
                try await store.importRecords(accountID: account.id, diary: demo.diary, doses: [])
            }
            for i in 0..<9 { try await contribute(i) }
            try await contribute(99, consent: false)
            let nine = try await Browser(client).request(.get, "/evidence").body
            #expect(nine.contains("magnesium cream vs placebo cream: 9 people so far; shown from 10"))
            try await contribute(9)
            let ten = try await Browser(client).request(.get, "/evidence").body
            #expect(ten.contains("<strong>magnesium cream vs placebo cream</strong>, 10 people: average effect"))
            #expect(!ten.contains("Zqxname") && !ten.contains("@example.org"))
        }
    }
}

@Suite struct PooledEvidenceCacheTests {
    final class Counter: @unchecked Sendable { var calls = 0 }

    @Test func recomputesOnlyAfterItsLifetime() async throws {
        let cache = PooledEvidenceCache(lifetime: 300)
        let counter = Counter()
        let compute: @Sendable () async throws -> [PooledEvidence.Comparison] = {
            counter.calls += 1
            return [PooledEvidence.Comparison(name: "x vs y", contributors: counter.calls, result: nil)]
        }
        let first = try await cache.comparisons(now: 1000, compute: compute)
        let cached = try await cache.comparisons(now: 1299, compute: compute)
        let fresh = try await cache.comparisons(now: 1300, compute: compute)
        #expect(first == cached && counter.calls == 2 && fresh.first?.contributors == 2)
    }
}
