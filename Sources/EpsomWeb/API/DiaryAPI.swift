import EpsomCore
import EpsomStorage
import HTTPTypes
import Hummingbird

/// The daily diary: one entry per date, written by its owner, readable by clinicians it is
/// shared with.
struct DiaryAPI {
    let store: any Store
    let today: @Sendable () -> CalendarDate

    static let entryFields = [
        "pain": "integer 0-10 (required)", "enjoyment": "integer 0-10", "activity": "integer 0-10",
        "spasms": "integer 0-10", "stiffness": "integer 0-10", "sleep": "integer 0-10",
        "side_effects": "array of diarrhoea, skin_irritation, other", "note": "string",
    ]

    var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, "diary", "Diary entries in a date range", for: .ownerOrSharingClinician,
                query: ["from": "date (default: a year before to)", "to": "date (default: today)", "patient": "account id (clinicians)"]
                    .merging(Paging.query) { a, _ in a }, list),
            Endpoint(.put, "diary/:date", "Write or edit the entry for a date", for: .owner, request: Self.entryFields, put),
            Endpoint(
                .get, "diary/:date", "The entry for a date", for: .ownerOrSharingClinician, query: ["patient": "account id (clinicians)"],
                get),
            Endpoint(.delete, "diary/:date", "Delete the entry for a date", for: .owner, success: .noContent, delete),
        ]
    }

    struct EntryJSON: ResponseEncodable, Equatable {
        var date: String
        var pain: Int
        var enjoyment, activity, spasms, stiffness, sleep: Int?
        var side_effects: [String]
        var note: String

        init(_ e: DiaryEntry) {
            date = e.date.description
            pain = e.pain
            enjoyment = e.enjoyment
            activity = e.activity
            spasms = e.spasms
            stiffness = e.stiffness
            sleep = e.sleep
            side_effects = e.sideEffects.map(\.rawValue).sorted()
            note = e.note
        }
    }

    struct ListJSON: ResponseEncodable {
        var from: String
        var to: String
        var entries: [EntryJSON]
        /// Pass back as `cursor` for the next page; absent on the last page.
        var next_cursor: String?
    }

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

    @Sendable func put(_ request: Request, context: AppRequestContext) async throws -> EntryJSON {
        let ownerID = try context.requireSubject()
        var fields = try await JSONFields(request: request).values
        fields["date"] = context.parameters.get("date") ?? ""
        let entry: DiaryEntry
        do { entry = try DiaryEntry.validated(fields) } catch { throw APIError.invalid(error) }
        // A diary records days that have happened (one day of slack for time zones).
        guard entry.date <= today().adding(days: 1) else {
            throw APIError.invalid(FieldErrors(["date": "cannot be in the future"]))
        }
        try await store.saveDiaryEntry(entry, accountID: ownerID)
        return EntryJSON(entry)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> EntryJSON {
        let subject = try context.requireSubject()
        guard let entry = try await store.diaryEntry(accountID: subject, date: try Self.date(context)) else { throw APIError.notFound }
        return EntryJSON(entry)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let ownerID = try context.requireSubject()
        guard try await store.deleteDiaryEntry(accountID: ownerID, date: try Self.date(context)) else { throw APIError.notFound }
        return Response(status: .noContent)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> ListJSON {
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
        return ListJSON(from: from.description, to: to.description, entries: page.records.map(EntryJSON.init), next_cursor: page.nextCursor)
    }
}
