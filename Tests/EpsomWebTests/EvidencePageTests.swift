import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EpsomWeb

/// The evidence pages: catalogue filters, the gap map, the workbench, and pooled users' trials.
@Suite struct EvidencePageTests {

    @Test func theCatalogueFiltersAndLinksEverySource() async throws {
        try await TestApp.make().run { client in
            let all = try await Browser(client).request(.get, "/evidence")
            #expect(all.status == .ok && all.body.contains("70 of 70 entries"))
            #expect(all.body.contains("https://doi.org/10.1111/anae.12107") && all.body.contains("unverified"))
            #expect(all.body.contains("Park et al. (2020)") && all.body.contains("Morel et al. (2021)"))
            // Each entry: its design and the four risk-of-bias domains with reasons.
            #expect(
                all.body.contains("<table class=\"rob\">") && all.body.contains("Selective reporting")
                    && all.body.contains("Randomised crossover") && all.body.contains("(the worst domain)"))
            #expect(all.body.components(separatedBy: "<table class=\"rob\">").count == 71)
            let skin = try await Browser(client).request(.get, "/evidence?route=transdermal").body
            #expect(skin.contains("12 of 70 entries") && skin.contains("Engen"))
            let long = try await Browser(client).request(.get, "/evidence?duration=12-plus&condition=migraine").body
            #expect(long.contains("8 of 70 entries"))
            let crossover = try await Browser(client).request(.get, "/evidence?design=rct-crossover").body
            #expect(crossover.contains("9 of 70 entries"))
            let cramps = try await Browser(client).request(.get, "/evidence?scope=related").body
            #expect(cramps.contains("13 of 70 entries"))
            let high = try await Browser(client).request(.get, "/evidence?risk=high&route=transdermal").body
            #expect(high.contains("11 of 70 entries"))
            // The founder's account is attributed and paraphrased, never a finding.
            #expect(
                all.body.contains("The founder's account, paraphrased")
                    && all.body.contains("It is not evidence that magnesium cream works"))
            #expect(!all.body.contains("6 weeks or less") && !all.body.contains("none of the skin route"))
        }
    }

    @Test func thePrismaFlowIsOnTheCataloguePage() async throws {
        try await TestApp.make().run { client in
            let page = try await Browser(client).request(.get, "/evidence").body
            #expect(page.contains("PRISMA 2020 flow") && page.contains("<ol class=\"prisma\">"))
            for text in [
                "<strong>584</strong> Records identified", "<strong>298</strong> Duplicates removed",
                "<strong>286</strong> Records screened",
                "<strong>118</strong> Reports assessed", "<strong>67</strong> Studies included",
            ] {
                #expect(page.contains(text), "\(text)")
            }
        }
    }

    /// Every user-facing text on the evidence pages is finished: no notes-to-self.
    @Test func noPlaceholderWordingOnTheEvidencePages() async throws {
        try await TestApp.make().run { client in
            for path in ["/evidence", "/evidence/gaps", "/evidence/workbench", "/evidence?route=transdermal"] {
                let body = try await Browser(client).request(.get, path).body
                // Only the visible text and attribute values matter; strip nothing: markup has no such words either.
                #expect(PlaceholderWording.find(in: body) == nil, "\(path): \(PlaceholderWording.find(in: body) ?? "")")
                #expect(!body.contains("year not shown") && !body.contains("–</p>"))
            }
        }
    }

    @Test func theGapMapCountsControlledChronicStudiesAndShowsTheSkinColumn() async throws {
        try await TestApp.make().run { client in
            let gaps = try await Browser(client).request(.get, "/evidence/gaps").body
            #expect(gaps.contains("<table class=\"gapmap\">") && gaps.contains("gap-empty") && gaps.contains("gap-12-plus"))
            #expect(gaps.contains("route=transdermal") && gaps.contains("controlled studies in chronic pain"))
            // Transdermal is the first route column, its trials listed with their risk of bias.
            #expect(gaps.contains("<th scope=\"col\">Condition</th><th scope=\"col\" class=\"gap-skin\">Transdermal</th>"))
            #expect(gaps.contains("<ul class=\"gap-trials\">") && gaps.contains("Jain 2023</a>: randomised, parallel groups; risk of bias"))
            #expect(gaps.contains("scroll-hint"))
            // Every colour is explained.
            for band in GapMap.DurationBand.allCases { #expect(gaps.contains("class=\"legend gap-\(band.rawValue)\"")) }
            // Cramps, acute pain and absorption: their own section, not on the map.
            let map = gaps.components(separatedBy: "Not chronic-pain evidence")
            #expect(
                map.count == 2 && !map[0].contains("muscle cramps") && map[1].contains("muscle cramps")
                    && map[1].contains("Kass 2017") && map[1].contains("Bayram 2021"))
            #expect(!gaps.contains("6 weeks or less") && !gaps.contains("Park et al. 2020"))
        }
    }

    @Test func theWorkbenchPoolsOnlyComparableRowsAndKeepsPastedTables() async throws {
        try await TestApp.make().run { client in
            let b = Browser(client)
            let page = try await b.request(.get, "/evidence/workbench").body
            let csrf = Browser.csrf(in: page)
            // The catalogue has no two comparable parallel rows: nothing is pooled, and every row says why.
            #expect(page.contains("No pool has two studies yet") && page.contains("Left out of every pool (70 of 70 catalogue rows)"))
            #expect(page.contains("frusso1999") && page.contains("paired data"))
            #expect(
                try await b.request(
                    .post, "/evidence/workbench", form: ["csrf": "forged", "measure": "SMD", "method": "REML", "test": "z"]
                ).status == .forbidden)
            // Rows chosen by hand (a crossover and a parallel trial, two condition groups) are refused.
            let mixed = try await b.request(
                .post, "/evidence/workbench",
                raw: "csrf=\(csrf)&measure=SMD&method=REML&test=z&format=html&study=frusso1999&study=jsmj-mg-propranolol&pool=frusso1999")
            #expect(mixed.status == .unprocessableContent && mixed.body.contains("choose a pool"))
            // A pasted table: BCG, whose metafor numbers are pinned in the engine's fixtures.
            let bcg = try String(contentsOf: TestFiles.url("epsomTests/Fixtures/bcg.csv"), encoding: .utf8)
            let encoded = try Browser.formEncoded(bcg)
            let json = try await b.request(
                .post, "/evidence/workbench", raw: "csrf=\(csrf)&measure=RR&method=REML&test=z&format=json&csv=\(encoded)")
            #expect(json.status == .ok)
            let result = try decodeJSON(API.Workbench.self, from: json.body)
            let reference = try #require(try MetaforFixture.shared.models.first { $0.name == "bcg-RR-REML-z" })
            expectClose(result.estimate, try #require(reference.beta.first), relative: 1e-8, "estimate")
            expectClose(result.tau2, reference.tau2, relative: 1e-8, "tau2")
            #expect(result.leaveOneOut?.count == reference.yi.count)
            let html = try await b.request(
                .post, "/evidence/workbench", raw: "csrf=\(csrf)&measure=RR&method=REML&test=z&format=html&csv=\(encoded)")
            #expect(html.status == .ok && html.body.contains("<svg") && html.body.contains("Random-effects"))
            #expect(
                html.body.contains("Group 1 is the first set of columns") && html.body.contains("log risk ratio")
                    && html.body.contains("fewer events than group 2"))
            let bad = try await b.request(
                .post, "/evidence/workbench", raw: "csrf=\(csrf)&measure=MD&method=REML&test=z&csv=study,m1i\nx,1")
            #expect(bad.status == .unprocessableContent && bad.body.contains("The table"))
            let svg = try await b.request(
                .post, "/evidence/workbench", raw: "csrf=\(csrf)&measure=RR&method=REML&test=z&format=forest&csv=\(encoded)")
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
                let demo = DemoTrial.generate(
                    lastDay: TestApp.today.adding(days: -1 - i), id: UUID().uuidString.lowercased(),
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
