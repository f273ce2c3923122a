import EpsomTestSupport
import Foundation

/// Runs the built `epsom` binary, as a user would, in Tests/epsomTests/Fixtures.
func epsom(_ arguments: [String]) throws -> CommandRun {
    let binary = Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("epsom")
    return try runCommand(binary, arguments, in: TestFiles.url("epsomTests/Fixtures"))
}
