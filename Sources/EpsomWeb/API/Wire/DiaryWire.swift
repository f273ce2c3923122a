import EpsomCore

extension Wire {
    /// A diary entry as written: the date is the path's.
    struct DiaryEntryInput: WireModel {
        var pain: Int
        var enjoyment: Int?
        var activity: Int?
        var spasms: Int?
        var stiffness: Int?
        var sleep: Int?
        var sideEffects: [EpsomCore.DiaryEntry.SideEffect]?
        var note: String?

        static let summary = "The day's ratings, 0 to 10, and anything else worth noting."
        /// The ratings in the diary form's own words (`DiaryForm.scores`).
        static let notes: [String: FieldNote] = Dictionary(
            uniqueKeysWithValues: DiaryForm.scores.map { ($0.name, FieldNote("\($0.label): \($0.hint).", minimum: 0, maximum: 10)) }
        ).merging([
            "sideEffects": FieldNote("Side effects noticed today."),
            "note": FieldNote("Free text.", maxLength: EpsomCore.DiaryEntry.maximumNoteLength),
        ]) { a, _ in a }
        static let example = DiaryEntryInput(
            pain: 4, enjoyment: 3, activity: 3, spasms: 2, stiffness: 5, sleep: 6, sideEffects: [], note: "Cream on the soles at 9 pm.")
    }

    struct DiaryEntry: WireModel, Equatable {
        var date: CalendarDate
        var pain: Int
        var enjoyment: Int?
        var activity: Int?
        var spasms: Int?
        var stiffness: Int?
        var sleep: Int?
        var sideEffects: [EpsomCore.DiaryEntry.SideEffect]
        var note: String

        init(_ e: EpsomCore.DiaryEntry) {
            date = e.date
            pain = e.pain
            enjoyment = e.enjoyment
            activity = e.activity
            spasms = e.spasms
            stiffness = e.stiffness
            sleep = e.sleep
            sideEffects = e.sideEffects.sorted { $0.rawValue < $1.rawValue }
            note = e.note
        }

        static let summary = "One day's diary entry."
        static let notes: [String: FieldNote] = DiaryEntryInput.notes.filter { $0.key != "sideEffects" && $0.key != "note" }
        static let example = DiaryEntry(
            EpsomCore.DiaryEntry(
                date: Wire.exampleDay, pain: 4, enjoyment: 3, activity: 3, spasms: 2, stiffness: 5, sleep: 6,
                note: "Cream on the soles at 9 pm."))
    }

    struct DiaryPage: WireModel {
        var from: CalendarDate
        var to: CalendarDate
        var entries: [DiaryEntry]
        var nextCursor: String?

        static let summary = "Diary entries in a date range, oldest first, one page at a time."
        static let notes: [String: FieldNote] = [
            "nextCursor": FieldNote("Pass back as `cursor` for the next page; absent on the last page.")
        ]
        static let example = DiaryPage(
            from: Wire.exampleDay.adding(days: -6), to: Wire.exampleDay.adding(days: 23),
            entries: [DiaryEntry.example], nextCursor: nil)
    }
}
