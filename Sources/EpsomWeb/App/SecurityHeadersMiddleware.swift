import HTTPTypes
import Hummingbird

/// Headers that keep pages and API answers from being framed, sniffed or leaking referrers, and
/// keep health data out of shared caches.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// Served to people over TLS (a public URL with https, as behind a TLS reverse proxy): then
    /// browsers are told to use https only (HSTS).
    var servedOverTLS = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Errors thrown below (the sign-in check's CSRF refusal) get the headers too.
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = try ErrorPageMiddleware.response(for: error, request: request, context: context)
        }
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            + "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[.xFrameOptions] = "DENY"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if servedOverTLS { response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains" }
        return response
    }
}

extension HTTPField.Name {
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
