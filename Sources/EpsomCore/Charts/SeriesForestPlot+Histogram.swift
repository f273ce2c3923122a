import EpsomStats

/// The forest plot's compact panel and its words: above `rowsUpTo` pooled participants, their own
/// and their shrunken estimates as two histograms on the panel's axis (the pooled diamond and the
/// predictive interval follow as in the full plot), and for every panel a `<desc>` that says what
/// is drawn, for a screen reader or anyone who cannot see it.
extension SeriesForestPlot {
    /// Each histogram's band: bars up to 48 px, a label, and space above the next.
    var histogramHeight: Double { 64 }

    /// Bins across the plot's width: 38 bins of 10 px, wide enough to see, narrow enough to show
    /// the shape of a thousand estimates.
    static let bins = 38

    func histograms(_ svg: inout SVG, _ axis: AxisScale, rows: [Row], top: Double) {
        let strips: [(label: String, values: [Double], color: String)] = [
            ("Own estimates", rows.map(\.estimate), raw),
            ("After pooling (shrunken)", rows.compactMap { $0.shrunken?.mean }, shrunkenColor),
        ]
        let textLeft = margin + labelWidth + plotWidth + 12
        let width = (axis.pixelRight - axis.pixelLeft) / Double(Self.bins)
        for (s, strip) in strips.enumerated() {
            let baseline = top + Double(s + 1) * histogramHeight - 8
            let counts = Self.counts(strip.values, axis: axis)
            let tallest = Double(counts.max() ?? 0)
            svg.text(margin, baseline - 18, strip.label)
            svg.text(margin, baseline - 4, "\(strip.values.count) people", size: 11, fill: "#555")
            for (b, count) in counts.enumerated() where count > 0 {
                let height = max(1, Double(count) / tallest * (histogramHeight - 16))
                svg.rect(axis.pixelLeft + Double(b) * width + 0.5, baseline - height, width - 1, height, fill: strip.color)
            }
            svg.line(axis.pixelLeft, baseline, axis.pixelRight, baseline, stroke: "#bbb")
            if let summary = SampleSummary(strip.values) {
                svg.text(
                    textLeft, baseline - 4,
                    "\(fixed(summary.median)) [\(fixed(summary.lowerQuartile)), \(fixed(summary.upperQuartile))]", size: 12)
            }
        }
    }

    /// How many values fall in each of `bins` equal bands of the axis (the last band closed).
    static func counts(_ values: [Double], axis: AxisScale) -> [Int] {
        var counts = Array(repeating: 0, count: bins)
        let span = axis.upper - axis.lower
        guard span > 0 else { return counts }
        for value in values where value.isFinite {
            let bin = Int(((value - axis.lower) / span * Double(bins)).rounded(.down))
            counts[min(bins - 1, max(0, bin))] += 1
        }
        return counts
    }

    /// The plot in words: per contrast, how many people, where their own and shrunken estimates
    /// lie (range and median), μ with its interval and the predictive interval.
    var description: String {
        let percent = NumberFormatting.fixed(report.options.level * 100, 0)
        return report.pooled.enumerated().map { c, pool in
            let people = pool.members.map { report.participants[$0] }
            let own = people.compactMap { $0.contrast(pool.arm)?.mean }
            let shrunken = people.compactMap { $0.shrunken[c] }
            var words = "\(pool.arm) − \(pool.reference): \(pool.k) participant\(pool.k == 1 ? "" : "s") pooled"
            if pool.k > Self.rowsUpTo { words += ", drawn as histograms" }
            for (name, values) in [("own estimates", own), ("after pooling", shrunken)] {
                guard let summary = SampleSummary(values), let low = values.min(), let high = values.max() else { continue }
                words += "; \(name) from \(fixed(low)) to \(fixed(high)) points, median \(fixed(summary.median))"
            }
            if let r = pool.result {
                words += "; average μ \(fixed(r.muMean)) [\(percent)% interval \(fixed(r.muCILower)) to \(fixed(r.muCIUpper))]"
                if let lower = pool.predictiveLower, let upper = pool.predictiveUpper {
                    words += "; a new person: \(fixed(lower)) to \(fixed(upper))"
                }
            } else {
                words += "; not pooled: \(pool.reason ?? "")"
            }
            return words + "."
        }.joined(separator: " ")
    }
}
