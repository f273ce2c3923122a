import Foundation

/// A horizontal value axis for forest and funnel plots: linear for differences, logarithmic
/// (values on the log scale, labels exponentiated) for ratios, with "nice" tick values.
struct AxisScale {
    let lower: Double
    let upper: Double
    let pixelLeft: Double
    let pixelRight: Double
    let isRatio: Bool

    /// Covers `values` (on the analysis scale) and the null value, with a little padding.
    init(covering values: [Double], isRatio: Bool, pixelLeft: Double, pixelRight: Double) {
        let finite = values.filter(\.isFinite) + [0]
        var lo = finite.min() ?? -1, hi = finite.max() ?? 1
        if hi - lo < 1e-9 { lo -= 1; hi += 1 }
        let pad = (hi - lo) * 0.05
        if isRatio {
            // Reach out to the nearest labelled ratios, so the axis ends on a tick.
            lower = log(Self.ratioTicks.last { log($0) <= lo - pad } ?? Self.ratioTicks[0])
            upper = log(Self.ratioTicks.first { log($0) >= hi + pad } ?? Self.ratioTicks[Self.ratioTicks.count - 1])
        } else {
            lower = lo - pad
            upper = hi + pad
        }
        self.pixelLeft = pixelLeft
        self.pixelRight = pixelRight
        self.isRatio = isRatio
    }

    static let ratioTicks = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]

    func x(_ value: Double) -> Double {
        pixelLeft + (min(max(value, lower), upper) - lower) / (upper - lower) * (pixelRight - pixelLeft)
    }

    func contains(_ value: Double) -> Bool { value >= lower - 1e-12 && value <= upper + 1e-12 }

    /// Tick positions on the analysis scale with their labels.
    var ticks: [(value: Double, label: String)] {
        if isRatio {
            var inside = Self.ratioTicks.filter { contains(log($0)) }
            while inside.count > 7 { inside = inside.enumerated().filter { $0.offset % 2 == 0 || $0.element == 1 }.map(\.element) }
            return inside.map { (log($0), NumberFormatting.trimmed($0)) }
        }
        let span = upper - lower
        let raw = span / 6
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? magnitude * 10
        var value = ceil(lower / step) * step
        var out: [(Double, String)] = []
        while value <= upper + step * 1e-9 {
            out.append((value, NumberFormatting.trimmed(abs(value) < step * 1e-9 ? 0 : value)))
            value += step
        }
        return out
    }
}

extension NumberFormatting {
    /// Shortest readable label: "0.5", "2", "-0.25".
    public static func trimmed(_ x: Double) -> String {
        var s = String(format: "%.4f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }
}
