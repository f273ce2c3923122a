/// One of Trialist's seven bands of effect size (Schmid & Servadio's TrialistNof1), cut at ±5%,
/// ±10% and ±20% of the outcome's range: on a 0–10 scale at ±0.5, ±1 and ±2 points.
public struct EffectBand: Sendable, Equatable {
    public var label: String
    public var lower: Double
    public var upper: Double
    public var probability: Double
}

/// The posterior of one arm's effect against the reference arm (arm − reference; lower pain is
/// benefit, so negative effects favour the arm).
public struct NOf1Contrast: Sendable, Equatable {
    public var arm: String
    public var reference: String
    public var mean: Double
    public var median: Double
    public var ciLower: Double
    public var ciUpper: Double
    public var variance: Double
    /// P(effect < 0).
    public var probabilityOfBenefit: Double
    /// P(effect < −MCID).
    public var probabilityBeyondMCID: Double
    public var bands: [EffectBand]
    /// The whole marginal posterior (for plots).
    public var posterior: StudentTMixture
}

/// A plain per-cycle comparison shown beside the model: differences of period means.
public struct PeriodComparison: Sendable, Equatable {
    public var arm: String
    public var reference: String
    /// arm-period mean − reference-period mean, one per cycle that has both.
    public var differences: [Double]
    public var mean: Double
    /// t interval with (cycles − 1) df; nil with fewer than 2 cycles.
    public var ciLower: Double?
    public var ciUpper: Double?
}

/// The first analysed days of each period against the rest of it, per arm (the trial's first
/// period excluded, as nothing can carry over into it). A clear difference suggests incomplete
/// washout or a slow onset.
public struct CarryOverCheck: Sendable, Equatable {
    public var arm: String
    public var periods: Int
    /// Mean over periods of (mean of the first days − mean of the rest).
    public var meanDifference: Double
    public var ciLower: Double?
    public var ciUpper: Double?
}

public struct NOf1Result: Sendable, Equatable {
    /// Analysed days.
    public var n: Int
    public var options: NOf1Options
    public var rhoMean: Double
    public var rhoStandardDeviation: Double
    public var contrasts: [NOf1Contrast]
    /// Posterior of the trend γ (outcome points per day), when a trend was asked for.
    public var trend: StudentTMixture?
    public var periodComparisons: [PeriodComparison]
    public var carryOver: [CarryOverCheck]
    /// The quadrature over ρ: nodes and normalized weights (for plots and checks).
    public var rhoNodes: [Double]
    public var rhoWeights: [Double]
    /// Whether these data can support an answer (reasons when not).
    public var adequacy: NOf1Adequacy = NOf1Adequacy(reasons: [])
}

/// Whether the data can support an answer at all (docs/methods.md §3.7). The posterior is exact
/// whatever the data, but from one period of an arm, a handful of days, or a fit that explains
/// every day (ρ → ±1) it is exact about the wrong thing: an arm's effect cannot be told from a
/// change over time, and the interval collapses. Every verdict then says "too little data to
/// tell" and names these reasons instead of a probability.
public struct NOf1Adequacy: Sendable, Equatable {
    /// At least this many periods of every arm must hold analysed days.
    public static let minimumPeriodsPerArm = 2
    /// At least this many analysed days of every arm.
    public static let minimumDaysPerArm = 6
    /// A posterior mean of |ρ| above this is a degenerate fit.
    public static let maximumAbsoluteRho = 0.95

    /// Why the data are not enough; empty when they are.
    public var reasons: [String]
    public var isEnough: Bool { reasons.isEmpty }

    public init(reasons: [String]) { self.reasons = reasons }

    /// A posterior SD of an effect below this many points is implausibly precise for a 0–10 diary.
    public static let minimumEffectSD = 0.02

    static func assess(_ series: NOf1Series, rhoMean: Double, contrastSDs: [Double] = []) -> NOf1Adequacy {
        var reasons: [String] = []
        let withinArmVariation = (0..<series.armCount).contains { arm in
            let values = series.arms.indices.filter { series.arms[$0] == arm }.map { series.outcomes[$0] }
            return values.contains { $0 != values.first }
        }
        for arm in 0..<series.armCount {
            let indices = series.arms.indices.filter { series.arms[$0] == arm }
            let periods = Set(indices.map { series.periods[$0] }).count
            let name = series.armNames[arm]
            if periods < minimumPeriodsPerArm {
                reasons.append(
                    "\(name) was tried in \(periods == 1 ? "only one period" : "no period"); at least "
                        + "\(minimumPeriodsPerArm) periods of each arm are needed to tell its effect from a change over time")
            }
            if indices.count < minimumDaysPerArm {
                reasons.append(
                    "\(name) has \(indices.count) analysed day\(indices.count == 1 ? "" : "s"); at least "
                        + "\(minimumDaysPerArm) are needed")
            }
        }
        if !withinArmVariation {
            reasons.append(
                "every day of each arm has the same score, so the arms explain the diary exactly and there is "
                    + "no day-to-day variation to judge the uncertainty from")
        } else if contrastSDs.contains(where: { $0 < minimumEffectSD }) {
            reasons.append("the model is implausibly certain about the effect, a sign that it fits these few days exactly")
        }
        if abs(rhoMean) > maximumAbsoluteRho {
            reasons.append(
                "the model fits the days almost exactly (day-to-day correlation near \(rhoMean > 0 ? "+1" : "−1")), "
                    + "so its certainty would be false")
        }
        return NOf1Adequacy(reasons: reasons)
    }
}
