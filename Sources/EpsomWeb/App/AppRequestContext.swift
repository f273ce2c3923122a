import EpsomStorage
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

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
    }

    /// The signed-in account, or a 401.
    public func requireIdentity() throws -> Identity {
        guard let identity else { throw APIError.unauthorized }
        return identity
    }
}
