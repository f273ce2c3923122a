import EpsomStats

/// The baseline table of a closed study (`StudyResults.Baseline`), computed at close from the
/// study's export. The store reads the diary in the window before each first day for it
/// (`StudyExport.Kept.diaryBefore`). Only the aggregate is kept: no export writes those days,
/// and the stored JSON holds no participant's own value.
public enum StudyBaseline {
    /// Two weeks before the first day: long enough to even out a few bad days, short enough to be
    /// the pain the participant enrolled with.
    public static let windowDays = 14
    /// No summary below five participants with a score: a mean of one or two people is close to
    /// their own diary, and the investigator knows who started when.
    public static let minimumParticipants = 5

    /// What a participant is told before consenting (the join page and the API's study
    /// information). Only enrolments made with it shown (`enrolments.baseline_diary_consented`,
    /// migration 0020: the join page always shows it, an API client says so) have their diary
    /// before the first day read.
    ///
    /// A median or quartile of five people's fortnights can be one person's own average (not
    /// named), so the notice says "summaries", not "never yours".
    public static let consentNotice =
        "If you keep your diary in the \(windowDays) days before your first day, the study also reads those days' scores "
        + "(never your notes) to describe the participants at the start: only summaries over at least \(minimumParticipants) "
        + "people (such as the mean and the median of their fortnights' averages) are kept and shown; your own days are "
        + "never shown or exported."

    public static func baseline(_ export: StudyExport) -> StudyResults.Baseline {
        let design = export.study.design
        let kept = export.participants.filter { $0.kept != nil }
        let starts = kept.map(\.enrolment.startDate)
        var outcomes = [design.primaryOutcome]
        for outcome in design.secondaryOutcomes where !outcomes.contains(outcome) { outcomes.append(outcome) }
        let scores = outcomes.map { outcome in
            var means: [Double] = [], days: [Double] = []
            // Never the days of a participant not told they may be read (the store reads none either).
            for participant in kept where participant.kept?.baselineAsked == true {
                let start = participant.enrolment.startDate
                let window = start.adding(days: -windowDays)
                let values = (participant.kept?.diaryBefore ?? []).filter { $0.date >= window && $0.date < start }
                    .compactMap(outcome.value(in:))
                guard !values.isEmpty else { continue }
                means.append(values.reduce(0, +) / Double(values.count))
                days.append(Double(values.count))
            }
            return score(outcome, means: means, days: days, anyAsked: kept.contains { $0.kept?.baselineAsked == true })
        }
        var baseline = StudyResults.Baseline(
            windowDays: windowDays, participants: kept.count, firstStart: starts.min(), lastStart: starts.max(),
            screening: design.screening.map { StudyResults.ScreeningAnswer(question: $0.text, answer: !$0.excludingAnswer) },
            scores: scores, minimumParticipants: minimumParticipants)
        baseline.notAsked = kept.filter { $0.kept?.baselineAsked == false }.count
        return baseline
    }

    static func score(_ outcome: TrialOutcome, means: [Double], days: [Double], anyAsked: Bool = true) -> StudyResults.Score {
        var score = StudyResults.Score(outcome: outcome, participants: means.count)
        guard means.count >= minimumParticipants, let summary = SampleSummary(means), let perPerson = SampleSummary(days) else {
            score.reason =
                !anyAsked
                ? "not read: no participant was told before consenting that these days may be read"
                : means.isEmpty
                    ? "no participant's diary has this score in the \(windowDays) days before their first day"
                    : "fewer than \(minimumParticipants) participants have it: a summary would be close to one person's own scores"
            return score
        }
        score.mean = summary.mean
        score.standardDeviation = summary.standardDeviation
        score.median = summary.median
        score.lowerQuartile = summary.lowerQuartile
        score.upperQuartile = summary.upperQuartile
        score.medianDays = perPerson.median
        return score
    }
}

extension StudyResults.Score {
    init(outcome: TrialOutcome, participants: Int) {
        self.outcome = outcome
        self.participants = participants
    }
}
