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

    public static func estimate(design: TrialDesign, sigma: Double = defaultSigma, rho: Double = defaultRho,
                                simulations: Int = 200) -> Estimate {
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
            let series = NOf1Series(days: days, outcomes: outcomes, arms: arms, armNames: design.arms.map(\.name),
                                    periods: periods)
            guard let result = try? NOf1Analysis.run(series, options: NOf1Options(mcid: design.mcid)) else { continue }
            fitted += 1
            if result.contrasts[0].ciUpper < 0 { detected += 1 }
        }
        return Estimate(probability: fitted == 0 ? 0 : Double(detected) / Double(fitted), simulations: fitted,
                        sigma: sigma, rho: rho)
    }
}
