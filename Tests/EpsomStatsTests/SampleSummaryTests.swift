import EpsomStats
import EpsomTestSupport
import Testing

/// The baseline table's summaries against Python's `statistics` (mean, stdev, median and
/// `quantiles(n: 4, method: "inclusive")`, which is R's type 7), and the edge cases.
@Suite struct SampleSummaryTests {
    @Test(arguments: [
        ([3.5, 1, 4, 1, 5, 9, 2, 6], 3.9375, 2.731267366731318, 3.75, 1.75, 5.25),
        ([2, 4], 3, 1.4142135623730951, 3, 2.5, 3.5),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 6, 3.3166247903554, 6, 3.5, 8.5),
    ])
    func matchesPython(values: [Double], mean: Double, sd: Double, median: Double, q1: Double, q3: Double) throws {
        let summary = try #require(SampleSummary(values))
        #expect(summary.count == values.count)
        expectClose(
            [summary.mean, try #require(summary.standardDeviation), summary.median, summary.lowerQuartile, summary.upperQuartile],
            [mean, sd, median, q1, q3], relative: 1e-14, "\(values)")
        // The order of the sample does not matter.
        #expect(SampleSummary(values.reversed()) == summary)
    }

    @Test func edgeCases() throws {
        #expect(SampleSummary([]) == nil)
        #expect(SampleSummary([.nan, .infinity]) == nil)
        let one = try #require(SampleSummary([7, .nan]))
        #expect(one.count == 1 && one.mean == 7 && one.standardDeviation == nil)
        #expect(one.median == 7 && one.lowerQuartile == 7 && one.upperQuartile == 7)
        let same = try #require(SampleSummary([4, 4, 4]))
        #expect(same.standardDeviation == 0 && same.lowerQuartile == 4)
    }
}
