import HTTPTypes
import Hummingbird

/// Turns every error into an answer a person or a client can read: JSON (`{"error": …}`) under
/// `/api/`, and an HTML page in the site's layout everywhere else, so a mistyped address, a GET
/// on a form's POST-only address or a failure never shows a browser a blank page.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try Self.response(for: error, request: request, context: context)
        }
    }

    static func isAPI(_ path: String) -> Bool { path.hasPrefix("/api/") || path == "/openapi.json" }

    static func response(for error: any Error, request: Request, context: Context) throws -> Response {
        let status: HTTPResponse.Status
        let message: String
        switch error {
        case let e as APIError: (status, message) = (e.status, e.message)
        case let e as TooManyAttempts:
            if isAPI(request.uri.path) { return try e.response(from: request, context: context) }
            var page = Response.html(page(status: e.status, message: e.message, identity: context.identity), status: e.status)
            page.headers[.retryAfter] = String(e.retryAfter)
            return page
        case let e as HeavyWork.Busy:
            if isAPI(request.uri.path) { return try e.response(from: request, context: context) }
            var page = Response.html(page(status: e.status, message: HeavyWork.Busy.message, identity: context.identity), status: e.status)
            page.headers[.retryAfter] = HeavyWork.Busy.retryAfter
            return page
        case let e as HTTPError: (status, message) = (e.status, Self.message(for: e.status))
        default: (status, message) = (.internalServerError, Self.message(for: .internalServerError))
        }
        if isAPI(request.uri.path) {
            if let e = error as? APIError { return try e.response(from: request, context: context) }
            return try APIError(status, message).response(from: request, context: context)
        }
        return .html(page(status: status, message: message, identity: context.identity), status: status)
    }

    static func message(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 401: "Sign in first."
        case 403: "You may not see or change this."
        case 404: "There is no page at this address."
        case 405: "This address takes a form, not a visit."
        case 413: "What was sent is too large."
        case 400..<500: "The request could not be understood."
        default: "Something went wrong on our side. Nothing you sent was half saved; please try again."
        }
    }

    static func page(status: HTTPResponse.Status, message: String, identity: Identity?) -> HTML {
        let next: HTML =
            status == .unauthorized || identity == nil
            ? "<p><a href=\"/signin\">Sign in</a> · <a href=\"/\">Home</a></p>" : "<p><a href=\"/\">Back to the start</a></p>"
        let title = status.code == 404 ? "Not found" : status.code >= 500 ? "Something went wrong" : status.reasonPhrase
        return Layout.page(
            title, identity: identity, csrf: identity?.session.csrfToken,
            """
            <h1>\(text: title)</h1>
            <p class="notice warning" role="alert">\(text: message)</p>
            \(next)
            """)
    }
}
