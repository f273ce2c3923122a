extension NOf1Report {
    /// The report: plain sentences first, then the details a clinician or statistician checks.
    public var text: String {
        let r = result
        var out: [String] = []
        out.append(contentsOf: r.contrasts.map(plainSummary))
        if observational { out.append(Self.observationalNote) }
        if !r.adequacy.isEnough {
            out.append("The numbers below are for checking only: with these data they do not support an answer.")
        }
        out.append("")
        let trend = r.options.trend ? " + linear trend" : ""
        out.append("Model: pain = arm effect\(trend) + AR(1) errors in days (gaps exact), flat priors, ρ ~ U(−1, 1);")
        out.append(
            "exact posterior by quadrature over ρ. \(r.n) analysed days; posterior mean of ρ "
                + "\(NumberFormatting.fixed(r.rhoMean, 2)) (SD \(NumberFormatting.fixed(r.rhoStandardDeviation, 2))).")
        let level = NumberFormatting.fixed(r.options.level * 100, 0)
        for c in r.contrasts {
            out.append("")
            out.append("\(c.arm) − \(c.reference) (negative = less pain with \(c.arm)):")
            out.append(
                "  mean \(NumberFormatting.fixed(c.mean, 3)), median \(NumberFormatting.fixed(c.median, 3)), "
                    + "\(level)% interval \(NumberFormatting.fixed(c.ciLower, 3)) to \(NumberFormatting.fixed(c.ciUpper, 3)), "
                    + "SD \(NumberFormatting.fixed(c.variance.squareRoot(), 3))")
            out.append(
                "  P(effect < 0) = \(NumberFormatting.fixed(c.probabilityOfBenefit, 4)); "
                    + "P(effect < −\(NumberFormatting.trimmed(r.options.mcid))) = \(NumberFormatting.fixed(c.probabilityBeyondMCID, 4))")
            for band in c.bands {
                out.append(
                    "  " + NumberFormatting.column(band.label, 26) + NumberFormatting.column(bandRange(band), 16)
                        + NumberFormatting.column(NumberFormatting.percent(band.probability * 100, 1), 8, right: true))
            }
        }
        if let trend = r.trend {
            out.append("")
            out.append(
                "Trend: \(NumberFormatting.fixed(trend.mean, 4)) points per day (\(level)% interval "
                    + "\(NumberFormatting.fixed(trend.quantile((1 - r.options.level) / 2), 4)) to "
                    + "\(NumberFormatting.fixed(trend.quantile(1 - (1 - r.options.level) / 2), 4)))")
        }
        out.append("")
        out.append("Period-level check (difference of period means, cycle by cycle; no model):")
        for p in r.periodComparisons {
            var line = "  \(p.arm) − \(p.reference): \(p.differences.count) cycles, mean \(NumberFormatting.fixed(p.mean, 2))"
            if let l = p.ciLower, let u = p.ciUpper {
                line += " (\(level)% t interval \(NumberFormatting.fixed(l, 2)) to \(NumberFormatting.fixed(u, 2)))"
            }
            out.append(line)
        }
        out.append("Carry-over check (first \(r.options.carryOverDays) analysed days of a period minus the rest):")
        for c in r.carryOver where c.periods > 0 {
            var line = "  \(c.arm): \(c.periods) periods, mean \(NumberFormatting.fixed(c.meanDifference, 2))"
            if let l = c.ciLower, let u = c.ciUpper {
                line += " (\(level)% t interval \(NumberFormatting.fixed(l, 2)) to \(NumberFormatting.fixed(u, 2)))"
            }
            out.append(line)
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func bandRange(_ band: EffectBand) -> String {
        switch (band.lower.isFinite, band.upper.isFinite) {
        case (false, _): "below \(NumberFormatting.trimmed(band.upper))"
        case (_, false): "above \(NumberFormatting.trimmed(band.lower))"
        default: "\(NumberFormatting.trimmed(band.lower)) to \(NumberFormatting.trimmed(band.upper))"
        }
    }
}
