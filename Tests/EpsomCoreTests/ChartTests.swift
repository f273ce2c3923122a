import EpsomTestSupport
import Foundation
import Testing

@testable import EpsomCore

@Suite struct ChartTests {
    func report(_ csv: String, extras: MetaAnalysisReport.Extras = []) throws -> MetaAnalysisReport {
        try MetaAnalysisReport(
            input: MetaAnalysisInput(table: CSVTable(parsing: csv), measure: .riskRatio),
            options: .init(), extras: extras)
    }
    let csv = "study,ai,n1i,ci,n2i\n<b>A & B</b>,4,123,11,139\nB,6,306,29,303\nC,3,231,11,220\nD,62,13598,248,12867\n"

    @Test func forestPlotHasOneSquarePerStudyAndEscapesNames() throws {
        let svg = ForestPlot(report: try report(csv)).svg
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.contains("&lt;b&gt;A &amp; B&lt;/b&gt;"))
        #expect(!svg.contains("<b>"))
        #expect(svg.components(separatedBy: "<rect x=").count - 1 == 4)  // squares (the background has no x)
        #expect(svg.contains("<polygon"))  // the pooled diamond
        #expect(svg.contains("Prediction interval"))
        #expect(svg.contains("I² ="))
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    /// BCG under REML: metafor's trimfill adds k0 studies (Tests/EpsomStatsTests/Fixtures/metafor.json),
    /// drawn as hollow circles beside the 13 observed ones.
    @Test func funnelPlotShowsFilledStudies() throws {
        let reference = try #require(try MetaforFixture.shared.bias.first { $0.name == "bcg-RR-REML" })
        let k0 = reference.trimfill.k0
        #expect(k0 > 0 && reference.yi.count == 13)
        let bcg = try String(contentsOf: TestFiles.url("epsomTests/Fixtures/bcg.csv"), encoding: .utf8)
        let svg = FunnelPlot(report: try report(bcg, extras: .trimAndFill)).svg
        #expect(svg.components(separatedBy: "<circle").count - 1 == reference.yi.count + k0)
        #expect(svg.components(separatedBy: "fill=\"#fff\" stroke=\"#1f4e79\"/>").count - 1 == k0)  // hollow: filled
        // Without trim-and-fill only the observed studies are drawn.
        let plain = FunnelPlot(report: try report(bcg)).svg
        #expect(plain.components(separatedBy: "<circle").count - 1 == reference.yi.count)
    }

    @Test func ratioAxisUsesNiceExponentiatedTicks() {
        let axis = AxisScale(covering: [-1.5, 0.4], isRatio: true, pixelLeft: 0, pixelRight: 100)
        #expect(axis.ticks.map(\.label) == ["0.2", "0.5", "1", "2"])
        let linear = AxisScale(covering: [-0.3, 0.9], isRatio: false, pixelLeft: 0, pixelRight: 100)
        #expect(linear.ticks.map(\.label).contains("0"))
    }
}
