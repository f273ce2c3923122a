import EpsomTestSupport
import Foundation
import Testing

@testable import EpsomCore

/// The series' forest plot at 20 and at 1,000 participants: a row each up to `rowsUpTo`, then
/// histograms whose height does not grow; both say in words (`<desc>`) what they show.
@Suite struct SeriesForestPlotTests {
    /// The demo study's 19 analysed participants, copied until there are `count` (the pooling runs
    /// on all of them; each person's model runs once).
    static func report(participants count: Int) -> SeriesReport {
        let export = StudyAnalysisTests.demoExport()
        let input = StudyAnalysis.input(export, population: .intentionToTreat, today: StudyAnalysisTests.today)
        let options = StudyAnalysis.primaryOptions(export.study)
        let analysed = input.participants.map { SeriesReport.analyse($0, reference: input.reference, arms: input.arms, options: options) }
        let copies = (0..<count).map { i in
            var person = analysed[i % analysed.count]
            person.name = "R-\(i + 1)"
            return person
        }
        return SeriesReport(arms: input.arms, options: options, analysed: copies)
    }

    static func height(_ svg: String) throws -> Double {
        let attribute = try #require(svg.firstRange(of: "height=\""))
        return try #require(Double(svg[attribute.upperBound...].prefix { $0 != "\"" }))
    }

    static func description(_ svg: String) throws -> String {
        let start = try #require(svg.firstRange(of: "<desc>")), end = try #require(svg.firstRange(of: "</desc>"))
        return String(svg[start.upperBound..<end.lowerBound])
    }

    @Test func twentyParticipantsGetARowEach() throws {
        let report = Self.report(participants: 20)
        let k = try #require(report.pooled.first).k
        let svg = SeriesForestPlot(report: report).svg
        #expect(k >= 17)
        #expect(svg.contains(">R-1<") && svg.contains(">R-20<"))
        let height = try Self.height(svg)
        #expect(height >= Double(k) * 22 && height < 1_000)
        let words = try Self.description(svg)
        #expect(words.contains("Magnesium cream − Placebo cream: \(k) participants pooled; own estimates from"))
        #expect(words.contains("average μ") && words.contains("; a new person: ") && !words.contains("histograms"))
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test func aThousandParticipantsGetHistogramsOfBoundedHeight() throws {
        let report = Self.report(participants: 1_000)
        let pool = try #require(report.pooled.first)
        let svg = SeriesForestPlot(report: report).svg
        #expect(pool.k > 900)
        // No row per person: no name is drawn, and the panel is shorter than a screen.
        #expect(!svg.contains(">R-1<") && !svg.contains(">R-1000<"))
        #expect(try Self.height(svg) < 450)
        #expect(svg.contains(">Own estimates<") && svg.contains(">After pooling (shrunken)<") && svg.contains(">\(pool.k) people<"))
        #expect(svg.contains("each one&#39;s numbers are in the table below and in the analysis JSON"))
        // Both histograms count every pooled person.
        let own = report.participants.filter(\.isPooled).compactMap { $0.contrast(pool.arm)?.mean }
        #expect(
            SeriesForestPlot.counts(own, axis: AxisScale(covering: own, isRatio: false, pixelLeft: 0, pixelRight: 380))
                .reduce(0, +) == pool.k)
        let words = try Self.description(svg)
        #expect(words.contains("\(pool.k) participants pooled, drawn as histograms; own estimates from"))
        #expect(words.contains("after pooling from") && words.contains("; a new person: "))
        #expect(svg.contains("<polygon") && !svg.contains("nan") && !svg.contains("inf"))
    }
}
