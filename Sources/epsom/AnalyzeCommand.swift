import ArgumentParser
import EpsomCore

struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse a personal N-of-1 trial (or an everyday log) with the exact Bayesian AR(1) model.",
        discussion: """
            The CSV has the header date,arm,pain and optionally washout (true/false) and \
            period. Dates are YYYY-MM-DD, one row per day; an empty pain cell is a missing day. \
            Washout and missing days are not analysed: they are gaps, which the model handles \
            exactly. Pain is 0-10, lower is better; effects are arm minus reference.

            The reference arm is --reference, else the comparator by its name (none, no, off, \
            placebo, control, usual care), else the first arm in the file. The diary export of \
            the app (Account, diary CSV) reads as it is, with --observational.

            Bad input (an unknown reference arm, a single arm, fewer than 3 analysed days in an \
            arm, pain outside 0-10, duplicate or unreadable dates, a non-number) prints an error \
            naming the line and exits with code 2.

            Example:
              epsom analyze Tests/epsomTests/Fixtures/diary-cream-trial.csv --plot diary.svg
            """)

    @Argument(help: "The diary CSV file.")
    var file: String

    @Option(help: "The reference arm (effects are other arms minus this one).")
    var reference: String?

    @Flag(help: "Add a linear time trend to the model.")
    var trend = false

    @Option(parsing: .unconditional, help: "The smallest difference that matters, in pain points (a reduction: -1 and 1 mean the same).")
    var mcid: Double = 1

    @Flag(help: "The arms were chosen, not randomised (an everyday log): say so in the report.")
    var observational = false

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    @Option(help: "Write a picture (SVG) of the diary and the posterior of each effect to this file.")
    var plot: String?

    mutating func validate() throws {
        guard mcid.isFinite else { throw ValidationError("--mcid must be a number, such as 1.") }
        mcid = abs(mcid)
    }

    func run() async throws {
        let table = try Files.readCSV(file)
        let report: NOf1Report
        do {
            let input = try NOf1Input(table: table, reference: reference)
            report = try NOf1Report(input: input, options: NOf1Options(trend: trend, mcid: mcid), observational: observational)
        } catch {
            throw CommandFailure("\(file): \(error)")
        }
        if let plot { try Files.write(NOf1Plot(report: report).svg, to: plot) }
        switch format {
        case .text: print(report.text, terminator: "")
        case .json: try StandardOutput.json(report.json)
        }
    }
}
