import EpsomCore
import EpsomStorage
import Foundation

/// The demo account of `epsom serve --demo`: made once with synthetic data, then kept as it is
/// (with whatever the visitor added) across restarts; `reset` makes it anew.
public enum DemoAccount {
    public static let email = "demo@epsom.example"

    /// Makes the demo account and returns its login, or nil when it already exists and is kept.
    public static func seed(in store: any Store, today: CalendarDate, bcryptCost: UInt8 = 12, reset: Bool = false) async throws
        -> (email: String, password: String)?
    {
        if let old = try await store.account(email: email) {
            guard reset else { return nil }
            try await store.deleteAccount(id: old.id)
        }
        let password = "demo-" + Tokens.random().prefix(12)
        let hash = try await Passwords(cost: bcryptCost).hash(password)
        let account = try await store.createAccount(NewAccount(email: email, name: "Demo Patient", passwordHash: hash))
        let data = DemoData.generate(endingOn: today)
        // A finished blinded trial of cream vs placebo cream that ended a week ago: during it the
        // diary is the trial's and the cream came from the coded jars.
        let trial = DemoTrial.generate(lastDay: today.adding(days: -8), id: UUID().uuidString.lowercased())
        let window = trial.trial.design.startDate...trial.trial.lastDay
        let diary = data.entries.filter { !window.contains($0.date) } + trial.diary
        let doses = data.doses.filter { !($0.route.isTransdermal && window.contains($0.takenAt.date)) }
        try await store.importRecords(accountID: account.id, diary: diary, doses: doses)
        for product in data.products { try await store.saveProduct(product, accountID: account.id) }
        var registered = trial.trial
        registered.consentToPool = true
        registered.allocationSheetShownOn = registered.design.startDate.adding(days: -1)
        try await store.createTrial(registered, accountID: account.id)
        for day in trial.adherence { try await store.saveTrialDay(day, trialID: registered.id, accountID: account.id) }
        return (email, password)
    }
}
