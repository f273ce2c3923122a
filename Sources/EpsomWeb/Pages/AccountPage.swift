import EpsomCore
import EpsomStorage
import Foundation
import HTTPTypes
import Hummingbird

/// The account: safety profile, sharing with clinicians, export and import, and erasure.
struct AccountPage {
    let store: any Store
    let secureCookies: Bool
    let clock: AppClock
    var sessionIdleSeconds = 7 * 24 * 3600

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("account") { request, context in try await show(request, context) }
        router.post("account/safety") { request, context in try await saveSafety(request, context) }
        router.post("account/share") { request, context in try await share(request, context) }
        router.post("account/reminders") { request, context in try await saveReminders(request, context) }
        router.post("account/time-zone") { request, context in try await saveTimeZone(request, context) }
        router.post("account/revoke") { request, context in try await revoke(request, context) }
        router.post("account/import") { request, context in try await importCSV(request, context) }
        router.post("account/restore") { request, context in try await restoreArchive(request, context) }
        router.post("account/delete") { request, context in try await delete(request, context) }
        router.post("account/role") { request, context in try await saveRole(request, context) }
        router.post("account/signout-everywhere") { request, context in try await signOutEverywhere(request, context) }
    }

    func show(
        _ request: Request, _ context: AppRequestContext, message: HTML = "", errors: FieldErrors = .init(),
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let identity = context.identity else { return .seeOther("/signin") }
        let csrf = identity.session.csrfToken
        let profile = identity.account.safetyProfile
        let medicines: [HTML] = SafetyProfile.Medicine.allCases.map { m in
            "<label class=\"plain\"><input type=\"checkbox\" name=\"medicines\" value=\"\(text: m.rawValue)\"\(raw: profile.medicines.contains(m) ? " checked" : "")> \(text: m.label)</label>"
        }
        // Emails only, active or waiting alike: showing a name, or which are active, would tell
        // whoever shares whether an email has a clinician account.
        let emails = try await store.sharedEmails(of: identity.account.id)
        let shared: [HTML] = emails.map { email in
            """
            <li>\(text: email)
            <form method="post" action="/account/revoke" class="inline"><input type="hidden" name="csrf" value="\(text: csrf)">
            <input type="hidden" name="email" value="\(text: email)"><button class="secondary inline-button">Stop sharing</button></form></li>
            """
        }
        let access: HTML = identity.account.role == .patient ? try await accessSection(identity) : ""
        let body: HTML = """
            <h1>Account</h1>\(message)\(request.uri.queryParameters.get("shared") == "1" ? "<p class=\"notice ok\" role=\"status\">Shared. A clinician with that email can see your records now, or as soon as they create a clinician account with it.</p>" as HTML : "")\(request.uri.queryParameters.get("restored") == "1" ? "<p class=\"notice ok\" role=\"status\">Restored: everything in the export is back in this account.</p>" as HTML : "")
            \(identity.account.role == .patient ? patientSections(identity, profile: profile, medicines: medicines, shared: shared, access: access, errors: errors) : "")
            <h2>I use Epsom as</h2>
            <form method="post" action="/account/role"><input type="hidden" name="csrf" value="\(text: csrf)">
              <select id="role" name="role" aria-label="Role"><option value="patient"\(raw: identity.account.role == .patient ? " selected" : "")>a person keeping a diary</option>
              <option value="clinician"\(raw: identity.account.role == .clinician ? " selected" : "")>a clinician (I see the patients who share with me)</option>
              <option value="pharmacist"\(raw: identity.account.role == .pharmacist ? " selected" : "")>a pharmacist (I fill the jars of blinded studies)</option></select>\(Layout.error(errors, "role"))
              <button class="secondary">Change</button>
            </form>
            \(try await sessionsSection(identity))
            <h2>Delete everything</h2>
            <form method="post" action="/account/delete"><input type="hidden" name="csrf" value="\(text: csrf)">
              <label for="confirm">Type DELETE to erase your account and all of its data</label><input type="text" id="confirm" name="confirm">
              <button class="secondary">Erase my account</button>
            </form>
            """
        return .html(Layout.page("Account", identity: identity, csrf: csrf, body), status: status)
    }

    /// What only a patient has: the safety profile, reminders, sharing (with one-tap revoking)
    /// and their data.
    func patientSections(
        _ identity: Identity, profile: SafetyProfile, medicines: [HTML], shared: [HTML], access: HTML,
        errors: FieldErrors
    ) -> HTML {
        let csrf = identity.session.csrfToken
        return """
            <h2>Safety</h2>
            <form method="post" action="/account/safety"><input type="hidden" name="csrf" value="\(text: csrf)">
              <label class="plain"><input type="checkbox" name="kidney_disease" value="1"\(raw: profile.kidneyDisease ? " checked" : "")> I have kidney disease</label>
              <p>I take:</p>\(medicines)
              <button>Save</button>
            </form>
            <h2>Reminders</h2>
            <form method="post" action="/account/reminders"><input type="hidden" name="csrf" value="\(text: csrf)">
              <label for="missed_use_days">Tell me when a product I use every day has not been logged for this many days</label>
              <input type="number" min="1" max="30" id="missed_use_days" name="missed_use_days" value="\(identity.account.missedUseDays)">\(Layout.error(errors, "missed_use_days"))
              <button>Save</button>
            </form>
            <h2>Time zone</h2>
            <form method="post" action="/account/time-zone"><input type="hidden" name="csrf" value="\(text: csrf)">
              <label for="time_zone">My time zone (a dose belongs to the day, on this clock, on which I took it; times I type
              are on this clock)</label>
              <input type="text" id="time_zone" name="time_zone" list="time_zones" autocomplete="off" value="\(text: identity.account.timeZone)">\(Layout.error(errors, "time_zone"))
              <datalist id="time_zones">\(Self.timeZoneOptions)</datalist>
              <button>Save</button>
            </form>
            <h2>Share with a clinician</h2>
            <p>A clinician you name here can see your diary, magnesium log and trials until you stop sharing: at once if they
            have a clinician account with that email, or as soon as they create one.</p>
            \(shared.isEmpty ? "" : "<ul>\(shared)</ul>")
            <form method="post" action="/account/share"><input type="hidden" name="csrf" value="\(text: csrf)">
              <label for="clinician_email">Clinician's email</label><input type="email" id="clinician_email" name="clinician_email">\(Layout.error(errors, "clinician_email"))
              <button>Share</button>
            </form>
            \(access)
            <h2>Your data</h2>
            <p>Download: <a href="/api/v1/export/diary.csv">diary (CSV)</a> · <a href="/api/v1/export/doses.csv">magnesium log (CSV)</a>
            · <a href="/api/v1/export">everything (JSON)</a></p>
            <form method="post" action="/account/import"><input type="hidden" name="csrf" value="\(text: csrf)">
              <label for="kind">Import</label><select id="kind" name="kind"><option value="diary">Diary CSV</option><option value="doses">Magnesium log CSV</option></select>
              <label for="csv">Paste the CSV (with its header row); nothing is saved unless every row is valid</label>
              <textarea id="csv" name="csv" rows="5"></textarea>
              <button class="secondary">Import</button>
            </form>
            <form method="post" action="/account/restore" enctype="multipart/form-data"><input type="hidden" name="csrf" value="\(text: csrf)">
              <label for="archive">Restore an export: the file “everything (JSON)” gave you, for instance before you erased an
              account. Everything in it comes back (diary, log, products, trials, sharing, settings), or nothing if any part is wrong.</label>
              <input type="file" id="archive" name="archive" accept="application/json,.json">
              <button class="secondary">Restore</button>
            </form>
            """
    }

    /// Seconds since 1970 as "YYYY-MM-DD HH:MM UTC" (0: not recorded, for sessions older than the record).
    static func utc(_ seconds: Int) -> String {
        guard seconds > 0 else { return "not recorded" }
        let date = CalendarDate(dayNumber: seconds / 86_400), minutes = seconds % 86_400 / 60
        return "\(date) \(minutes / 60 < 10 ? "0" : "")\(minutes / 60):\(minutes % 60 < 10 ? "0" : "")\(minutes % 60) UTC"
    }

    /// Who looked at the patient's data: each clinician's access, newest first.
    func accessSection(_ identity: Identity) async throws -> HTML {
        let records = try await store.accessLog(patientID: identity.account.id, limit: 50)
        let rows: [HTML] = records.map { r in
            return
                "<tr><td class=\"nowrap\">\(text: Self.utc(r.at))</td><td class=\"break\">\(text: r.viewerEmail)</td><td>\(text: r.what)</td></tr>"
        }
        return """
            <h2>Who looked at your data</h2>
            \(rows.isEmpty ? "<p>No clinician has looked at your data.</p>" : """
                <div class="scroll"><table><thead><tr><th>When</th><th>Who</th><th>What</th></tr></thead><tbody>\(rows)</tbody></table></div>
                <p class="source">The latest \(rows.count) accesses by clinicians you share with.</p>
                """)
            """
    }

    /// Where the account is signed in (browsers and API tokens), with one button to end them all.
    func sessionsSection(_ identity: Identity) async throws -> HTML {
        let sessions = try await store.sessions(accountID: identity.account.id)
        let rows: [HTML] = sessions.map { s in
            let this = s.tokenHash == identity.session.tokenHash
            return """
                <li>\(text: s.kind == .web ? "A browser" : "An API token")\(this ? " (this one)" as HTML : ""): signed in \(text: Self.utc(s.createdAt)), \
                last used \(text: Self.utc(s.lastSeenAt))</li>
                """
        }
        return """
            <h2>Where you are signed in</h2>
            <ul>\(rows)</ul>
            <p class="source">A session ends after \(sessionIdleSeconds / 86_400) days without use, and on its expiry date.</p>
            <form method="post" action="/account/signout-everywhere"><input type="hidden" name="csrf" value="\(text: identity.session.csrfToken)">
              <button class="secondary">Sign out everywhere</button>
            </form>
            """
    }

    func signOutEverywhere(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, _) = try await PageCSRF.signedInForm(request, context)
        try await store.deleteSessions(accountID: identity.account.id)
        var response = Response.seeOther("/signin")
        response.setCookie(Cookies.expired(AuthenticationMiddleware.cookieName, secure: secureCookies))
        return response
    }

    func saveRole(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        guard let role = form["role"].flatMap(Role.init(rawValue:)) else {
            return try await show(
                request, context, errors: FieldErrors(["role": "must be patient, clinician or pharmacist"]), status: .unprocessableContent)
        }
        try await store.updateRole(accountID: identity.account.id, role: role)
        return .seeOther("/account")
    }

    func saveSafety(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        let medicines = Set(form.all("medicines").compactMap(SafetyProfile.Medicine.init(rawValue:)))
        let kidney = form["kidney_disease"] == "1"
        try await store.updateSafetyProfile(accountID: identity.account.id, SafetyProfile(kidneyDisease: kidney, medicines: medicines))
        // Kidney disease ends any trial still to run: the trials page then says why and what to do.
        if kidney { try await TrialService(store: store, clock: clock).stopAllForKidneyDisease(accountID: identity.account.id) }
        return .seeOther("/account")
    }

    func saveReminders(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        guard let days = form["missed_use_days"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), (1...30).contains(days) else {
            return try await show(
                request, context, errors: FieldErrors(["missed_use_days": "must be a whole number from 1 to 30"]),
                status: .unprocessableContent)
        }
        try await store.updateMissedUseDays(accountID: identity.account.id, days: days)
        return .seeOther("/account")
    }

    /// Every zone this system knows, for the time-zone field's suggestions.
    static let timeZoneOptions: [HTML] = TimeZone.knownTimeZoneIdentifiers.sorted().map { id -> HTML in "<option value=\"\(text: id)\">" }

    func saveTimeZone(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        guard let zone = Account.timeZoneIdentifier(form["time_zone"] ?? "") else {
            return try await show(
                request, context, errors: FieldErrors(["time_zone": AccountsAPI.timeZoneRequirement]),
                status: .unprocessableContent)
        }
        try await store.updateTimeZone(accountID: identity.account.id, identifier: zone)
        return .seeOther("/account")
    }

    func share(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        let email = (form["clinician_email"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard email.contains("@"), email.count <= 254, email != identity.account.email else {
            return try await show(
                request, context, errors: FieldErrors(["clinician_email": "must be an email address (not your own)"]),
                status: .unprocessableContent)
        }
        // The same answer whether or not a clinician account has this email: no enumeration.
        try await store.share(patientID: identity.account.id, email: email)
        return .seeOther("/account?shared=1")
    }

    func revoke(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        try await store.revoke(patientID: identity.account.id, email: form["email"] ?? "")
        return .seeOther("/account")
    }

    func importCSV(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        let text = form["csv"] ?? ""
        do {
            // Parsed on the heavy-work thread (see `HeavyWork`), written in one short transaction.
            if form["kind"] == "doses" {
                let zone = identity.account.zone
                let doses = try await HeavyWork.run { try RecordsCSV.importDoses(text, timeZone: zone) }
                try await store.importRecords(accountID: identity.account.id, diary: [], doses: doses)
            } else {
                let diary = try await HeavyWork.run { try RecordsCSV.importDiary(text) }
                try await store.importRecords(accountID: identity.account.id, diary: diary, doses: [])
            }
        } catch let errors as RecordsCSV.ImportErrors {
            let items: [HTML] = errors.rows.prefix(50).map { "<li>line \($0.line), \(text: $0.field): \(text: $0.message)</li>" }
            return try await show(
                request, context,
                message: """
                    <div class="notice warning" role="alert">Nothing was imported; fix these rows and try again:<ul>\(items)</ul></div>
                    """, status: .unprocessableContent)
        }
        return try await show(request, context, message: "<p class=\"notice ok\" role=\"status\">Imported.</p>")
    }

    /// The upload of an export (multipart/form-data, CSRF in its `csrf` part): restored whole, or
    /// the page again with every problem named and nothing written.
    func restoreArchive(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let identity = context.identity else { throw APIError.unauthorized }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: ExportAPI.maximumArchiveBytes + 64 * 1024)
        } catch {
            throw APIError(.contentTooLarge, "The file is larger than \(ExportAPI.maximumArchiveBytes / 1024 / 1024) MB.")
        }
        let upload = MultipartForm(contentType: request.headers[.contentType] ?? "", body: Array(body.readableBytesView))
        var csrf = FormData(encoded: "")
        csrf.values["csrf"] = [upload?.text("csrf") ?? ""]
        try PageCSRF.check(csrf, identity)
        do {
            guard let file = upload?["archive"], !file.isEmpty else {
                throw APIError(.unprocessableContent, "Choose the export file first.", fields: ["archive": "is required"])
            }
            _ = try await ExportAPI.restore(Data(file), into: identity.account, store: store)
        } catch let error as APIError where error.status == .unprocessableContent || error.status == .conflict {
            let items: [HTML] = error.fields.sorted { $0.key < $1.key }.prefix(50).map { "<li>\(text: $0.key): \(text: $0.value)</li>" }
            return try await show(
                request, context,
                message: """
                    <div class="notice warning" role="alert">\(text: error.message)\(items.isEmpty ? "" : "<ul>\(items)</ul>")</div>
                    """, status: error.status)
        }
        return .seeOther("/account?restored=1")
    }

    func delete(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        guard form["confirm"] == "DELETE" else {
            return try await show(
                request, context, message: "<p class=\"notice warning\" role=\"alert\">Type DELETE to confirm.</p>",
                status: .unprocessableContent)
        }
        try await store.deleteAccount(id: identity.account.id)
        var response = Response.seeOther("/")
        response.setCookie(Cookies.expired(AuthenticationMiddleware.cookieName, secure: secureCookies))
        return response
    }
}
