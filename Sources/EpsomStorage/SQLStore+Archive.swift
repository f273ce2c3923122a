import EpsomCore
import Foundation
import SQLKit

/// Records of an archive that would collide with records already stored: restoring is refused
/// and nothing is written. Keys are the archive's field paths ("doses[3].id").
public struct ArchiveConflict: Error, Sendable, Equatable, CustomStringConvertible {
    public var fields: [String: String]
    public init(fields: [String: String]) { self.fields = fields }
    public var description: String {
        "\(fields.count) record(s) of the archive already exist: " + fields.keys.sorted().prefix(5).joined(separator: ", ")
    }
}

/// The whole account out (`archive`) and back in (`restore`), through the same row helpers the
/// rest of the store writes with, so that a change to a column's storage changes both at once.
extension SQLStore {
    public func archive(accountID: String) async throws -> AccountArchive {
        guard let account = try await account(id: accountID) else { throw StoreError(.notFound, "No such account.") }
        let diary = try await db.select().column("*").from("diary_entries").where("account_id", .equal, SQLBind(accountID))
            .all().map(Self.diaryEntry).map(AccountArchive.DiaryRecord.init).sorted { $0.date < $1.date }
        let doses = try await db.select().column("*").from("doses").where("account_id", .equal, SQLBind(accountID))
            .all().map(Self.dose).map(AccountArchive.DoseRecord.init).sorted { ($0.takenAt, $0.id) < ($1.takenAt, $1.id) }
        let products = try await products(accountID: accountID).map(AccountArchive.ProductRecord.init).sorted { $0.id < $1.id }
        var trials: [AccountArchive.TrialRecord] = []
        for row in try await db.select().column("*").from("trials").where("account_id", .equal, SQLBind(accountID)).all() {
            let trial = try await trial(row)
            trials.append(
                .init(
                    trial, createdAt: try row.decode(column: "created_at", as: Int.self),
                    days: try await trialDays(trialID: trial.id, accountID: accountID).sorted { $0.date < $1.date }))
        }
        return AccountArchive(
            source: .init(accountID: account.id, email: account.email, createdAt: account.createdAt),
            profile: .init(account), diary: diary, doses: doses, products: products,
            trials: trials.sorted(by: AccountArchive.TrialRecord.canonicalOrder), shares: try await sharedEmails(of: accountID))
    }

    /// Restores an archive (opened and checked by `AccountArchive.validated`) into the account,
    /// in one transaction. The profile (name, role, safety profile, missed-use days, time zone) replaces the
    /// account's; records are added beside any already there, and a collision (a diary date or
    /// product id the account has, a dose or trial id that exists) refuses the whole archive.
    /// The account keeps its id, email, password and sessions.
    public func restore(_ archive: AccountArchive, accountID: String) async throws {
        let restoredRole = try await Self.changingRecords(of: accountID, on: db) { records -> Account in
            let tx = records.db
            guard let row = try await tx.select().column("*").from("accounts").where("id", .equal, SQLBind(accountID)).first() else {
                throw StoreError(.notFound, "No such account.")
            }
            var account = try Self.account(row)
            try await Self.checkCollisions(archive, accountID: accountID, on: tx)

            let p = archive.profile
            try await tx.update("accounts").set("name", to: SQLBind(p.name)).set("role", to: SQLBind(p.role.rawValue))
                .set("kidney_disease", to: SQLBind(p.kidneyDisease))
                .set("medicines", to: SQLBind(p.medicines.map(\.rawValue).sorted().joined(separator: ",")))
                .set("missed_use_days", to: SQLBind(p.missedUseDays))
                .set("time_zone", to: SQLBind(p.timeZone ?? account.timeZone))
                .where("id", .equal, SQLBind(accountID)).run()
            for record in archive.diary { try await Self.upsert(record.entry, in: records) }
            for (i, record) in archive.doses.enumerated() {
                guard let dose = record.dose else { throw FieldErrors(["doses[\(i)]": "is not a valid dose"]) }
                try await Self.insert(dose, id: record.id, accountID: accountID, on: tx)
            }
            for record in archive.products { try await Self.save(record.product, accountID: accountID, on: tx) }
            for record in archive.trials {
                try await Self.insert(record.trial, accountID: accountID, createdAt: record.createdAt, on: tx)
                for day in record.days { try await Self.upsert(day.trialDay, trialID: record.id, in: records) }
            }
            for email in Set(archive.shares.map { $0.lowercased() }) where email != account.email {
                try await Self.restoreShare(patientID: accountID, email: email, on: tx)
            }
            account.role = p.role
            return account
        }
        // As after a change of role: invitations waiting for a clinician's email become shares.
        try await acceptInvitations(clinician: restoredRole)
    }

    /// Throws `ArchiveConflict` naming every record that is already stored.
    static func checkCollisions(_ archive: AccountArchive, accountID: String, on tx: any SQLDatabase) async throws {
        var conflicts: [String: String] = [:]
        let dates = Set(
            try await tx.select().column("*").from("diary_entries").where("account_id", .equal, SQLBind(accountID))
                .all().map { try Self.diaryEntry($0).date })
        for (i, e) in archive.diary.enumerated() where dates.contains(e.date) {
            conflicts["diary[\(i)].date"] = "the account already has an entry for this day"
        }
        let productIDs = Set(
            try await tx.select().column("id").from("products").where("account_id", .equal, SQLBind(accountID))
                .all().map { try $0.decode(column: "id", as: String.self) })
        for (i, p) in archive.products.enumerated() where productIDs.contains(p.id) {
            conflicts["products[\(i)].id"] = "the account already has a product with this id"
        }
        let doseIDs = try await existing(archive.doses.map(\.id), in: "doses", on: tx)
        for (i, d) in archive.doses.enumerated() where doseIDs.contains(d.id) {
            conflicts["doses[\(i)].id"] = "a dose with this id already exists (an archive is restored once)"
        }
        let trialIDs = try await existing(archive.trials.map(\.id), in: "trials", on: tx)
        for (i, t) in archive.trials.enumerated() where trialIDs.contains(t.id) {
            conflicts["trials[\(i)].id"] = "a trial with this id already exists (an archive is restored once)"
        }
        if !conflicts.isEmpty { throw ArchiveConflict(fields: conflicts) }
    }

    /// Which of these ids the table holds, in any account (asked in chunks: databases cap the
    /// number of bound values in one statement).
    static func existing(_ ids: [String], in table: String, on tx: any SQLDatabase) async throws -> Set<String> {
        var found = Set<String>()
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = ids[start..<min(start + 500, ids.count)]
            let rows = try await tx.select().column("id").from(table)
                .where(SQLIdentifier("id"), .in, SQLBind.group(chunk.map { $0 as any Encodable & Sendable })).all()
            for row in rows { found.insert(try row.decode(column: "id", as: String.self)) }
        }
        return found
    }

    /// `share(patientID:email:)` inside a transaction: a share when a clinician has the email,
    /// else an invitation that waits for one.
    static func restoreShare(patientID: String, email: String, on tx: any SQLDatabase) async throws {
        if let row = try await tx.select().column("*").from("accounts").where("email", .equal, SQLBind(email)).first(),
            case let clinician = try Self.account(row), clinician.role == .clinician, clinician.id != patientID
        {
            let shared = try await tx.select().column("patient_id").from("shares").where("patient_id", .equal, SQLBind(patientID))
                .where("clinician_id", .equal, SQLBind(clinician.id)).first()
            if shared == nil {
                try await tx.insert(into: "shares").columns("patient_id", "clinician_id", "created_at")
                    .values(SQLBind(patientID), SQLBind(clinician.id), SQLBind(now())).run()
            }
            return
        }
        try await tx.delete(from: "share_invitations").where("patient_id", .equal, SQLBind(patientID))
            .where("email", .equal, SQLBind(email)).run()
        try await tx.insert(into: "share_invitations").columns("patient_id", "email", "created_at")
            .values(SQLBind(patientID), SQLBind(email), SQLBind(now())).run()
    }
}
