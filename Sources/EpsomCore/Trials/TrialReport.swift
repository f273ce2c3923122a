/// Everything the results page and the CENT 2015 report show, computed once from the trial, its
/// diary and its adherence answers. Arm names are as the viewer may see them (jar codes while a
/// blinded trial is running).
public struct TrialReport: Sendable {
    public struct PeriodRow: Sendable, Equatable {
        public var period: TrialPeriod
        public var arm: String
        /// Mean outcome over the period's analysed days (washout excluded); nil when none logged.
        public var mean: Double?
        public var analysedDays: Int
        public var loggedDays: Int
    }

    public struct ArmRow: Sendable, Equatable {
        public var arm: String
        public var scheduledDays: Int
        public var diaryDays: Int
        public var followed: Int
        public var partly: Int
        public var notFollowed: Int
        public var unanswered: Int
        public var sideEffects: [DiaryEntry.SideEffect: Int]
        public var severeSideEffects: Int
    }

    public var trial: Trial
    public var today: CalendarDate
    public var interim: Bool
    public var armNames: [String]
    public var days: [TrialAnalysis.Day]
    public var intentionToTreat: Result<NOf1Result, NOf1Error>
    public var perProtocol: Result<NOf1Result, NOf1Error>
    public var periods: [PeriodRow]
    public var arms: [ArmRow]
    /// Every outcome the diary keeps, the primary first, each through the same model
    /// (intention to treat); outcomes with no analysed day are left out.
    public var outcomes: [OutcomeAnalysis]
    /// The primary outcome, intention to treat, with a linear time trend: the sensitivity analysis.
    public var trendAdjusted: Result<NOf1Result, NOf1Error>

    /// One outcome's analysis.
    public struct OutcomeAnalysis: Sendable {
        public var outcome: Verdict.Outcome
        public var label: String
        public var isPrimary: Bool
        public var result: Result<NOf1Result, NOf1Error>
    }

    public init(trial: Trial, diary: [DiaryEntry], adherence: [TrialDay], today: CalendarDate, interim: Bool) {
        self.trial = trial
        self.today = today
        self.interim = interim
        armNames = trial.design.arms.indices.map { trial.armLabel($0, today: today) }
        days = TrialAnalysis.days(trial: trial, diary: diary, adherence: adherence, through: today)
        intentionToTreat = TrialAnalysis.run(days, population: .intentionToTreat, armNames: armNames, mcid: trial.design.mcid)
        perProtocol = TrialAnalysis.run(days, population: .perProtocol, armNames: armNames, mcid: trial.design.mcid)
        trendAdjusted = TrialAnalysis.run(days, population: .intentionToTreat, armNames: armNames, mcid: trial.design.mcid, trend: true)
        let primary = trial.design.outcome
        var analyses = [
            OutcomeAnalysis(
                outcome: Verdict.Outcome(name: Self.noun(primary)), label: primary.label, isPrimary: true,
                result: intentionToTreat)
        ]
        let allDays = days
        for outcome in TrialOutcome.allCases where outcome != primary {
            let value: (TrialAnalysis.Day) -> Double? = { $0.entry.flatMap(outcome.value) }
            guard allDays.contains(where: { !$0.washout && value($0) != nil }) else { continue }
            analyses.append(
                OutcomeAnalysis(
                    outcome: Verdict.Outcome(name: Self.noun(outcome)), label: outcome.label, isPrimary: false,
                    result: TrialAnalysis.run(
                        allDays, population: .intentionToTreat, armNames: armNames,
                        mcid: trial.design.mcid, value: value)))
        }
        let sleep: (TrialAnalysis.Day) -> Double? = { $0.entry?.sleep.map(Double.init) }
        if allDays.contains(where: { !$0.washout && sleep($0) != nil }) {
            analyses.append(
                OutcomeAnalysis(
                    outcome: Verdict.Outcome(name: "sleep", lowerIsBetter: false),
                    label: "Sleep quality (0–10, higher is better)", isPrimary: false,
                    result: TrialAnalysis.run(
                        allDays, population: .intentionToTreat, armNames: armNames,
                        mcid: trial.design.mcid, value: sleep)))
        }
        outcomes = analyses
        let byPeriod = Dictionary(grouping: days, by: \.period.index)
        let names = armNames
        periods = trial.schedule.periods.filter { $0.startDate <= min(today, trial.lastDay) }.map { period in
            let logged = byPeriod[period.index] ?? []
            let analysed = logged.filter { !$0.washout }.compactMap(\.outcome)
            return PeriodRow(
                period: period, arm: names[period.arm],
                mean: analysed.isEmpty ? nil : analysed.reduce(0, +) / Double(analysed.count),
                analysedDays: analysed.count, loggedDays: logged.filter { $0.entry != nil }.count)
        }
        let severe = Set(adherence.filter(\.severeSideEffect).map(\.date))
        let logged = days  // the closure below may not capture self.days during init
        arms = trial.design.arms.indices.map { arm in
            let own = logged.filter { $0.period.arm == arm }
            var effects: [DiaryEntry.SideEffect: Int] = [:]
            for day in own { for effect in day.entry?.sideEffects ?? [] { effects[effect, default: 0] += 1 } }
            return ArmRow(
                arm: names[arm], scheduledDays: own.count, diaryDays: own.filter { $0.entry != nil }.count,
                followed: own.filter { $0.adherence == .yes }.count,
                partly: own.filter { $0.adherence == .partly }.count,
                notFollowed: own.filter { $0.adherence == TrialDay.Adherence.no }.count,
                unanswered: own.filter { $0.adherence == nil }.count, sideEffects: effects,
                severeSideEffects: own.filter { severe.contains($0.date) }.count)
        }
    }

    /// "pain", "spasms", "interference with enjoyment"… for sentences.
    static func noun(_ outcome: TrialOutcome) -> String {
        switch outcome {
        case .pain: "pain"
        case .spasms: "spasms"
        case .stiffness: "stiffness"
        case .enjoyment: "pain's interference with enjoyment"
        case .activity: "pain's interference with activity"
        }
    }

    /// The verdicts of one result (one per magnesium arm against the comparator).
    public func verdicts(_ result: Result<NOf1Result, NOf1Error>, outcome: Verdict.Outcome, voice: Verdict.Voice) -> [Verdict] {
        guard case .success(let r) = result else { return [] }
        return r.contrasts.map {
            Verdict(contrast: $0, mcid: r.options.mcid, level: r.options.level, adequacy: r.adequacy, outcome: outcome, voice: voice)
        }
    }

    /// The primary outcome's verdicts (intention to treat).
    public func primaryVerdicts(voice: Verdict.Voice) -> [Verdict] {
        verdicts(intentionToTreat, outcome: outcomes[0].outcome, voice: voice)
    }

    /// Whether the trend-adjusted analysis reaches the same verdicts as the primary one; nil when
    /// either cannot be fitted.
    public var trendAgrees: Bool? {
        let a = verdicts(intentionToTreat, outcome: outcomes[0].outcome, voice: .person)
        let b = verdicts(trendAdjusted, outcome: outcomes[0].outcome, voice: .person)
        guard !a.isEmpty, a.count == b.count else { return nil }
        return zip(a, b).allSatisfy { $0.kind == $1.kind }
    }

    /// Limitations the report states whatever the result (CENT items 20–22 still need a human).
    public var limitations: [String] {
        var list: [String] = []
        if !trial.design.blinded {
            list.append("Open label: knowing the arm can change how pain is felt and rated (expectation effects).")
        }
        if interim { list.append("Interim look: the trial is still running; the estimate will change and should not guide a decision.") }
        if trial.stoppedOn != nil {
            list.append("The trial stopped early (\(trial.stopReason ?? "no reason recorded")), so fewer periods were compared.")
        }
        let missing = days.filter { $0.entry == nil }.count
        if missing > 0 { list.append("\(missing) of \(days.count) trial days have no diary entry; they are gaps in the model.") }
        if case .success(let result) = intentionToTreat {
            for check in result.carryOver where check.ciLower.map({ $0 > 0 }) == true || check.ciUpper.map({ $0 < 0 }) == true {
                list.append(
                    "The first analysed days of \(check.arm) periods differ from the rest: carry-over or a slow onset "
                        + "may remain despite the washout.")
            }
        }
        list.append(
            "One person's trial: the answer is about this person, this product and this period of life; it is not "
                + "evidence about anyone else until pooled with others.")
        list.append(
            "The model assumes a steady baseline apart from day-to-day AR(1) correlation; a trend (an improving "
                + "back, a change of season) can bias it.")
        return list
    }

    public func result(_ population: TrialAnalysis.Population) -> Result<NOf1Result, NOf1Error> {
        population == .intentionToTreat ? intentionToTreat : perProtocol
    }

    /// The engine's report (for its JSON, plain sentences and plot), when the model could be fitted.
    public func nof1Report(_ population: TrialAnalysis.Population) -> NOf1Report? {
        guard case .success(let result) = self.result(population) else { return nil }
        let series = TrialAnalysis.series(days, population: population, armNames: armNames)
        let rows = days.map { day in
            NOf1Input.Row(
                date: day.date, arm: day.period.arm,
                outcome: population == .perProtocol && day.adherence != .yes ? nil : day.outcome,
                washout: day.washout, period: day.period.index)
        }
        return NOf1Report(input: NOf1Input(series: series, rows: rows), result: result)
    }
}
