import ArgumentParser

/// The `epsom` command tree. Each subcommand lives in its own file.
struct Epsom: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "epsom",
        abstract: "Find out, rigorously, whether magnesium relieves your pain.",
        discussion: "Exit codes: 0 success, 2 bad input or usage (the message names the line and column).",
        subcommands: [
            ServeCommand.self, AnalyzeCommand.self, PoolCommand.self, SeriesCommand.self, MetaCommand.self, EvidenceCommand.self,
            BackupCommand.self, RestoreCommand.self,
        ]
    )
}
