import EpsomCore
import EpsomStorage
import HTTPTypes
import Hummingbird

/// Today: the diary entry, one-tap doses of saved products, the day's magnesium with its cited
/// safety messages, and any regular product not logged for a while.
struct HomePage {
    let store: any Store
    let clock: AppClock

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/") { request, context in try await show(request, context) }
        router.post("diary") { request, context in try await saveDiary(request, context) }
    }

    func show(
        _ request: Request, _ context: AppRequestContext, errors: FieldErrors = .init(), form: FormData? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let identity = context.identity else { return .html(Layout.page("Welcome", identity: nil, Self.landing)) }
        if identity.account.role == .clinician { return .html(try await ClinicianPages(store: store, clock: clock).list(identity)) }
        if identity.account.role == .pharmacist { return .seeOther("/pharmacy") }
        let today = clock.today()
        let date = request.uri.queryParameters.get("date").flatMap(CalendarDate.init(iso:)).map { min($0, today) } ?? today
        let entry = try await store.diaryEntry(accountID: identity.account.id, date: date)
        var (values, effects) = DiaryForm.values(entry)
        if let form {
            values = form.fields
            effects = Set(form.all("side_effects"))
        }
        let products = try await store.products(accountID: identity.account.id)
        let recent = try await store.doses(accountID: identity.account.id, from: today.adding(days: -60), to: today).map(\.dose)
        let intake = DailyIntake(date: today, doses: recent, profile: identity.account.safetyProfile)
        let trialDays = try await store.trials(accountID: identity.account.id)
            .filter { $0.design.startDate <= today }.map { $0.design.startDate...min($0.lastDay, today) }
        let overdue = MissedUse.overdue(
            products: products, doses: recent, today: today, afterDays: identity.account.missedUseDays,
            trialDays: trialDays)
        var trialCard: HTML = ""
        if date == today, let trial = try await TrialService(store: store, clock: clock).current(accountID: identity.account.id) {
            let adherence = try await store.trialDays(trialID: trial.id, accountID: identity.account.id)
            trialCard = TrialPage.todayCard(
                trial, adherence: adherence, today: today, csrf: identity.session.csrfToken,
                errors: .init(), returnTo: "/")
        }
        let saved: HTML = request.uri.queryParameters.get("saved") == "1" ? "<p class=\"notice ok\" role=\"status\">Saved.</p>" : ""
        let body: HTML = """
            <h1>\(text: date == today ? "Today" : date.description), \(text: identity.account.name)</h1>\(saved)
            \(Self.missedUse(overdue))
            \(trialCard)
            <h2>How was the day?</h2>
            \(DiaryForm.render(date: date, values: values, effects: effects, errors: errors, csrf: identity.session.csrfToken))
            \(Self.quickLog(products, csrf: identity.session.csrfToken))
            \(Self.intakeSummary(intake))
            """
        return .html(Layout.page("Today", identity: identity, csrf: identity.session.csrfToken, body), status: status)
    }

    func saveDiary(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let identity = context.identity else { return .seeOther("/signin") }
        let form = try await FormData(request: request)
        try PageCSRF.check(form, identity)
        var fields = form.fields
        fields["side_effects"] = form.all("side_effects").joined(separator: ",")
        if let date = fields["date"].flatMap(CalendarDate.init(iso:)), date > clock.today() {
            return try await show(
                request, context, errors: FieldErrors(["date": "cannot be in the future"]), form: form, status: .unprocessableContent)
        }
        do {
            let entry = try DiaryEntry.validated(fields)
            try await store.saveDiaryEntry(entry, accountID: identity.account.id)
            return .seeOther(entry.date == clock.today() ? "/?saved=1" : "/?saved=1&date=\(entry.date)")
        } catch let errors as FieldErrors {
            return try await show(request, context, errors: errors, form: form, status: .unprocessableContent)
        }
    }

    static let landing: HTML = """
        <h1>Does magnesium relieve your pain?</h1>
        <p>Epsom helps you find out for yourself: a daily pain diary that takes seconds, a log of your magnesium (by
        mouth or on the skin), safety checks with their sources, and an honest analysis of what happens when you use it
        and when you stop.</p>
        <p><a href="/signup">Create an account</a> or <a href="/signin">sign in</a>.</p>
        """

    static func missedUse(_ overdue: [MissedUse.Overdue]) -> HTML {
        HTML(
            raw: overdue.map { o -> String in
                let when = o.lastTaken.map { "last logged \($0) (\(o.daysSince ?? 0) days ago)" } ?? "not logged yet"
                return "<p class=\"notice warning\" role=\"status\">\(HTML.escape(o.product)): \(when).</p>"
            }.joined())
    }

    static func quickLog(_ products: [Product], csrf: String) -> HTML {
        guard !products.isEmpty else {
            return "<p><a href=\"/doses\">Log magnesium</a> (save a product there to log it with one tap).</p>"
        }
        let buttons: [HTML] = products.map { p in
            """
            <form method="post" action="/doses/quick" class="inline"><input type="hidden" name="csrf" value="\(text: csrf)">
            <input type="hidden" name="product_id" value="\(text: p.id)"><button class="secondary">\(text: p.name) now</button></form>
            """
        }
        return "<h2>Log magnesium</h2><div>\(buttons)</div><p><a href=\"/doses\">Other dose…</a></p>"
    }

    static func intakeSummary(_ intake: DailyIntake) -> HTML {
        let warnings: [HTML] = intake.warnings.map { w in
            let kind = w.code == "transdermal_not_counted" || w.code == "hydrate_caution" ? "notice" : "notice warning"
            return "<p class=\"\(text: kind)\">\(text: w.message)<span class=\"source\">Source: \(text: w.source)</span></p>"
        }
        return """
            <h2>Magnesium today</h2>
            <p>By mouth: <strong>\(text: NumberFormatting.fixed(intake.supplementalMilligrams, 0)) mg</strong> of the 350 mg/day upper limit
            for supplements. On the skin: <strong>\(text: NumberFormatting.fixed(intake.transdermalMilligrams, 0)) mg</strong> (not counted).</p>
            \(warnings)
            """
    }
}
