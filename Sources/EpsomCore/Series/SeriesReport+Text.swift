extension SeriesReport {
    /// The report: plain sentences per contrast first (the average, how much people differ, what
    /// a new person can expect, and how far the data can be trusted), then the model and the
    /// numbers a statistician checks, then every participant.
    public var text: String {
        var out: [String] = []
        writeText { out.append($0) }
        return out.joined(separator: "\n") + "\n"
    }

    /// The report a line at a time (without line breaks), so a long series streams out.
    public func writeText(_ line: (String) -> Void) {
        let left = participants.count(where: { !$0.isPooled })
        let pooledCount = participants.count - left
        var opening = "Series of N-of-1 trials: \(count(participants.count, "participant")); \(pooledCount) pooled"
        opening += left == 0 ? "." : ", \(left) left out (listed at the end)."
        line(opening)
        let mcid = NumberFormatting.trimmed(options.mcid)
        let points = "\(mcid) point\(options.mcid == 1 ? "" : "s")"
        for pool in pooled {
            line("")
            for sentence in summary(pool, points: points) { line(sentence) }
        }
        line("")
        let trend = options.trend ? " + linear trend" : ""
        line("Model: each participant's exact N-of-1 posterior (pain = arm effect\(trend) + AR(1) errors in days, gaps exact,")
        line("washout excluded, flat priors), then per contrast a normal–normal hierarchical model on the posterior means and")
        line("variances (two stages), τ ~ \(priorText), integrated out exactly. Lower pain is benefit.")
        let level = NumberFormatting.fixed(options.level * 100, 0)
        for (c, pool) in pooled.enumerated() {
            line("")
            line("\(pool.arm) − \(pool.reference) (negative = less pain with \(pool.arm)), k = \(pool.k):")
            if let r = pool.result {
                line(
                    "  μ mean \(fixed(r.muMean, 3)), \(level)% interval \(fixed(r.muCILower, 3)) to \(fixed(r.muCIUpper, 3)); "
                        + "P(μ < 0) = \(fixed(r.muPosterior.cdf(0), 4))")
                line("  τ mean \(fixed(r.tauMean, 3)), median \(fixed(r.tauMedian, 3))")
                line(
                    "  new person: P(effect < 0) = \(fixed(r.probabilityNewBenefit, 4)); P(effect < −\(mcid)) = "
                        + "\(fixed(r.probabilityNewBeyondMCID, 4)); \(level)% predictive interval "
                        + "\(fixed(pool.predictiveLower ?? 0, 3)) to \(fixed(pool.predictiveUpper ?? 0, 3))")
                line(
                    "  expected share with effect < −\(mcid): of people like these \(fixed(pool.shareBeyondMCID ?? 0, 4)), "
                        + "of these \(pool.k) \(fixed(pool.participantShareBeyondMCID ?? 0, 4))")
            } else if let reason = pool.reason {
                line("  not pooled: \(reason)")
            }
            line("")
            line(
                NumberFormatting.column("  Participant", 26) + NumberFormatting.column("Days", 6, right: true)
                    + NumberFormatting.column("ρ", 7, right: true) + NumberFormatting.column("Estimate", 10, right: true)
                    + NumberFormatting.column("\(level)% interval", 22, right: true)
                    + NumberFormatting.column("Shrunken", 10, right: true))
            for person in participants where person.isPooled {
                guard let report = person.report, let contrast = person.contrast(pool.arm) else { continue }
                let interval = "\(fixed(contrast.ciLower, 3)) to \(fixed(contrast.ciUpper, 3))"
                line(
                    NumberFormatting.column("  " + person.name, 26)
                        + NumberFormatting.column(String(report.result.n), 6, right: true)
                        + NumberFormatting.column(fixed(report.result.rhoMean, 2), 7, right: true)
                        + NumberFormatting.column(fixed(contrast.mean, 3), 10, right: true)
                        + NumberFormatting.column(interval, 22, right: true)
                        + NumberFormatting.column(person.shrunken[c].map { fixed($0, 3) } ?? "", 10, right: true))
            }
        }
        if left > 0 {
            line("")
            line("Left out of the pooling (their own analysis cannot answer; see docs/methods.md §6.2):")
            for person in participants where !person.isPooled {
                line("  \(person.name): \(person.exclusion ?? "")")
            }
        }
    }

    /// The plain sentences for one contrast.
    func summary(_ pool: Pooled, points: String) -> [String] {
        Self.json(pool).sentences(mcid: options.mcid, level: options.level, tauPrior: Self.priorName(options.tauPrior))
    }

    /// Below this many pooled people, the report says that τ rests largely on its prior (the
    /// evidence pages likewise show pooled users' trials only from 10 people).
    public static let fewParticipants = 10

    var priorText: String { SeriesJSON.priorText(Self.priorName(options.tauPrior)) }

    private func fixed(_ x: Double, _ digits: Int) -> String { NumberFormatting.fixed(x, digits) }

    private func count(_ n: Int, _ noun: String) -> String { SeriesJSON.count(n, noun) }
}
