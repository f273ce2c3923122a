import EpsomStats

/// The workbench's input from catalogue rows: metafor's mean-difference columns (magnesium arm
/// first), with the route as the subgroup column, so `epsom meta` and the web page run the same
/// engine on the same table.
///
/// Rows are pooled only within a *pool*: the same condition group and the same outcome measure
/// (the `outcome_measure` text, which names the construct and its scale). Pools are formed
/// automatically; a row enters only if it is a parallel-group controlled study with both arms'
/// means, SDs and sizes, and only if its study has exactly one such row in the pool. Crossover and
/// within-subject rows would need the within-person differences (paired data), which the catalogue
/// does not hold, so they are left out rather than entered as independent arms. Every row left out
/// is listed with its reason.
public enum WorkbenchInput {
    public static let header = ["study", "m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i", "route"]

    public struct Pool: Sendable, Equatable, Identifiable {
        public var conditionGroup: String
        public var outcomeMeasure: String
        public var rows: [EvidenceStudy]
        /// Stable across requests: the first row's id.
        public var id: String { rows[0].id }
        public var label: String { "\(conditionGroup): \(outcomeMeasure)" }
        /// Whether lower values are better on this measure, when the measure's wording says so.
        public var lowerIsBetter: Bool? { WorkbenchInput.lowerIsBetter(outcomeMeasure) }
    }

    public struct LeftOut: Sendable, Equatable {
        public var row: EvidenceStudy
        public var reason: String
    }

    public struct Plan: Sendable, Equatable {
        /// Pools of at least two studies.
        public var pools: [Pool]
        public var leftOut: [LeftOut]
    }

    public static func plan(_ studies: [EvidenceStudy]) -> Plan {
        var leftOut: [LeftOut] = []
        var candidates: [EvidenceStudy] = []
        for s in studies {
            if let reason = exclusion(s) { leftOut.append(LeftOut(row: s, reason: reason)) } else { candidates.append(s) }
        }
        var keys: [[String]] = []
        for s in candidates where !keys.contains([s.conditionGroup, s.outcomeMeasure]) {
            keys.append([s.conditionGroup, s.outcomeMeasure])
        }
        var pools: [Pool] = []
        for key in keys {
            let rows = candidates.filter { [$0.conditionGroup, $0.outcomeMeasure] == key }
            let repeated = Set(rows.map(\.study).filter { study in rows.filter { $0.study == study }.count > 1 })
            for row in rows where repeated.contains(row.study) {
                leftOut.append(
                    LeftOut(
                        row: row,
                        reason: "several time points of this study report the same outcome; "
                            + "pick one and paste it as a table"))
            }
            let single = rows.filter { !repeated.contains($0.study) }
            if single.count >= 2 {
                pools.append(Pool(conditionGroup: key[0], outcomeMeasure: key[1], rows: single))
            } else {
                for row in single {
                    leftOut.append(
                        LeftOut(row: row, reason: "no other study in \(key[0]) reports this outcome measure with both arms' data"))
                }
            }
        }
        let order = Dictionary(uniqueKeysWithValues: studies.enumerated().map { ($1.id, $0) })
        leftOut.sort { order[$0.row.id, default: 0] < order[$1.row.id, default: 0] }
        return Plan(pools: pools, leftOut: leftOut)
    }

    /// Why a row cannot enter any pool, or nil.
    static func exclusion(_ s: EvidenceStudy) -> String? {
        switch s.design {
        case .singleArm: return "single-arm: no control group to compare with"
        case .registeredNoResults: return "registered trial: no results found"
        case .rctCrossover, .withinSubject:
            return "\(s.design == .rctCrossover ? "crossover" : "within-subject") design: pooling needs the within-person "
                + "differences (paired data), which the catalogue does not hold; its arms are not independent groups"
        case .rctParallel, .nonRandomisedControlled: break
        }
        let fields: [(String, Bool)] = [
            ("magnesium mean", s.meanMagnesium == nil), ("magnesium SD", s.sdMagnesium == nil),
            ("magnesium group size", s.participantsMagnesium == nil), ("comparator mean", s.meanControl == nil),
            ("comparator SD", s.sdControl == nil), ("comparator group size", s.participantsControl == nil),
        ]
        let missing = fields.filter(\.1).map(\.0)
        if !missing.isEmpty { return "needs both arms' means, SDs and sizes; not reported: " + missing.joined(separator: ", ") }
        return nil
    }

    /// Pain scores, counts of attacks, cramps or days, and symptom scores: lower is better. Other
    /// measures (responders, magnesium levels, quality of life): nil, the page says so.
    public static func lowerIsBetter(_ measure: String) -> Bool? {
        let m = measure.lowercased()
        let higherBetter = ["responder", "quality of life", "serum", "plasma", "range of motion", "relief"]
        if higherBetter.contains(where: m.contains) { return nil }
        let lowerBetter = ["pain", "vas", "nrs", "cramp", "attack", "headache days", "migraine days", "severity", "symptom", "score"]
        return lowerBetter.contains(where: m.contains) ? true : nil
    }

    /// Only rows with both arms' means, SDs and sizes can enter; callers pass one pool's rows.
    public static func csv(_ studies: [EvidenceStudy]) -> String {
        var out = CSVWriter.line(header)
        for s in studies where s.hasArmLevelData {
            let label = "\(s.citationLabel) (\(s.id))"
            out += CSVWriter.line([
                CSVWriter.text(label), number(s.meanMagnesium!), number(s.sdMagnesium!),
                String(s.participantsMagnesium!), number(s.meanControl!), number(s.sdControl!),
                String(s.participantsControl!), s.routeGroup.label,
            ])
        }
        return out
    }

    /// The pooled estimate in words: which group is which and which way benefit lies.
    /// `lowerIsBetter` nil: the direction of benefit is not known for the measure.
    public static func describe(
        estimate: Double, lower: Double, upper: Double, measure: EffectMeasure,
        lowerIsBetter: Bool?, catalogue: Bool
    ) -> String {
        let groups =
            catalogue
            ? "Group 1 is magnesium, group 2 the comparator."
            : "Group 1 is the first set of columns (m1i or ai/bi), group 2 the second; in a pasted table you decide which is magnesium."
        let scale: String
        switch measure {
        case .standardizedMeanDifference: scale = "standardized mean difference (group 1 minus group 2, in standard deviations)"
        case .meanDifference: scale = "mean difference (group 1 minus group 2, in the outcome's units)"
        case .ratioOfMeans: scale = "log ratio of means (group 1 over group 2)"
        case .riskRatio: scale = "log risk ratio (group 1 over group 2)"
        case .oddsRatio: scale = "log odds ratio (group 1 over group 2)"
        case .riskDifference: scale = "risk difference (group 1 minus group 2)"
        case .generic: scale = "effect size as given in your yi column"
        }
        let f = { (x: Double) in NumberFormatting.fixed(x, 2) }
        var text = "\(groups) The pooled \(scale) is \(f(estimate)) (95% interval \(f(lower)) to \(f(upper)))."
        if measure != .generic {
            let events = measure == .riskRatio || measure == .oddsRatio || measure == .riskDifference
            let direction = estimate == 0 ? "the same" : events ? (estimate < 0 ? "fewer" : "more") : (estimate < 0 ? "lower" : "higher")
            text += " On average group 1 had \(direction) \(events ? "events" : "values") than group 2"
            text +=
                lower <= 0 && upper >= 0
                ? "; the 95% interval includes no difference." : "; the 95% interval lies entirely on that side of no difference."
        }
        switch lowerIsBetter {
        case true?: text += " On this measure lower is better, so a negative value favours group 1."
        case false?: text += " On this measure higher is better, so a positive value favours group 1."
        case nil: text += " Which direction is benefit depends on the outcome: check its scale before reading it as a benefit."
        }
        return text
    }

    static func number(_ x: Double) -> String { NumberFormatting.trimmed(x) }
}
