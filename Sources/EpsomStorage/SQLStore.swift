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
    public func migrate() async throws -> [String] { try await migrate(Migrations.all) }

    @discardableResult
    func migrate(_ migrations: [Migration]) async throws -> [String] { try await Migrations.run(on: db, migrations: migrations) }

    static func newID() -> String { UUID().uuidString.lowercased() }
    static func now() -> Int { Int(Date().timeIntervalSince1970) }

    // MARK: Accounts

    public func createAccount(_ new: NewAccount) async throws -> Account {
        let email = new.email.lowercased()
        if try await account(email: email) != nil { throw StoreError.duplicateEmail }
        let account = Account(
            id: Self.newID(), email: email, name: new.name, passwordHash: new.passwordHash,
            role: new.role, safetyProfile: .init(), createdAt: Self.now(), timeZone: new.timeZone)
        do {
            try await db.insert(into: "accounts")
                .columns("id", "email", "name", "password_hash", "role", "kidney_disease", "medicines", "created_at", "time_zone")
                .values(
                    SQLBind(account.id), SQLBind(email), SQLBind(account.name), SQLBind(account.passwordHash),
                    SQLBind(account.role.rawValue), SQLBind(false), SQLBind(""), SQLBind(account.createdAt),
                    SQLBind(account.timeZone)
                )
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
            safetyProfile: SafetyProfile(
                kidneyDisease: try row.decode(column: "kidney_disease", as: Bool.self),
                medicines: Set(medicines)),
            createdAt: try row.decode(column: "created_at", as: Int.self),
            missedUseDays: try row.decode(column: "missed_use_days", as: Int.self),
            timeZone: try row.decode(column: "time_zone", as: String.self))
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

    public func updateTimeZone(accountID: String, identifier: String) async throws {
        try await db.update("accounts").set("time_zone", to: SQLBind(identifier)).where("id", .equal, SQLBind(accountID)).run()
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

    // MARK: Diary

    public func saveDiaryEntry(_ e: DiaryEntry, accountID: String) async throws {
        try await Self.changingRecords(of: accountID, on: db, oneStatement: true) { records in try await Self.upsert(e, in: records) }
    }

    static let diaryColumns = [
        "account_id", "date", "pain", "enjoyment", "activity", "spasms", "stiffness", "sleep",
        "side_effects", "note",
    ]

    static func upsert(_ e: DiaryEntry, in records: RecordsTransaction) async throws {
        try await records.db.insert(into: "diary_entries").columns(diaryColumns).values(diaryValues(e, accountID: records.accountID))
            .onConflict(with: ["account_id", "date"]) { update in updateDiaryColumns(update) }
            .run()
    }

    static func diaryValues(_ e: DiaryEntry, accountID: String) -> [any SQLExpression] {
        [
            SQLBind(accountID), e.date.stored, SQLBind(e.pain), SQLBind(e.enjoyment),
            SQLBind(e.activity), SQLBind(e.spasms), SQLBind(e.stiffness), SQLBind(e.sleep),
            SQLBind(e.sideEffects.map(\.rawValue).sorted().joined(separator: ",")), SQLBind(e.note),
        ]
    }

    /// An upsert replaces every value but the key.
    static func updateDiaryColumns(_ update: SQLConflictUpdateBuilder) -> SQLConflictUpdateBuilder {
        var u = update
        for column in diaryColumns.dropFirst(2) { u = u.set(excludedValueOf: column) }
        return u
    }

    public func diaryEntry(accountID: String, date: CalendarDate) async throws -> DiaryEntry? {
        try await db.select().column("*").from("diary_entries")
            .where("account_id", .equal, SQLBind(accountID)).where("date", .equal, date.stored)
            .first().map(Self.diaryEntry)
    }

    public func diaryEntries(accountID: String, from: CalendarDate, to: CalendarDate) async throws -> [DiaryEntry] {
        try await db.select().column("*").from("diary_entries")
            .where("account_id", .equal, SQLBind(accountID))
            .where("date", .greaterThanOrEqual, from.stored)
            .where("date", .lessThanOrEqual, to.stored)
            .orderBy("date").all().map(Self.diaryEntry)
    }

    public func latestDiaryEntry(accountID: String) async throws -> DiaryEntry? {
        try await db.select().column("*").from("diary_entries").where("account_id", .equal, SQLBind(accountID))
            .orderBy("date", .descending).limit(1).first().map(Self.diaryEntry)
    }

    static func diaryEntry(_ row: any SQLRow) throws -> DiaryEntry {
        let date = try CalendarDate.stored(row, "date")
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
        try await Self.changingRecords(of: accountID, on: db) { records in
            try await records.db.raw(
                "DELETE FROM diary_entries WHERE account_id = \(bind: accountID) AND date = \(bind: date.dayNumber) RETURNING date"
            ).all().isEmpty == false
        }
    }

    // MARK: Doses

    public func addDose(_ dose: Dose, accountID: String) async throws -> String {
        try await Self.insert(dose, accountID: accountID, on: db)
    }

    @discardableResult
    static func insert(_ d: Dose, id: String = newID(), accountID: String, on db: any SQLDatabase) async throws -> String {
        try await db.insert(into: "doses").columns(doseColumns).values(doseValues(d, id: id, accountID: accountID)).run()
        return id
    }

    static let doseColumns = [
        "id", "account_id", "taken_at", "taken_at_utc", "utc_offset_minutes", "product", "route", "salt",
        "amount", "unit", "elemental_mg", "elemental_source", "site",
    ]

    static func doseValues(_ d: Dose, id: String, accountID: String) -> [any SQLExpression] {
        let source: String
        switch d.elementalSource {
        case .label: source = "label"
        case .computed(let salt): source = "computed:" + salt
        case .strength: source = "strength"
        }
        return [
            SQLBind(id), SQLBind(accountID), SQLBind(d.takenAt.storedMinutes), SQLBind(d.time.instant),
            SQLBind(d.time.utcOffsetMinutes), SQLBind(d.product),
            SQLBind(d.route.rawValue), SQLBind(d.salt?.id), SQLBind(d.amount), SQLBind(d.unit.rawValue),
            SQLBind(d.elementalMilligrams), SQLBind(source), SQLBind(d.site),
        ]
    }

    public func doses(accountID: String, from: CalendarDate, to: CalendarDate) async throws -> [StoredDose] {
        // taken_at counts wall-clock minutes (migration 0011) on the account's clock when the dose
        // was taken, so whole local days are the minutes from the first day's midnight to the
        // one after the last day.
        try await db.select().column("*").from("doses")
            .where("account_id", .equal, SQLBind(accountID))
            .where("taken_at", .greaterThanOrEqual, SQLBind(from.dayNumber * 1440))
            .where("taken_at", .lessThan, SQLBind((to.dayNumber + 1) * 1440))
            .orderBy("taken_at").orderBy("taken_at_utc").orderBy("id").all().map(Self.dose)
    }

    static func dose(_ row: any SQLRow) throws -> StoredDose {
        let unreadable = StoreError(.unavailable, "A stored dose is unreadable.")
        // The instant and offset (migration 0012); taken_at, the wall clock they make, is kept
        // for day ranges.
        let time = Timestamp(
            instant: try row.decode(column: "taken_at_utc", as: Int.self),
            utcOffsetMinutes: try row.decode(column: "utc_offset_minutes", as: Int.self))
        guard let route = Route(rawValue: try row.decode(column: "route", as: String.self)),
            let unit = DoseUnit(rawValue: try row.decode(column: "unit", as: String.self))
        else { throw unreadable }
        let sourceText = try row.decode(column: "elemental_source", as: String.self)
        let source: Dose.ElementalSource =
            sourceText.hasPrefix("computed:")
            ? .computed(salt: String(sourceText.dropFirst("computed:".count))) : sourceText == "strength" ? .strength : .label
        let dose = Dose(
            time: time, product: try row.decode(column: "product", as: String.self), route: route,
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
        try await Self.save(p, accountID: accountID, on: db)
    }

    static func save(_ p: Product, accountID: String, on db: any SQLDatabase) async throws {
        try await db.insert(into: "products")
            .columns(
                "id", "account_id", "name", "route", "salt", "amount", "unit", "elemental_mg", "site", "is_regular",
                "strength_basis", "strength_value", "strength_per"
            )
            .values(
                SQLBind(p.id), SQLBind(accountID), SQLBind(p.name), SQLBind(p.route.rawValue), SQLBind(p.salt?.id),
                SQLBind(p.amount), SQLBind(p.unit.rawValue), SQLBind(p.elementalMilligrams), SQLBind(p.site),
                SQLBind(p.isRegular), SQLBind(p.strength?.basis.rawValue), SQLBind(p.strength?.value),
                SQLBind(p.strength?.per.rawValue)
            )
            // Product ids are per account: the key is (account_id, id), so one person's save can
            // never overwrite another's product.
            .onConflict(with: ["account_id", "id"]) { update in
                var u = update
                for column in [
                    "name", "route", "salt", "amount", "unit", "elemental_mg", "site", "is_regular",
                    "strength_basis", "strength_value", "strength_per",
                ] {
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
                    let unit = DoseUnit(rawValue: try row.decode(column: "unit", as: String.self))
                else {
                    throw StoreError(.unavailable, "A stored product is unreadable.")
                }
                let salt = try row.decode(column: "salt", as: String?.self).flatMap(MagnesiumSalt.named)
                var strength: LabelStrength?
                if let basis = try row.decode(column: "strength_basis", as: String?.self).flatMap(LabelStrength.Basis.init(rawValue:)),
                    let value = try row.decode(column: "strength_value", as: Double?.self),
                    let per = try row.decode(column: "strength_per", as: String?.self).flatMap(DoseUnit.init(rawValue:))
                {
                    strength = LabelStrength(basis: basis, value: value, per: per, salt: salt)
                }
                return Product(
                    id: try row.decode(column: "id", as: String.self), name: try row.decode(column: "name", as: String.self),
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
}
