import EpsomCore
import EpsomTestSupport
import Foundation
import Testing

@testable import EpsomStorage

/// Pages of a list, on both databases: walked to the end they give every record once, in order,
/// even when many doses share a minute (the id breaks the tie).
@Suite struct PagingStoreTests {
    @Test(arguments: Backend.available)
    func pagesCoverEveryRecordOnceInOrder(_ backend: Backend) async throws {
        try await backend.with { store in
            let account = try await StoreTests.newAccount(store)
            let first = try #require(CalendarDate(iso: "2026-01-01"))
            let days = (0..<23).map { first.adding(days: $0 * 2) }
            try await store.importRecords(accountID: account.id, diary: days.map { DiaryEntry(date: $0, pain: 3) }, doses: [])
            // Five doses in each of 7 minutes: ties that only the id orders.
            let doses = (0..<35).map { i in
                Dose(
                    takenAt: LocalDateTime(date: first.adding(days: i / 5), minutes: 480), product: "Citrate", route: .oral,
                    salt: MagnesiumSalt.named("citrate"), amount: 1, unit: .g, elementalMilligrams: 113, elementalSource: .label, site: nil)
            }
            try await store.importRecords(accountID: account.id, diary: [], doses: doses)
            let (from, to) = (CalendarDate.accepted.lowerBound, CalendarDate.accepted.upperBound)

            var diary: [DiaryEntry] = [], after: CalendarDate?
            repeat {
                let page = try await store.diaryEntries(accountID: account.id, from: from, to: to, after: after, limit: 4)
                diary += page
                after = page.count == 4 ? page.last?.date : nil
            } while after != nil
            #expect(diary.map(\.date) == days)

            let all = try await store.doses(accountID: account.id, from: from, to: to)
            var paged: [StoredDose] = [], cursor: DoseCursor?
            repeat {
                let page = try await store.doses(accountID: account.id, from: from, to: to, after: cursor, limit: 3)
                paged += page
                cursor = page.count == 3 ? page.last.map(DoseCursor.init) : nil
            } while cursor != nil
            #expect(paged.count == 35)
            #expect(paged.map(\.id) == all.map(\.id))
            #expect(Set(paged.map(\.id)).count == 35)
        }
    }
}
