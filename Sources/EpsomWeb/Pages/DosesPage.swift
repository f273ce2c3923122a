import EpsomCore
import EpsomStorage
import Foundation
import HTTPTypes
import Hummingbird

/// Logging magnesium: the full dose form (route, salt, amount, site), saved products for one-tap
/// entries, and today's doses.
struct DosesPage {
    let store: any Store
    let clock: AppClock

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("doses") { request, context in try await show(request, context) }
        router.get("doses/log") { request, context in try await log(request, context) }
        router.post("doses") { request, context in try await add(request, context) }
        router.post("doses/quick") { request, context in try await quick(request, context) }
        router.post("doses/:id/delete") { request, context in try await delete(request, context) }
    }

    func show(
        _ request: Request, _ context: AppRequestContext, errors: FieldErrors = .init(), values: [String: String] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let identity = context.identity else { return .seeOther("/signin") }
        // A clinician keeps no log of their own: their start page lists the patients.
        if identity.account.role == .clinician { return .seeOther("/") }
        let today = clock.today()
        let doses = try await store.doses(accountID: identity.account.id, from: today, to: today)
        let csrf = identity.session.csrfToken
        var v = values
        if v["taken_at"] == nil { v["taken_at"] = Timestamp(instant: clock.now(), in: identity.account.zone).local.description }
        func option(_ value: String, _ label: String, _ field: String) -> HTML {
            "<option value=\"\(text: value)\"\(raw: v[field] == value ? " selected" : "")>\(text: label)</option>"
        }
        let routes: [HTML] = Route.allCases.map { option($0.rawValue, $0.label, "route") }
        let salts: [HTML] =
            [option("", "Not known / use the label's figure", "salt")]
            + MagnesiumSalt.all.map { option($0.id, "\($0.name) — \(NumberFormatting.trimmed($0.elementalPercent))% Mg", "salt") }
        let units: [HTML] = DoseUnit.allCases.map { option($0.rawValue, $0.rawValue, "unit") }
        let bases: [HTML] = LabelStrength.Basis.allCases.map { option($0.rawValue, $0.label, "strength_basis") }
        let pers: [HTML] = DoseUnit.allCases.filter { $0 != .mg }.map { option($0.rawValue, $0.rawValue, "strength_per") }
        let rows: [HTML] = doses.map { d in
            """
            <tr><td>\(text: String(d.dose.takenAt.description.suffix(5)))</td><td>\(text: d.dose.product)<br><small>\(text: Self.amount(d.dose))</small></td>
            <td class="nowrap">\(text: NumberFormatting.fixed(d.dose.elementalMilligrams, 0)) mg</td>
            <td><form method="post" action="/doses/\(text: d.id)/delete" class="inline"><input type="hidden" name="csrf" value="\(text: csrf)">
            <button class="secondary flush" >Delete</button></form></td></tr>
            """
        }
        let body: HTML = """
            <h1>Magnesium</h1>
            <form method="post" action="/doses" novalidate>
              <input type="hidden" name="csrf" value="\(text: csrf)">
              <label for="taken_at">When</label><input type="datetime-local" id="taken_at" name="taken_at" value="\(text: v["taken_at"] ?? "")">\(Layout.error(errors, "taken_at"))
              <label for="product">Product</label><input type="text" id="product" name="product" value="\(text: v["product"] ?? "")" placeholder="e.g. Magnesium cream">\(Layout.error(errors, "product"))
              <label for="route">How</label><select id="route" name="route">\(routes)</select>\(Layout.error(errors, "route"))
              <label for="salt">Salt</label><select id="salt" name="salt">\(salts)</select>\(Layout.error(errors, "salt"))
              <label for="amount">Amount</label><input type="number" step="any" min="0" id="amount" name="amount" value="\(text: v["amount"] ?? "")">\(Layout.error(errors, "amount"))
              <label for="unit">Unit</label><select id="unit" name="unit">\(units)</select>\(Layout.error(errors, "unit"))
              <fieldset class="box"><legend>The label's strength (creams, oils, sprays)</legend>
              <label for="strength">Strength</label><input type="number" step="any" min="0" id="strength" name="strength" value="\(text: v["strength"] ?? "")" placeholder="e.g. 28">\(Layout.error(errors, "strength"))
              <label for="strength_basis">as</label><select id="strength_basis" name="strength_basis">\(bases)</select>\(Layout.error(errors, "strength_basis"))
              <label for="strength_per">per</label><select id="strength_per" name="strength_per">\(pers)</select>\(Layout.error(errors, "strength_per"))
              <p class="source">A cream's weight is not the salt's: 2 g of a magnesium chloride cream holds far less than 2 g of magnesium chloride.
              Saved with the product, so that one tap logs the right amount.</p>
              </fieldset>
              <label for="elemental_mg">Or the elemental magnesium of this dose from the label, mg (for tablets and powders, leave empty to compute it from the salt)</label>
              <input type="number" step="any" min="0" id="elemental_mg" name="elemental_mg" value="\(text: v["elemental_mg"] ?? "")">\(Layout.error(errors, "elemental_mg"))
              <label for="site">Where on the skin (creams, oils, sprays)</label><input type="text" id="site" name="site" value="\(text: v["site"] ?? "")" placeholder="e.g. soles of the feet">\(Layout.error(errors, "site"))
              <label class="plain"><input type="checkbox" name="save_product" value="1"\(raw: v["save_product"] == "1" ? " checked" : "")> Save as a product I use every day (one-tap logging, missed-use reminders)</label>
              <button>Log it</button>
            </form>
            <h2>Today</h2>
            <p><a href="/doses/log">The last 30 days</a></p>
            \(doses.isEmpty ? "<p>Nothing logged today.</p>" : "<div class=\"scroll\"><table><tr><th>Time</th><th>Product</th><th>Magnesium</th><th></th></tr>\(rows)</table></div>")
            <p class="notice">Elemental magnesium is computed from the salt's percentage in the research table (anhydrous salts;
            Molecules 2021;26(9):2419, Table 1). A label's own figure is always more exact: hydrated salts such as Epsom salt
            contain less magnesium per gram.</p>
            """
        return .html(Layout.page("Magnesium", identity: identity, csrf: csrf, body), status: status)
    }

    /// The magnesium log of the last 30 days, read-only: the patient's own, or a sharing
    /// patient's for a clinician (in the third person).
    func log(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let identity = context.identity else { return .seeOther("/signin") }
        let subject = try await Access.subject(request, context, store: store)
        guard let person = try await store.account(id: subject) else { throw APIError.notFound }
        let own = subject == identity.account.id
        let today = clock.today()
        let doses = try await store.doses(accountID: subject, from: today.adding(days: -29), to: today).map(\.dose)
        let days = Dictionary(grouping: doses, by: \.takenAt.date).sorted { $0.key > $1.key }
        let rows: [HTML] = days.map { date, doses in
            let intake = DailyIntake(date: date, doses: doses, profile: person.safetyProfile)
            let over = intake.supplementalMilligrams > DailyIntake.upperLimitMilligrams
            let items = doses.sorted { $0.takenAt < $1.takenAt }.map { d in
                "\(String(d.takenAt.description.suffix(5))) \(d.product) (\(Self.amount(d)), \(NumberFormatting.fixed(d.elementalMilligrams, 0)) mg)"
            }.joined(separator: "; ")
            return """
                <tr><td class="nowrap">\(date)</td><td\(raw: over ? " class=\"gap-empty\"" : "")>\(text: NumberFormatting.fixed(intake.supplementalMilligrams, 0)) mg\(over ? " (above 350)" : "")</td>\
                <td>\(text: NumberFormatting.fixed(intake.transdermalMilligrams, 0)) mg</td><td>\(text: items)</td></tr>
                """
        }
        let who = own ? "Your" : "\(person.name)'s"
        let body: HTML = """
            <h1>\(text: who) magnesium log</h1>
            <p>The last 30 days. By mouth counts toward the 350 mg/day upper limit for supplements; on the skin is shown apart
            (absorption through the skin is uncertain) and is not counted.</p>
            \(rows.isEmpty ? "<p>\(text: own ? "You have" : "The patient has") logged no magnesium in the last 30 days.</p>" : """
                <div class="scroll"><table><thead><tr><th>Day</th><th>By mouth</th><th>On the skin</th><th>Doses</th></tr></thead>
                <tbody>\(rows)</tbody></table></div>
                """)
            """
        return .html(Layout.page("Magnesium log", identity: identity, csrf: identity.session.csrfToken, body))
    }

    /// "2 pump · Cream on the skin · soles of the feet".
    static func amount(_ d: Dose) -> String {
        var parts = ["\(NumberFormatting.trimmed(d.amount)) \(d.unit.rawValue)", d.route.label]
        if let site = d.site { parts.append(site) }
        return parts.joined(separator: " · ")
    }

    func add(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        let fields = form.fields
        do {
            let dose = try Dose.validated(fields, timeZone: identity.account.zone)
            _ = try await store.addDose(dose, accountID: identity.account.id)
            if form["save_product"] == "1" {
                let labelFigure = dose.elementalSource == .label ? dose.elementalMilligrams : nil
                try await store.saveProduct(
                    Product(
                        id: UUID().uuidString.lowercased(), name: dose.product, route: dose.route,
                        salt: dose.salt, amount: dose.amount, unit: dose.unit,
                        elementalMilligrams: labelFigure, site: dose.site, strength: LabelStrength.parsed(fields),
                        isRegular: true),
                    accountID: identity.account.id)
            }
            return .seeOther("/?saved=1")
        } catch let errors as FieldErrors {
            return try await show(request, context, errors: errors, values: fields, status: .unprocessableContent)
        }
    }

    func quick(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        guard let product = try await store.products(accountID: identity.account.id).first(where: { $0.id == form["product_id"] }) else {
            throw APIError.notFound
        }
        let now = Timestamp(instant: clock.now(), in: identity.account.zone)
        var fields = product.doseFields(at: now.local)
        fields["taken_at"] = now.rfc3339
        let dose = try Dose.validated(fields, timeZone: identity.account.zone)
        _ = try await store.addDose(dose, accountID: identity.account.id)
        return .seeOther("/?saved=1")
    }

    func delete(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, _) = try await PageCSRF.signedInForm(request, context)
        guard try await store.deleteDose(id: context.parameters.get("id") ?? "", accountID: identity.account.id) else {
            throw APIError.notFound
        }
        return .seeOther("/doses")
    }
}
