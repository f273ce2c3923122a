/// The analysed days of an N-of-1 trial (or an everyday log): washout and missing days are
/// simply absent, and so become gaps.
public struct NOf1Series: Sendable, Equatable {
    /// Day numbers, strictly increasing (for example days since the start).
    public var days: [Int]
    /// The daily outcome (pain 0–10 by default; lower is better).
    public var outcomes: [Double]
    /// The arm of each day: 0 is the reference arm, 1…armCount−1 the others.
    public var arms: [Int]
    public var armNames: [String]
    /// The treatment period each day belongs to (numbered in time order). Periods give the
    /// period-level comparison and the carry-over check; they do not enter the Bayesian model.
    public var periods: [Int]

    public init(days: [Int], outcomes: [Double], arms: [Int], armNames: [String], periods: [Int]) {
        precondition(days.count == outcomes.count && outcomes.count == arms.count && arms.count == periods.count)
        self.days = days
        self.outcomes = outcomes
        self.arms = arms
        self.armNames = armNames
        self.periods = periods
    }

    public var count: Int { days.count }
    public var armCount: Int { armNames.count }
}

/// Options of the N-of-1 analysis.
public struct NOf1Options: Sendable, Equatable {
    /// Add a linear time trend γ·(tᵢ − t₁).
    public var trend: Bool
    /// Minimal clinically important difference, in outcome points.
    public var mcid: Double
    /// The outcome's range (10 for a 0–10 scale): Trialist's bands lie at ±5%, ±10% and ±20% of it.
    public var scaleRange: Double
    public var level: Double
    /// Analysed days at the start of each period compared with the rest in the carry-over check.
    public var carryOverDays: Int

    public init(
        trend: Bool = false, mcid: Double = 1, scaleRange: Double = 10, level: Double = 0.95,
        carryOverDays: Int = 2
    ) {
        self.trend = trend
        self.mcid = mcid
        self.scaleRange = scaleRange
        self.level = level
        self.carryOverDays = carryOverDays
    }
}
