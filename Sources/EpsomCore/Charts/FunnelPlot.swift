import EpsomStats
import Foundation

/// A funnel plot: each study's effect against its standard error (0 at the top), the pooled
/// estimate as a vertical line and the pseudo 95% confidence region μ̂ ± 1.96 SE as a funnel.
/// Studies added by trim-and-fill, if it was run, are drawn as hollow circles.
public struct FunnelPlot {
    let report: MetaAnalysisReport

    public init(report: MetaAnalysisReport) { self.report = report }

    public var svg: String {
        let r = report, input = r.input
        let center = r.model.estimate.estimate
        let filledY = r.trimAndFill?.filledY ?? [], filledV = r.trimAndFill?.filledV ?? []
        let ses = (input.effects.vi + filledV).map { $0.squareRoot() }
        let maxSE = (ses.max() ?? 1) * 1.08
        let width = 620.0, height = 440.0, left = 70.0, right = width - 24, top = 24.0, bottom = height - 70
        let z = Normal.quantile(0.975)
        let axis = AxisScale(
            covering: input.effects.yi + filledY + [center - z * maxSE, center + z * maxSE],
            isRatio: input.measure.isRatio, pixelLeft: left, pixelRight: right)
        func y(_ se: Double) -> Double { top + se / maxSE * (bottom - top) }
        var svg = SVG(width: width, height: height)
        svg.polygon(
            [(axis.x(center), y(0)), (axis.x(center - z * maxSE), y(maxSE)), (axis.x(center + z * maxSE), y(maxSE))],
            fill: "#dde6f0", stroke: "#9ab")
        svg.line(axis.x(center), top, axis.x(center), bottom, stroke: "#b22222", width: 1.4)
        for (yi, vi) in zip(input.effects.yi, input.effects.vi) { svg.circle(axis.x(yi), y(vi.squareRoot()), 4.5, fill: "#1f4e79") }
        for (yi, vi) in zip(filledY, filledV) { svg.circle(axis.x(yi), y(vi.squareRoot()), 4.5, fill: "#fff", stroke: "#1f4e79") }
        // Axes.
        svg.line(left, bottom, right, bottom)
        for tick in axis.ticks {
            svg.line(axis.x(tick.value), bottom, axis.x(tick.value), bottom + 5)
            svg.text(axis.x(tick.value), bottom + 18, tick.label, anchor: .middle, size: 11)
        }
        svg.line(left, top, left, bottom)
        for step in 0...4 {
            let se = maxSE * Double(step) / 4
            svg.line(left - 5, y(se), left, y(se))
            svg.text(left - 8, y(se) + 4, NumberFormatting.fixed(se, 3), anchor: .end, size: 11)
        }
        svg.text(
            (left + right) / 2, bottom + 40, input.measure.displayName + (input.measure.isRatio ? " (log axis)" : ""),
            anchor: .middle, size: 12)
        svg.text(16, (top + bottom) / 2, "SE", anchor: .middle, size: 12)
        if let t = r.trimAndFill, t.missing > 0 {
            svg.text(right, top + 12, "○ \(t.missing) filled by trim-and-fill", anchor: .end, size: 11, fill: "#555")
        }
        return svg.document(title: "Funnel plot: \(input.measure.displayName), k = \(r.model.k)")
    }
}
