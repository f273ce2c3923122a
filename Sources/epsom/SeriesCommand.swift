import ArgumentParser
import EpsomCore

struct SeriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "series",
        abstract: "Analyse a series of N-of-1 trials: each participant's answer, and the population's.",
        discussion: """
            The CSV has the header participant,date,arm,pain and optionally washout (true/false) \
            and period: the columns of `epsom analyze` with one more, a row per participant and \
            day. Each participant gets the exact N-of-1 analysis of `epsom analyze`; each contrast \
            (arm minus reference, lower pain is benefit) is then pooled over the participants with \
            the hierarchical model of `epsom pool`: the average effect, how much people differ \
            (tau), each participant's shrunken estimate, and what a new person can expect.

            A participant without enough data on every arm (one arm only, too few days or \
            periods) is listed with the reason and left out of the pooling; that is not an error. \
            The reference arm is --reference, else the comparator by its name (none, placebo, \
            control...), else the first arm in the file, the same for every participant.

            Bad input (an empty participant, a bad date, a non-number, the same participant and \
            date twice) prints an error naming the line and column and exits with code 2.

            Example:
              epsom series Tests/epsomTests/Fixtures/series.csv --forest series.svg
            """)

    @Argument(help: "The long CSV file of the series.")
    var file: String

    @Option(help: "The reference arm (effects are other arms minus this one).")
    var reference: String?

    @Option(parsing: .unconditional, help: "The smallest difference that matters, in pain points (-1 and 1 mean the same).")
    var mcid: Double = 1

    @Option(help: "Prior on tau: half-normal:SCALE or uniform (from 4 pooled participants).")
    var tauPrior: String = "half-normal:2"

    @Flag(help: "Add a linear time trend to each participant's model.")
    var trend = false

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    @Option(help: "Write a forest plot (SVG) of participants, raw and shrunken, with the pooled result, to this file.")
    var forest: String?

    mutating func validate() throws {
        guard mcid.isFinite else { throw ValidationError("--mcid must be a number, such as 1.") }
        mcid = abs(mcid)
        _ = try HierarchicalPooling.TauPrior.parse(tauPrior)
    }

    func run() async throws {
        let table = try Files.readCSV(file)
        let input: SeriesInput
        do {
            input = try SeriesInput(table: table, reference: reference)
        } catch {
            throw CommandFailure("\(file): \(error)")
        }
        let options = SeriesReport.Options(trend: trend, mcid: mcid, tauPrior: try .parse(tauPrior))
        let report = SeriesReport.analysedInParallel(input, options: options)
        // The plot first: a file that cannot be written stops the command before any output.
        if let forest { try Files.write(SeriesForestPlot(report: report).svg, to: forest) }
        switch format {
        case .text: StandardOutput.write(Array(report.text.utf8)[...])
        case .json: try StandardOutput.json(report.json)
        }
    }
}
