/// What Epsom's users add: consenting people's finished trials, pooled per comparison with the
/// hierarchical model (docs/methods.md §4), shown only from `minimumContributors` people on.
/// Each person counts once per comparison (their latest finished trial); only the effect
/// estimate and its variance leave the trial, never a diary, a date or a name.
public enum PooledEvidence {
    public static let minimumContributors = 10

    public struct Contribution: Sendable, Equatable {
        public var comparison: String
        public var person: String
        /// Ordering among one person's trials: the latest wins.
        public var endDay: Int
        public var estimate: Double
        public var variance: Double
        public init(comparison: String, person: String, endDay: Int, estimate: Double, variance: Double) {
            self.comparison = comparison
            self.person = person
            self.endDay = endDay
            self.estimate = estimate
            self.variance = variance
        }
    }

    public struct Comparison: Sendable, Equatable {
        public var name: String
        public var contributors: Int
        /// nil below the minimum: nothing is shown but the count.
        public var result: HierarchicalPooling.Result?
        public init(name: String, contributors: Int, result: HierarchicalPooling.Result?) {
            self.name = name
            self.contributors = contributors
            self.result = result
        }
    }

    /// "magnesium cream vs placebo cream": the arm against the trial's comparator, in lower case.
    public static func comparisonName(arm: String, comparator: String) -> String {
        arm.lowercased() + " vs " + comparator.lowercased()
    }

    public static func pool(_ contributions: [Contribution], mcid: Double = 1) -> [Comparison] {
        var latest: [String: [String: Contribution]] = [:]
        for c in contributions {
            if let old = latest[c.comparison]?[c.person], old.endDay >= c.endDay { continue }
            latest[c.comparison, default: [:]][c.person] = c
        }
        return latest.keys.sorted().map { name in
            let people = latest[name]!.values.sorted { $0.person < $1.person }
            guard people.count >= minimumContributors else { return Comparison(name: name, contributors: people.count, result: nil) }
            let result = try? HierarchicalPooling.pool(estimates: people.map(\.estimate), variances: people.map(\.variance), mcid: mcid)
            return Comparison(name: name, contributors: people.count, result: result)
        }
    }

    /// The contributions of one finished trial (intention to treat), one per magnesium arm; none
    /// while the trial runs or when the model cannot be fitted.
    public static func contributions(
        _ trial: Trial, diary: [DiaryEntry], adherence: [TrialDay], today: CalendarDate,
        person: String
    ) -> [Contribution] {
        guard trial.isOver(today: today) else { return [] }
        let days = TrialAnalysis.days(trial: trial, diary: diary, adherence: adherence, through: today)
        guard
            case .success(let result) = TrialAnalysis.run(
                days, population: .intentionToTreat,
                armNames: trial.design.arms.map(\.name), mcid: trial.design.mcid)
        else { return [] }
        return result.contrasts.map { c in
            Contribution(
                comparison: comparisonName(arm: c.arm, comparator: c.reference), person: person,
                endDay: trial.lastDay.dayNumber, estimate: c.mean, variance: c.variance)
        }
    }
}
