/// The plain words of a pooled contrast, from its numbers alone: what `epsom series` prints, and
/// what the study report and a participant's page show from the stored analysis (which holds these
/// numbers, not the posterior), so the two can never word the same result differently.
extension SeriesJSON.Pooled {
    /// The sentences for one contrast: the average and its interval, how much people differ, what
    /// a new person can expect, the expected share beyond the MCID, and a warning when few people
    /// were pooled. `tauPrior` is the prior as the command line writes it ("half-normal:2").
    public func sentences(mcid: Double, level: Double = 0.95, tauPrior: String) -> [String] {
        let points = "\(NumberFormatting.trimmed(mcid)) point\(mcid == 1 ? "" : "s")"
        let arm = Verdict.capitalized(self.arm)
        guard let muMean, let muCiLower, let muCiUpper, let tauMedian, let pNewBenefit, let pNewMcid,
            let averageBenefit = pMuBenefit
        else {
            return ["\(arm) compared with \(reference): no pooled answer (\(reason ?? "nothing to pool"))."]
        }
        let chance = NOf1Report.chance
        var sentences: [String] = []
        let percent = NumberFormatting.fixed(level * 100, 0)
        let headline: String
        if averageBenefit >= 0.9 {
            headline = "On average, \(self.arm) likely lowers pain compared with \(reference)"
        } else if averageBenefit <= 0.1 {
            headline = "On average, \(self.arm) likely makes pain worse compared with \(reference)"
        } else {
            headline = "These participants cannot tell yet whether \(self.arm) lowers pain on average compared with \(reference)"
        }
        let direction = muMean < 0 ? "lower" : "higher"
        sentences.append(
            "\(headline) (chance that the average effect is a benefit: \(chance(averageBenefit))). Across the "
                + "\(SeriesJSON.count(k, "person")) pooled, pain was \(NumberFormatting.fixed(abs(muMean), 1)) points \(direction) "
                + "with \(self.arm) on average (\(percent)% interval: \(Verdict.range(muCiLower, muCiUpper))).")
        var spread =
            "How much people differ: the between-person SD τ is about \(NumberFormatting.fixed(tauMedian, 1)) points (posterior median). "
            + "For a new person like these, the chance that \(self.arm) helps is \(chance(pNewBenefit)), and that it "
            + "helps by at least \(points) \(chance(pNewMcid))"
        if let piLower, let piUpper {
            spread += " (\(percent)% predictive interval: \(Verdict.range(piLower, piUpper)))"
        }
        sentences.append(spread + ".")
        if let share = participantShareBeyondMcid {
            sentences.append(
                "Expected share of these \(k) whose own true benefit is at least \(points): "
                    + "\(NumberFormatting.fixed(share * 100, 0))%.")
        }
        if k == 1 {
            sentences.append(
                "Only one person could be pooled: the \"average\" is that person's own result, and how much people differ "
                    + "comes from the prior on τ alone.")
        } else if k < SeriesReport.fewParticipants {
            sentences.append(
                "Only \(k) people could be pooled: how much people differ (τ) is poorly known and rests largely on its "
                    + "prior (\(SeriesJSON.priorText(tauPrior))), so read the average and the chances for a new person with care.")
        }
        return sentences
    }
}

extension SeriesJSON {
    /// The prior in a sentence: "half-normal:2" → "half-normal(2)", "uniform" → "uniform(0, ∞)".
    public static func priorText(_ name: String) -> String {
        if name == "uniform" { return "uniform(0, ∞)" }
        if name.hasPrefix("half-normal:") { return "half-normal(\(name.dropFirst("half-normal:".count)))" }
        return name
    }

    /// "1 person", "3 people", "2 participants".
    public static func count(_ n: Int, _ noun: String) -> String {
        if n == 1 { return "1 \(noun)" }
        return "\(n) " + (noun == "person" ? "people" : noun + "s")
    }
}
