import ArgumentParser

@main
struct Epsom: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "epsom",
        abstract: "Find out, rigorously, whether magnesium relieves your pain.",
        subcommands: []
    )
}
