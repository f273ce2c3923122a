import EpsomCore
import EpsomStorage
import Foundation
import HTTPTypes
import Hummingbird

/// Accounts and sessions: sign up, sign in (a token for API clients), sign out, erase.
struct AccountsAPI {
    let store: any Store
    let passwords: Passwords
    let decoyHash: String
    let limiter: SignInLimiter
    let sessions: SessionIssuer

    var endpoints: [Endpoint] {
        [
            Endpoint(
                .post, "accounts", "Create an account", for: .anyone, body: .json(.init(Wire.SignUp.self)), success: .created,
                errors: [.conflict], createAccount),
            Endpoint(
                .post, "sessions", "Sign in: answers a bearer token", for: .anyone, body: .json(.init(Wire.SignIn.self)), success: .created,
                errors: [.unauthorized, .tooManyRequests], createSession),
            Endpoint(.delete, "sessions", "Sign out: ends the current token or session", for: .owner, reply: .noContent, deleteSession),
            Endpoint(.delete, "account", "Erase the account and all of its data", for: .owner, reply: .noContent, deleteAccount),
        ]
    }

    static let timeZoneRequirement = "must be a time zone by its IANA name, e.g. Europe/London, America/New_York or UTC"

    typealias SignUp = (email: String, password: String, name: String, role: Role, timeZone: String)

    /// Checks sign-up fields; the same rules serve the web form.
    static func validateSignUp(_ f: [String: String]) throws(FieldErrors) -> SignUp {
        var errors = FieldErrors()
        let email = (f["email"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let parts = email.split(separator: "@")
        if email.isEmpty {
            errors.add("email", "is required")
        } else if email.count > 254 || parts.count != 2 || !parts[1].contains(".") || email.contains(" ") {
            errors.add("email", "must be an email address")
        }
        let password = f["password"] ?? ""
        if password.count < Passwords.minimumLength {
            errors.add("password", "must have at least \(Passwords.minimumLength) characters")
        } else if password.utf8.count > Passwords.maximumLength {
            errors.add("password", "must have at most \(Passwords.maximumLength) bytes")
        }
        let name = (f["name"] ?? "").trimmingCharacters(in: .whitespaces)
        if name.isEmpty {
            errors.add("name", "is required")
        } else if name.count > 100 {
            errors.add("name", "must be at most 100 characters")
        }
        let role = Role(rawValue: f["role"] ?? "patient")
        if role == nil { errors.add("role", "must be patient, clinician or pharmacist") }
        var timeZone = "UTC"
        if let given = f["time_zone"], !given.trimmingCharacters(in: .whitespaces).isEmpty {
            if let zone = Account.timeZoneIdentifier(given) { timeZone = zone } else { errors.add("time_zone", timeZoneRequirement) }
        }
        try errors.check()
        return (email, password, name, role!, timeZone)
    }

    @Sendable func createAccount(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Wire.Account> {
        let input = try await context.requireBody().validated(Wire.SignUp.self) { try Self.validateSignUp($0) }.value
        let hash = try await passwords.hash(input.password)
        let account: Account
        do {
            account = try await store.createAccount(
                NewAccount(
                    email: input.email, name: input.name, passwordHash: hash, role: input.role,
                    timeZone: input.timeZone))
        } catch let error as StoreError where error.kind == .duplicateEmail {
            throw APIError(.conflict, "An account with this email already exists.", fields: ["email": "is already registered"])
        }
        return EditedResponse(
            status: .created,
            response: Wire.Account(id: account.id, email: account.email, name: account.name, role: account.role, timeZone: account.timeZone)
        )
    }

    /// Verifies email and password; nil when either is wrong (taking as long either way). Over a
    /// rate limit it throws `TooManyAttempts` before any hashing.
    static func authenticate(
        email: String, password: String, address: String?, store: any Store, passwords: Passwords,
        decoyHash: String, limiter: SignInLimiter
    ) async throws -> Account? {
        try await limiter.check(email: email, address: address)
        let account = try await store.account(email: email.trimmingCharacters(in: .whitespaces))
        let matches = try await passwords.verify(password, hash: account?.passwordHash ?? decoyHash)
        if !matches { try await limiter.recordFailure(email: email, address: address) }
        return matches ? account : nil
    }

    @Sendable func createSession(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Wire.Session> {
        let body = try await context.requireBody().validated(Wire.SignIn.self) { _ in () }.body
        guard
            let account = try await Self.authenticate(
                email: body.email, password: body.password,
                address: context.clientAddress, store: store, passwords: passwords,
                decoyHash: decoyHash, limiter: limiter)
        else {
            throw APIError(.unauthorized, "The email or the password is wrong.")
        }
        let issued = try await sessions.issue(for: account, kind: .api)
        return EditedResponse(status: .created, response: Wire.Session(token: issued.token, expiresAt: issued.session.expiresAt))
    }

    @Sendable func deleteSession(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        try await store.deleteSession(tokenHash: identity.session.tokenHash)
        return Response(status: .noContent)
    }

    @Sendable func deleteAccount(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        try await store.deleteAccount(id: identity.account.id)
        return Response(status: .noContent)
    }
}

/// Creates sessions: a random token for the client, its hash (and a CSRF token) in the database.
struct SessionIssuer: Sendable {
    let store: any Store
    let lifetime: Int
    let now: @Sendable () -> Int

    func issue(for account: Account, kind: StoredSession.Kind) async throws -> (token: String, session: StoredSession) {
        let token = Tokens.random()
        let time = now()
        let session = StoredSession(
            tokenHash: Tokens.hash(token), accountID: account.id, kind: kind,
            csrfToken: kind == .web ? Tokens.random() : "", expiresAt: time + lifetime,
            createdAt: time, lastSeenAt: time)
        try await store.createSession(session)
        return (token, session)
    }
}
