import EpsomStorage
import Foundation
import HTTPTypes
import Hummingbird

/// Resolves the signed-in person from a web session cookie or an API bearer token, and guards
/// cookie-authenticated changes against cross-site request forgery.
///
/// - A cookie must name a web session and a bearer token an API session: a leaked API token
///   cannot be planted as a cookie, and the reverse.
/// - A request that changes something (POST, PUT, PATCH, DELETE) under a cookie must carry the
///   session's CSRF token, in the `csrf` form field (checked by the form handlers) or the
///   `X-CSRF-Token` header (checked here for the JSON API).
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "epsom_session"

    let store: any Store
    let now: @Sendable () -> Int
    /// Sessions unused for this long are treated as ended (the purge then deletes them).
    var idleSeconds: Int = 7 * 24 * 3600
    /// Last use is written at most this often, to keep a read from becoming a write.
    static let touchInterval = 300

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        // Behind a reverse proxy on this machine every client would share the proxy's address
        // (and so one rate limit): then the address is the last X-Forwarded-For entry, the one
        // our proxy added. From any other peer the header is not trusted.
        context.clientAddress = Self.clientAddress(peer: context.clientAddress, forwardedFor: request.headers[.xForwardedFor])
        let bearer = Self.bearerToken(request)
        let cookie = request.cookies[Self.cookieName]?.value
        let time = now()
        if let token = bearer ?? cookie,
            let (session, account) = try await store.identity(tokenHash: Tokens.hash(token)),
            session.expiresAt > time, session.lastSeenAt > time - idleSeconds,
            session.kind == (bearer != nil ? .api : .web)
        {
            context.identity = Identity(account: account, session: session)
            if time - session.lastSeenAt >= Self.touchInterval { try await store.touchSession(tokenHash: session.tokenHash, at: time) }
        }
        if let identity = context.identity, identity.session.kind == .web, request.method.isUnsafe,
            request.uri.path.hasPrefix("/api/")
        {
            let sent = request.headers[.csrfToken] ?? ""
            guard Tokens.equal(sent, identity.session.csrfToken) else {
                throw APIError(.forbidden, "Missing or wrong X-CSRF-Token header for a cookie session.")
            }
        }
        return try await next(request, context)
    }

    /// The peer's address, or the last X-Forwarded-For entry when the peer is a proxy on this
    /// machine (loopback).
    static func clientAddress(peer: String?, forwardedFor: String?) -> String? {
        guard let peer, peer == "127.0.0.1" || peer == "::1",
            let last = forwardedFor?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        else { return peer }
        return last
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else { return nil }
        let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : String(token)
    }
}

extension HTTPRequest.Method {
    var isUnsafe: Bool { self == .post || self == .put || self == .patch || self == .delete }
}

extension HTTPField.Name {
    static let csrfToken = HTTPField.Name("X-CSRF-Token")!
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
