import EpsomStats
import Foundation

/// The picture of an N-of-1 analysis: the diary as a time series on periods shaded by arm
/// (washout days paler, missing days as gaps), and below it the posterior density of each effect
/// with the line of no effect and the MCID. Drawn 380 units wide with text of at least 12 units,
/// so that at a phone's width (about 358 px of page) no text is below 11 px.
public struct NOf1Plot {
    let report: NOf1Report

    public init(report: NOf1Report) { self.report = report }

    static let palette = ["#9aa5b1", "#2e86ab", "#e07a5f", "#81b29a", "#f2cc8f", "#6d597a"]

    public var svg: String {
        let rows = report.input.rows
        let names = report.input.series.armNames
        let width = 380.0, left = 30.0, right = width - 10
        let legendTop = 30.0, seriesTop = legendTop + 18 * Double(names.count) + 10, seriesBottom = seriesTop + 150
        let contrastsCount = Double(report.result.contrasts.count)
        let densityTop = seriesBottom + 60 + 18 * contrastsCount, densityBottom = densityTop + 120, height = densityBottom + 50
        var svg = SVG(width: width, height: height)
        let first = rows.first!.date.dayNumber, last = rows.last!.date.dayNumber
        let span = Double(max(1, last - first + 1))
        func x(_ day: Int) -> Double { left + Double(day - first) / span * (right - left) }
        func y(_ pain: Double) -> Double { seriesBottom - pain / 10 * (seriesBottom - seriesTop) }
        let dayWidth = (right - left) / span

        svg.text(left - 20, 18, "Daily pain (0–10) by period", weight: "bold")
        // Period shading, one rectangle per day keeps washout visible inside periods.
        for row in rows {
            let color = Self.palette[row.arm % Self.palette.count]
            svg.body.append(
                "<rect x=\"\(SVG.n(x(row.date.dayNumber)))\" y=\"\(SVG.n(seriesTop))\" width=\"\(SVG.n(dayWidth + 0.3))\" "
                    + "height=\"\(SVG.n(seriesBottom - seriesTop))\" fill=\"\(color)\" fill-opacity=\"\(row.washout ? "0.12" : "0.3")\"/>")
        }
        for pain in stride(from: 0.0, through: 10, by: 2) {
            svg.line(left, y(pain), right, y(pain), stroke: "#ddd", width: 0.6)
            svg.text(left - 6, y(pain) + 4, NumberFormatting.trimmed(pain), anchor: .end, size: 12)
        }
        // The diary: lines join consecutive observed days only.
        var previous: (day: Int, pain: Double)?
        for row in rows {
            guard let pain = row.outcome else { previous = nil; continue }
            let day = row.date.dayNumber
            if let p = previous, p.day == day - 1 {
                svg.line(x(p.day) + dayWidth / 2, y(p.pain), x(day) + dayWidth / 2, y(pain), stroke: "#333", width: 1)
            }
            svg.circle(x(day) + dayWidth / 2, y(pain), min(2.6, max(1.2, dayWidth / 3)), fill: row.washout ? "#999" : "#111")
            previous = (day, pain)
        }
        svg.line(left, seriesBottom, right, seriesBottom)
        svg.text(left, seriesBottom + 18, rows.first!.date.description, size: 12)
        svg.text(right, seriesBottom + 18, rows.last!.date.description, anchor: .end, size: 12)
        for (i, name) in names.enumerated() {
            let rowY = legendTop + 18 * Double(i)
            svg.rect(left, rowY, 12, 12, fill: Self.palette[i % Self.palette.count])
            svg.text(left + 18, rowY + 11, name, size: 12)
        }
        svg.text(right, legendTop + 11, "pale: washout", anchor: .end, size: 12, fill: "#555")

        // Posterior densities.
        let contrasts = report.result.contrasts
        let mcid = report.result.options.mcid
        var lower = min(-mcid, 0), upper = 0.0
        for c in contrasts {
            lower = min(lower, c.posterior.quantile(0.0005))
            upper = max(upper, c.posterior.quantile(0.9995))
        }
        let pad = (upper - lower) * 0.05
        lower -= pad
        upper += pad
        func dx(_ v: Double) -> Double { left + (v - lower) / (upper - lower) * (right - left) }
        let grid = (0...240).map { lower + (upper - lower) * Double($0) / 240 }
        let densities = contrasts.map { c in grid.map { c.posterior.density($0) } }
        let top = densities.flatMap { $0 }.max() ?? 1
        svg.text(
            left - 20, densityTop - 22 - 18 * contrastsCount, "Effect on pain (arm − \(contrasts.first?.reference ?? "reference"))",
            weight: "bold")
        svg.text(left - 20, densityTop - 6 - 18 * contrastsCount, "left of 0 = less pain", size: 12, fill: "#555")
        for (i, curve) in densities.enumerated() {
            let color = Self.palette[(i + 1) % Self.palette.count]
            let points = zip(grid, curve).map { (dx($0), densityBottom - $1 / top * (densityBottom - densityTop)) }
            svg.polygon([(dx(lower), densityBottom)] + points + [(dx(upper), densityBottom)], fill: color, stroke: color, opacity: 0.35)
            svg.rect(left, densityTop - 14 - 18 * (contrastsCount - Double(i)), 12, 12, fill: color)
            svg.text(left + 18, densityTop - 3 - 18 * (contrastsCount - Double(i)), contrasts[i].arm, size: 12)
        }
        svg.line(dx(0), densityTop, dx(0), densityBottom, stroke: "#333", width: 1.2)
        svg.line(dx(-mcid), densityTop, dx(-mcid), densityBottom, stroke: "#b22222", dash: "4 3")
        svg.text(dx(-mcid) - 4, densityTop + 12, "−MCID", anchor: .end, size: 12, fill: "#b22222")
        svg.line(left, densityBottom, right, densityBottom)
        let axis = AxisScale(covering: [lower, upper], isRatio: false, pixelLeft: left, pixelRight: right)
        for tick in axis.ticks where tick.value >= lower && tick.value <= upper {
            svg.line(dx(tick.value), densityBottom, dx(tick.value), densityBottom + 5)
            svg.text(dx(tick.value), densityBottom + 18, tick.label, anchor: .middle, size: 12)
        }
        svg.text((left + right) / 2, densityBottom + 40, "Effect on pain (points)", anchor: .middle, size: 12)
        return svg.document(title: "N-of-1 analysis: diary and posterior effects")
    }
}
