import EpsomCore
import EpsomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EpsomWeb

/// The public workbench under large or repeated input: a signed-in person's 20,000-study table is
/// analysed (it once took minutes: leave-one-out grew with k²), anonymous tables are bounded with
/// the limit named on the page, and analyses are rate-limited per caller with 429 and Retry-After.
/// Large diary imports write every row or none.
@Suite struct WorkbenchLoadTests {
    /// A generic (yi, vi) table of `k` studies, deterministic.
    static func table(_ k: Int) -> String {
        var out = "study,yi,vi\n"
        out.reserveCapacity(k * 24)
        for i in 0..<k {
            let yi = Double((i * 7919) % 1000) / 1000 - 0.3, vi = 0.01 + Double((i * 104_729) % 500) / 10_000
            out += "s\(i),\(yi),\(vi)\n"
        }
        return out
    }

    static func post(_ b: Browser, csrf: String, csv: String, format: String = "html") async throws
        -> (status: HTTPResponse.Status, body: String, location: String?)
    {
        try await b.request(
            .post, "/evidence/workbench",
            raw: "csrf=\(csrf)&measure=GEN&method=REML&test=z&format=\(format)&csv=\(try Browser.formEncoded(csv))")
    }

    @Test(.timeLimit(.minutes(1)))
    func aSignedInPersonsTwentyThousandStudiesAreAnalysed() async throws {
        try await TestApp.make().run { client in
            let b = try await Browser.signedUp(client, "meta@example.org")
            let csrf = Browser.csrf(in: try await b.request(.get, "/evidence/workbench").body)
            let k = 20_000, csv = Self.table(k)
            let json = try await Self.post(b, csrf: csrf, csv: csv, format: "json")
            #expect(json.status == .ok, "\(json.body.prefix(300))")
            let result = try decodeJSON(API.Workbench.self, from: json.body)
            // The same numbers as the engine on its own: nothing dropped or reordered on the way.
            let input = try MetaAnalysisInput(table: try CSVTable(parsing: csv), measure: .generic)
            let direct = try MetaAnalysisReport(input: input, options: MetaAnalysisOptions(method: .restrictedMaximumLikelihood, test: .z))
            #expect(input.studies.count == k)
            expectClose(result.estimate, direct.model.estimate.estimate, relative: 1e-12, "estimate")
            expectClose(result.tau2, direct.model.tauSquared, relative: 1e-12, "tau2")
            #expect(result.leaveOneOut == nil)
            let page = try await Self.post(b, csrf: csrf, csv: csv)
            #expect(
                page.status == .ok && page.body.contains("k = 20000") && page.body.contains("Leave-one-out is shown for up to 500 studies"))
            #expect(page.body.contains("s19999"))
        }
    }

    @Test func anonymousTablesAreBoundedWithTheLimitOnThePage() async throws {
        try await TestApp.make().run { client in
            let b = Browser(client)
            let csrf = Browser.csrf(in: try await b.request(.get, "/evidence/workbench").body)
            // One study over the row limit: refused, the limit named, the table kept in the form.
            let rows = try await Self.post(b, csrf: csrf, csv: Self.table(WorkbenchLimits.anonymous.rows + 1))
            let shown = PageText.visible(rows.body)
            #expect(rows.status == .unprocessableContent)
            #expect(
                shown.contains(
                    "The table has 2,001 studies; the workbench takes at most 2,000 studies without an account (sign in for up to 100,000)."
                ))
            #expect(rows.body.contains("<textarea id=\"csv\" name=\"csv\" rows=\"6\">study,yi,vi\ns0,"))
            // Over the byte limit (long study names, few rows): refused before parsing.
            let padding = String(repeating: "x", count: 200)
            let wide = "study,yi,vi\n" + (0..<1_400).map { "\(padding)\($0),0.1,0.02\n" }.joined()
            let bytes = try await Self.post(b, csrf: csrf, csv: wide)
            #expect(bytes.status == .contentTooLarge)
            #expect(
                PageText.visible(bytes.body).contains("the workbench takes at most 256 KB without an account (sign in for up to 8 MB)."))
            #expect(bytes.body.contains("<textarea id=\"csv\""))
            // Within both limits: analysed, leave-one-out included.
            let fine = try await Self.post(b, csrf: csrf, csv: Self.table(50), format: "json")
            #expect(fine.status == .ok)
            #expect(try decodeJSON(API.Workbench.self, from: fine.body).leaveOneOut?.count == 50)
        }
    }

    @Test func analysesAreRateLimitedPerCaller() async throws {
        try await TestApp.make().run { client in
            let b = Browser(client)
            let csrf = Browser.csrf(in: try await b.request(.get, "/evidence/workbench").body)
            let small = Self.table(5)
            for attempt in 1...WorkbenchLimits.anonymous.analyses {
                #expect(try await Self.post(b, csrf: csrf, csv: small, format: "json").status == .ok, "analysis \(attempt)")
            }
            let limited = try await b.client.execute(
                uri: "/evidence/workbench", method: .post,
                headers: [
                    .contentType: "application/x-www-form-urlencoded",
                    .cookie: b.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "),
                ],
                body: ByteBuffer(string: "csrf=\(csrf)&measure=GEN&method=REML&test=z&csv=\(try Browser.formEncoded(small))")
            ) {
                ($0.status, String(buffer: $0.body), $0.headers[.retryAfter])
            }
            #expect(limited.0 == .tooManyRequests)
            let retry = try #require(limited.2.flatMap(Int.init))
            #expect(retry > 0 && retry <= 10 * 60)
            #expect(
                PageText.visible(limited.1).contains(
                    "Too many analyses: the workbench takes 30 per 10 minutes from one address without an account."))
            // A signed-in person has a count of their own.
            let person = try await Browser.signedUp(client, "counted@example.org")
            let own = Browser.csrf(in: try await person.request(.get, "/evidence/workbench").body)
            #expect(try await Self.post(person, csrf: own, csv: small, format: "json").status == .ok)
        }
    }

    /// 20,000 rows in one import: all written; a later import with one bad row writes nothing.
    @Test func aLargeDiaryImportWritesEveryRowOrNone() async throws {
        try await TestApp.make().run { client in
            let token = try await client.signUp("bulk@example.org")
            let start = CalendarDate(iso: "1970-01-01")!
            var csv = "date,pain,note\n"
            for i in 0..<20_000 { csv += "\(start.adding(days: i)),\(i % 11),day \(i)\n" }
            let imported = try await client.callWhenNotBusy(.post, "/api/v1/import/diary", token: token, body: csv)
            #expect(imported.status == .ok, "\(imported.body.prefix(300))")
            #expect(try decodeJSON(API.Imported.self, from: imported.body).imported == 20_000)
            let all = try decodeJSON(API.Export.self, from: try await client.call(.get, "/api/v1/export", token: token).body)
            #expect(all.diary.count == 20_000)
            // Every row changed, the last one bad: nothing changes.
            var changed = "date,pain,note\n"
            for i in 0..<20_000 { changed += "\(start.adding(days: i)),\(i == 19_999 ? 11 : 3),changed\n" }
            let refused = try await client.callWhenNotBusy(.post, "/api/v1/import/diary", token: token, body: changed)
            #expect(refused.status == .unprocessableContent)
            let first = try await client.call(.get, "/api/v1/diary/1970-01-01", token: token)
            #expect(first.status == .ok && first.body.contains("day 0") && !first.body.contains("changed"), "\(first.body)")
        }
    }
}
