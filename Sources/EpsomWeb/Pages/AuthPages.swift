import EpsomCore
import EpsomStorage
import Foundation
import HTTPTypes
import Hummingbird

/// Sign up, sign in and sign out in the browser. Before a session exists, forms are protected by
/// a double-submit CSRF token (a cookie and a hidden field that must match).
struct AuthPages {
    let store: any Store
    let passwords: Passwords
    let decoyHash: String
    let limiter: SignInLimiter
    let sessions: SessionIssuer
    let secureCookies: Bool

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("signup") { request, context in try signUpPage(request, context) }
        router.post("signup") { request, context in try await signUp(request, context) }
        router.get("signin") { request, context in try signInPage(request, context) }
        router.post("signin") { request, context in try await signIn(request, context) }
        router.post("signout") { request, context in try await signOut(request, context) }
    }

    /// The form page with a fresh pre-session CSRF token in cookie and field.
    func formPage(_ title: String, _ form: (String) -> HTML, status: HTTPResponse.Status = .ok) -> Response {
        let token = Tokens.random()
        var response = Response.html(Layout.page(title, identity: nil, form(token)), status: status)
        response.setCookie(Cookies.csrf(token, secure: secureCookies))
        return response
    }

    /// The sign-up form's suggested zone: the server's own (for Epsom on a laptop, the person's),
    /// "UTC" when the server runs on UTC or its zone has no IANA name. (The API's default is
    /// always "UTC": a client names its zone.)
    static let serverTimeZone: String = {
        let id = TimeZone.current.identifier
        if TimeZone.current.secondsFromGMT() == 0
            && [
                "UTC", "GMT", "Etc/UTC", "Etc/GMT", "Etc/Universal", "Universal", "Zulu",
                "Etc/Zulu", "GMT0", "Etc/GMT0", "Greenwich", "Etc/Greenwich",
            ].contains(id)
        {
            return "UTC"
        }
        return Account.timeZoneIdentifier(id) ?? "UTC"
    }()

    /// Where to go after signing in or up: only a study's invitation (`/join/CODE`), so that the
    /// parameter can never send anyone off the site.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/join/") else { return nil }
        let code = next.dropFirst("/join/".count)
        guard !code.isEmpty, code.count <= 64, code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        return next
    }

    static func nextField(_ next: String?) -> HTML {
        guard let next = safeNext(next) else { return "" }
        return "<input type=\"hidden\" name=\"next\" value=\"\(text: next)\">"
    }

    static func signUpForm(_ token: String, values: [String: String] = [:], errors: FieldErrors = .init()) -> HTML {
        """
        <h1>Create an account</h1>
        <form method="post" action="/signup" novalidate>
          <input type="hidden" name="csrf" value="\(text: token)">\(nextField(values["next"]))
          <label for="name">Your name</label><input type="text" id="name" name="name" value="\(text: values["name"] ?? "")" autocomplete="name">\(Layout.error(errors, "name"))
          <label for="email">Email</label><input type="email" id="email" name="email" value="\(text: values["email"] ?? "")" autocomplete="email">\(Layout.error(errors, "email"))
          <label for="password">Password (at least 10 characters)</label><input type="password" id="password" name="password" autocomplete="new-password">\(Layout.error(errors, "password"))
          <label for="role">I am</label>
          <select id="role" name="role"><option value="patient">a person keeping a diary</option><option value="clinician"\(values["role"] == "clinician" ? " selected" : "")>a clinician</option><option value="pharmacist"\(values["role"] == "pharmacist" ? " selected" : "")>a pharmacist (I fill the jars of blinded studies)</option></select>
          <label for="time_zone">My time zone (the clock my days and the times I type are on; changeable on the Account page)</label>
          <input type="text" id="time_zone" name="time_zone" value="\(text: values["time_zone"] ?? serverTimeZone)" autocomplete="off">\(Layout.error(errors, "time_zone"))
          <button>Create account</button>
        </form>
        <p>Already have one? <a href="/signin\(text: safeNext(values["next"]).map { "?next=" + $0 } ?? "")">Sign in</a>.</p>
        """
    }

    static func signInForm(_ token: String, email: String = "", message: String? = nil, next: String? = nil) -> HTML {
        let notice: HTML = message.map { "<p class=\"notice warning\" role=\"alert\">\(text: $0)</p>" } ?? ""
        return """
            <h1>Sign in</h1>\(notice)
            <form method="post" action="/signin">
              <input type="hidden" name="csrf" value="\(text: token)">\(nextField(next))
              <label for="email">Email</label><input type="email" id="email" name="email" value="\(text: email)" autocomplete="email">
              <label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password">
              <button>Sign in</button>
            </form>
            <p>New here? <a href="/signup\(text: safeNext(next).map { "?next=" + $0 } ?? "")">Create an account</a>.</p>
            """
    }

    func signUpPage(_ request: Request, _ context: AppRequestContext) throws -> Response {
        let next = Self.safeNext(request.uri.queryParameters.get("next").map { String($0) })
        if context.identity != nil { return .seeOther(next ?? "/") }
        return formPage("Create an account") { Self.signUpForm($0, values: next.map { ["next": $0] } ?? [:]) }
    }

    func signInPage(_ request: Request, _ context: AppRequestContext) throws -> Response {
        let next = Self.safeNext(request.uri.queryParameters.get("next").map { String($0) })
        if context.identity != nil { return .seeOther(next ?? "/") }
        return formPage("Sign in") { Self.signInForm($0, next: next) }
    }

    func checkPreSessionCSRF(_ request: Request, _ form: FormData) throws { try PageCSRF.checkPreSession(request, form) }

    func signUp(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request: request)
        try checkPreSessionCSRF(request, form)
        let input: AccountsAPI.SignUp
        do {
            input = try AccountsAPI.validateSignUp(form.fields)
        } catch {
            return formPage("Create an account", { Self.signUpForm($0, values: form.fields, errors: error) }, status: .unprocessableContent)
        }
        let hash = try await passwords.hash(input.password)
        let account: Account
        do {
            account = try await store.createAccount(
                NewAccount(
                    email: input.email, name: input.name, passwordHash: hash, role: input.role,
                    timeZone: input.timeZone))
        } catch let error as StoreError where error.kind == .duplicateEmail {
            return formPage(
                "Create an account",
                {
                    Self.signUpForm($0, values: form.fields, errors: FieldErrors(["email": "is already registered; sign in instead"]))
                }, status: .unprocessableContent)
        }
        return try await startSession(account, next: Self.safeNext(form["next"]))
    }

    func signIn(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request: request)
        try checkPreSessionCSRF(request, form)
        let account: Account?
        do {
            account = try await AccountsAPI.authenticate(
                email: form["email"] ?? "", password: form["password"] ?? "",
                address: context.clientAddress, store: store, passwords: passwords,
                decoyHash: decoyHash, limiter: limiter)
        } catch let limit as TooManyAttempts {
            var response = formPage(
                "Sign in", { Self.signInForm($0, email: form["email"] ?? "", message: limit.message, next: form["next"]) },
                status: .tooManyRequests)
            response.headers[.retryAfter] = String(limit.retryAfter)
            return response
        }
        guard let account else {
            return formPage(
                "Sign in",
                { Self.signInForm($0, email: form["email"] ?? "", message: "The email or the password is wrong.", next: form["next"]) },
                status: .unauthorized)
        }
        return try await startSession(account, next: Self.safeNext(form["next"]))
    }

    func startSession(_ account: Account, next: String? = nil) async throws -> Response {
        let issued = try await sessions.issue(for: account, kind: .web)
        var response = Response.seeOther(next ?? "/")
        response.setCookie(Cookies.session(issued.token, maxAge: sessions.lifetime, secure: secureCookies))
        response.setCookie(Cookies.expired(Cookies.preSessionCSRF, secure: secureCookies))
        return response
    }

    func signOut(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let identity = context.identity {
            let form = try await FormData(request: request)
            try PageCSRF.check(form, identity)
            try await store.deleteSession(tokenHash: identity.session.tokenHash)
        }
        var response = Response.seeOther("/signin")
        response.setCookie(Cookies.expired(AuthenticationMiddleware.cookieName, secure: secureCookies))
        return response
    }
}

/// The CSRF check for forms posted by a signed-in browser.
enum PageCSRF {
    /// The signed-in identity and the posted form, its CSRF token checked: the first step of every
    /// form handler behind sign-in.
    static func signedInForm(_ request: Request, _ context: AppRequestContext) async throws -> (Identity, FormData) {
        guard let identity = context.identity else { throw APIError.unauthorized }
        let form = try await FormData(request: request)
        try check(form, identity)
        return (identity, form)
    }

    /// The double-submit check for forms sent before sign-in (or by visitors who never sign in).
    static func checkPreSession(_ request: Request, _ form: FormData) throws {
        let cookie = request.cookies[Cookies.preSessionCSRF]?.value ?? ""
        guard !cookie.isEmpty, Tokens.equal(cookie, form["csrf"] ?? "") else {
            throw APIError(.forbidden, "The form has expired; reload the page and try again.")
        }
    }

    static func check(_ form: FormData, _ identity: Identity) throws {
        guard identity.session.kind == .web, Tokens.equal(form["csrf"] ?? "", identity.session.csrfToken) else {
            throw APIError(.forbidden, "The form has expired; reload the page and try again.")
        }
    }
}
