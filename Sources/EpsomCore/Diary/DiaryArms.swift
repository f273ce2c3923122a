/// What each diary day compared, for the diary's CSV export, so that `epsom analyze
/// --observational` reads the export as it is: on a trial day the trial's arm (its jar while a
/// blinded trial runs) and whether it was a washout day; on any other day the products logged
/// that day, or "none".
public enum DiaryArms {
    public struct Day: Sendable, Equatable {
        public var arm: String
        public var washout: Bool
    }

    public static func assign(dates: [CalendarDate], doses: [Dose], trials: [Trial], today: CalendarDate) -> [CalendarDate: Day] {
        let products = Dictionary(grouping: doses, by: \.takenAt.date).mapValues { Set($0.map(\.product)).sorted() }
        var out: [CalendarDate: Day] = [:]
        for date in dates {
            if let trial = trials.first(where: { $0.instruction(on: date) != nil }), let (period, washout) = trial.instruction(on: date) {
                out[date] = Day(arm: trial.armLabel(period.arm, today: today), washout: washout)
            } else {
                out[date] = Day(arm: products[date].map { $0.joined(separator: " + ") } ?? "none", washout: false)
            }
        }
        return out
    }
}
