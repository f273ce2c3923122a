import EpsomCore
import EpsomStorage

/// The demo account of `epsom serve --demo`: recreated on every start with fresh synthetic data.
public enum DemoAccount {
    public static let email = "demo@epsom.example"

    public static func seed(in store: any Store, today: CalendarDate, bcryptCost: UInt8 = 12) async throws -> (email: String, password: String) {
        if let old = try await store.account(email: email) { try await store.deleteAccount(id: old.id) }
        let password = "demo-" + Tokens.random().prefix(12)
        let hash = try await Passwords(cost: bcryptCost).hash(password)
        let account = try await store.createAccount(NewAccount(email: email, name: "Demo Patient", passwordHash: hash))
        let data = DemoData.generate(endingOn: today)
        try await store.importRecords(accountID: account.id, diary: data.entries, doses: data.doses)
        for product in data.products { try await store.saveProduct(product, accountID: account.id) }
        return (email, password)
    }
}
