import ArgumentParser
import EpsomCore

struct PoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool",
        abstract: "Pool many people's N-of-1 results with a normal-normal hierarchical model.",
        discussion: """
            The CSV has the header participant,estimate,variance: each person's effect (arm minus \
            reference, lower is better) and its posterior variance, as `epsom analyze` reports \
            them. The between-person SD tau has a half-normal prior (scale 2 points by default) \
            or, from 4 participants, a uniform one; it is integrated out exactly.

            Bad input prints an error naming the line and column and exits with code 2.
            """)

    @Argument(help: "The CSV file of per-person results.")
    var file: String

    @Option(parsing: .unconditional, help: "The smallest difference that matters, in outcome points (-1 and 1 mean the same).")
    var mcid: Double = 1

    @Option(help: "Prior on tau: half-normal:SCALE or uniform.")
    var tauPrior: String = "half-normal:2"

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    mutating func validate() throws {
        guard mcid.isFinite else { throw ValidationError("--mcid must be a number, such as 1.") }
        mcid = abs(mcid)
        _ = try parsedPrior()
    }

    func parsedPrior() throws -> HierarchicalPooling.TauPrior { try .parse(tauPrior) }

    func run() async throws {
        let table = try Files.readCSV(file)
        let report: PoolingReport
        do {
            report = try PoolingReport(table: table, mcid: mcid, tauPrior: try parsedPrior())
        } catch let error as InputError {
            throw CommandFailure("\(file): \(error)")
        }
        switch format {
        case .text: print(report.text, terminator: "")
        case .json: try StandardOutput.json(report.json)
        }
    }
}
