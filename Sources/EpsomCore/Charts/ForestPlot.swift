import EpsomStats
import Foundation

/// A forest plot as a Cochrane reviewer expects it: one row per study with its estimate and
/// interval, a square whose area is proportional to its weight, the pooled diamond, the
/// prediction interval (random effects), a line of no effect, and the heterogeneity and
/// overall-effect lines underneath. Ratios are drawn on a log axis with exponentiated labels.
public struct ForestPlot {
    let report: MetaAnalysisReport

    public init(report: MetaAnalysisReport) { self.report = report }

    private let rowHeight = 22.0
    private let labelWidth = 230.0
    private let plotWidth = 360.0
    private let textWidth = 210.0
    private let margin = 16.0

    public var svg: String {
        let r = report, m = r.model, input = r.input
        let pooled = m.coefficients.count == 1
        let critical = Normal.quantile(1 - (1 - m.options.level) / 2)
        let rows = input.studies.indices.map { i -> (String, Double, Double, Double, Double) in
            let y = input.effects.yi[i], se = input.effects.vi[i].squareRoot()
            return (input.studies[i], y, y - critical * se, y + critical * se, m.weights[i])
        }
        let showPrediction = pooled && m.options.method.isRandomEffects
        var covered = rows.map(\.1) + [m.estimate.ciLower, m.estimate.ciUpper]
        covered += rows.flatMap { [$0.2, $0.3] }.filter {
            abs($0 - m.estimate.estimate) < 6 * max(1e-9, m.estimate.ciUpper - m.estimate.ciLower) + 1
        }
        if showPrediction { covered += [m.predictionLower, m.predictionUpper] }
        let plotLeft = margin + labelWidth
        let axis = AxisScale(
            covering: covered, isRatio: input.measure.isRatio, pixelLeft: plotLeft,
            pixelRight: plotLeft + plotWidth)
        let headerY = margin + 16
        let firstRowY = headerY + rowHeight
        let pooledY = firstRowY + Double(rows.count) * rowHeight + 8
        let axisY = pooledY + (pooled ? rowHeight * (showPrediction ? 2 : 1) + 6 : 6)
        let footerY = axisY + 48
        let width = margin * 2 + labelWidth + plotWidth + textWidth
        let height = footerY + 46
        var svg = SVG(width: width, height: height)
        let digits = input.measure.isRatio ? 2 : 2
        let label = input.measure.rawValue + " [\(NumberFormatting.fixed(m.options.level * 100, 0))% CI]"
        svg.text(margin, headerY, "Study", weight: "bold")
        svg.text(plotLeft + plotWidth / 2, headerY, input.measure.displayName, anchor: .middle, weight: "bold")
        svg.text(plotLeft + plotWidth + 12, headerY, label, weight: "bold")
        svg.text(width - margin, headerY, "Weight", anchor: .end, weight: "bold")

        // Largest square is as tall as a row; area ∝ weight.
        let maxWeight = rows.map(\.4).max() ?? 100
        for (index, row) in rows.enumerated() {
            let y = firstRowY + Double(index) * rowHeight
            svg.text(margin, y + 4, truncated(row.0))
            drawInterval(&svg, axis: axis, lower: row.2, upper: row.3, y: y)
            let side = max(3, (rowHeight - 6) * (row.4 / maxWeight).squareRoot())
            if axis.contains(row.1) { svg.rect(axis.x(row.1) - side / 2, y - side / 2, side, side, fill: "#1f4e79") }
            svg.text(plotLeft + plotWidth + 12, y + 4, estimateText(row.1, row.2, row.3, digits))
            svg.text(width - margin, y + 4, NumberFormatting.percent(row.4, 1), anchor: .end)
        }
        // Line of no effect.
        let nullX = axis.x(0)
        svg.line(nullX, headerY + 8, nullX, axisY, stroke: "#888", dash: "4 3")
        if pooled {
            let e = m.estimate
            let modelLabel = m.options.method.isRandomEffects ? "Random effects (\(m.options.method.rawValue))" : "Fixed effect"
            svg.text(margin, pooledY + 4, modelLabel, weight: "bold")
            let (l, c, u) = (axis.x(e.ciLower), axis.x(e.estimate), axis.x(e.ciUpper))
            svg.polygon([(l, pooledY), (c, pooledY - 8), (u, pooledY), (c, pooledY + 8)], fill: "#b22222")
            svg.text(plotLeft + plotWidth + 12, pooledY + 4, estimateText(e.estimate, e.ciLower, e.ciUpper, digits), weight: "bold")
            svg.text(width - margin, pooledY + 4, "100%", anchor: .end, weight: "bold")
            if showPrediction {
                let py = pooledY + rowHeight
                svg.text(margin, py + 4, "Prediction interval")
                drawInterval(&svg, axis: axis, lower: m.predictionLower, upper: m.predictionUpper, y: py, color: "#b22222")
                svg.text(
                    plotLeft + plotWidth + 12, py + 4,
                    "[" + fmt(m.predictionLower, digits) + ", " + fmt(m.predictionUpper, digits) + "]")
            }
        }
        // Axis.
        svg.line(plotLeft, axisY, plotLeft + plotWidth, axisY)
        for tick in axis.ticks {
            let x = axis.x(tick.value)
            svg.line(x, axisY, x, axisY + 5)
            svg.text(x, axisY + 18, tick.label, anchor: .middle, size: 11)
        }
        svg.text(nullX - 6, axisY + 34, "← lower in group 1", anchor: .end, size: 11, fill: "#555")
        svg.text(nullX + 6, axisY + 34, "higher in group 1 →", size: 11, fill: "#555")
        // Heterogeneity and overall effect.
        let h = m.heterogeneity
        var heterogeneity = "Heterogeneity: "
        if m.options.method.isRandomEffects { heterogeneity += "τ² = \(NumberFormatting.fixed(m.tauSquared, 4)); " }
        heterogeneity +=
            "Q = \(NumberFormatting.fixed(h.q, 2)) (df = \(h.degreesOfFreedom)), \(NumberFormatting.pClause(h.p)); "
            + "I² = \(NumberFormatting.percent(h.iSquared, 0))"
        svg.text(margin, footerY, heterogeneity, size: 12)
        if pooled {
            let statistic = m.options.test == .z ? "z" : "t"
            svg.text(
                margin, footerY + 18,
                "Test for overall effect: \(statistic) = "
                    + "\(NumberFormatting.fixed(m.estimate.statistic, 2)), \(NumberFormatting.pClause(m.estimate.p))", size: 12)
        } else {
            svg.text(
                margin, footerY + 18, "Meta-regression: the pooled estimate depends on the moderators; see the coefficient table.", size: 12
            )
        }
        return svg.document(title: "Forest plot: \(input.measure.displayName), k = \(m.k)")
    }

    private func drawInterval(
        _ svg: inout SVG, axis: AxisScale, lower: Double, upper: Double, y: Double,
        color: String = "#333"
    ) {
        let l = axis.x(lower), u = axis.x(upper)
        svg.line(l, y, u, y, stroke: color, width: 1.4)
        // Arrowheads where the interval runs off the axis.
        if !axis.contains(lower) { svg.polygon([(l, y), (l + 7, y - 4), (l + 7, y + 4)], fill: color) }
        if !axis.contains(upper) { svg.polygon([(u, y), (u - 7, y - 4), (u - 7, y + 4)], fill: color) }
    }

    private func fmt(_ value: Double, _ digits: Int) -> String { NumberFormatting.fixed(report.display(value), digits) }

    private func estimateText(_ y: Double, _ lower: Double, _ upper: Double, _ digits: Int) -> String {
        "\(fmt(y, digits)) [\(fmt(lower, digits)), \(fmt(upper, digits))]"
    }

    private func truncated(_ label: String) -> String { label.count > 30 ? String(label.prefix(29)) + "…" : label }
}
