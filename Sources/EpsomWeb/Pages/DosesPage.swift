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
        router.post("doses") { request, context in try await add(request, context) }
        router.post("doses/quick") { request, context in try await quick(request, context) }
        router.post("doses/:id/delete") { request, context in try await delete(request, context) }
    }

    func show(_ request: Request, _ context: AppRequestContext, errors: FieldErrors = .init(), values: [String: String] = [:],
              status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let identity = context.identity else { return .seeOther("/signin") }
        let today = clock.today()
        let doses = try await store.doses(accountID: identity.account.id, from: today, to: today)
        let csrf = identity.session.csrfToken
        var v = values
        if v["taken_at"] == nil { v["taken_at"] = clock.localNow().description }
        func option(_ value: String, _ label: String, _ field: String) -> HTML {
            "<option value=\"\(text: value)\"\(raw: v[field] == value ? " selected" : "")>\(text: label)</option>"
        }
        let routes: [HTML] = Route.allCases.map { option($0.rawValue, $0.label, "route") }
        let salts: [HTML] = [option("", "Not known / use the label's figure", "salt")]
            + MagnesiumSalt.all.map { option($0.id, "\($0.name) — \(NumberFormatting.trimmed($0.elementalPercent))% Mg", "salt") }
        let units: [HTML] = DoseUnit.allCases.map { option($0.rawValue, $0.rawValue, "unit") }
        let rows: [HTML] = doses.map { d in
            """
            <tr><td>\(text: String(d.dose.takenAt.description.suffix(5)))</td><td>\(text: d.dose.product)</td><td>\(text: d.dose.route.label)</td>
            <td>\(text: NumberFormatting.fixed(d.dose.elementalMilligrams, 0)) mg</td>
            <td><form method="post" action="/doses/\(text: d.id)/delete" class="inline"><input type="hidden" name="csrf" value="\(text: csrf)">
            <button class="secondary" style="margin:0">Delete</button></form></td></tr>
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
              <label for="elemental_mg">Elemental magnesium from the label, mg (leave empty to compute it from the salt)</label>
              <input type="number" step="any" min="0" id="elemental_mg" name="elemental_mg" value="\(text: v["elemental_mg"] ?? "")">\(Layout.error(errors, "elemental_mg"))
              <label for="site">Where on the skin (creams, oils, sprays)</label><input type="text" id="site" name="site" value="\(text: v["site"] ?? "")" placeholder="e.g. soles of the feet">\(Layout.error(errors, "site"))
              <label style="font-weight:400"><input type="checkbox" name="save_product" value="1"\(raw: v["save_product"] == "1" ? " checked" : "")> Save as a product I use every day (one-tap logging, missed-use reminders)</label>
              <button>Log it</button>
            </form>
            <h2>Today</h2>
            \(doses.isEmpty ? "<p>Nothing logged today.</p>" : "<table><tr><th>Time</th><th>Product</th><th>How</th><th>Mg</th><th></th></tr>\(rows)</table>")
            <p class="notice">Elemental magnesium is computed from the salt's percentage in the research table (anhydrous salts;
            Molecules 2021;26(9):2419, Table 1). A label's own figure is always more exact: hydrated salts such as Epsom salt
            contain less magnesium per gram.</p>
            """
        return .html(Layout.page("Magnesium", identity: identity, csrf: csrf, body), status: status)
    }

    func add(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        let fields = form.fields
        do {
            let dose = try Dose.validated(fields)
            _ = try await store.addDose(dose, accountID: identity.account.id)
            if form["save_product"] == "1" {
                let labelFigure = fields["elemental_mg"].flatMap { $0.isEmpty ? nil : Double($0) }
                try await store.saveProduct(Product(id: UUID().uuidString.lowercased(), name: dose.product, route: dose.route,
                                                    salt: dose.salt, amount: dose.amount, unit: dose.unit,
                                                    elementalMilligrams: labelFigure, site: dose.site, isRegular: true),
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
        let dose = try Dose.validated(product.doseFields(at: clock.localNow()))
        _ = try await store.addDose(dose, accountID: identity.account.id)
        return .seeOther("/?saved=1")
    }

    func delete(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        guard try await store.deleteDose(id: context.parameters.get("id") ?? "", accountID: identity.account.id) else {
            throw APIError.notFound
        }
        return .seeOther("/doses")
    }
}
