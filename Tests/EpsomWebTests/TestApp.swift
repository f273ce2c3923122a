import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import EpsomWeb

/// The real application on a temporary SQLite file, a fixed clock and a fast bcrypt cost. The file
/// (with its -wal and -shm companions) is removed when the test's run ends, passed or failed.
struct TestApp {
    static let today = CalendarDate(iso: "2026-03-15")!
    let database: Database
    let app: Application<RouterResponder<AppRequestContext>>
    let path: String

    static func make(publicURL: String? = nil) async throws -> TestApp {
        let path = TestFiles.temporarySQLitePath()
        let database: Database
        do { database = try await Database.open(.sqlite(path: path)) } catch {
            TestFiles.removeSQLite(at: path)
            throw error
        }
        var configuration = AppConfiguration(database: .sqlite(path: path), bcryptCost: 4, secureCookies: false)
        configuration.powerSimulations = 20
        configuration.pooledEvidenceCacheSeconds = 0
        configuration.publicURL = publicURL
        let router = try await buildRouter(store: database.store, configuration: configuration, clock: .fixed(today))
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return TestApp(database: database, app: Application(router: router, logger: logger), path: path)
    }

    func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        defer { TestFiles.removeSQLite(at: path) }
        do {
            try await app.test(.router, body)
        } catch {
            try await database.close()
            throw error
        }
        try await database.close()
    }
}

extension TestClientProtocol {
    /// Sends JSON (or nothing), with an optional bearer token, and returns status and body.
    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil,
        headers extra: HTTPFields = [:], body text: String? = nil
    ) async throws -> (status: HTTPResponse.Status, body: String, headers: HTTPFields) {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        let payload = (json ?? text).map { ByteBuffer(string: $0) }
        return try await execute(uri: uri, method: method, headers: headers, body: payload) { response in
            (response.status, String(buffer: response.body), response.headers)
        }
    }

    /// As `call`, but waits and tries again while the server answers 503 (its heavy-work queue
    /// is shared by every test running at once), as a client honouring Retry-After would.
    @discardableResult
    func callWhenNotBusy(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body text: String? = nil
    ) async throws -> (status: HTTPResponse.Status, body: String, headers: HTTPFields) {
        for _ in 0..<30 {
            let answer = try await call(method, uri, token: token, body: text)
            guard answer.status == .serviceUnavailable else { return answer }
            try await Task.sleep(for: .milliseconds(500))
        }
        return try await call(method, uri, token: token, body: text)
    }

    /// Creates an account and returns a bearer token for it.
    func signUp(_ email: String, role: String = "patient") async throws -> String {
        let created = try await call(
            .post, "/api/v1/accounts",
            json: #"{"email":"\#(email)","password":"correct horse battery","name":"Pat","role":"\#(role)"}"#)
        #expect(created.status == .created, "\(created.body)")
        let session = try await call(.post, "/api/v1/sessions", json: #"{"email":"\#(email)","password":"correct horse battery"}"#)
        #expect(session.status == .created)
        return try decodeJSON(API.Session.self, from: session.body).token
    }
}
