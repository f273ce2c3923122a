/// A finished blinded trial for the demo account (cream vs placebo cream, 4 cycles of 7 days,
/// 2 washout days) with a complete synthetic diary: magnesium lowers pain by about 1.3 points
/// after two days, with day-to-day AR(1) noise; adherence is mostly complete. Invented numbers for
/// demonstration, not evidence.
public struct DemoTrial: Sendable {
    public var trial: Trial
    public var diary: [DiaryEntry]
    public var adherence: [TrialDay]

    public static func generate(lastDay: CalendarDate, id: String, seed: UInt64 = 20_261_125) -> DemoTrial {
        let start = lastDay.adding(days: -55)
        let design = TrialDesign(
            title: TrialTemplate.creamVsPlacebo.title, arms: TrialTemplate.creamVsPlacebo.arms,
            startDate: start, blinded: true, seed: seed)
        let trial = Trial(id: id, design: design, registeredOn: start.adding(days: -1))
        var rng = SplitMix64(seed: seed ^ 0xD3_70)
        var noise = 0.0, daysOnMagnesium = 0
        var diary: [DiaryEntry] = [], adherence: [TrialDay] = []
        for period in trial.schedule.periods {
            for offset in 0..<design.periodDays {
                let date = period.startDate.adding(days: offset)
                let magnesium = period.arm == 1
                daysOnMagnesium = magnesium ? daysOnMagnesium + 1 : 0
                noise = 0.5 * noise + 0.9 * rng.nextGaussian()
                let effect = magnesium ? -1.3 * Double(min(daysOnMagnesium, 3)) / 3 : 0
                let pain = Int(min(10, max(0, (5.2 + effect + noise).rounded())))
                let n = diary.count
                var effects: Set<DiaryEntry.SideEffect> = []
                if n % 13 == 5 { effects.insert(.skinIrritation) }
                diary.append(
                    DiaryEntry(
                        date: date, pain: pain, enjoyment: min(10, pain + 1), activity: pain,
                        spasms: min(10, max(0, pain + Int(rng.nextGaussian().rounded()))),
                        sideEffects: effects))
                let answer: TrialDay.Adherence = n % 17 == 9 ? .no : (n % 11 == 4 ? .partly : .yes)
                adherence.append(TrialDay(date: date, adherence: answer, amount: answer == .no ? 0 : (answer == .partly ? 1 : 2)))
            }
        }
        return DemoTrial(trial: trial, diary: diary, adherence: adherence)
    }
}
