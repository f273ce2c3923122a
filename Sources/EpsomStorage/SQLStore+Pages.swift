import EpsomCore
import SQLKit

/// Lists read a page at a time (the API's cursor paging): each query asks for at most `limit`
/// rows after a key, in an order with no ties, so no record is skipped or repeated between pages
/// however many there are.
extension SQLStore {
    public func diaryEntries(
        accountID: String, from: CalendarDate, to: CalendarDate, after: CalendarDate?,
        limit: Int
    ) async throws -> [DiaryEntry] {
        var query = db.select().column("*").from("diary_entries")
            .where("account_id", .equal, SQLBind(accountID))
            .where("date", .greaterThanOrEqual, from.stored)
            .where("date", .lessThanOrEqual, to.stored)
        if let after { query = query.where("date", .greaterThan, after.stored) }
        return try await query.orderBy("date").limit(limit).all().map(Self.diaryEntry)
    }

    public func doses(
        accountID: String, from: CalendarDate, to: CalendarDate, after: DoseCursor?,
        limit: Int
    ) async throws -> [StoredDose] {
        var query = db.select().column("*").from("doses")
            .where("account_id", .equal, SQLBind(accountID))
            .where("taken_at", .greaterThanOrEqual, SQLBind(from.dayNumber * 1440))
            .where("taken_at", .lessThan, SQLBind((to.dayNumber + 1) * 1440))
        if let after {
            // After (minute, instant, id) in that order of keys.
            let minutes = SQLBind(after.takenAt.storedMinutes), instant = SQLBind(after.instant)
            query = query.where(group: { group in
                group.where("taken_at", .greaterThan, minutes).orWhere(group: { sameMinute in
                    sameMinute.where("taken_at", .equal, minutes).where(group: { later in
                        later.where("taken_at_utc", .greaterThan, instant).orWhere(group: {
                            $0.where("taken_at_utc", .equal, instant).where("id", .greaterThan, SQLBind(after.id))
                        })
                    })
                })
            })
        }
        return try await query.orderBy("taken_at").orderBy("taken_at_utc").orderBy("id").limit(limit).all().map(Self.dose)
    }
}
