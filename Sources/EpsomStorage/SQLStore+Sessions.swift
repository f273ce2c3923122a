import EpsomCore
import Foundation
import SQLKit

/// Sessions: web cookies and API tokens, stored as hashes, with expiry, last use and the purge.
extension SQLStore {

    public func createSession(_ s: StoredSession) async throws {
        try await db.insert(into: "sessions")
            .columns("token_hash", "account_id", "kind", "csrf_token", "expires_at", "created_at", "last_seen_at")
            .values(
                SQLBind(s.tokenHash), SQLBind(s.accountID), SQLBind(s.kind.rawValue), SQLBind(s.csrfToken),
                SQLBind(s.expiresAt), SQLBind(s.createdAt), SQLBind(s.lastSeenAt)
            )
            .run()
    }

    public func session(tokenHash: String) async throws -> StoredSession? {
        try await db.select().column("*").from("sessions").where("token_hash", .equal, SQLBind(tokenHash)).first().map(Self.session)
    }

    static func session(_ row: any SQLRow) throws -> StoredSession {
        StoredSession(
            tokenHash: try row.decode(column: "token_hash", as: String.self),
            accountID: try row.decode(column: "account_id", as: String.self),
            kind: StoredSession.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .web,
            csrfToken: try row.decode(column: "csrf_token", as: String.self),
            expiresAt: try row.decode(column: "expires_at", as: Int.self),
            createdAt: try row.decode(column: "created_at", as: Int.self),
            lastSeenAt: try row.decode(column: "last_seen_at", as: Int.self))
    }

    public func touchSession(tokenHash: String, at time: Int) async throws {
        try await db.update("sessions").set("last_seen_at", to: SQLBind(time)).where("token_hash", .equal, SQLBind(tokenHash)).run()
    }

    public func sessions(accountID: String) async throws -> [StoredSession] {
        try await db.select().column("*").from("sessions").where("account_id", .equal, SQLBind(accountID))
            .orderBy("created_at", .descending).all().map(Self.session)
    }

    public func deleteSessions(accountID: String) async throws {
        try await db.delete(from: "sessions").where("account_id", .equal, SQLBind(accountID)).run()
    }

    public func identity(tokenHash: String) async throws -> (session: StoredSession, account: Account)? {
        let row = try await db.raw(
            """
            SELECT s.token_hash, s.kind, s.csrf_token, s.expires_at, s.created_at AS session_created_at, s.last_seen_at, a.* FROM sessions s
            JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = \(bind: tokenHash)
            """
        ).first()
        guard let row else { return nil }
        let account = try Self.account(row)
        let session = StoredSession(
            tokenHash: try row.decode(column: "token_hash", as: String.self), accountID: account.id,
            kind: StoredSession.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .web,
            csrfToken: try row.decode(column: "csrf_token", as: String.self),
            expiresAt: try row.decode(column: "expires_at", as: Int.self),
            createdAt: try row.decode(column: "session_created_at", as: Int.self),
            lastSeenAt: try row.decode(column: "last_seen_at", as: Int.self))
        return (session, account)
    }

    public func deleteSession(tokenHash: String) async throws {
        try await db.delete(from: "sessions").where("token_hash", .equal, SQLBind(tokenHash)).run()
    }

    public func deleteExpiredSessions(now: Int, idleSince: Int) async throws {
        try await db.delete(from: "sessions").where("expires_at", .lessThan, SQLBind(now))
            .orWhere("last_seen_at", .lessThan, SQLBind(idleSince)).run()
    }
}
