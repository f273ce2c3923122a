import ArgumentParser
import Foundation

/// Entry point: parses, runs, and maps every failure to a message on standard error and exit
/// code 2 (bad input or usage), never a stack trace.
@main
enum Main {
    static func main() async {
        do {
            var command = try Epsom.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CommandFailure {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            exit(2)
        } catch {
            let code = Epsom.exitCode(for: error)
            let message = Epsom.fullMessage(for: error)
            if code == .success {
                print(message)
                exit(0)
            }
            FileHandle.standardError.write(Data((message.isEmpty ? "error" : message).utf8 + [10]))
            exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// A failure to report to the user as "error: message" with exit code 2.
struct CommandFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
