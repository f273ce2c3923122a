import EpsomCore
import Foundation
import SQLKit

/// The `Store` over SQLKit: the same SQL for SQLite and PostgreSQL. Query logging is off, so no
/// stored value (health data) ever reaches a log line.
public struct SQLStore: Store {
    let db: any SQLDatabase

    /// Wraps a database; call `migrate()` once before use (`Database.open` does).
    public init(database: any SQLDatabase) { db = database }

    /// Applies pending migrations; returns their names.
    @discardableResult
    public func migrate() async throws -> [String] { try await Migrations.run(on: db) }

    static func newID() -> String { UUID().uuidString.lowercased() }
    static func now() -> Int { Int(Date().timeIntervalSince1970) }

    // MARK: Accounts

    public func createAccount(_ new: NewAccount) async throws -> Account {
        let email = new.email.lowercased()
        if try await account(email: email) != nil { throw StoreError.duplicateEmail }
        let account = Account(id: Self.newID(), email: email, name: new.name, passwordHash: new.passwordHash,
                              role: new.role, safetyProfile: .init(), createdAt: Self.now())
        do {
            try await db.insert(into: "accounts")
                .columns("id", "email", "name", "password_hash", "role", "kidney_disease", "medicines", "created_at")
                .values(SQLBind(account.id), SQLBind(email), SQLBind(account.name), SQLBind(account.passwordHash),
                        SQLBind(account.role.rawValue), SQLBind(false), SQLBind(""), SQLBind(account.createdAt))
                .run()
        } catch {
            // A concurrent sign-up with the same email loses to the UNIQUE constraint.
            if try await self.account(email: email) != nil { throw StoreError.duplicateEmail }
            throw error
        }
        // Patients may have shared with this email before the clinician signed up.
        try await acceptInvitations(clinician: account)
        return account
    }

    public func account(email: String) async throws -> Account? {
        try await db.select().column("*").from("accounts").where("email", .equal, SQLBind(email.lowercased()))
            .first().map(Self.account)
    }

    public func account(id: String) async throws -> Account? {
        try await db.select().column("*").from("accounts").where("id", .equal, SQLBind(id)).first().map(Self.account)
    }

    static func account(_ row: any SQLRow) throws -> Account {
        let medicines = try row.decode(column: "medicines", as: String.self).split(separator: ",")
            .compactMap { SafetyProfile.Medicine(rawValue: String($0)) }
        return Account(
            id: try row.decode(column: "id", as: String.self), email: try row.decode(column: "email", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self),
            role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .patient,
            safetyProfile: SafetyProfile(kidneyDisease: try row.decode(column: "kidney_disease", as: Bool.self),
                                         medicines: Set(medicines)),
            createdAt: try row.decode(column: "created_at", as: Int.self),
            missedUseDays: try row.decode(column: "missed_use_days", as: Int.self))
    }

    public func updateSafetyProfile(accountID: String, _ profile: SafetyProfile) async throws {
        try await db.update("accounts")
            .set("kidney_disease", to: SQLBind(profile.kidneyDisease))
            .set("medicines", to: SQLBind(profile.medicines.map(\.rawValue).sorted().joined(separator: ",")))
            .where("id", .equal, SQLBind(accountID)).run()
    }

    public func updateMissedUseDays(accountID: String, days: Int) async throws {
        try await db.update("accounts").set("missed_use_days", to: SQLBind(days)).where("id", .equal, SQLBind(accountID)).run()
    }

    public func ping() async throws {
        try await db.raw("SELECT 1").run()
    }

    /// `VACUUM INTO` a new file (SQLite only): see `Database.backup`.
    func vacuum(into path: String) async throws {
        try await db.raw("VACUUM INTO \(literal: path)").run()
    }

    public func updateRole(accountID: String, role: Role) async throws {
        try await db.update("accounts").set("role", to: SQLBind(role.rawValue)).where("id", .equal, SQLBind(accountID)).run()
        if role == .clinician, let account = try await account(id: accountID) { try await acceptInvitations(clinician: account) }
    }

    public func deleteAccount(id: String) async throws {
        try await db.delete(from: "accounts").where("id", .equal, SQLBind(id)).run()
    }

    // MARK: Sessions

    public func createSession(_ s: StoredSession) async throws {
        try await db.insert(into: "sessions")
            .columns("token_hash", "account_id", "kind", "csrf_token", "expires_at", "created_at", "last_seen_at")
            .values(SQLBind(s.tokenHash), SQLBind(s.accountID), SQLBind(s.kind.rawValue), SQLBind(s.csrfToken),
                    SQLBind(s.expiresAt), SQLBind(s.createdAt), SQLBind(s.lastSeenAt))
            .run()
    }

    public func session(tokenHash: String) async throws -> StoredSession? {
        try await db.select().column("*").from("sessions").where("token_hash", .equal, SQLBind(tokenHash)).first().map(Self.session)
    }

    static func session(_ row: any SQLRow) throws -> StoredSession {
        StoredSession(tokenHash: try row.decode(column: "token_hash", as: String.self),
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
        let row = try await db.raw("""
            SELECT s.token_hash, s.kind, s.csrf_token, s.expires_at, s.created_at AS session_created_at, s.last_seen_at, a.* FROM sessions s
            JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = \(bind: tokenHash)
            """).first()
        guard let row else { return nil }
        let account = try Self.account(row)
        let session = StoredSession(tokenHash: try row.decode(column: "token_hash", as: String.self), accountID: account.id,
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

    // MARK: Diary

    public func saveDiaryEntry(_ e: DiaryEntry, accountID: String) async throws {
        try await Self.upsert(e, accountID: accountID, on: db)
    }

    static let diaryColumns = ["account_id", "date", "pain", "enjoyment", "activity", "spasms", "stiffness", "sleep",
                               "side_effects", "note"]

    static func upsert(_ e: DiaryEntry, accountID: String, on db: any SQLDatabase) async throws {
        try await db.insert(into: "diary_entries").columns(diaryColumns)
            .values(SQLBind(accountID), SQLBind(e.date.description), SQLBind(e.pain), SQLBind(e.enjoyment),
                    SQLBind(e.activity), SQLBind(e.spasms), SQLBind(e.stiffness), SQLBind(e.sleep),
                    SQLBind(e.sideEffects.map(\.rawValue).sorted().joined(separator: ",")), SQLBind(e.note))
            .onConflict(with: ["account_id", "date"]) { update in
                var u = update
                for column in diaryColumns.dropFirst(2) { u = u.set(excludedValueOf: column) }
                return u
            }
            .run()
    }

    public func diaryEntry(accountID: String, date: CalendarDate) async throws -> DiaryEntry? {
        try await db.select().column("*").from("diary_entries")
            .where("account_id", .equal, SQLBind(accountID)).where("date", .equal, SQLBind(date.description))
            .first().map(Self.diaryEntry)
    }

    public func diaryEntries(accountID: String, from: CalendarDate, to: CalendarDate) async throws -> [DiaryEntry] {
        try await db.select().column("*").from("diary_entries")
            .where("account_id", .equal, SQLBind(accountID))
            .where("date", .greaterThanOrEqual, SQLBind(from.description))
            .where("date", .lessThanOrEqual, SQLBind(to.description))
            .orderBy("date").all().map(Self.diaryEntry)
    }

    public func latestDiaryEntry(accountID: String) async throws -> DiaryEntry? {
        try await db.select().column("*").from("diary_entries").where("account_id", .equal, SQLBind(accountID))
            .orderBy("date", .descending).limit(1).first().map(Self.diaryEntry)
    }

    static func diaryEntry(_ row: any SQLRow) throws -> DiaryEntry {
        let dateText = try row.decode(column: "date", as: String.self)
        guard let date = CalendarDate(iso: dateText) else { throw StoreError(.unavailable, "A stored date is unreadable.") }
        let effects = try row.decode(column: "side_effects", as: String.self).split(separator: ",")
            .compactMap { DiaryEntry.SideEffect(rawValue: String($0)) }
        return DiaryEntry(
            date: date, pain: try row.decode(column: "pain", as: Int.self),
            enjoyment: try row.decode(column: "enjoyment", as: Int?.self),
            activity: try row.decode(column: "activity", as: Int?.self), spasms: try row.decode(column: "spasms", as: Int?.self),
            stiffness: try row.decode(column: "stiffness", as: Int?.self), sleep: try row.decode(column: "sleep", as: Int?.self),
            sideEffects: Set(effects), note: try row.decode(column: "note", as: String.self))
    }

    public func deleteDiaryEntry(accountID: String, date: CalendarDate) async throws -> Bool {
        guard try await diaryEntry(accountID: accountID, date: date) != nil else { return false }
        try await db.delete(from: "diary_entries").where("account_id", .equal, SQLBind(accountID))
            .where("date", .equal, SQLBind(date.description)).run()
        return true
    }

    // MARK: Doses

    public func addDose(_ dose: Dose, accountID: String) async throws -> String {
        try await Self.insert(dose, accountID: accountID, on: db)
    }

    static func insert(_ d: Dose, accountID: String, on db: any SQLDatabase) async throws -> String {
        let id = newID()
        let source: String
        switch d.elementalSource {
        case .label: source = "label"
        case .computed(let salt): source = "computed:" + salt
        case .strength: source = "strength"
        }
        try await db.insert(into: "doses")
            .columns("id", "account_id", "taken_at", "product", "route", "salt", "amount", "unit", "elemental_mg",
                     "elemental_source", "site")
            .values(SQLBind(id), SQLBind(accountID), SQLBind(d.takenAt.description), SQLBind(d.product),
                    SQLBind(d.route.rawValue), SQLBind(d.salt?.id), SQLBind(d.amount), SQLBind(d.unit.rawValue),
                    SQLBind(d.elementalMilligrams), SQLBind(source), SQLBind(d.site))
            .run()
        return id
    }

    public func doses(accountID: String, from: CalendarDate, to: CalendarDate) async throws -> [StoredDose] {
        // taken_at is "YYYY-MM-DDTHH:MM", so a text range covers whole days. The upper bound is
        // the last day followed by "U" (just above its "T"), never the next day's text: the day
        // after 9999-12-31 is "10000-01-01", which sorts before every real date and emptied the
        // whole-history export.
        try await db.select().column("*").from("doses")
            .where("account_id", .equal, SQLBind(accountID))
            .where("taken_at", .greaterThanOrEqual, SQLBind(from.description))
            .where("taken_at", .lessThan, SQLBind(to.description + "U"))
            .orderBy("taken_at").all().map(Self.dose)
    }

    static func dose(_ row: any SQLRow) throws -> StoredDose {
        let unreadable = StoreError(.unavailable, "A stored dose is unreadable.")
        guard let takenAt = LocalDateTime(iso: try row.decode(column: "taken_at", as: String.self)),
              let route = Route(rawValue: try row.decode(column: "route", as: String.self)),
              let unit = DoseUnit(rawValue: try row.decode(column: "unit", as: String.self)) else { throw unreadable }
        let sourceText = try row.decode(column: "elemental_source", as: String.self)
        let source: Dose.ElementalSource = sourceText.hasPrefix("computed:")
            ? .computed(salt: String(sourceText.dropFirst("computed:".count))) : sourceText == "strength" ? .strength : .label
        let dose = Dose(takenAt: takenAt, product: try row.decode(column: "product", as: String.self), route: route,
                        salt: try row.decode(column: "salt", as: String?.self).flatMap(MagnesiumSalt.named),
                        amount: try row.decode(column: "amount", as: Double.self), unit: unit,
                        elementalMilligrams: try row.decode(column: "elemental_mg", as: Double.self),
                        elementalSource: source, site: try row.decode(column: "site", as: String?.self))
        return StoredDose(id: try row.decode(column: "id", as: String.self), dose: dose)
    }

    public func deleteDose(id: String, accountID: String) async throws -> Bool {
        try await deleteOwned("doses", id: id, accountID: accountID)
    }

    /// Deletes the row with this id only if it belongs to the account; false when there is none.
    private func deleteOwned(_ table: String, id: String, accountID: String) async throws -> Bool {
        let found = try await db.select().column("id").from(table).where("id", .equal, SQLBind(id))
            .where("account_id", .equal, SQLBind(accountID)).first()
        guard found != nil else { return false }
        try await db.delete(from: table).where("id", .equal, SQLBind(id)).where("account_id", .equal, SQLBind(accountID)).run()
        return true
    }

    // MARK: Products

    public func saveProduct(_ p: Product, accountID: String) async throws {
        try await db.insert(into: "products")
            .columns("id", "account_id", "name", "route", "salt", "amount", "unit", "elemental_mg", "site", "is_regular",
                     "strength_basis", "strength_value", "strength_per")
            .values(SQLBind(p.id), SQLBind(accountID), SQLBind(p.name), SQLBind(p.route.rawValue), SQLBind(p.salt?.id),
                    SQLBind(p.amount), SQLBind(p.unit.rawValue), SQLBind(p.elementalMilligrams), SQLBind(p.site),
                    SQLBind(p.isRegular), SQLBind(p.strength?.basis.rawValue), SQLBind(p.strength?.value),
                    SQLBind(p.strength?.per.rawValue))
            // Product ids are per account: the key is (account_id, id), so one person's save can
            // never overwrite another's product.
            .onConflict(with: ["account_id", "id"]) { update in
                var u = update
                for column in ["name", "route", "salt", "amount", "unit", "elemental_mg", "site", "is_regular",
                               "strength_basis", "strength_value", "strength_per"] {
                    u = u.set(excludedValueOf: column)
                }
                return u
            }
            .run()
    }

    public func products(accountID: String) async throws -> [Product] {
        try await db.select().column("*").from("products").where("account_id", .equal, SQLBind(accountID))
            .orderBy("name").all().map { row in
                guard let route = Route(rawValue: try row.decode(column: "route", as: String.self)),
                      let unit = DoseUnit(rawValue: try row.decode(column: "unit", as: String.self)) else {
                    throw StoreError(.unavailable, "A stored product is unreadable.")
                }
                let salt = try row.decode(column: "salt", as: String?.self).flatMap(MagnesiumSalt.named)
                var strength: LabelStrength?
                if let basis = try row.decode(column: "strength_basis", as: String?.self).flatMap(LabelStrength.Basis.init(rawValue:)),
                   let value = try row.decode(column: "strength_value", as: Double?.self),
                   let per = try row.decode(column: "strength_per", as: String?.self).flatMap(DoseUnit.init(rawValue:)) {
                    strength = LabelStrength(basis: basis, value: value, per: per, salt: salt)
                }
                return Product(id: try row.decode(column: "id", as: String.self), name: try row.decode(column: "name", as: String.self),
                               route: route, salt: salt,
                               amount: try row.decode(column: "amount", as: Double.self), unit: unit,
                               elementalMilligrams: try row.decode(column: "elemental_mg", as: Double?.self),
                               site: try row.decode(column: "site", as: String?.self), strength: strength,
                               isRegular: try row.decode(column: "is_regular", as: Bool.self))
            }
    }

    public func deleteProduct(id: String, accountID: String) async throws -> Bool {
        try await deleteOwned("products", id: id, accountID: accountID)
    }

    // MARK: Sharing

    public func share(patientID: String, clinicianID: String) async throws {
        guard try await !isShared(patientID: patientID, clinicianID: clinicianID) else { return }
        try await db.insert(into: "shares").columns("patient_id", "clinician_id", "created_at")
            .values(SQLBind(patientID), SQLBind(clinicianID), SQLBind(Self.now())).run()
    }

    public func failures(key: String, window: Int, now: Int) async throws -> Int {
        let start = now - now % window
        return try await db.select().column("count").from("rate_limits").where("key", .equal, SQLBind(key))
            .where("window_start", .equal, SQLBind(start)).first()?.decode(column: "count", as: Int.self) ?? 0
    }

    public func recordFailure(key: String, window: Int, now: Int) async throws {
        let start = now - now % window
        // One statement on both databases: a new window starts the count again.
        try await db.raw("""
            INSERT INTO rate_limits (key, window_start, count) VALUES (\(bind: key), \(bind: start), 1)
            ON CONFLICT (key) DO UPDATE SET
              count = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.count + 1 ELSE 1 END,
              window_start = excluded.window_start
            """).run()
    }

    public func recordAccess(patientID: String, viewer: Account, what: String) async throws {
        try await db.insert(into: "access_log").columns("patient_id", "viewer_id", "viewer_email", "what", "at")
            .values(SQLBind(patientID), SQLBind(viewer.id), SQLBind(viewer.email), SQLBind(what), SQLBind(Self.now())).run()
    }

    public func accessLog(patientID: String, limit: Int) async throws -> [AccessRecord] {
        try await db.select().columns("viewer_email", "what", "at").from("access_log").where("patient_id", .equal, SQLBind(patientID))
            .orderBy("at", .descending).limit(limit).all().map {
                AccessRecord(viewerEmail: try $0.decode(column: "viewer_email", as: String.self),
                             what: try $0.decode(column: "what", as: String.self), at: try $0.decode(column: "at", as: Int.self))
            }
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

    // MARK: Import

    public func importRecords(accountID: String, diary: [DiaryEntry], doses: [Dose]) async throws {
        try await SQLTransaction.run(on: db) { tx in
            for entry in diary { try await Self.upsert(entry, accountID: accountID, on: tx) }
            for dose in doses { _ = try await Self.insert(dose, accountID: accountID, on: tx) }
        }
    }
}
