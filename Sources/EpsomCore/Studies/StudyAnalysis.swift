/// A closed study's series analysis from its data (docs/methods.md §7.7): the participants' trials,
/// diaries and adherence answers (`StudyExport`) become the `SeriesInput` of `epsom series`, one
/// per population, and the series engine (§6) does the rest.
///
/// - **The rows** are those of the study's CSV export (`StudyCSV`): a row per participant and day
///   with a diary entry or an adherence answer, within their trial and before any withdrawal,
///   under the arm their schedule gave that day, washout marked, the period numbered. So the app
///   and `epsom series` on the exported file read the same rows, and the entries even carry the
///   file's line numbers.
/// - **Per protocol** keeps the rows whose adherence answer is "as planned" (§5.4).
/// - **Arms** are each trial's own arm names, the comparator (every trial's first arm) the reference.
/// - A participant who withdrew their data is not in the input at all (the store read nothing of
///   it); one with data but without analysable days on every arm is in it, and the engine leaves
///   them out of the pooling with the reason.
public enum StudyAnalysis {
    /// The primary analysis: intention to treat, τ ~ half-normal(2) (`epsom series`'s default: a
    /// between-person SD above 4 points on a 0–10 scale is implausible), no trend, the protocol's
    /// MCID.
    public static func primaryOptions(_ study: Study) -> SeriesReport.Options {
        SeriesReport.Options(trend: false, mcid: abs(study.design.mcid), tauPrior: .halfNormal(scale: 2))
    }

    /// The priors on τ of the sensitivity analysis, beside the primary's half-normal(2).
    public static let sensitivityPriors: [(name: String, prior: HierarchicalPooling.TauPrior)] = [
        ("tau_half_normal_1", .halfNormal(scale: 1)), ("tau_uniform", .uniform),
    ]

    /// The series of one population: a participant per enrolment with kept data, in order of
    /// enrolment, their rows in date order.
    public static func input(
        _ export: StudyExport, population: TrialAnalysis.Population, outcome: TrialOutcome? = nil, today: CalendarDate
    ) -> SeriesInput {
        let outcome = outcome ?? export.study.design.primaryOutcome
        var arms: [String] = []
        var participants: [SeriesInput.Participant] = []
        var line = 1  // the CSV's header
        for participant in export.participants {
            guard let kept = participant.kept else { continue }
            let names = kept.trial.design.arms.map(\.name)
            for name in names where !arms.contains(name) { arms.append(name) }
            var entries: [NOf1Input.Entry] = []
            for day in participant.days(today: today) where day.entry != nil || day.adherence != nil {
                line += 1
                guard population == .intentionToTreat || day.adherence == .yes else { continue }
                entries.append(
                    NOf1Input.Entry(
                        line: line, date: day.date, arm: names[day.period.arm], outcome: day.entry.flatMap(outcome.value),
                        washout: day.washout, period: String(day.period.index + 1)))
            }
            participants.append(SeriesInput.Participant(name: participant.code, line: entries.first?.line ?? line, entries: entries))
        }
        // The comparator: every trial's first arm (the first participant's, should an amendment
        // have renamed it; a participant without it is then left out for lack of the reference).
        let reference =
            export.participants.lazy.compactMap { $0.kept?.trial.design.arms.first?.name }.first ?? export.study.design.arms[0].name
        arms.removeAll { $0 == reference }
        arms.insert(reference, at: 0)
        return SeriesInput(participants: participants, arms: arms)
    }

    /// Every analysis the report shows, each a full `SeriesReport`.
    public struct Analyses: Sendable {
        public var primary: SeriesReport
        public var perProtocol: SeriesReport
        /// The primary analysis under each of `sensitivityPriors`.
        public var priors: [SeriesReport]
        /// The primary analysis with a linear trend in each participant's model.
        public var trend: SeriesReport
        public var secondary: [(outcome: TrialOutcome, input: SeriesInput, report: SeriesReport)]
    }

    /// Runs every analysis, one participant after another (on the caller's thread: the app calls
    /// it on its heavy-work thread). Stage one runs four times and once more per secondary outcome
    /// (intention to treat, per protocol, with trend, each secondary outcome); the other priors
    /// only pool again.
    public static func analyses(_ export: StudyExport, today: CalendarDate) -> Analyses {
        let options = primaryOptions(export.study)
        let itt = input(export, population: .intentionToTreat, today: today)
        let primary = SeriesReport(input: itt, options: options)
        var trendOptions = options
        trendOptions.trend = true
        let secondary = export.study.design.secondaryOutcomes.filter { $0 != export.study.design.primaryOutcome }.map { outcome in
            let series = input(export, population: .intentionToTreat, outcome: outcome, today: today)
            return (outcome, series, SeriesReport(input: series, options: options))
        }
        return Analyses(
            primary: primary,
            perProtocol: SeriesReport(input: input(export, population: .perProtocol, today: today), options: options),
            priors: sensitivityPriors.map { primary.repooled(tauPrior: $0.prior) },
            trend: SeriesReport(input: itt, options: trendOptions),
            secondary: secondary)
    }

    /// The stored results and the forest plot of the primary analysis (SVG), from the study's
    /// data on the day it closed. `invitations` are the single-use codes made and used;
    /// `screening` the screening counts.
    public static func results(
        _ export: StudyExport, invitations: (made: Int, used: Int), screening: (eligible: Int, ineligible: Int),
        today: CalendarDate
    ) -> (results: StudyResults, forestSVG: String) {
        let analyses = analyses(export, today: today)
        let primary = analyses.primary.json
        let sensitivity =
            zip(sensitivityPriors, analyses.priors).map { named, report in
                StudyResults.Sensitivity(
                    name: named.name, tauPrior: SeriesReport.priorName(named.prior), trend: false, pooled: report.json.pooled)
            } + [
                StudyResults.Sensitivity(
                    name: "trend", tauPrior: primary.tauPrior, trend: true, pooled: analyses.trend.json.pooled)
            ]
        let results = StudyResults(
            reference: primary.reference, mcid: primary.mcid, tauPrior: primary.tauPrior, trend: primary.trend,
            participants: primary.participants, pooled: primary.pooled, format: StudyResults.currentFormat,
            population: .intentionToTreat, outcome: export.study.design.primaryOutcome, computedOn: today,
            dataSha256: Digest.sha256Hex(StudyCSV.csv(export, today: today)), perProtocol: analyses.perProtocol.json,
            sensitivity: sensitivity,
            secondaryOutcomes: analyses.secondary.map { outcome, input, report in
                StudyResults.Secondary(
                    outcome: outcome, participants: input.participants.count { $0.entries.contains { !$0.washout && $0.outcome != nil } },
                    pooled: report.json.pooled)
            },
            flow: flow(export, analyses: analyses, invitations: invitations, screening: screening),
            arms: arms(export, today: today), baseline: StudyBaseline.baseline(export))
        return (results, SeriesForestPlot(report: analyses.primary).svg)
    }

    static func flow(
        _ export: StudyExport, analyses: Analyses, invitations: (made: Int, used: Int), screening: (eligible: Int, ineligible: Int)
    ) -> StudyResults.Flow {
        var withdrawals: [StudyResults.Withdrawal] = []
        var stops: [StudyResults.Stop] = []
        for participant in export.participants {
            let enrolment = participant.enrolment
            if let date = enrolment.withdrawnOn {
                withdrawals.append(
                    .init(
                        participant: participant.code, date: date, day: date.dayNumber - enrolment.startDate.dayNumber + 1,
                        keepsData: enrolment.keepsData ?? false))
            } else if let trial = participant.kept?.trial, let stopped = trial.stoppedOn, stopped < trial.design.endDate {
                let reason = trial.stopReason ?? ""
                stops.append(
                    .init(participant: participant.code, date: stopped, reason: reason, safety: TrialSafety.isSafetyStop(reason: reason)))
            }
        }
        let primary = analyses.primary
        return StudyResults.Flow(
            invitationCodes: invitations.made, invitationCodesUsed: invitations.used,
            screened: screening.eligible + screening.ineligible, eligible: screening.eligible, enrolled: export.participants.count,
            completed: export.participants.count - withdrawals.count - stops.count, withdrawals: withdrawals, stops: stops,
            withData: export.participants.count { $0.kept != nil }, analysed: primary.participants.count(where: \.isPooled),
            analysedPerProtocol: analyses.perProtocol.participants.count(where: \.isPooled),
            excluded: primary.participants.compactMap { person in
                person.exclusion.map { StudyResults.Exclusion(participant: person.name, reason: $0) }
            })
    }

    /// Adherence and side effects by arm, over every day of each kept trial (up to its end, stop
    /// or withdrawal). Arms in the protocol's order.
    static func arms(_ export: StudyExport, today: CalendarDate) -> [StudyResults.ArmSummary] {
        var rows: [String: StudyResults.ArmSummary] = [:]
        var order: [String] = []
        var effects: [String: [DiaryEntry.SideEffect: Int]] = [:]
        for participant in export.participants {
            guard let kept = participant.kept else { continue }
            let severe = Set(kept.adherence.filter(\.severeSideEffect).map(\.date))
            for day in participant.days(today: today) {
                let arm = kept.trial.design.arms[day.period.arm].name
                if rows[arm] == nil {
                    order.append(arm)
                    rows[arm] = StudyResults.ArmSummary(
                        arm: arm, scheduledDays: 0, diaryDays: 0, followed: 0, partly: 0, notFollowed: 0, sideEffectDays: 0,
                        sideEffects: [], severeSideEffectDays: 0)
                }
                rows[arm]!.scheduledDays += 1
                if let entry = day.entry {
                    rows[arm]!.diaryDays += 1
                    if !entry.sideEffects.isEmpty { rows[arm]!.sideEffectDays += 1 }
                    for effect in entry.sideEffects { effects[arm, default: [:]][effect, default: 0] += 1 }
                }
                switch day.adherence {
                case .yes?: rows[arm]!.followed += 1
                case .partly?: rows[arm]!.partly += 1
                case .no?: rows[arm]!.notFollowed += 1
                case nil: break
                }
                if severe.contains(day.date) { rows[arm]!.severeSideEffectDays += 1 }
            }
        }
        let protocolOrder = export.study.design.arms.map(\.name)
        order = protocolOrder.filter(order.contains) + order.filter { !protocolOrder.contains($0) }
        return order.compactMap { arm in
            guard var row = rows[arm] else { return nil }
            row.sideEffects = DiaryEntry.SideEffect.allCases.compactMap { effect in
                effects[arm]?[effect].map { StudyResults.SideEffectCount(effect: effect, days: $0) }
            }
            return row
        }
    }
}
