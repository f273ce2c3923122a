import ArgumentParser
import EpsomCore
import EpsomStorage
import EpsomWeb
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Epsom web application and JSON API.",
        discussion: """
            Serves http://HOST:PORT from an SQLite file by default, or from PostgreSQL for many \
            users (--database postgres://user:password@host:port/db or EPSOM_DATABASE_URL). \
            Schema migrations run at start. --demo adds a demo account with a year of synthetic \
            diary (including a 14-day gap in cream use) and a demo investigator with a finished, \
            closed study of 20 synthetic participants (and its pharmacist), and prints their logins; \
            existing demo accounts are kept as they are unless --reset-demo is given.
            """)

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(parsing: .unconditional, help: "Port to listen on.")
    var port = 8080

    @Option(help: "sqlite:PATH or postgres://… (default: EPSOM_DATABASE_URL, else sqlite:epsom.sqlite).")
    var database: String?

    @Option(
        help:
            "The address people use to reach this server, for links such as calendar feeds (default: EPSOM_PUBLIC_URL, else http://HOST:PORT)."
    )
    var publicURL: String?

    @Flag(help: "Seed a demo account (a year of diary and a finished blinded trial) and a demo study, and print the logins.")
    var demo = false

    @Flag(help: "With --demo: erase the demo account and make it anew (new data, new password).")
    var resetDemo = false

    @Flag(help: "Send cookies without the Secure flag (plain-HTTP development on another host than loopback).")
    var insecureCookies = false

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535.") }
        if let url = publicURL, !Self.isBaseURL(url) {
            throw ValidationError("--public-url must be an http:// or https:// address, such as https://epsom.example.org.")
        }
        if let database, DatabaseLocation(database) == nil {
            throw ValidationError("--database must be sqlite:PATH or a postgres:// URL.")
        }
    }

    static func isBaseURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil
        else { return false }
        return true
    }

    func run() async throws {
        var logger = Logger(label: "epsom")
        logger.logLevel = .info
        let text = database ?? ProcessInfo.processInfo.environment["EPSOM_DATABASE_URL"] ?? "sqlite:epsom.sqlite"
        guard let location = DatabaseLocation(text) else {
            throw CommandFailure("EPSOM_DATABASE_URL must be sqlite:PATH or a postgres:// URL.")
        }
        let opened: Database
        do {
            opened = try await Database.open(location, logger: logger)
        } catch {
            throw CommandFailure("\(error)")
        }
        if demo {
            if let login = try await DemoAccount.seed(in: opened.store, today: AppClock.live.today(), reset: resetDemo) {
                say("Demo account: \(login.email)  password: \(login.password)")
            } else {
                say(
                    "Demo account: \(DemoAccount.email) (kept as it was; its password was printed when it was made). "
                        + "To start it afresh: epsom serve --demo --reset-demo")
            }
            if let study = try await DemoStudySeed.seed(in: opened.store, today: AppClock.live.today(), reset: resetDemo) {
                say(
                    "Demo study: investigator \(study.investigator), pharmacist \(study.pharmacist), participant \(study.participant)  "
                        + "password: \(study.password)")
            } else {
                say("Demo study: investigator \(DemoStudySeed.investigatorEmail) (kept as it was).")
            }
        }
        // Browsers treat http://127.0.0.1 and localhost as secure contexts, so Secure cookies work there.
        var configuration = AppConfiguration(host: host, port: port, database: location, secureCookies: !insecureCookies)
        if let url = publicURL ?? ProcessInfo.processInfo.environment["EPSOM_PUBLIC_URL"] {
            guard Self.isBaseURL(url) else { throw CommandFailure("EPSOM_PUBLIC_URL must be an http:// or https:// address.") }
            configuration.publicURL = url
        }
        say("Epsom on http://\(host):\(port) (database \(location); links use \(configuration.publicBaseURL))")
        let app = try await buildApplication(store: opened.store, configuration: configuration, logger: logger)
        do {
            try await app.runService()
        } catch {
            try? await opened.close()
            throw CommandFailure("the server stopped: \(error)")
        }
        try await opened.close()
    }
}

/// Prints a line and flushes at once: the server runs until stopped, so buffered output
/// (stdout redirected to a file or a pipe) would otherwise never appear.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
