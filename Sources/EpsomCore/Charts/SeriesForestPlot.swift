/// The forest plot of a series, one panel per contrast: for every pooled participant their own
/// estimate and 95% interval (grey square) and, just below, their shrunken estimate with the
/// interval of their true effect after pooling (blue dot); then the pooled diamond (μ and its
/// interval), the predictive interval for a new person, the line of no effect and the MCID.
/// Participants left out are counted under the panel, not drawn. Every coordinate is finite: an
/// interval off the axis ends in an arrowhead (as `ForestPlot` draws it).
///
/// A row per person reads well up to a screen's height and not beyond: above `rowsUpTo` pooled
/// participants a panel draws their own and shrunken estimates as two histograms on the same axis
/// instead (`SeriesForestPlot+Histogram.swift`), so its height no longer grows with them. Each
/// person's numbers stay in the report's table and the analysis JSON. Either way the SVG's
/// `<desc>` says in words what the panels show.
public struct SeriesForestPlot {
    let report: SeriesReport

    public init(report: SeriesReport) { self.report = report }

    /// The most pooled participants a panel draws one row each (22 px a row: 40 rows are about
    /// the height of a laptop's screen).
    public static let rowsUpTo = 40

    let rowHeight = 22.0
    let labelWidth = 170.0
    let plotWidth = 380.0
    let textWidth = 250.0
    let margin = 16.0
    let raw = "#555", shrunkenColor = "#1f4e79", pooledColor = "#b22222"

    public var svg: String {
        let width = margin * 2 + labelWidth + plotWidth + textWidth
        var panels: [(height: Double, draw: (inout SVG, Double) -> Void)] = []
        for (c, pool) in report.pooled.enumerated() { panels.append(panel(c, pool)) }
        let height = margin + panels.reduce(0) { $0 + $1.height } + margin
        var svg = SVG(width: width, height: height)
        var top = margin
        for panel in panels {
            panel.draw(&svg, top)
            top += panel.height
        }
        let title = "Series of N-of-1 trials: " + report.pooled.map { "\($0.arm) − \($0.reference)" }.joined(separator: "; ")
        return svg.document(title: title, description: description)
    }

    struct Row {
        var name: String
        var estimate, lower, upper: Double
        var shrunken: (mean: Double, lower: Double, upper: Double)?
    }

    private func panel(_ c: Int, _ pool: SeriesReport.Pooled) -> (height: Double, draw: (inout SVG, Double) -> Void) {
        let level = report.options.level, alpha = 1 - level
        var rows: [Row] = []
        for (position, index) in pool.members.enumerated() {
            let person = report.participants[index]
            guard let contrast = person.contrast(pool.arm) else { continue }
            var row = Row(name: person.name, estimate: contrast.mean, lower: contrast.ciLower, upper: contrast.ciUpper)
            if let result = pool.result, let mean = person.shrunken[c] {
                let posterior = result.participantPosterior(position, variance: contrast.variance)
                row.shrunken = (mean, posterior.quantile(alpha / 2), posterior.quantile(1 - alpha / 2))
            }
            rows.append(row)
        }
        let left = report.participants.count - pool.k
        let summaryRows = pool.result == nil ? 1.0 : 2.0
        let compact = rows.count > Self.rowsUpTo
        let body = compact ? 2 * histogramHeight : Double(rows.count) * rowHeight
        let height = 28 + body + summaryRows * rowHeight + (compact ? 84 : 70)
        return (
            height,
            { svg, top in
                self.draw(&svg, top: top, pool: pool, rows: rows, left: left, level: level, compact: compact)
            }
        )
    }

    private func draw(
        _ svg: inout SVG, top: Double, pool: SeriesReport.Pooled, rows: [Row], left: Int, level: Double, compact: Bool
    ) {
        let plotLeft = margin + labelWidth, textLeft = plotLeft + plotWidth + 12
        let mcid = report.options.mcid
        // A histogram's axis covers the estimates, not every interval: one imprecise person's
        // interval would squeeze a thousand others into a few bins.
        var covered = rows.flatMap { [$0.estimate] + (compact ? [] : [$0.lower, $0.upper]) } + [-mcid]
        covered += rows.compactMap { $0.shrunken.map { compact ? [$0.mean] : [$0.lower, $0.upper] } }.flatMap { $0 }
        if let r = pool.result { covered += [r.muCILower, r.muCIUpper] }
        if let lower = pool.predictiveLower, let upper = pool.predictiveUpper { covered += [lower, upper] }
        let axis = AxisScale(covering: covered, isRatio: false, pixelLeft: plotLeft, pixelRight: plotLeft + plotWidth)
        let percent = NumberFormatting.fixed(level * 100, 0)
        let headerY = top + 16
        svg.text(margin, headerY, "\(pool.arm) − \(pool.reference)", weight: "bold")
        svg.text(plotLeft + plotWidth / 2, headerY, "Effect on pain (points)", anchor: .middle, weight: "bold")
        svg.text(textLeft, headerY, compact ? "Median [interquartile range]" : "Own [\(percent)% CI] · shrunken", weight: "bold")
        let firstRowY = headerY + rowHeight
        if compact { histograms(&svg, axis, rows: rows, top: headerY + 8) }
        for (i, row) in (compact ? [] : rows).enumerated() {
            let y = firstRowY + Double(i) * rowHeight
            svg.text(margin, y + 4, truncated(row.name))
            interval(&svg, axis, row.lower, row.upper, y - 3, color: raw)
            if axis.contains(row.estimate) { svg.rect(axis.x(row.estimate) - 3.5, y - 6.5, 7, 7, fill: raw) }
            var label = "\(fixed(row.estimate)) [\(fixed(row.lower)), \(fixed(row.upper))]"
            if let s = row.shrunken {
                interval(&svg, axis, s.lower, s.upper, y + 4, color: shrunkenColor)
                if axis.contains(s.mean) { svg.circle(axis.x(s.mean), y + 4, 3.5, fill: shrunkenColor) }
                label += " · \(fixed(s.mean))"
            }
            svg.text(textLeft, y + 4, label, size: 12)
        }
        var y = (compact ? headerY + 8 + 2 * histogramHeight + rowHeight / 2 : firstRowY + Double(rows.count) * rowHeight) + 4
        if let r = pool.result {
            svg.text(margin, y + 4, "Average μ (k = \(pool.k))", weight: "bold")
            let (l, m, u) = (axis.x(r.muCILower), axis.x(r.muMean), axis.x(r.muCIUpper))
            svg.polygon([(l, y), (m, y - 8), (u, y), (m, y + 8)], fill: pooledColor)
            svg.text(
                textLeft, y + 4, "\(fixed(r.muMean)) [\(fixed(r.muCILower)), \(fixed(r.muCIUpper))]", size: 12, weight: "bold")
            y += rowHeight
            if let lower = pool.predictiveLower, let upper = pool.predictiveUpper {
                svg.text(margin, y + 4, "New person (predictive)")
                interval(&svg, axis, lower, upper, y, color: pooledColor)
                svg.text(textLeft, y + 4, "[\(fixed(lower)), \(fixed(upper))]; τ ≈ \(fixed(r.tauMedian))", size: 12)
            }
        } else {
            svg.text(margin, y + 4, "Not pooled: \(pool.reason ?? "")", size: 12)
        }
        let axisY = y + rowHeight - 4
        let nullX = axis.x(0), mcidX = axis.x(-mcid)
        svg.line(nullX, headerY + 8, nullX, axisY, stroke: "#888", dash: "4 3")
        if mcid > 0, axis.contains(-mcid) { svg.line(mcidX, headerY + 8, mcidX, axisY, stroke: "#2e7d32", dash: "2 3") }
        svg.line(plotLeft, axisY, plotLeft + plotWidth, axisY)
        for tick in axis.ticks {
            let x = axis.x(tick.value)
            svg.line(x, axisY, x, axisY + 5)
            svg.text(x, axisY + 18, tick.label, anchor: .middle, size: 11)
        }
        svg.text(nullX - 6, axisY + 34, "← less pain with \(pool.arm)", anchor: .end, size: 11, fill: "#555")
        svg.text(nullX + 6, axisY + 34, "more pain →", size: 11, fill: "#555")
        let mcidNote = "Green dashes: −MCID (\(NumberFormatting.trimmed(mcid)) point\(mcid == 1 ? "" : "s"))."
        var note =
            compact
            ? "Bars: how many people's estimates fall in each band, own (grey) and after pooling (blue). \(mcidNote)"
            : "Grey square: a person's own estimate; blue dot: after pooling (shrunken). \(mcidNote)"
        if left > 0 { note += " \(left) participant\(left == 1 ? "" : "s") left out (not drawn)." }
        svg.text(margin, axisY + 50, note, size: 11, fill: "#555")
        if compact {
            svg.text(
                margin, axisY + 64, "\(rows.count) people: each one's numbers are in the table below and in the analysis JSON.",
                size: 11, fill: "#555")
        }
    }

    func interval(_ svg: inout SVG, _ axis: AxisScale, _ lower: Double, _ upper: Double, _ y: Double, color: String) {
        let l = axis.x(lower), u = axis.x(upper)
        svg.line(l, y, u, y, stroke: color, width: 1.4)
        if !axis.contains(lower) { svg.polygon([(l, y), (l + 7, y - 4), (l + 7, y + 4)], fill: color) }
        if !axis.contains(upper) { svg.polygon([(u, y), (u - 7, y - 4), (u - 7, y + 4)], fill: color) }
    }

    func fixed(_ x: Double) -> String { NumberFormatting.fixed(x, 2) }

    private func truncated(_ label: String) -> String { label.count > 22 ? String(label.prefix(21)) + "…" : label }
}
