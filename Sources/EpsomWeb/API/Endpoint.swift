import EpsomStorage
import HTTPTypes
import Hummingbird

/// One JSON API endpoint: how it is routed and how it is documented. The router and
/// `/openapi.json` are both built from the same list, so they cannot drift apart.
struct Endpoint: Sendable {
    var method: HTTPRequest.Method
    /// Hummingbird path below /api/v1, e.g. "diary/:date".
    var path: String
    var summary: String
    /// Body fields (name → description) for documentation.
    var requestFields: [String: String] = [:]
    var query: [String: String] = [:]
    var success: HTTPResponse.Status = .ok
    /// Who may call it; enforced at registration (see `Access.admit`).
    var audience: Audience
    var requiresAuthentication: Bool { audience != .anyone }
    var handler: @Sendable (Request, AppRequestContext) async throws -> Response

    init<R: ResponseGenerator>(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, for audience: Audience,
        request: [String: String] = [:], query: [String: String] = [:], success: HTTPResponse.Status = .ok,
        _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> R
    ) {
        self.method = method
        self.path = path
        self.summary = summary
        requestFields = request
        self.query = query
        self.success = success
        self.audience = audience
        self.handler = { request, context in try await handler(request, context).response(from: request, context: context) }
    }

    /// The OpenAPI form of the path: "/api/v1/diary/{date}".
    var openAPIPath: String {
        "/api/v1/" + path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }

    /// Routes each endpoint behind the access gate: the caller is admitted for the endpoint's
    /// audience before its handler runs.
    static func register(_ endpoints: [Endpoint], on group: RouterGroup<AppRequestContext>, store: any Store) {
        for endpoint in endpoints {
            let handler = endpoint.handler, audience = endpoint.audience
            group.on(RouterPath(endpoint.path), method: endpoint.method) { request, context in
                var context = context
                try await Access.admit(audience, request, &context, store: store)
                return try await handler(request, context)
            }
        }
    }
}
