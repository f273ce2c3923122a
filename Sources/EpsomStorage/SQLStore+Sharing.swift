import EpsomCore
import Foundation
import SQLKit

/// Sharing with clinicians: shares, invitations by email that wait for the clinician's account,
/// and revoking.
extension SQLStore {

    public func share(patientID: String, clinicianID: String) async throws {
        guard try await !isShared(patientID: patientID, clinicianID: clinicianID) else { return }
        try await db.insert(into: "shares").columns("patient_id", "clinician_id", "created_at")
            .values(SQLBind(patientID), SQLBind(clinicianID), SQLBind(Self.now())).run()
    }

    /// Shares with whoever has this email: at once if a clinician account has it, else as an
    /// invitation that `acceptInvitations` turns into a share when that clinician exists. The
    /// caller cannot tell which happened.
    public func share(patientID: String, email: String) async throws {
        let email = email.lowercased()
        if let clinician = try await account(email: email), clinician.role == .clinician {
            try await share(patientID: patientID, clinicianID: clinician.id)
            return
        }
        try await db.delete(from: "share_invitations").where("patient_id", .equal, SQLBind(patientID))
            .where("email", .equal, SQLBind(email)).run()
        try await db.insert(into: "share_invitations").columns("patient_id", "email", "created_at")
            .values(SQLBind(patientID), SQLBind(email), SQLBind(Self.now())).run()
    }

    /// Every email a patient shares with: clinicians who can see now and invitations waiting.
    public func sharedEmails(of patientID: String) async throws -> [String] {
        let invited = try await db.select().column("email").from("share_invitations").where("patient_id", .equal, SQLBind(patientID))
            .all().map { try $0.decode(column: "email", as: String.self) }
        return Set(try await clinicians(of: patientID).map(\.email) + invited).sorted()
    }

    /// Stops sharing with an email, whether it was a share or an invitation.
    public func revoke(patientID: String, email: String) async throws {
        let email = email.lowercased()
        try await db.delete(from: "share_invitations").where("patient_id", .equal, SQLBind(patientID))
            .where("email", .equal, SQLBind(email)).run()
        if let clinician = try await account(email: email) { try await revoke(patientID: patientID, clinicianID: clinician.id) }
    }

    /// Turns the invitations waiting for this clinician's email into shares.
    public func acceptInvitations(clinician: Account) async throws {
        guard clinician.role == .clinician else { return }
        let patients = try await db.select().column("patient_id").from("share_invitations")
            .where("email", .equal, SQLBind(clinician.email.lowercased())).all()
            .map { try $0.decode(column: "patient_id", as: String.self) }
        for patient in patients { try await share(patientID: patient, clinicianID: clinician.id) }
        try await db.delete(from: "share_invitations").where("email", .equal, SQLBind(clinician.email.lowercased())).run()
    }

    public func revoke(patientID: String, clinicianID: String) async throws {
        try await db.delete(from: "shares").where("patient_id", .equal, SQLBind(patientID))
            .where("clinician_id", .equal, SQLBind(clinicianID)).run()
    }

    public func isShared(patientID: String, clinicianID: String) async throws -> Bool {
        try await db.select().column("patient_id").from("shares").where("patient_id", .equal, SQLBind(patientID))
            .where("clinician_id", .equal, SQLBind(clinicianID)).first() != nil
    }

    public func patients(sharedWith clinicianID: String) async throws -> [Account] {
        try await db.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("accounts"))).from("accounts")
            .join("shares", on: SQLColumn("id", table: "accounts"), .equal, SQLColumn("patient_id", table: "shares"))
            .where(SQLColumn("clinician_id", table: "shares"), .equal, SQLBind(clinicianID))
            .orderBy(SQLColumn("name", table: "accounts")).all().map(Self.account)
    }

    public func clinicians(of patientID: String) async throws -> [Account] {
        try await db.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("accounts"))).from("accounts")
            .join("shares", on: SQLColumn("id", table: "accounts"), .equal, SQLColumn("clinician_id", table: "shares"))
            .where(SQLColumn("patient_id", table: "shares"), .equal, SQLBind(patientID))
            .orderBy(SQLColumn("name", table: "accounts")).all().map(Self.account)
    }
}
