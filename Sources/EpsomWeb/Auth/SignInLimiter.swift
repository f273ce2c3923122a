import EpsomCore
import EpsomStorage
import HTTPTypes
import Hummingbird

/// Failed sign-ins are limited per account and per client address, with counters in the
/// database (several server processes share them). Over a limit, sign-in answers 429 with
/// Retry-After *before* running bcrypt, so a flood of guesses costs the server almost nothing
/// and cannot guess on. Keys are hashed: no email or address is stored in clear.
struct SignInLimiter: Sendable {
    let store: any Store
    let now: @Sendable () -> Int
    var window = 15 * 60
    var perAccount = 10
    var perAddress = 50

    func keys(email: String, address: String?) -> [(key: String, limit: Int)] {
        var keys = [(Digest.sha256Hex("signin-account:" + email.trimmingCharacters(in: .whitespaces).lowercased()), perAccount)]
        if let address { keys.append((Digest.sha256Hex("signin-address:" + address), perAddress)) }
        return keys
    }

    /// Throws 429 with Retry-After when any limit is reached.
    func check(email: String, address: String?) async throws {
        let time = now()
        for (key, limit) in keys(email: email, address: address)
        where try await store.failures(key: key, window: window, now: time) >= limit {
            throw TooManyAttempts(retryAfter: window - time % window)
        }
    }

    func recordFailure(email: String, address: String?) async throws {
        let time = now()
        for (key, _) in keys(email: email, address: address) { try await store.recordFailure(key: key, window: window, now: time) }
    }
}

/// 429 with Retry-After, as JSON for the API and as the error page for browsers.
struct TooManyAttempts: HTTPResponseError {
    let retryAfter: Int
    /// What there were too many of, as the start of the message.
    var reason = "Too many failed sign-ins."
    var status: HTTPResponse.Status { .tooManyRequests }
    var message: String {
        let minutes = max(1, (retryAfter + 59) / 60)
        return "\(reason) Try again in \(minutes) minute\(minutes == 1 ? "" : "s")."
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try APIError(status, message).response(from: request, context: context)
        response.headers[.retryAfter] = String(retryAfter)
        return response
    }
}
