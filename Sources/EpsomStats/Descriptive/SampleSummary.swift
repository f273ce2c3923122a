/// A sample described as a baseline table describes it (CENT 2015 item 15): its size, mean and
/// standard deviation, median and interquartile range.
///
/// - The standard deviation is the sample one, √(Σ(xᵢ − x̄)² / (n − 1)): nil for n < 2, where it
///   is undefined (never 0 or NaN).
/// - Quantiles are R's default (type 7, as numpy's "linear" and Python's
///   `statistics.quantiles(method: "inclusive")`): the p-quantile of the sorted sample
///   x₍₁₎ … x₍ₙ₎ is x₍ⱼ₎ + g (x₍ⱼ₊₁₎ − x₍ⱼ₎) with h = (n − 1)p, j = ⌊h⌋ + 1, g = h − ⌊h⌋. So the
///   median of an even sample is the mean of the middle two, and one value is its own quartiles.
/// - Non-finite values are dropped first; an empty sample is nil (there is nothing to describe).
///
/// The mean is summed in order (two-pass for the variance), which for scores on a 0–10 scale and
/// thousands of values is exact to far more digits than a table shows.
public struct SampleSummary: Sendable, Equatable {
    public var count: Int
    public var mean: Double
    public var standardDeviation: Double?
    public var median: Double
    public var lowerQuartile: Double
    public var upperQuartile: Double

    public init?(_ values: [Double]) {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return nil }
        count = sorted.count
        let mean = sorted.reduce(0, +) / Double(sorted.count)
        self.mean = mean
        if sorted.count > 1 {
            let squares = sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            standardDeviation = (squares / Double(sorted.count - 1)).squareRoot()
        } else {
            standardDeviation = nil
        }
        median = Self.quantile(sorted, 0.5)
        lowerQuartile = Self.quantile(sorted, 0.25)
        upperQuartile = Self.quantile(sorted, 0.75)
    }

    /// The type-7 p-quantile of a sorted, non-empty sample.
    public static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        precondition(!sorted.isEmpty && (0...1).contains(p))
        let h = Double(sorted.count - 1) * p
        let j = Int(h.rounded(.down))
        guard j + 1 < sorted.count else { return sorted[sorted.count - 1] }
        return sorted[j] + (h - Double(j)) * (sorted[j + 1] - sorted[j])
    }
}
