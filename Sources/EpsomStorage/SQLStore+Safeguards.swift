import EpsomCore
import Foundation
import SQLKit

/// What protects the accounts: rate-limit counters shared by every server process, and the
/// record of who looked at a patient's data.
extension SQLStore {
    public func failures(key: String, window: Int, now: Int) async throws -> Int {
        let start = now - now % window
        return try await db.select().column("count").from("rate_limits").where("key", .equal, SQLBind(key))
            .where("window_start", .equal, SQLBind(start)).first()?.decode(column: "count", as: Int.self) ?? 0
    }

    public func recordFailure(key: String, window: Int, now: Int) async throws {
        let start = now - now % window
        // One statement on both databases: a new window starts the count again.
        try await db.raw(
            """
            INSERT INTO rate_limits (key, window_start, count) VALUES (\(bind: key), \(bind: start), 1)
            ON CONFLICT (key) DO UPDATE SET
              count = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.count + 1 ELSE 1 END,
              window_start = excluded.window_start
            """
        ).run()
    }

    public func recordAccess(patientID: String, viewer: Account, what: String) async throws {
        try await db.insert(into: "access_log").columns("patient_id", "viewer_id", "viewer_email", "what", "at")
            .values(SQLBind(patientID), SQLBind(viewer.id), SQLBind(viewer.email), SQLBind(what), SQLBind(Self.now())).run()
    }

    public func accessLog(patientID: String, limit: Int) async throws -> [AccessRecord] {
        try await db.select().columns("viewer_email", "what", "at").from("access_log").where("patient_id", .equal, SQLBind(patientID))
            .orderBy("at", .descending).limit(limit).all().map {
                AccessRecord(
                    viewerEmail: try $0.decode(column: "viewer_email", as: String.self),
                    what: try $0.decode(column: "what", as: String.self), at: try $0.decode(column: "at", as: Int.self))
            }
    }
}
