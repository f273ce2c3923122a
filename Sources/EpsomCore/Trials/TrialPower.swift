/// The designer's "chance of detecting an effect of MCID size", by simulation under the
/// analysis model itself (docs/methods.md §5): daily outcomes with AR(1) errors (standard
/// deviation σ, day-to-day correlation ρ), every non-comparator arm lowering the outcome by the
/// MCID, washout days dropped, every other day observed. Each simulated trial is analysed with
/// the exact model; it "detects" the effect when the 95% interval of the first magnesium arm
/// lies wholly below zero. The generator is seeded from the design, so the figure is
/// reproducible.
public enum TrialPower {
    /// Day-to-day standard deviation of pain assumed when the person's own diary cannot tell.
    public static let defaultSigma = 1.5
    public static let defaultRho = 0.5

    public struct Estimate: Sendable, Equatable {
        public var probability: Double
        public var simulations: Int
        public var sigma: Double
        public var rho: Double
    }

    public static func estimate(
        design: TrialDesign, sigma: Double = defaultSigma, rho: Double = defaultRho,
        simulations: Int = 200
    ) -> Estimate {
        let schedule = TrialSchedule(design: design)
        var generator = SplitMix64(seed: design.seed ^ 0x504F_5745_5253_494D)  // "POWERSIM"
        var detected = 0, fitted = 0
        let innovation = sigma * (1 - rho * rho).squareRoot()
        for _ in 0..<simulations {
            var days: [Int] = [], outcomes: [Double] = [], arms: [Int] = [], periods: [Int] = []
            var error = sigma * generator.nextGaussian()
            for day in 0..<design.totalDays {
                if day > 0 { error = rho * error + innovation * generator.nextGaussian() }
                let period = schedule.periods[day / design.periodDays]
                guard day % design.periodDays >= design.washoutDays else { continue }
                days.append(day)
                outcomes.append(5 + error - (period.arm == 0 ? 0 : design.mcid))
                arms.append(period.arm)
                periods.append(period.index)
            }
            let series = NOf1Series(
                days: days, outcomes: outcomes, arms: arms, armNames: design.arms.map(\.name),
                periods: periods)
            guard let result = try? NOf1Analysis.run(series, options: NOf1Options(mcid: design.mcid)) else { continue }
            fitted += 1
            if result.contrasts[0].ciUpper < 0 { detected += 1 }
        }
        return Estimate(
            probability: fitted == 0 ? 0 : Double(detected) / Double(fitted), simulations: fitted,
            sigma: sigma, rho: rho)
    }
}

/// The person's own day-to-day variation, for the designer's power figure: with a diary, the
/// simulation assumes their own SD and day-to-day correlation instead of the defaults.
public struct DiaryVariability: Sendable, Equatable {
    public var sigma: Double
    public var rho: Double
    /// Days the estimate rests on.
    public var days: Int

    /// At least this many days of the outcome, and this many pairs of consecutive days.
    public static let minimumDays = 14
    public static let minimumPairs = 10

    /// The SD of the daily scores (never below 0.5 point, so that a very steady diary does not
    /// promise an easy trial) and the lag-1 correlation of consecutive days (kept within
    /// −0.5…0.9), from up to the last 90 days; nil when the diary is too short.
    public static func estimate(_ entries: [DiaryEntry], outcome: TrialOutcome) -> DiaryVariability? {
        let points = entries.sorted { $0.date < $1.date }.suffix(90).compactMap { e in outcome.value(in: e).map { (e.date.dayNumber, $0) } }
        guard points.count >= minimumDays else { return nil }
        let values = points.map(\.1)
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        let pairs = zip(points, points.dropFirst()).filter { $1.0 == $0.0 + 1 }
        guard pairs.count >= minimumPairs else { return nil }
        let covariance = pairs.reduce(0) { $0 + ($1.0.1 - mean) * ($1.1.1 - mean) } / Double(pairs.count)
        let rho = variance > 0 ? covariance / variance : 0
        return DiaryVariability(sigma: max(0.5, variance.squareRoot()), rho: min(0.9, max(-0.5, rho)), days: points.count)
    }
}

extension TrialPower {
    /// The design, with more cycles if needed, whose chance of detecting an MCID-sized effect is
    /// about `target`, within a year (`TrialDesign.maximumTotalDays`) and `maximumCycles`; nil when
    /// even the longest such design does not reach it.
    public static func proposal(
        for design: TrialDesign, sigma: Double, rho: Double, target: Double = 0.8,
        maximumCycles: Int = 20, simulations: Int = 200
    ) -> (design: TrialDesign, estimate: Estimate)? {
        let longest = min(maximumCycles, TrialDesign.maximumTotalDays / (design.arms.count * design.periodDays))
        guard design.cycles < longest else { return nil }
        var low = design.cycles + 1, high = longest
        var best: (TrialDesign, Estimate)?
        // Power rises with cycles: a binary search needs a handful of simulations, not twelve.
        while low <= high {
            let middle = (low + high) / 2
            var candidate = design
            candidate.cycles = middle
            let estimate = TrialPower.estimate(design: candidate, sigma: sigma, rho: rho, simulations: simulations)
            if estimate.probability >= target {
                best = (candidate, estimate)
                high = middle - 1
            } else {
                low = middle + 1
            }
        }
        return best
    }
}
