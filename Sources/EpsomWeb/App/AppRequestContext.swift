import EpsomCore
import EpsomStorage
import Foundation
import HTTPTypes
import Hummingbird

/// The signed-in person, if any, resolved from a session cookie or a bearer token.
public struct Identity: Sendable {
    public var account: Account
    public var session: StoredSession
}

/// Per-request data passed from middleware to handlers.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?
    /// The client's IP address, for rate limits (nil when unknown, as in tests).
    public var clientAddress: String?
    /// The account whose records an API handler serves, set by the access gate
    /// (`Access.admit`) before the handler runs.
    var subjectID: String?
    /// The JSON body, read and checked against the endpoint's schema by `Endpoint.register`.
    var body: CheckedBody?

    /// Every JSON answer is written with the one wire configuration (snake_case keys, sorted).
    public var responseEncoder: JSONEncoder { WireJSON.encoder() }

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The signed-in account, or a 401.
    public func requireIdentity() throws -> Identity {
        guard let identity else { throw APIError.unauthorized }
        return identity
    }

    /// The account the access gate admitted this request to; a 403 if no gate ran, so a route
    /// registered without one fails closed.
    func requireSubject() throws -> String {
        guard let subjectID else { throw APIError.forbidden }
        return subjectID
    }
}
