/// Turns a trial's schedule, diary and adherence answers into the N-of-1 engine's input, and runs
/// it for both populations of docs/methods.md §5:
/// - intention-to-treat: every diary day of the trial under the arm it was scheduled for;
/// - per-protocol: only the days on which the participant said the instruction was followed.
/// Washout days, days outside the trial and days without the outcome are left out (gaps).
public enum TrialAnalysis {
    public enum Population: String, Sendable, CaseIterable, Codable {
        case intentionToTreat = "intention_to_treat"
        case perProtocol = "per_protocol"

        public var label: String {
            switch self {
            case .intentionToTreat: "Intention to treat (as scheduled)"
            case .perProtocol: "Per protocol (days the plan was followed)"
            }
        }
    }

    /// One analysed (or logged) day of the trial.
    public struct Day: Sendable, Equatable {
        public var date: CalendarDate
        public var period: TrialPeriod
        public var washout: Bool
        public var outcome: Double?
        public var adherence: TrialDay.Adherence?
        public var entry: DiaryEntry?
    }

    /// Every day of the trial up to `through` (today, or its last day), with what was logged.
    public static func days(trial: Trial, diary: [DiaryEntry], adherence: [TrialDay], through: CalendarDate) -> [Day] {
        let entries = Dictionary(diary.map { ($0.date, $0) }, uniquingKeysWith: { a, _ in a })
        let answers = Dictionary(adherence.map { ($0.date, $0.adherence) }, uniquingKeysWith: { a, _ in a })
        let last = min(trial.lastDay, through)
        guard last >= trial.design.startDate else { return [] }
        return (trial.design.startDate.dayNumber...last.dayNumber).compactMap { number in
            let date = CalendarDate(dayNumber: number)
            guard let period = trial.schedule.period(on: date) else { return nil }
            let entry = entries[date]
            return Day(
                date: date, period: period, washout: period.isWashout(date),
                outcome: entry.flatMap(trial.design.outcome.value), adherence: answers[date], entry: entry)
        }
    }

    /// The engine's series; arm names are the labels shown (jar codes while concealed). `value`
    /// picks the outcome (the trial's primary outcome by default; a secondary one for the report).
    public static func series(
        _ days: [Day], population: Population, armNames: [String],
        value: (Day) -> Double? = { $0.outcome }
    ) -> NOf1Series {
        let analysed = days.compactMap { day -> (Day, Double)? in
            guard !day.washout, let y = value(day) else { return nil }
            return population == .intentionToTreat || day.adherence == .yes ? (day, y) : nil
        }
        guard let first = analysed.first?.0.date.dayNumber else {
            return NOf1Series(days: [], outcomes: [], arms: [], armNames: armNames, periods: [])
        }
        return NOf1Series(
            days: analysed.map { $0.0.date.dayNumber - first }, outcomes: analysed.map(\.1),
            arms: analysed.map(\.0.period.arm), armNames: armNames, periods: analysed.map(\.0.period.index))
    }

    /// The model for one population, or the reason it cannot be fitted yet.
    public static func run(
        _ days: [Day], population: Population, armNames: [String], mcid: Double, trend: Bool = false,
        value: (Day) -> Double? = { $0.outcome }
    ) -> Result<NOf1Result, NOf1Error> {
        let data = series(days, population: population, armNames: armNames, value: value)
        do {
            return .success(try NOf1Analysis.run(data, options: NOf1Options(trend: trend, mcid: mcid)))
        } catch let error as NOf1Error {
            return .failure(error)
        } catch {
            return .failure(NOf1Error("\(error)"))
        }
    }
}
