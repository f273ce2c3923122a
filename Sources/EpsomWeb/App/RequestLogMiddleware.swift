import HTTPTypes
import Hummingbird
import Logging

/// One structured log line per request: method, path without the query string, status, time
/// and the request id. Never bodies, query strings, cookies or headers: no health data or
/// credentials reach the log.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - start
            let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3
            context.logger.info(
                "request",
                metadata: [
                    "method": "\(request.method.rawValue)", "path": "\(Self.routeShape(request.uri.path))",
                    "status": "\(status)", "ms": "\(Int(ms.rounded()))",
                ])
        }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch let error as HTTPResponseError {
            status = error.status.code
            throw error
        }
    }

    /// Dates, ids and secret tokens in paths are replaced, so a log shows the route, not whose day
    /// it was, and a calendar-feed link (`/feeds/TOKEN.ics`) never reaches a log.
    static func routeShape(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part -> String in
            let s = String(part)
            let stem = s.split(separator: ".", maxSplits: 1).first.map(String.init) ?? s
            if stem.count >= 32, stem.allSatisfy(\.isHexDigit) { return ":token" + s.dropFirst(stem.count) }
            if s.count == 10, s.filter({ $0 == "-" }).count == 2 { return ":date" }
            if s.count == 36, s.filter({ $0 == "-" }).count == 4 { return ":id" }
            return s
        }.joined(separator: "/")
    }
}
