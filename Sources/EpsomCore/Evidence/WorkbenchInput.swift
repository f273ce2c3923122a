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
///
/// A published Epsom series (`StudyPublication`) enters the pool of its condition group and
/// outcome measure by the same rule. It brings its average effect μ and posterior SD, not arm-level
/// means, so a pool that holds one is analysed as mean differences with their variances
/// (`effectSizesCSV`): each catalogue row's by metafor's `escalc(measure = "MD")`, the series'
/// as μ and SD².
public enum WorkbenchInput {
    public static let header = ["study", "m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i", "route"]

    public struct Pool: Sendable, Equatable, Identifiable {
        public var conditionGroup: String
        public var outcomeMeasure: String
        public var rows: [EvidenceStudy]
        /// Published Epsom series of this condition group and outcome measure.
        public var series: [StudyPublication] = []
        /// Stable across requests: the first row's id.
        public var id: String { rows.first?.id ?? series[0].rowID }
        public var count: Int { rows.count + series.count }
        /// A pool with a series is analysed as mean differences and their variances
        /// (`effectSizesCSV`), whatever measure is asked for.
        public var usesEffectSizes: Bool { !series.isEmpty }
        public var label: String { "\(conditionGroup): \(outcomeMeasure)" }
        /// Whether lower values are better on this measure, when the measure's wording says so.
        public var lowerIsBetter: Bool? { WorkbenchInput.lowerIsBetter(outcomeMeasure) }
    }

    public struct LeftOut: Sendable, Equatable {
        public var row: EvidenceStudy
        public var reason: String
    }

    public struct LeftOutSeries: Sendable, Equatable {
        public var publication: StudyPublication
        public var reason: String
    }

    public struct Plan: Sendable, Equatable {
        /// Pools of at least two studies.
        public var pools: [Pool]
        public var leftOut: [LeftOut]
        public var leftOutSeries: [LeftOutSeries] = []
    }

    public static func plan(_ studies: [EvidenceStudy], series: [StudyPublication] = []) -> Plan {
        var leftOut: [LeftOut] = []
        var candidates: [EvidenceStudy] = []
        for s in studies {
            if let reason = exclusion(s) { leftOut.append(LeftOut(row: s, reason: reason)) } else { candidates.append(s) }
        }
        var keys: [[String]] = []
        for s in candidates where !keys.contains([s.conditionGroup, s.outcomeMeasure]) {
            keys.append([s.conditionGroup, s.outcomeMeasure])
        }
        for p in series where !keys.contains([p.conditionGroup, p.outcomeMeasure]) {
            keys.append([p.conditionGroup, p.outcomeMeasure])
        }
        var pools: [Pool] = []
        var leftOutSeries: [LeftOutSeries] = []
        for key in keys {
            let rows = candidates.filter { [$0.conditionGroup, $0.outcomeMeasure] == key }
            let seriesRows = series.filter { [$0.conditionGroup, $0.outcomeMeasure] == key }
            let repeated = Set(rows.map(\.study).filter { study in rows.filter { $0.study == study }.count > 1 })
            for row in rows where repeated.contains(row.study) {
                leftOut.append(
                    LeftOut(
                        row: row,
                        reason: "several time points of this study report the same outcome; "
                            + "pick one and paste it as a table"))
            }
            let single = rows.filter { !repeated.contains($0.study) }
            if single.count + seriesRows.count >= 2 {
                pools.append(Pool(conditionGroup: key[0], outcomeMeasure: key[1], rows: single, series: seriesRows))
            } else {
                let reason = "no other study in \(key[0]) reports this outcome measure with both arms' data or a pooled effect"
                for row in single { leftOut.append(LeftOut(row: row, reason: reason)) }
                for p in seriesRows { leftOutSeries.append(LeftOutSeries(publication: p, reason: reason)) }
            }
        }
        let order = Dictionary(uniqueKeysWithValues: studies.enumerated().map { ($1.id, $0) })
        leftOut.sort { order[$0.row.id, default: 0] < order[$1.row.id, default: 0] }
        return Plan(pools: pools, leftOut: leftOut, leftOutSeries: leftOutSeries)
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

    /// A pool as mean differences (magnesium minus comparator) and their variances, in `epsom
    /// meta`'s generic columns: a catalogue row's yi = m1 − m2 and vi = sd1²/n1 + sd2²/n2, as
    /// metafor's `escalc(measure = "MD")` computes them; a series' yi = μ and vi = SD(μ)².
    public static let effectSizesHeader = ["study", "yi", "vi", "route"]

    public static func effectSizesCSV(_ pool: Pool) -> String {
        var out = CSVWriter.line(effectSizesHeader)
        for s in pool.rows where s.hasArmLevelData {
            let m1 = s.meanMagnesium!, sd1 = s.sdMagnesium!, n1 = Double(s.participantsMagnesium!)
            let m2 = s.meanControl!, sd2 = s.sdControl!, n2 = Double(s.participantsControl!)
            out += CSVWriter.line([
                CSVWriter.text("\(s.citationLabel) (\(s.id))"), precise(m1 - m2), precise(sd1 * sd1 / n1 + sd2 * sd2 / n2),
                s.routeGroup.label,
            ])
        }
        for p in pool.series {
            out += CSVWriter.line([
                CSVWriter.text("\(p.citationLabel) (\(p.rowID))"), precise(p.muMean), precise(p.muSd * p.muSd), p.routeGroup.label,
            ])
        }
        return out
    }

    /// The table a pool is analysed from: arm-level columns, or effect sizes when it holds a series.
    public static func csv(_ pool: Pool) -> String { pool.usesEffectSizes ? effectSizesCSV(pool) : csv(pool.rows) }

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

    /// Twelve decimals, plain (the CSV reader takes no exponent): a variance keeps its precision.
    static func precise(_ x: Double) -> String {
        var s = String(format: "%.12f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }
}
