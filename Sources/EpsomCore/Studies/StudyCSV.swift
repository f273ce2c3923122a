/// The study as one long, de-identified CSV: a row per participant and day of kept data (a day
/// with a diary entry or an adherence answer, within the participant's trial and before any
/// withdrawal), in order of enrolment and date.
///
/// Columns: `participant` (the code, "P-001"), `date`, `period` (1, 2, … within the participant's
/// trial), `arm` and `comparator` (true on the comparator's days), `washout`, the diary's scores
/// (`pain`, `enjoyment`, `activity`, `spasms`, `stiffness`, `sleep`; blank when not answered),
/// `side_effects` (";"-separated), `adherence` (yes, partly, no) and `severe_side_effect`.
///
/// - `arm` and `comparator` are blank while the study runs (the investigator is blind); the
///   header stays the same. Once it is closed the file is what `epsom series` reads
///   (`participant,date,arm,pain,washout,period`, the comparator marked), and `SeriesInput`
///   reads any other score by its column name, which is the primary outcome's name.
/// - Left out: names, emails, account, enrolment and trial ids, diary notes (free text may name
///   people or places) and the amount used (with an unmatched comparator, such as no cream, it
///   would show the arm). Dates are kept; see docs/methods.md §7.4.
/// - A participant who withdrew their data has no rows.
public enum StudyCSV {
    public static let header = [
        "participant", "date", "period", "arm", "comparator", "washout", "pain", "enjoyment", "activity", "spasms", "stiffness",
        "sleep", "side_effects", "adherence", "severe_side_effect",
    ]

    public static func csv(_ export: StudyExport, today: CalendarDate) -> String {
        var out = CSVWriter.line(header)
        func score(_ value: Int?) -> String { value.map(String.init) ?? "" }
        for participant in export.participants {
            guard let kept = participant.kept else { continue }
            let answers = Dictionary(kept.adherence.map { ($0.date, $0) }, uniquingKeysWith: { a, _ in a })
            let code = CSVWriter.text(participant.code)
            for day in participant.days(today: today) {
                let answer = answers[day.date]
                guard day.entry != nil || answer != nil else { continue }
                let arm = day.period.arm
                out += CSVWriter.line([
                    code, day.date.description, String(day.period.index + 1),
                    export.revealsArms ? CSVWriter.text(kept.trial.design.arms[arm].name) : "",
                    export.revealsArms ? (arm == 0 ? "true" : "false") : "", day.washout ? "true" : "false",
                    score(day.entry?.pain), score(day.entry?.enjoyment), score(day.entry?.activity), score(day.entry?.spasms),
                    score(day.entry?.stiffness), score(day.entry?.sleep),
                    day.entry?.sideEffects.map(\.rawValue).sorted().joined(separator: ";") ?? "",
                    answer?.adherence.rawValue ?? "", answer.map { $0.severeSideEffect ? "true" : "false" } ?? "",
                ])
            }
        }
        return out
    }
}
