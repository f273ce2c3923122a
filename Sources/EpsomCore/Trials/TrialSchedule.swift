/// One treatment period of the schedule.
public struct TrialPeriod: Sendable, Equatable, Codable {
    /// 1-based.
    public var cycle: Int
    /// 0-based position in the whole trial.
    public var index: Int
    /// Index into the design's arms.
    public var arm: Int
    public var startDate: CalendarDate
    public var endDate: CalendarDate
    public var washoutDays: Int

    /// Whether the date falls on one of this period's washout days (logged, not analysed).
    public func isWashout(_ date: CalendarDate) -> Bool {
        date >= startDate && date.dayNumber - startDate.dayNumber < washoutDays
    }

    public func contains(_ date: CalendarDate) -> Bool { date >= startDate && date <= endDate }
}

/// The randomised schedule and, for a blinded trial, the jar allocation: both drawn once from
/// the trial's seed and then stored.
///
/// The algorithm (docs/methods.md §5) is fixed so that anyone can re-draw a schedule from its
/// seed: SplitMix64 seeded with the trial's seed; first the jar allocation (a shuffle of the
/// jar letters over the arms), then, for each cycle in turn, a shuffle of the arms. Shuffles are
/// Fisher–Yates from the last position down, each index drawn by rejection sampling, so there
/// is no modulo bias. Every cycle is shuffled, the first included (StudyU never randomises the
/// first period). Because cycles draw in order, adding cycles by amendment leaves the earlier
/// ones unchanged.
public struct TrialSchedule: Sendable, Equatable, Codable {
    public var periods: [TrialPeriod]
    /// jars[arm] is the letter of the arm's jar ("X", "Y", …); drawn for every trial, used only
    /// when it is blinded.
    public var jars: [String]

    public static let jarLetters = ["X", "Y", "Z", "W"]

    public init(design: TrialDesign) {
        var generator = SplitMix64(seed: design.seed)
        let k = design.arms.count
        var letters = Array(Self.jarLetters.prefix(k))
        Self.shuffle(&letters, using: &generator)
        jars = letters
        periods = []
        for cycle in 0..<design.cycles {
            var order = Array(0..<k)
            Self.shuffle(&order, using: &generator)
            for arm in order {
                let index = periods.count
                let start = design.startDate.adding(days: index * design.periodDays)
                periods.append(
                    TrialPeriod(
                        cycle: cycle + 1, index: index, arm: arm, startDate: start,
                        endDate: start.adding(days: design.periodDays - 1),
                        washoutDays: design.washoutDays))
            }
        }
    }

    public func period(on date: CalendarDate) -> TrialPeriod? { periods.first { $0.contains(date) } }

    /// The jar's label for an arm ("Jar X").
    public func jarLabel(arm: Int) -> String { Self.jarLabel(letter: jars[arm]) }

    /// "Jar X" for the letter "X".
    public static func jarLabel(letter: String) -> String { "Jar " + letter }

    static func shuffle<T>(_ items: inout [T], using generator: inout SplitMix64) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            let j = Int(uniform(below: UInt64(i + 1), using: &generator))
            items.swapAt(i, j)
        }
    }

    /// A uniform integer in 0..<n by rejection (Lemire's threshold), stable across platforms.
    static func uniform(below n: UInt64, using generator: inout SplitMix64) -> UInt64 {
        let threshold = (0 &- n) % n
        while true {
            let r = generator.next()
            if r >= threshold { return r % n }
        }
    }
}
