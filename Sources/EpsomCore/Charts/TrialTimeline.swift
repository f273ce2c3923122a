/// CENT's per-participant timeline: one bar a period, coloured by arm, its washout days paler,
/// with the period's mean outcome written on it (analysed days only).
public struct TrialTimeline {
    let report: TrialReport

    public init(report: TrialReport) { self.report = report }

    public var svg: String {
        let periods = report.trial.schedule.periods
        // 380 units wide, text of at least 12: legible at a phone's width.
        let width = 380.0, left = 10.0, right = width - 10, top = 30.0, barHeight = 44.0
        let legendY = top + barHeight + 36
        let height = legendY + 18 * Double(report.armNames.count) + 18
        var svg = SVG(width: width, height: height)
        let first = report.trial.design.startDate.dayNumber
        let span = Double(report.trial.design.totalDays)
        func x(_ date: CalendarDate) -> Double { left + Double(date.dayNumber - first) / span * (right - left) }
        let dayWidth = (right - left) / span
        svg.text(left, 20, "Timeline: \(periods.count) periods of \(report.trial.design.periodDays) days", weight: "bold")
        let means = Dictionary(report.periods.map { ($0.period.index, $0.mean) }, uniquingKeysWith: { a, _ in a })
        for p in periods {
            let color = NOf1Plot.palette[p.arm % NOf1Plot.palette.count]
            let x0 = x(p.startDate), washoutEnd = x0 + Double(p.washoutDays) * dayWidth, x1 = x(p.endDate) + dayWidth
            let notRun = p.startDate > report.trial.lastDay
            svg.body.append(
                "<rect x=\"\(SVG.n(x0))\" y=\"\(SVG.n(top))\" width=\"\(SVG.n(washoutEnd - x0))\" height=\"\(SVG.n(barHeight))\" "
                    + "fill=\"\(color)\" fill-opacity=\"0.25\"/>")
            svg.body.append(
                "<rect x=\"\(SVG.n(washoutEnd))\" y=\"\(SVG.n(top))\" width=\"\(SVG.n(x1 - washoutEnd))\" height=\"\(SVG.n(barHeight))\" "
                    + "fill=\"\(color)\" fill-opacity=\"\(notRun ? "0.1" : "0.75")\" stroke=\"#fff\"/>")
            let label = (means[p.index] ?? nil).map { NumberFormatting.fixed($0, 1) } ?? "–"
            // Beyond 12 periods a bar is too narrow for legible numbers: the period table has them.
            if periods.count <= 12 {
                svg.text((x0 + x1) / 2, top + barHeight / 2 + 5, label, anchor: .middle, size: 12)
                svg.text((x0 + x1) / 2, top + barHeight + 15, "\(p.index + 1)", anchor: .middle, size: 12)
            }
        }
        for (i, name) in report.armNames.enumerated() {
            let rowY = legendY + 18 * Double(i)
            svg.rect(left, rowY - 10, 12, 12, fill: NOf1Plot.palette[i % NOf1Plot.palette.count])
            svg.text(left + 18, rowY, name, size: 12)
        }
        svg.text(left, legendY + 18 * Double(report.armNames.count), "pale: washout · number: the period's mean", size: 12, fill: "#555")
        return svg.document(title: "Timeline of the trial's periods with the mean outcome of each")
    }
}
