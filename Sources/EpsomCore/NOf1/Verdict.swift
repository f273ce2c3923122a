import EpsomStats

/// The one place where a posterior becomes words (docs/methods.md §3.7). Every sentence a person
/// reads about an N-of-1 result, in the app, the CLI and the report, comes from here, so the
/// verdict, its sign and its probabilities cannot disagree:
///
/// - the verdict is decided from posterior probabilities alone, never from whether an interval
///   happens to cross zero;
/// - the effect is worded as "lower"/"higher" from its own sign, and its interval with signs that
///   cannot contradict the sentence ("0.4 to 2.4 points lower", "0.3 lower to 1.2 higher");
/// - too little data says so, with its reasons, and gives no probability.
public struct Verdict: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// P(benefit) ≥ 0.9 and P(benefit ≥ MCID) ≥ 0.5.
        case helps
        /// P(benefit) ≥ 0.9, but P(benefit ≥ MCID) < 0.5.
        case helpsALittle = "helps_a_little"
        /// P(|effect| < MCID) ≥ 0.9.
        case noDifference = "no_difference"
        /// P(benefit) ≤ 0.1.
        case worse
        /// Anything else.
        case unclear
        /// The data cannot support an answer (`NOf1Adequacy`).
        case tooLittleData = "too_little_data"
    }

    /// Whose outcome the sentence is about.
    public enum Voice: Sendable, Equatable {
        /// "your pain": the person whose diary it is (app and CLI).
        case person
        /// "the patient's pain": a clinician reading a patient's result.
        case clinician

        func possessive(_ outcome: String) -> String {
            switch self {
            case .person: "your \(outcome)"
            case .clinician: "the patient's \(outcome)"
            }
        }
    }

    /// An outcome and which way is better.
    public struct Outcome: Sendable, Equatable {
        public var name: String
        public var lowerIsBetter: Bool
        public init(name: String, lowerIsBetter: Bool = true) {
            self.name = name
            self.lowerIsBetter = lowerIsBetter
        }
        public static let pain = Outcome(name: "pain")
    }

    public var kind: Kind
    public var arm: String
    public var reference: String
    /// P(the arm is better than the reference), nil when there is too little data.
    public var probabilityOfBenefit: Double?
    /// P(better by at least the MCID).
    public var probabilityBeyondMCID: Double?
    /// P(the difference is smaller than the MCID either way).
    public var probabilityNegligible: Double?
    /// The answer in plain words, first on every page: "Magnesium cream likely helps: …".
    public var headline: String
    /// The effect with its interval: "With magnesium cream your pain was 1.4 points lower on
    /// average than with placebo cream (95% interval: 0.4 to 2.4 points lower)."
    public var estimate: String?
    /// Why there is no answer, when there is too little data.
    public var reasons: [String]

    /// "Magnesium cream compared with placebo cream".
    public var comparison: String { "\(Self.capitalized(arm)) compared with \(reference)" }

    public init(
        contrast c: NOf1Contrast, mcid: Double, level: Double, adequacy: NOf1Adequacy,
        outcome: Outcome = .pain, voice: Voice = .person
    ) {
        arm = c.arm
        reference = c.reference
        reasons = adequacy.reasons
        let whose = voice.possessive(outcome.name)
        let points = "\(NumberFormatting.trimmed(mcid)) point\(mcid == 1 ? "" : "s")"
        let armName = Self.capitalized(c.arm)
        guard adequacy.isEnough else {
            kind = .tooLittleData
            headline = "Too little data to tell whether \(c.arm) helps compared with \(c.reference)."
            estimate = nil
            return
        }
        let cdf = { (x: Double) in c.posterior.cdf(x) }
        let benefit = outcome.lowerIsBetter ? cdf(0) : 1 - cdf(0)
        let beyond = outcome.lowerIsBetter ? cdf(-mcid) : 1 - cdf(mcid)
        let negligible = max(0, cdf(mcid) - cdf(-mcid))
        probabilityOfBenefit = benefit
        probabilityBeyondMCID = beyond
        probabilityNegligible = negligible
        let chanceBenefit = NOf1Report.chance(benefit), chanceBeyond = NOf1Report.chance(beyond)
        let improves = outcome.lowerIsBetter ? "lowers" : "improves"
        if benefit >= 0.9 && beyond >= 0.5 {
            kind = .helps
            headline =
                "\(armName) likely helps, by enough to matter. Chance that it \(improves) \(whose) by at least \(points) "
                + "compared with \(c.reference): \(chanceBeyond)."
        } else if benefit >= 0.9 {
            kind = .helpsALittle
            headline =
                "\(armName) likely helps a little, probably by less than the \(points) that matter. Chance that it helps "
                + "compared with \(c.reference): \(chanceBenefit); by at least \(points): \(chanceBeyond)."
        } else if negligible >= 0.9 {
            kind = .noDifference
            headline =
                "\(armName) makes no difference that matters compared with \(c.reference). Chance that the difference is "
                + "smaller than \(points) either way: \(NOf1Report.chance(negligible))."
        } else if benefit <= 0.1 {
            kind = .worse
            headline = "\(armName) likely makes \(whose) worse compared with \(c.reference). Chance that it helps: \(chanceBenefit)."
        } else {
            kind = .unclear
            headline =
                "The data cannot tell yet whether \(c.arm) helps compared with \(c.reference). Chance that it helps: "
                + "\(chanceBenefit); by at least \(points): \(chanceBeyond)."
        }
        let percent = NumberFormatting.fixed(level * 100, 0)
        let size = NumberFormatting.fixed(abs(c.mean), 1)
        let direction = c.mean < 0 ? "lower" : "higher"
        estimate =
            "With \(c.arm), \(whose) was \(size) points \(direction) on average than with \(c.reference) "
            + "(\(percent)% interval: \(Self.range(c.ciLower, c.ciUpper)))."
    }

    /// An interval of differences in words whose signs cannot contradict the sentence.
    public static func range(_ lower: Double, _ upper: Double) -> String {
        func f(_ x: Double) -> String { NumberFormatting.fixed(x, 1) }
        if upper <= 0 { return "\(f(-upper)) to \(f(-lower)) points lower" }
        if lower >= 0 { return "\(f(lower)) to \(f(upper)) points higher" }
        return "\(f(-lower)) lower to \(f(upper)) higher"
    }

    public static func capitalized(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

    /// Headline, estimate and reasons as one paragraph.
    public var sentence: String {
        var parts = [headline]
        if let estimate { parts.append(estimate) }
        if !reasons.isEmpty { parts.append("Why: " + reasons.joined(separator: "; ") + ".") }
        return parts.joined(separator: " ")
    }
}
