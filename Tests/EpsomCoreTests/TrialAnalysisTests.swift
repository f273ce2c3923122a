import Testing

@testable import EpsomCore

@Suite struct TrialAnalysisTests {
    /// Cream lowers pain by 2 on every day it is scheduled, except on days the participant skipped it.
    static func data(_ trial: Trial) -> (diary: [DiaryEntry], adherence: [TrialDay]) {
        var generator = SplitMix64(seed: 11)
        var diary: [DiaryEntry] = [], adherence: [TrialDay] = []
        for period in trial.schedule.periods {
            for offset in 0..<trial.design.periodDays {
                let date = period.startDate.adding(days: offset)
                let skipped = period.arm == 1 && offset == 6  // skipped the cream on the last day of each cream period
                let pain = 6 - (period.arm == 1 && !skipped ? 2 : 0) + Int((generator.nextGaussian() * 0.7).rounded())
                diary.append(DiaryEntry(date: date, pain: min(10, max(0, pain))))
                adherence.append(TrialDay(date: date, adherence: skipped ? .no : .yes))
            }
        }
        return (diary, adherence)
    }

    @Test func washoutIsLoggedNotAnalysedAndPerProtocolDropsSkippedDays() throws {
        let trial = try TrialTests.trial(template: .creamVsNone)
        let (diary, adherence) = Self.data(trial)
        let days = TrialAnalysis.days(trial: trial, diary: diary, adherence: adherence, through: trial.design.endDate)
        #expect(days.count == 56 && days.filter(\.washout).count == 16)
        let names = trial.design.arms.map(\.name)
        let itt = TrialAnalysis.series(days, population: .intentionToTreat, armNames: names)
        let pp = TrialAnalysis.series(days, population: .perProtocol, armNames: names)
        #expect(itt.count == 40 && pp.count == 36)
        #expect(Set(itt.periods).count == 8)
        let ittResult = try TrialAnalysis.run(days, population: .intentionToTreat, armNames: names, mcid: 1).get()
        let ppResult = try TrialAnalysis.run(days, population: .perProtocol, armNames: names, mcid: 1).get()
        // Skipped days dilute the scheduled effect; as followed it is close to the true −2.
        #expect(ppResult.contrasts[0].mean < ittResult.contrasts[0].mean)
        #expect(abs(ppResult.contrasts[0].mean + 2) < 0.5)
        #expect(ppResult.contrasts[0].probabilityOfBenefit > 0.99)
    }

    @Test func tooEarlyForAModelSaysWhy() throws {
        let trial = try TrialTests.trial(template: .creamVsNone)
        let (diary, adherence) = Self.data(trial)
        let days = TrialAnalysis.days(trial: trial, diary: diary, adherence: adherence, through: trial.design.startDate.adding(days: 6))
        let result = TrialAnalysis.run(days, population: .intentionToTreat, armNames: ["a", "b"], mcid: 1)
        guard case .failure(let error) = result else { Issue.record("expected a failure"); return }
        #expect(error.message.contains("at least 3"))
    }

    @Test func powerGrowsWithTheEffectAndIsReproducible() throws {
        let base = try TrialDesign.validated(["template": "cream-vs-none", "seed": "3"], today: TrialTests.start, randomSeed: 0)
        var large = base
        large.mcid = 3
        let small = TrialPower.estimate(design: base, simulations: 100)
        let big = TrialPower.estimate(design: large, simulations: 100)
        #expect(small == TrialPower.estimate(design: base, simulations: 100))
        #expect(small.simulations == 100)
        #expect(small.probability > 0.05 && small.probability < big.probability)
        #expect(big.probability > 0.95)
    }
}
