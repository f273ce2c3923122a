import ArgumentParser
import EpsomCore
import Foundation

struct MetaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meta",
        abstract: "Meta-analyse studies from a CSV file (numbers as R's metafor).",
        discussion: """
            The CSV uses metafor's column names: study, then
              ai,bi,ci,di  or  ai,n1i,ci,n2i        for RR, OR, RD (2x2 counts)
              m1i,sd1i,n1i,m2i,sd2i,n2i             for MD, SMD, ROM (means)
              yi,vi                                 for GEN (effect sizes and variances)
            Tables with a zero cell get 1/2 added to each cell (metafor's default); see --add. \
            RR, OR and ROM are analysed on the log scale and also shown exponentiated.

            Bad input (a missing column, a non-number, a negative SD or variance, n < 1, an empty \
            file, duplicate study names, a model the data cannot support) prints an error naming \
            the line and column and exits with code 2.

            Example:
              epsom meta Tests/epsomTests/Fixtures/bcg.csv --measure RR --forest forest.svg
            """)

    @Argument(help: "The CSV file of studies.")
    var file: String

    @Option(help: "Effect measure.")
    var measure: EffectMeasure

    @Option(help: "tau² estimator.")
    var method: TauSquaredEstimator = .restrictedMaximumLikelihood

    @Option(help: "Test for coefficients: z (normal) or knha (Hartung-Knapp).")
    var test: CoefficientTest = .z

    @Option(parsing: .unconditional, help: "Confidence level in percent.")
    var level: Double = 95

    @Option(help: "Prediction interval: standard (metafor's default) or riley (t with k-2 df).")
    var predictionInterval: PredictionIntervalType = .standard

    @Option(help: "Moderator columns for meta-regression, comma-separated (non-numeric columns are categorical).")
    var mods: String?

    @Option(help: "A column whose values define subgroups; adds the test for subgroup differences.")
    var by: String?

    @Flag(help: "Add Egger's regression test for funnel-plot asymmetry.")
    var egger = false

    @Flag(name: .customLong("trimfill"), help: "Add Duval and Tweedie's trim-and-fill (L0).")
    var trimFill = false

    @Flag(help: "Add a leave-one-out sensitivity analysis.")
    var leaveOneOut = false

    @Option(parsing: .unconditional, help: "Zero-cell correction for 2x2 tables: the amount added.")
    var add: Double = 0.5

    @Option(help: "Which tables get the correction.")
    var to: ZeroCellCorrection.Scope = .onlyZero

    @Flag(help: "Drop studies with no events (or only events) in both groups.")
    var drop00 = false

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    @Option(help: "Write a forest plot (SVG) to this file.")
    var forest: String?

    @Option(help: "Write a funnel plot (SVG) to this file.")
    var funnel: String?

    func validate() throws {
        guard level > 0, level < 100 else { throw ValidationError("--level must lie between 0 and 100 (got \(level)).") }
        guard add >= 0, add.isFinite else { throw ValidationError("--add must be a number of at least 0.") }
    }

    func run() async throws {
        let table = try Files.readCSV(file)
        let report: MetaAnalysisReport
        do {
            let moderators = mods.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? []
            let input = try MetaAnalysisInput(
                table: table, measure: measure, moderatorColumns: moderators, groupColumn: by,
                correction: ZeroCellCorrection(add: add, scope: to, dropDoubleZero: drop00))
            var extras: MetaAnalysisReport.Extras = []
            if egger { extras.insert(.egger) }
            if trimFill { extras.insert(.trimAndFill) }
            if leaveOneOut { extras.insert(.leaveOneOut) }
            let options = MetaAnalysisOptions(
                method: method, test: test, level: level / 100,
                predictionInterval: predictionInterval)
            report = try MetaAnalysisReport(input: input, options: options, extras: extras)
        } catch {
            // Only InputError reaches here (typed throws).
            throw CommandFailure("\(file): \(error)")
        }
        if let forest { try Files.write(ForestPlot(report: report).svg, to: forest) }
        if let funnel { try Files.write(FunnelPlot(report: report).svg, to: funnel) }
        switch format {
        case .text: StandardOutput.text(report.writeText)
        case .json: try StandardOutput.json(report.json)
        }
    }
}

extension EffectMeasure: ExpressibleByArgument {}
extension TauSquaredEstimator: ExpressibleByArgument {}
extension CoefficientTest: ExpressibleByArgument {}
extension PredictionIntervalType: ExpressibleByArgument {}
extension ZeroCellCorrection.Scope: ExpressibleByArgument {}
