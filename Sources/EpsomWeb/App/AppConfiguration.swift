import EpsomStorage

/// How `epsom serve` runs.
public struct AppConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var database: DatabaseLocation
    /// bcrypt cost factor: 12 in production (about a quarter of a second per hash here), lower in
    /// tests so that they stay fast.
    public var bcryptCost: UInt8
    /// Web sessions and API tokens last this long.
    public var sessionLifetimeSeconds: Int
    /// A session unused for this long ends (and is purged), whatever its lifetime.
    public var sessionIdleSeconds: Int = 7 * 24 * 3600
    /// Sends cookies with the Secure flag. Off only for plain-HTTP loopback development and tests.
    public var secureCookies: Bool
    /// Where people reach this server (`--public-url`, `EPSOM_PUBLIC_URL`), for links that leave
    /// the page, such as a calendar feed; nil means the address served, `http://HOST:PORT`.
    public var publicURL: String? = nil
    /// The base of absolute links, without a trailing slash.
    public var publicBaseURL: String {
        guard let publicURL else { return "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }
        return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
    }
    /// Simulated trials behind the designer's "chance of detecting" figure (fewer in tests).
    public var powerSimulations: Int = 200
    /// How long the evidence page reuses the pooled users' result (0 in tests).
    public var pooledEvidenceCacheSeconds: Int = 300

    public init(
        host: String = "127.0.0.1", port: Int = 8080, database: DatabaseLocation = .sqlite(path: "epsom.sqlite"),
        bcryptCost: UInt8 = 12, sessionLifetimeSeconds: Int = 30 * 24 * 3600, secureCookies: Bool = true
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.bcryptCost = bcryptCost
        self.sessionLifetimeSeconds = sessionLifetimeSeconds
        self.secureCookies = secureCookies
    }
}
