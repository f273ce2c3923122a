import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HummingbirdTesting
import Testing

@testable import EpsomWeb

/// The list endpoints page with a cursor: followed to the end, every record comes once; a bad
/// limit or cursor is a 422 naming the field.
@Suite struct PagingAPITests {
    @Test func diaryDosesAndTrialsPageToTheEnd() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let token = try await client.signUp("pages@example.org")
            let store = test.database.store
            let account = try #require(try await store.account(email: "pages@example.org"))
            let first = TestApp.today.adding(days: -24)
            try await store.importRecords(
                accountID: account.id, diary: (0..<25).map { DiaryEntry(date: first.adding(days: $0), pain: $0 % 10) },
                doses: (0..<12).map { i in
                    Dose(
                        takenAt: LocalDateTime(date: first.adding(days: i / 4), minutes: 540), product: "Cream",
                        route: .transdermalCream, salt: nil, amount: 1, unit: .g, elementalMilligrams: 50,
                        elementalSource: .label, site: nil)
                })
            for id in ["trial-a", "trial-b", "trial-c"] {
                try await store.createTrial(
                    DemoTrial.generate(lastDay: TestApp.today.adding(days: -100 + id.count), id: id).trial,
                    accountID: account.id)
            }

            var dates: [String] = [], cursor: String?, pages = 0
            repeat {
                let uri = "/api/v1/diary?from=\(first)&limit=10" + (cursor.map { "&cursor=\($0)" } ?? "")
                let answer = try await client.call(.get, uri, token: token)
                #expect(answer.status == .ok, "\(answer.body)")
                let page = try decodeJSON(API.DiaryList.self, from: answer.body)
                dates += page.entries.compactMap(\.date)
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(dates == (0..<25).map { first.adding(days: $0).description })

            var doseIDs: [String] = []
            cursor = nil
            pages = 0
            repeat {
                let uri = "/api/v1/doses?from=\(first)&limit=5" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try decodeJSON(API.DoseList.self, from: try await client.call(.get, uri, token: token).body)
                doseIDs += page.doses.map(\.id)
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(doseIDs.count == 12 && Set(doseIDs).count == 12)

            let firstTrials = try decodeJSON(
                API.TrialList.self, from: try await client.call(.get, "/api/v1/trials?limit=2", token: token).body)
            #expect(firstTrials.trials.count == 2)
            let next = try #require(firstTrials.nextCursor)
            let rest = try decodeJSON(
                API.TrialList.self, from: try await client.call(.get, "/api/v1/trials?limit=2&cursor=\(next)", token: token).body)
            #expect(rest.nextCursor == nil)
            #expect(Set((firstTrials.trials + rest.trials).map(\.id)) == ["trial-a", "trial-b", "trial-c"])

            // The whole range fits the default page: no cursor.
            #expect(
                try decodeJSON(API.DiaryList.self, from: try await client.call(.get, "/api/v1/diary?from=\(first)", token: token).body)
                    .nextCursor == nil)
            for (uri, field) in [
                ("/api/v1/diary?limit=0", "limit"), ("/api/v1/doses?limit=1001", "limit"),
                ("/api/v1/diary?cursor=%%%", "cursor"), ("/api/v1/doses?cursor=bm90IGEga2V5", "cursor"),
                ("/api/v1/trials?cursor=bm8tc3VjaC10cmlhbA", "cursor"),
            ] {
                let answer = try await client.call(.get, uri, token: token)
                #expect(answer.status == .unprocessableContent, "\(uri)")
                #expect(try decodeJSON(API.Failure.self, from: answer.body).error.fields?[field] != nil, "\(uri): \(answer.body)")
            }
        }
    }
}
