import Foundation

/// The history picture: daily pain as a line over the chosen window, with the regimen underneath
/// (one strip per product, a mark on each day it was logged), so gaps in use line up with the
/// pain above them. Drawn to scale down to a phone's width.
public struct HistoryChart {
    public var from: CalendarDate
    public var to: CalendarDate
    public var entries: [DiaryEntry]
    public var doses: [Dose]
    /// Trial periods, shaded behind the pain line and named in a strip of their own: on those
    /// days the trial's schedule, not the everyday log, says what was used.
    public var trials: [Band]

    /// A stretch of days with a label.
    public struct Band: Sendable, Equatable {
        public var from: CalendarDate
        public var to: CalendarDate
        public var label: String
        public init(from: CalendarDate, to: CalendarDate, label: String) {
            self.from = from
            self.to = to
            self.label = label
        }
    }

    public init(from: CalendarDate, to: CalendarDate, entries: [DiaryEntry], doses: [Dose], trials: [Band] = []) {
        self.from = from
        self.to = to
        self.entries = entries
        self.doses = doses
        self.trials = trials.filter { $0.to >= from && $0.from <= to }
    }

    public var svg: String {
        let products = Array(Set(doses.map(\.product))).sorted()
        // Drawn at roughly phone width so that text stays legible when the SVG is scaled to fit.
        let width = 380.0, left = 26.0, right = width - 8, top = 12.0, bottom = 170.0
        let stripHeight = 18.0, stripTop = bottom + 30
        let strips = products.count + (trials.isEmpty ? 0 : 1)
        let height = stripTop + Double(strips) * (stripHeight + 6) + 24
        var svg = SVG(width: width, height: height)
        let days = Double(max(1, to.dayNumber - from.dayNumber + 1))
        let dayWidth = (right - left) / days
        func x(_ date: CalendarDate) -> Double { left + (Double(date.dayNumber - from.dayNumber) + 0.5) * dayWidth }
        func y(_ pain: Int) -> Double { bottom - Double(pain) / 10 * (bottom - top) }
        for band in trials {
            let a = x(max(band.from, from)) - dayWidth / 2, b = x(min(band.to, to)) + dayWidth / 2
            svg.rect(a, top, b - a, bottom - top, fill: "#fff3cd")
        }
        for pain in stride(from: 0, through: 10, by: 2) {
            svg.line(left, y(pain), right, y(pain), stroke: "#e3e3e3", width: 0.8)
            svg.text(left - 5, y(pain) + 4, String(pain), anchor: .end, size: 12, fill: "#555")
        }
        let byDay = Dictionary(entries.map { ($0.date.dayNumber, $0.pain) }, uniquingKeysWith: { a, _ in a })
        var previous: (Int, Int)?
        for d in from.dayNumber...to.dayNumber {
            guard let pain = byDay[d] else { previous = nil; continue }
            let date = CalendarDate(dayNumber: d)
            if let p = previous, p.0 == d - 1 {
                svg.line(x(CalendarDate(dayNumber: p.0)), y(p.1), x(date), y(pain), stroke: "#1f4e79", width: 1.6)
            }
            if days <= 120 { svg.circle(x(date), y(pain), 2.6, fill: "#1f4e79") }
            previous = (d, pain)
        }
        svg.line(left, bottom, right, bottom, stroke: "#999")
        svg.text(left, bottom + 17, from.description, size: 12, fill: "#555")
        svg.text(right, bottom + 17, to.description, anchor: .end, size: 12, fill: "#555")
        let palette = ["#2e86ab", "#e07a5f", "#81b29a", "#6d597a", "#f2cc8f"]
        for (i, product) in products.enumerated() {
            let rowTop = stripTop + Double(i) * (stripHeight + 6)
            let color = palette[i % palette.count]
            svg.rect(left, rowTop, right - left, stripHeight, fill: "#f1f1f1")
            for day in Set(doses.filter { $0.product == product }.map(\.takenAt.date.dayNumber))
            where day >= from.dayNumber && day <= to.dayNumber {
                svg.rect(x(CalendarDate(dayNumber: day)) - dayWidth / 2, rowTop, max(dayWidth, 1), stripHeight, fill: color)
            }
            svg.text(left + 4, rowTop + 13, product, size: 12, fill: "#111")
        }
        if !trials.isEmpty {
            let rowTop = stripTop + Double(products.count) * (stripHeight + 6)
            svg.rect(left, rowTop, right - left, stripHeight, fill: "#f1f1f1")
            for band in trials {
                let a = x(max(band.from, from)) - dayWidth / 2, b = x(min(band.to, to)) + dayWidth / 2
                svg.rect(a, rowTop, b - a, stripHeight, fill: "#f2cc8f")
            }
            svg.text(left + 4, rowTop + 13, "Trial: " + trials.map(\.label).joined(separator: ", "), size: 12, fill: "#111")
        }
        return svg.document(title: "Daily pain from \(from) to \(to), with magnesium use underneath")
    }
}
