import EpsomCore
import EpsomStorage

/// How much one workbench analysis may take in, and how often a caller may ask for one.
///
/// The workbench is public: without limits, anyone could send the largest form the server reads,
/// again and again. Anonymous callers get tables a person would paste (a few thousand studies);
/// signed-in people get more, since they are accountable and rate-limited by account.
struct WorkbenchLimits: Sendable {
    /// Most studies (data rows) in a pasted table.
    var rows: Int
    /// Most bytes (UTF-8) in the pasted table.
    var bytes: Int
    /// Analyses per `window` seconds.
    var analyses: Int
    var window = 10 * 60

    static let anonymous = WorkbenchLimits(rows: 2_000, bytes: 256 * 1024, analyses: 30)
    static let signedIn = WorkbenchLimits(rows: 100_000, bytes: 8 * 1024 * 1024, analyses: 120)

    static func of(_ identity: Identity?) -> WorkbenchLimits { identity == nil ? .anonymous : .signedIn }

    /// The form's encoded size may be up to three times the table (a comma is sent as %2C), plus
    /// the other fields.
    var formBytes: Int { 3 * bytes + 16 * 1024 }

    /// Who is asking: the account when signed in, else the client address (every caller whose
    /// address is unknown shares one count). Keys are hashed like the sign-in limiter's.
    static func key(_ identity: Identity?, address: String?) -> String {
        if let identity { return Digest.sha256Hex("workbench-account:" + identity.account.id) }
        return Digest.sha256Hex("workbench-address:" + (address ?? "unknown"))
    }

    func tooLarge(rows count: Int, signedIn: Bool) -> String {
        "The table has \(Self.grouped(count)) studies; the workbench takes at most \(Self.grouped(rows)) studies"
            + (signedIn ? "." : " without an account (sign in for up to \(Self.grouped(Self.signedIn.rows))).")
    }

    func tooLarge(bytes count: Int, signedIn: Bool) -> String {
        "The table is \(Self.size(count)); the workbench takes at most \(Self.size(bytes))"
            + (signedIn ? "." : " without an account (sign in for up to \(Self.size(Self.signedIn.bytes))).")
    }

    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    static func size(_ bytes: Int) -> String {
        bytes >= 1024 * 1024 ? "\(grouped((bytes + 512 * 1024) / (1024 * 1024))) MB" : "\(grouped((bytes + 512) / 1024)) KB"
    }
}

/// Counts workbench analyses per caller in the `rate_limits` table, the sign-in limiter's
/// mechanism: over the limit, the answer is 429 with Retry-After before any parsing.
struct WorkbenchLimiter: Sendable {
    let store: any Store
    let now: @Sendable () -> Int

    /// Counts this analysis, or throws `TooManyAttempts` when the caller has used up the window.
    func admit(_ identity: Identity?, address: String?) async throws {
        let limits = WorkbenchLimits.of(identity), time = now()
        let key = WorkbenchLimits.key(identity, address: address)
        if try await store.failures(key: key, window: limits.window, now: time) >= limits.analyses {
            throw TooManyAttempts(
                retryAfter: limits.window - time % limits.window,
                reason: "Too many analyses: the workbench takes \(limits.analyses) per \(limits.window / 60) minutes"
                    + (identity == nil ? " from one address without an account." : " per account."))
        }
        try await store.recordFailure(key: key, window: limits.window, now: time)
    }
}
