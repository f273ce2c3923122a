import EpsomCore
import EpsomStorage
import HTTPTypes
import Hummingbird

/// The trials list and the designer: choose a template, adjust it, preview how long it takes and
/// the chance of detecting an MCID-sized effect, then start it, which randomises the schedule
/// and freezes the protocol. The preview shows no schedule: the order is drawn only at the
/// start, so nobody can re-roll it until it looks convenient.
struct TrialsPage {
    let service: TrialService
    let powerSimulations: Int

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("trials") { request, context in try await show(request, context) }
        router.post("trials") { request, context in try await submit(request, context) }
    }

    func show(_ request: Request, _ context: AppRequestContext, form: [String: String] = [:], errors: FieldErrors = .init(),
              preview: HTML = "", status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let identity = context.identity else { return .seeOther("/signin") }
        // A clinician keeps no diary of their own: without a patient, their start page lists them.
        if identity.account.role == .clinician, request.uri.queryParameters.get("patient") == nil { return .seeOther("/") }
        let subject = try await Access.subject(request, context, store: service.store)
        let today = service.clock.today()
        let trials = try await service.store.trials(accountID: subject)
        let own = subject == identity.account.id
        let person = own ? identity.account.name : (try await service.store.account(id: subject))?.name ?? "the patient"
        let query = own ? "" : "?patient=\(subject)"
        let rows: [HTML] = trials.map { t in
            """
            <tr><td><a href="/trials/\(text: t.id)\(text: query)">\(text: t.design.title)</a></td><td>\(text: t.status(today: today).label)</td>\
            <td>\(text: t.design.startDate.description) to \(text: t.lastDay.description)</td></tr>
            """
        }
        let list: HTML = trials.isEmpty ? "<p>No trials yet.</p>"
            : "<table><thead><tr><th>Trial</th><th>Status</th><th>Dates</th></tr></thead><tbody>\(rows)</tbody></table>"
        let designer: HTML = own && identity.account.role == .patient ? Self.designer(form, errors: errors, csrf: identity.session.csrfToken, today: today) : ""
        let body: HTML = """
            <h1>\(text: own ? "Trials" : "Trials of \(person)")</h1>
            \(own ? """
                <p>A personal trial compares magnesium with its alternative in randomised periods, so that the answer is
                about you and not about the days you happened to feel like using it.</p>
                """ : "<p>The patient's personal trials: randomised periods of magnesium and its alternative.</p>" as HTML)
            \(list)
            \(preview)
            \(designer)
            """
        return .html(Layout.page("Trials", identity: identity, csrf: identity.session.csrfToken, body), status: status)
    }

    func submit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        guard identity.account.role == .patient else { throw APIError.forbidden }
        let fields = form.fields
        let today = service.clock.today()
        if fields["action"] == "start" {
            let trial: Trial
            do { trial = try await service.create(fields, accountID: identity.account.id) } catch {
                return try await show(request, context, form: fields, errors: error, status: .unprocessableContent)
            }
            return .seeOther("/trials/\(trial.id)?started=1")
        }
        let design: TrialDesign
        do { design = try TrialDesign.validated(fields, today: today, randomSeed: 1) } catch {
            return try await show(request, context, form: fields, errors: error, status: .unprocessableContent)
        }
        let power = TrialPower.estimate(design: design, simulations: powerSimulations)
        return try await show(request, context, form: fields, preview: Self.preview(design, power: power))
    }

    static func preview(_ d: TrialDesign, power: TrialPower.Estimate) -> HTML {
        let weeks = NumberFormatting.fixed(Double(d.totalDays) / 7, d.totalDays % 7 == 0 ? 0 : 1)
        return """
            <section class="notice ok" id="preview" aria-live="polite">
            <h2>Preview: \(text: d.title)</h2>
            <p>\(d.arms.count) arms (\(text: d.arms.map(\.name).joined(separator: ", "))), \(d.cycles) cycles of
            \(d.arms.count) periods of \(d.periodDays) days: <strong>\(d.totalDays) days (\(text: weeks) weeks)</strong>, from
            \(text: d.startDate.description) to \(text: d.endDate.description). The first \(d.washoutDays) days of every period are washout
            (diary kept, not analysed), leaving \(d.analysedDaysPerArm) analysed days per arm.\(d.blinded ? " Blinded: a helper fills jars X and Y." : "")</p>
            <p>Chance of detecting a \(text: NumberFormatting.trimmed(d.mcid))-point effect: <strong>\(text: NumberFormatting.fixed(power.probability * 100, 0))%</strong>
            <span class="source">\(power.simulations) simulated trials under the analysis model, assuming day-to-day variation
            (SD) of \(text: NumberFormatting.trimmed(power.sigma)) points and a correlation of \(text: NumberFormatting.trimmed(power.rho)) between
            consecutive days; "detected" means the 95% interval lies wholly below zero. More cycles raise it.</span></p>
            <p>Starting the trial draws the order of the arms at random within every cycle and freezes the protocol
            (arms, schedule, outcome, analysis, MCID) under a SHA-256 fingerprint. Later changes are amendments, with a reason.</p>
            </section>
            """
    }

    static func designer(_ form: [String: String], errors: FieldErrors, csrf: String, today: CalendarDate) -> HTML {
        func value(_ name: String, _ fallback: String) -> String { form[name] ?? fallback }
        let chosen = form["template"] ?? TrialTemplate.creamVsNone.rawValue
        let templates: [HTML] = TrialTemplate.allCases.map { t in
            """
            <label style="font-weight:400"><input type="radio" name="template" value="\(text: t.rawValue)"\(raw: t.rawValue == chosen ? " checked" : "")> \(text: t.title)</label>
            """
        }
        let outcomes: [HTML] = TrialOutcome.allCases.map { o in
            "<option value=\"\(text: o.rawValue)\"\(raw: o.rawValue == (form["outcome"] ?? "pain") ? " selected" : "")>\(text: o.label)</option>"
        }
        let blinded = form["blinded"] ?? ""
        func number(_ name: String, _ label: String, _ fallback: String, step: String = "1") -> HTML {
            """
            <label for="\(text: name)">\(text: label)</label><input type="number" id="\(text: name)" name="\(text: name)" step="\(text: step)" value="\(text: value(name, fallback))" inputmode="decimal">\(Layout.error(errors, name))
            """
        }
        return """
            <h2 id="design">Design a trial</h2>
            \(errors.isEmpty ? "" : "<p class=\"notice warning\" role=\"alert\">Please correct the fields marked below.</p>" as HTML)
            <form method="post" action="/trials#preview"><input type="hidden" name="csrf" value="\(text: csrf)">
            <fieldset style="border:0;padding:0;margin:0"><legend><strong>Template</strong></legend>\(templates)\(Layout.error(errors, "template"))</fieldset>
            <label for="arms">Arms, one per line, the comparator first (optional: replaces the template's)</label>
            <textarea id="arms" name="arms" rows="3">\(text: value("arms", ""))</textarea>\(Layout.error(errors, "arms"))
            \(number("period_days", "Days per period", "7"))
            \(number("cycles", "Cycles (each arm once per cycle)", "4"))
            \(number("washout_days", "Washout days at the start of each period (logged, not analysed)", "2"))
            <label for="outcome">Outcome</label><select id="outcome" name="outcome">\(outcomes)</select>\(Layout.error(errors, "outcome"))
            \(number("mcid", "Smallest difference that matters to you (points)", "1", step: "0.5"))
            <label for="start_date">Start date</label><input type="date" id="start_date" name="start_date" value="\(text: value("start_date", today.description))">\(Layout.error(errors, "start_date"))
            <label for="blinded">Blinded (arms in coded jars filled by a helper)</label>
            <select id="blinded" name="blinded"><option value=""\(raw: blinded.isEmpty ? " selected" : "")>As the template</option>
            <option value="true"\(raw: blinded == "true" ? " selected" : "")>Yes</option><option value="false"\(raw: blinded == "false" ? " selected" : "")>No</option></select>\(Layout.error(errors, "blinded"))
            <label for="reminder_time">Daily reminder time</label><input type="time" id="reminder_time" name="reminder_time" value="\(text: value("reminder_time", "20:00"))">\(Layout.error(errors, "reminder_time"))
            <button name="action" value="preview" class="secondary">Preview</button>
            <button name="action" value="start">Start the trial</button>
            </form>
            """
    }
}
