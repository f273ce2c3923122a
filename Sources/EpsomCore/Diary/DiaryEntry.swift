/// One day of the diary. Pain is required; everything else is optional so that an entry takes a
/// few seconds. Scores are 0–10 integers, 10 the worst (for sleep, 10 the best).
public struct DiaryEntry: Sendable, Equatable {
    public enum SideEffect: String, Sendable, CaseIterable, Codable {
        case diarrhoea, skinIrritation = "skin_irritation", other

        public var label: String {
            switch self {
            case .diarrhoea: "Diarrhoea or stomach upset"
            case .skinIrritation: "Skin irritation"
            case .other: "Other"
            }
        }
    }

    public var date: CalendarDate
    /// Pain now, 0–10 numeric rating scale (LOINC 72514-3).
    public var pain: Int
    /// PEG: interference with enjoyment of life, 0–10.
    public var enjoyment: Int?
    /// PEG: interference with general activity, 0–10.
    public var activity: Int?
    public var spasms: Int?
    /// Stiffness (0 = moving easily, 10 = very stiff).
    public var stiffness: Int?
    /// Sleep quality (0 = very poor, 10 = excellent).
    public var sleep: Int?
    public var sideEffects: Set<SideEffect>
    public var note: String

    public static let maximumNoteLength = 2000

    public init(
        date: CalendarDate, pain: Int, enjoyment: Int? = nil, activity: Int? = nil, spasms: Int? = nil,
        stiffness: Int? = nil, sleep: Int? = nil, sideEffects: Set<SideEffect> = [], note: String = ""
    ) {
        self.date = date
        self.pain = pain
        self.enjoyment = enjoyment
        self.activity = activity
        self.spasms = spasms
        self.stiffness = stiffness
        self.sleep = sleep
        self.sideEffects = sideEffects
        self.note = note
    }

    /// Builds an entry from text fields (a form or a CSV row), checking each one.
    /// Field names: date, pain, enjoyment, activity, spasms, stiffness, sleep, side_effects
    /// (comma- or semicolon-separated), note.
    public static func validated(_ fields: [String: String]) throws(FieldErrors) -> DiaryEntry {
        var errors = FieldErrors()
        let date = fields["date"].flatMap { CalendarDate(iso: $0.trimmingSpaces()) }
        if date == nil { errors.add("date", fields["date"]?.isEmpty == false ? CalendarDate.requirement : "is required") }
        func score(_ name: String, required: Bool = false) -> Int? {
            guard let text = fields[name]?.trimmingSpaces(), !text.isEmpty else {
                if required { errors.add(name, "is required") }
                return nil
            }
            guard let value = Int(text), (0...10).contains(value) else {
                errors.add(name, "must be a whole number from 0 to 10")
                return nil
            }
            return value
        }
        let pain = score("pain", required: true)
        let entry = (score("enjoyment"), score("activity"), score("spasms"), score("stiffness"), score("sleep"))
        var effects: Set<SideEffect> = []
        for part in (fields["side_effects"] ?? "").split(whereSeparator: { $0 == "," || $0 == ";" }) {
            let key = String(part).trimmingSpaces()
            guard let effect = SideEffect(rawValue: key) else {
                errors.add("side_effects", "unknown side effect \"\(key.prefix(30))\" (use diarrhoea, skin_irritation, other)")
                continue
            }
            effects.insert(effect)
        }
        let note = fields["note"] ?? ""
        if note.count > maximumNoteLength { errors.add("note", "must be at most \(maximumNoteLength) characters") }
        try errors.check()
        return DiaryEntry(
            date: date!, pain: pain!, enjoyment: entry.0, activity: entry.1, spasms: entry.2,
            stiffness: entry.3, sleep: entry.4, sideEffects: effects, note: note)
    }
}
