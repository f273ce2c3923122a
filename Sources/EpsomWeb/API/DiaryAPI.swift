import EpsomCore
import EpsomStorage
import HTTPTypes
import Hummingbird

/// The daily diary: one entry per date, written by its owner, readable by clinicians it is
/// shared with.
struct DiaryAPI {
    let store: any Store
    let today: @Sendable () -> CalendarDate

    var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, "diary", "Diary entries in a date range", for: .ownerOrSharingClinician,
                parameters: [Self.from, Self.to, Self.patient] + Paging.parameters, list),
            Endpoint(
                .put, "diary/:date", "Write or edit the entry for a date", for: .owner, parameters: [Self.datePath],
                body: .json(.init(Wire.DiaryEntryInput.self)), put),
            Endpoint(
                .get, "diary/:date", "The entry for a date", for: .ownerOrSharingClinician, parameters: [Self.datePath, Self.patient], get),
            Endpoint(
                .delete, "diary/:date", "Delete the entry for a date", for: .owner, parameters: [Self.datePath], reply: .noContent, delete),
        ]
    }

    static let datePath = Endpoint.Parameter.path("date", .date, "The diary day, YYYY-MM-DD.")
    static let from = Endpoint.Parameter.query(
        "from", .date, "First day, YYYY-MM-DD (default: a year before `to`); at most 10 years before `to`.")
    static let to = Endpoint.Parameter.query("to", .date, "Last day, YYYY-MM-DD (default: today).")
    static let patient: Endpoint.Parameter = {
        var id = JSONSchema.string
        id.minLength = 1
        id.maxLength = 64
        return .query("patient", id, "A patient's account id, for a clinician they share with.")
    }()

    static func date(_ context: AppRequestContext) throws -> CalendarDate {
        let text = context.parameters.get("date") ?? ""
        guard let date = CalendarDate(iso: text) else {
            throw APIError(.unprocessableContent, "The date in the path is not valid.", fields: ["date": CalendarDate.requirement])
        }
        return date
    }

    /// `from`/`to` query parameters; by default the year up to today.
    static func range(_ request: Request, today: CalendarDate) throws -> (CalendarDate, CalendarDate) {
        var errors = FieldErrors()
        func read(_ name: String, _ fallback: CalendarDate) -> CalendarDate {
            guard let text = request.uri.queryParameters.get(name) else { return fallback }
            guard let date = CalendarDate(iso: text) else { errors.add(name, CalendarDate.requirement); return fallback }
            return date
        }
        let to = read("to", today)
        let from = read("from", to.adding(days: -365))
        if from > to { errors.add("from", "must not be after to") }
        if to.dayNumber - from.dayNumber > 3660 { errors.add("from", "the range may span at most 10 years") }
        if !errors.isEmpty { throw APIError.invalid(errors) }
        return (from, to)
    }

    @Sendable func put(_ request: Request, context: AppRequestContext) async throws -> Wire.DiaryEntry {
        let ownerID = try context.requireSubject()
        let date = context.parameters.get("date") ?? ""
        let entry = try await context.requireBody().validated(Wire.DiaryEntryInput.self) { fields in
            var fields = fields
            fields["date"] = date
            return try DiaryEntry.validated(fields)
        }.value
        // A diary records days that have happened (one day of slack for time zones).
        guard entry.date <= today().adding(days: 1) else {
            throw APIError.invalid(FieldErrors(["date": "cannot be in the future"]))
        }
        try await store.saveDiaryEntry(entry, accountID: ownerID)
        return Wire.DiaryEntry(entry)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Wire.DiaryEntry {
        let subject = try context.requireSubject()
        guard let entry = try await store.diaryEntry(accountID: subject, date: try Self.date(context)) else { throw APIError.notFound }
        return Wire.DiaryEntry(entry)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let ownerID = try context.requireSubject()
        guard try await store.deleteDiaryEntry(accountID: ownerID, date: try Self.date(context)) else { throw APIError.notFound }
        return Response(status: .noContent)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Wire.DiaryPage {
        let subject = try context.requireSubject()
        let (from, to) = try Self.range(request, today: today())
        let paging = try Paging(request)
        let after = try paging.after.map { key in
            guard let date = CalendarDate(iso: key) else { throw Paging.invalidCursor }
            return date
        }
        let page = paging.page(try await store.diaryEntries(accountID: subject, from: from, to: to, after: after, limit: paging.limit + 1))
        {
            $0.date.description
        }
        return Wire.DiaryPage(from: from, to: to, entries: page.records.map(Wire.DiaryEntry.init), nextCursor: page.nextCursor)
    }
}
