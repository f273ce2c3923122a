import EpsomCore
import Foundation
import SQLKit

extension SQLStore {
    public func createTrial(_ t: Trial, accountID: String) async throws {
        try await Self.insert(t, accountID: accountID, createdAt: Self.now(), on: db)
    }

    /// The trial's row and its amendments (a new trial has none).
    static func insert(_ t: Trial, accountID: String, createdAt: Int, on db: any SQLDatabase) async throws {
        try await db.insert(into: "trials")
            .columns(
                "id", "account_id", "design_json", "schedule_json", "protocol_json", "protocol_hash", "registered_on",
                "stopped_on", "stop_reason", "consent_to_pool", "allocation_shown_on", "created_at"
            )
            .values(
                SQLBind(t.id), SQLBind(accountID), SQLBind(try Self.json(t.design)), SQLBind(try Self.json(t.schedule)),
                SQLBind(t.registeredProtocol.json), SQLBind(t.registeredProtocol.sha256),
                t.registeredOn.stored, SQLBind(t.stoppedOn?.dayNumber), SQLBind(t.stopReason),
                SQLBind(t.consentToPool), SQLBind(t.allocationSheetShownOn?.dayNumber), SQLBind(createdAt)
            )
            .run()
        for a in t.amendments { try await insert(a, trialID: t.id, on: db) }
    }

    static func insert(_ a: TrialAmendment, trialID: String, on db: any SQLDatabase) async throws {
        try await db.insert(into: "trial_amendments")
            .columns("trial_id", "number", "date", "change", "reason", "protocol_json", "protocol_hash")
            .values(
                SQLBind(trialID), SQLBind(a.number), a.date.stored, SQLBind(a.change), SQLBind(a.reason),
                SQLBind(a.protocolJSON), SQLBind(a.protocolHash)
            )
            .run()
    }

    public func trials(accountID: String) async throws -> [Trial] {
        let rows = try await db.select().column("*").from("trials").where("account_id", .equal, SQLBind(accountID))
            .orderBy("created_at", .descending).all()
        var trials: [Trial] = []
        for row in rows { trials.append(try await trial(row)) }
        return trials
    }

    public func trial(id: String, accountID: String) async throws -> Trial? {
        guard
            let row = try await db.select().column("*").from("trials").where("id", .equal, SQLBind(id))
                .where("account_id", .equal, SQLBind(accountID)).first()
        else { return nil }
        return try await trial(row)
    }

    public func trial(feedTokenHash: String) async throws -> (trial: Trial, accountID: String)? {
        guard
            let row = try await db.select().column("*").from("trials").where("feed_token_hash", .equal, SQLBind(feedTokenHash))
                .first()
        else { return nil }
        return (try await trial(row), try row.decode(column: "account_id", as: String.self))
    }

    public func consentedTrials() async throws -> [(trial: Trial, accountID: String)] {
        let rows = try await db.select().column("*").from("trials").where("consent_to_pool", .equal, SQLBind(true))
            .orderBy("id").all()
        var result: [(trial: Trial, accountID: String)] = []
        for row in rows { result.append((try await trial(row), try row.decode(column: "account_id", as: String.self))) }
        return result
    }

    public func updateTrial(_ t: Trial, accountID: String) async throws {
        guard try await trial(id: t.id, accountID: accountID) != nil else { throw StoreError.trialNotFound }
        let design = try Self.json(t.design), schedule = try Self.json(t.schedule)
        try await SQLTransaction.run(on: db) { tx in
            try await tx.update("trials")
                .set("design_json", to: SQLBind(design)).set("schedule_json", to: SQLBind(schedule))
                .set("stopped_on", to: SQLBind(t.stoppedOn?.dayNumber)).set("stop_reason", to: SQLBind(t.stopReason))
                .set("consent_to_pool", to: SQLBind(t.consentToPool))
                .set("allocation_shown_on", to: SQLBind(t.allocationSheetShownOn?.dayNumber))
                .where("id", .equal, SQLBind(t.id)).where("account_id", .equal, SQLBind(accountID)).run()
            let stored = try await tx.select().column("number").from("trial_amendments").where("trial_id", .equal, SQLBind(t.id))
                .all().map { try $0.decode(column: "number", as: Int.self) }
            for a in t.amendments where !stored.contains(a.number) { try await Self.insert(a, trialID: t.id, on: tx) }
        }
    }

    public func saveTrialDay(_ day: TrialDay, trialID: String, accountID: String) async throws {
        guard try await ownsTrial(trialID, accountID: accountID) else { throw StoreError.trialNotFound }
        try await Self.changingRecords(of: accountID, on: db, oneStatement: true) { records in
            try await Self.upsert(day, trialID: trialID, in: records)
        }
    }

    /// A day of one of the account's trials (the caller checked that the trial is theirs).
    static func upsert(_ day: TrialDay, trialID: String, in records: RecordsTransaction) async throws {
        try await records.db.insert(into: "trial_days").columns("trial_id", "date", "adherence", "amount", "severe_side_effect")
            .values(
                SQLBind(trialID), day.date.stored, SQLBind(day.adherence.rawValue), SQLBind(day.amount),
                SQLBind(day.severeSideEffect)
            )
            .onConflict(with: ["trial_id", "date"]) { update in
                update.set(excludedValueOf: "adherence").set(excludedValueOf: "amount").set(excludedValueOf: "severe_side_effect")
            }
            .run()
    }

    public func trialDays(trialID: String, accountID: String) async throws -> [TrialDay] {
        guard try await ownsTrial(trialID, accountID: accountID) else { return [] }
        return try await db.select().column("*").from("trial_days").where("trial_id", .equal, SQLBind(trialID))
            .orderBy("date").all().map(Self.trialDay)
    }

    static func trialDay(_ row: any SQLRow) throws -> TrialDay {
        let date = try CalendarDate.stored(row, "date")
        guard let adherence = TrialDay.Adherence(rawValue: try row.decode(column: "adherence", as: String.self)) else {
            throw StoreError(.unavailable, "A stored trial day is unreadable.")
        }
        return TrialDay(
            date: date, adherence: adherence, amount: try row.decode(column: "amount", as: Double?.self),
            severeSideEffect: try row.decode(column: "severe_side_effect", as: Bool.self))
    }

    public func setTrialFeedToken(trialID: String, accountID: String, tokenHash: String?) async throws {
        guard try await ownsTrial(trialID, accountID: accountID) else { throw StoreError.trialNotFound }
        try await db.update("trials").set("feed_token_hash", to: SQLBind(tokenHash)).where("id", .equal, SQLBind(trialID))
            .where("account_id", .equal, SQLBind(accountID)).run()
    }

    private func ownsTrial(_ id: String, accountID: String) async throws -> Bool {
        try await db.select().column("id").from("trials").where("id", .equal, SQLBind(id))
            .where("account_id", .equal, SQLBind(accountID)).first() != nil
    }

    func trial(_ row: any SQLRow) async throws -> Trial {
        let id = try row.decode(column: "id", as: String.self)
        let amendments = try await db.select().column("*").from("trial_amendments").where("trial_id", .equal, SQLBind(id))
            .orderBy("number").all().map(Self.trialAmendment)
        return try Self.trial(row, amendments: amendments)
    }

    static func trialAmendment(_ a: any SQLRow) throws -> TrialAmendment {
        TrialAmendment(
            number: try a.decode(column: "number", as: Int.self), date: try CalendarDate.stored(a, "date"),
            change: try a.decode(column: "change", as: String.self),
            reason: try a.decode(column: "reason", as: String.self),
            protocolJSON: try a.decode(column: "protocol_json", as: String.self),
            protocolHash: try a.decode(column: "protocol_hash", as: String.self))
    }

    /// A trial from its row (the columns of `trials`) and its amendments, read apart.
    static func trial(_ row: any SQLRow, amendments: [TrialAmendment]) throws -> Trial {
        let unreadable = StoreError(.unavailable, "A stored trial is unreadable.")
        let id = try row.decode(column: "id", as: String.self)
        let decoder = JSONDecoder()
        guard let design = try? decoder.decode(TrialDesign.self, from: Data(try row.decode(column: "design_json", as: String.self).utf8)),
            let schedule = try? decoder.decode(
                TrialSchedule.self, from: Data(try row.decode(column: "schedule_json", as: String.self).utf8))
        else { throw unreadable }
        let registeredOn = try CalendarDate.stored(row, "registered_on")
        let registered = TrialProtocol(
            json: try row.decode(column: "protocol_json", as: String.self),
            sha256: try row.decode(column: "protocol_hash", as: String.self))
        return Trial(
            id: id, design: design, schedule: schedule, registeredProtocol: registered, registeredOn: registeredOn,
            amendments: amendments, stoppedOn: try CalendarDate.storedIfPresent(row, "stopped_on"),
            stopReason: try row.decode(column: "stop_reason", as: String?.self),
            consentToPool: try row.decode(column: "consent_to_pool", as: Bool.self),
            allocationSheetShownOn: try CalendarDate.storedIfPresent(row, "allocation_shown_on"))
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
