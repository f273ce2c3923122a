import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Sends the bearer token from POST /api/v1/sessions on every request.
struct BearerToken: ClientMiddleware {
    let token: String

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(token)"
        return try await next(request, body, baseURL)
    }
}

/// The last response's status and body, as the server sent them.
///
/// While docs/openapi.json describes no response bodies, the generated client reads only the
/// status of a documented response and drops its body; this middleware keeps a copy for the
/// test to decode. Once the document has response schemas, `try response.ok.body.json` gives the
/// same values, typed, and this recorder can go.
actor ResponseRecorder {
    private(set) var status: Int?
    private(set) var body = Data()

    func record(status: Int, body: Data) {
        self.status = status
        self.body = body
    }

    /// The last body decoded as `T` (snake_case keys read as camelCase, as the generator names them).
    func decoded<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(T.self, from: body)
        } catch {
            throw DecodingFailure(type: "\(T.self)", status: status, body: String(decoding: body, as: UTF8.self), error: error)
        }
    }

    struct DecodingFailure: Error, CustomStringConvertible {
        var type: String
        var status: Int?
        var body: String
        var error: any Error
        var description: String { "the answer (status \(status.map(String.init) ?? "none")) is not a \(type): \(error)\n\(body)" }
    }

    /// The middleware that fills this recorder.
    nonisolated var middleware: some ClientMiddleware { Recording(recorder: self) }

    private struct Recording: ClientMiddleware {
        let recorder: ResponseRecorder

        func intercept(
            _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
            next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
        ) async throws -> (HTTPResponse, HTTPBody?) {
            let (response, responseBody) = try await next(request, body, baseURL)
            guard let responseBody else {
                await recorder.record(status: response.status.code, body: Data())
                return (response, nil)
            }
            let data = try await Data(collecting: responseBody, upTo: 4 * 1024 * 1024)
            await recorder.record(status: response.status.code, body: data)
            return (response, HTTPBody(data))
        }
    }
}
