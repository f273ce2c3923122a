import Testing

@testable import EpsomCore
@testable import EpsomStats

/// The wording module on a grid of posteriors: the verdict, its sign and its probability agree.
@Suite struct VerdictTests {
    /// A normal-like posterior (t with 10,000 df) at `mean` with SD `sd`, summarised by the engine.
    static func contrast(_ mean: Double, _ sd: Double, mcid: Double = 1) -> NOf1Contrast {
        let posterior = StudentTMixture(locations: [mean], scales: [sd], weights: [1], degreesOfFreedom: 10_000)
        return NOf1Analysis.contrast(posterior, arm: "magnesium cream", reference: "placebo cream", options: NOf1Options(mcid: mcid))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var mean, sd: Double
        var kind: Verdict.Kind
        var headline: String
        var estimate: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "clear benefit, MCID met", mean: -2, sd: 0.5, kind: .helps,
            headline:
                "Magnesium cream likely helps, by enough to matter. Chance that it lowers your pain by at least 1 point compared with placebo cream: 98%.",
            estimate:
                "With magnesium cream, your pain was 2.0 points lower on average than with placebo cream (95% interval: 1.0 to 3.0 points lower)."
        ),
        Case(
            name: "benefit, MCID not met", mean: -0.6, sd: 0.25, kind: .helpsALittle,
            headline:
                "Magnesium cream likely helps a little, probably by less than the 1 point that matter. Chance that it helps compared with placebo cream: 99%; by at least 1 point: 5%.",
            estimate:
                "With magnesium cream, your pain was 0.6 points lower on average than with placebo cream (95% interval: 0.1 to 1.1 points lower)."
        ),
        // The contradiction of before: an interval that crosses zero with a 96% chance of benefit
        // was worded "the data cannot tell whether it helps. Chance that it helps you: 96%".
        Case(
            name: "96% benefit, interval crossing zero", mean: -0.9, sd: 0.5, kind: .helpsALittle,
            headline:
                "Magnesium cream likely helps a little, probably by less than the 1 point that matter. Chance that it helps compared with placebo cream: 96%; by at least 1 point: 42%.",
            estimate:
                "With magnesium cream, your pain was 0.9 points lower on average than with placebo cream (95% interval: 1.9 lower to 0.1 higher)."
        ),
        Case(
            name: "no difference that matters", mean: 0, sd: 0.3, kind: .noDifference,
            headline:
                "Magnesium cream makes no difference that matters compared with placebo cream. Chance that the difference is smaller than 1 point either way: more than 99%.",
            estimate:
                "With magnesium cream, your pain was 0.0 points higher on average than with placebo cream (95% interval: 0.6 lower to 0.6 higher)."
        ),
        Case(
            name: "clear harm", mean: 1.5, sd: 0.5, kind: .worse,
            headline: "Magnesium cream likely makes your pain worse compared with placebo cream. Chance that it helps: less than 1%.",
            estimate:
                "With magnesium cream, your pain was 1.5 points higher on average than with placebo cream (95% interval: 0.5 to 2.5 points higher)."
        ),
        Case(
            name: "uncertain", mean: -0.5, sd: 1, kind: .unclear,
            headline:
                "The data cannot tell yet whether magnesium cream helps compared with placebo cream. Chance that it helps: 69%; by at least 1 point: 31%.",
            estimate:
                "With magnesium cream, your pain was 0.5 points lower on average than with placebo cream (95% interval: 2.5 lower to 1.5 higher)."
        ),
    ]

    @Test(arguments: cases)
    func verdictSignAndProbabilityAgree(_ c: Case) throws {
        let v = Verdict(contrast: Self.contrast(c.mean, c.sd), mcid: 1, level: 0.95, adequacy: NOf1Adequacy(reasons: []))
        #expect(v.kind == c.kind)
        #expect(v.headline == c.headline)
        #expect(v.estimate == c.estimate)
        // The probability in the headline is the verdict's own.
        let benefit = try #require(v.probabilityOfBenefit), beyond = try #require(v.probabilityBeyondMCID)
        let stated = v.kind == .noDifference ? [try #require(v.probabilityNegligible)] : v.kind == .helps ? [beyond] : [benefit]
        for p in stated { #expect(v.headline.contains(NOf1Report.chance(p)), "\(c.name): \(NOf1Report.chance(p))") }
        // Signs: a verdict of benefit never sits beside "higher", nor harm beside "lower".
        let estimate = try #require(v.estimate)
        if v.kind == .helps || v.kind == .helpsALittle { #expect(estimate.contains("points lower on average")) }
        if v.kind == .worse { #expect(estimate.contains("points higher on average")) }
        if v.kind != .unclear { #expect(!v.headline.contains("cannot tell")) }
    }

    @Test func tooLittleDataGivesNoProbability() {
        let reasons = [
            "placebo cream was tried in only one period; at least 2 periods of each arm are needed to tell its effect from a change over time"
        ]
        let v = Verdict(contrast: Self.contrast(-2, 0.01), mcid: 1, level: 0.95, adequacy: NOf1Adequacy(reasons: reasons))
        #expect(v.kind == .tooLittleData && v.probabilityOfBenefit == nil && v.estimate == nil)
        #expect(v.headline == "Too little data to tell whether magnesium cream helps compared with placebo cream.")
        #expect(!v.sentence.contains("%") && v.sentence.contains("only one period"))
    }

    /// Sleep: higher is better, so a rise is the benefit, worded as improving.
    @Test func anOutcomeWhereHigherIsBetter() {
        let v = Verdict(
            contrast: Self.contrast(2, 0.5), mcid: 1, level: 0.95, adequacy: NOf1Adequacy(reasons: []),
            outcome: Verdict.Outcome(name: "sleep", lowerIsBetter: false), voice: .clinician)
        #expect(v.kind == .helps)
        #expect(v.headline.contains("improves the patient's sleep by at least 1 point"))
        #expect(
            v.estimate
                == "With magnesium cream, the patient's sleep was 2.0 points higher on average than with placebo cream (95% interval: 1.0 to 3.0 points higher)."
        )
    }

    // MARK: Pathological diaries

    static func report(_ csv: String) throws -> NOf1Report {
        let input = try NOf1Input(table: try CSVTable(parsing: csv))
        return try NOf1Report(input: input, options: NOf1Options(mcid: 1))
    }

    static func diary(_ rows: [(arm: String, pain: String)]) -> String {
        "date,arm,pain\n"
            + rows.enumerated().map { i, r in "\(CalendarDate(iso: "2026-01-01")!.adding(days: i)),\(r.arm),\(r.pain)" }
            .joined(separator: "\n") + "\n"
    }

    /// Each answers "too little data" (an error saying so, or the verdict with its reasons) or a
    /// calibrated result; none says "more than 99%" from fewer than two periods of an arm.
    @Test func pathologicalDiariesNeverClaimCertainty() throws {
        let tiny = Self.diary([("placebo", "4"), ("placebo", "5"), ("placebo", "4"), ("cream", "3"), ("cream", "2"), ("cream", "3")])
        let onePeriod = Self.diary((0..<10).map { ("placebo", String(5 + $0 % 2)) } + (0..<10).map { ("cream", String(3 + $0 % 2)) })
        let alternating = Self.diary((0..<20).map { $0 % 2 == 0 ? ("placebo", "5") : ("cream", "1") })
        let constant = Self.diary((0..<20).map { ($0 / 5 % 2 == 0 ? "placebo" : "cream", "4") })
        let oneArmMissing = Self.diary((0..<20).map { ($0 / 5 % 2 == 0 ? "placebo" : "cream", $0 / 5 % 2 == 0 ? "5" : "") })
        for (name, csv) in [
            ("tiny", tiny), ("one period", onePeriod), ("alternating", alternating), ("constant", constant),
            ("one arm missing", oneArmMissing),
        ] {
            do {
                let r = try Self.report(csv)
                let v = r.verdict(r.result.contrasts[0])
                #expect(v.kind == .tooLittleData, "\(name): \(v.sentence)")
                #expect(!r.text.contains("more than 99%"), "\(name)")
            } catch {
                #expect("\(error)".hasPrefix("Too little data to tell"), "\(name): \(error)")
            }
        }
    }

    /// Two periods of each arm with ordinary noise: a calibrated answer, not "too little data".
    @Test func anOrdinaryTrialGetsAnAnswer() throws {
        let pains = [5, 6, 5, 6, 5, 6, 5, 3, 4, 3, 2, 3, 4, 3, 6, 5, 5, 6, 6, 5, 5, 3, 3, 2, 4, 3, 3, 4]
        let csv = Self.diary(pains.enumerated().map { ($0.offset / 7 % 2 == 0 ? "placebo" : "cream", String($0.element)) })
        let r = try Self.report(csv)
        #expect(r.result.adequacy.isEnough)
        #expect(r.verdict(r.result.contrasts[0]).kind != .tooLittleData)
    }

    /// The comparator is found by its role, whatever order the arms come in.
    @Test func comparatorsAreRecognisedByName() {
        for name in ["Placebo cream", "placebo", "No cream", "none", "Usual care", "cream control", "Sham cream"] {
            #expect(NOf1Input.isComparator(name), "\(name)")
        }
        for name in ["Magnesium cream", "Oral magnesium", "Jar X", "nonetheless"] { #expect(!NOf1Input.isComparator(name), "\(name)") }
    }
}
