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

    func show(
        _ request: Request, _ context: AppRequestContext, form: [String: String] = [:], errors: FieldErrors = .init(),
        preview: HTML = "", status: HTTPResponse.Status = .ok
    ) async throws -> Response {
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
        let list: HTML =
            trials.isEmpty
            ? "<p>No trials yet.</p>"
            : "<table><thead><tr><th>Trial</th><th>Status</th><th>Dates</th></tr></thead><tbody>\(rows)</tbody></table>"
        let designer: HTML =
            own && identity.account.role == .patient
            ? Self.designer(form, errors: errors, csrf: identity.session.csrfToken, today: today) : ""
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

    /// The minimum chance of detecting an MCID-sized effect below which Start asks for a tick.
    static let lowPower = 0.5

    func submit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        guard identity.account.role == .patient else { throw APIError.forbidden }
        var fields = form.fields
        let today = service.clock.today()
        let design: TrialDesign
        do { design = try TrialDesign.validated(fields, today: today, randomSeed: 1) } catch {
            return try await show(request, context, form: fields, errors: error, status: .unprocessableContent)
        }
        // The person's own variation, when the diary can tell it; else the stated defaults.
        let diary = try await service.store.diaryEntries(accountID: identity.account.id, from: today.adding(days: -89), to: today)
        let variability = DiaryVariability.estimate(diary, outcome: design.outcome)
        let sigma = variability?.sigma ?? TrialPower.defaultSigma, rho = variability?.rho ?? TrialPower.defaultRho
        let power = TrialPower.estimate(design: design, sigma: sigma, rho: rho, simulations: powerSimulations)
        // The proposal costs a few more simulations: only when a page will show it.
        func preview() -> HTML {
            let proposal =
                power.probability < 0.8
                ? TrialPower.proposal(for: design, sigma: sigma, rho: rho, simulations: powerSimulations) : nil
            return Self.preview(design, power: power, variability: variability, proposal: proposal)
        }
        if fields["action"] == "start" {
            if power.probability < Self.lowPower && fields["accept_low_power"] != "1" {
                fields["show_low_power"] = "1"
                let errors = FieldErrors([
                    "cycles": "this design has only a \(NumberFormatting.fixed(power.probability * 100, 0))% chance of "
                        + "detecting a \(NumberFormatting.trimmed(design.mcid))-point effect; add cycles, or tick “Start anyway” below"
                ])
                return try await show(request, context, form: fields, errors: errors, preview: preview(), status: .unprocessableContent)
            }
            let trial: Trial
            do { trial = try await service.create(fields, accountID: identity.account.id) } catch {
                return try await show(request, context, form: fields, errors: error, status: .unprocessableContent)
            }
            return .seeOther("/trials/\(trial.id)?started=1")
        }
        if power.probability < Self.lowPower { fields["show_low_power"] = "1" }
        return try await show(request, context, form: fields, preview: preview())
    }

    static func preview(
        _ d: TrialDesign, power: TrialPower.Estimate, variability: DiaryVariability? = nil,
        proposal: (design: TrialDesign, estimate: TrialPower.Estimate)? = nil
    ) -> HTML {
        let weeks = NumberFormatting.fixed(Double(d.totalDays) / 7, d.totalDays % 7 == 0 ? 0 : 1)
        let percent = NumberFormatting.fixed(power.probability * 100, 0)
        let basis: HTML =
            variability.map { v in
                "assuming your own diary's day-to-day variation: SD \(text: NumberFormatting.fixed(v.sigma, 1)) points and a correlation of \(text: NumberFormatting.fixed(v.rho, 2)) between consecutive days (from \(v.days) days)"
            }
            ?? "assuming a day-to-day SD of \(text: NumberFormatting.trimmed(power.sigma)) points and a correlation of \(text: NumberFormatting.trimmed(power.rho)) between consecutive days (your diary has too few days to estimate your own; \(DiaryVariability.minimumDays) are needed)"
        let advice: HTML
        if power.probability >= 0.8 {
            advice = ""
        } else if let proposal {
            advice = """
                <p><strong>\(proposal.design.cycles) cycles</strong> (\(proposal.design.totalDays) days) would give about \(text: NumberFormatting.fixed(proposal.estimate.probability * 100, 0))%,
                close to the 80% trials usually aim for.</p>
                """
        } else {
            advice = "<p>Even 12 cycles would not reach 80%: a larger smallest-difference-that-matters, or longer periods, would.</p>"
        }
        let warning: HTML =
            power.probability < lowPower
            ? """
            <p class="notice warning" role="alert"><strong>Below 50%:</strong> this trial is more likely than not to end without a clear
            answer, even if magnesium helps you by \(text: NumberFormatting.trimmed(d.mcid)) point\(text: d.mcid == 1 ? "" : "s").</p>
            """ : ""
        return """
            <section class="notice\(raw: power.probability < lowPower ? " warning" : " ok")" id="preview" aria-live="polite">
            <h2>Preview: \(text: d.title)</h2>
            <p>\(d.arms.count) arms (\(text: d.arms.map(\.name).joined(separator: ", "))), \(d.cycles) cycles of
            \(d.arms.count) periods of \(d.periodDays) days: <strong>\(d.totalDays) days (\(text: weeks) weeks)</strong>, from
            \(text: d.startDate.description) to \(text: d.endDate.description). The first \(d.washoutDays) days of every period are washout
            (diary kept, not analysed), leaving \(d.analysedDaysPerArm) analysed days per arm.\(d.blinded ? " Blinded: a helper fills jars X and Y." : "")</p>
            <p>Chance of detecting a \(text: NumberFormatting.trimmed(d.mcid))-point effect: <strong>\(text: percent)%</strong>
            <span class="source">\(power.simulations) simulated trials under the analysis model, \(basis);
            "detected" means the 95% interval lies wholly below zero. More cycles raise it.</span></p>
            \(warning)\(advice)
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
            <label class="plain"><input type="radio" name="template" value="\(text: t.rawValue)"\(raw: t.rawValue == chosen ? " checked" : "")> \(text: t.title)</label>
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
            <fieldset class="bare"><legend><strong>Template</strong></legend>\(templates)\(Layout.error(errors, "template"))</fieldset>
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
            \(form["show_low_power"] == "1" ? """
                <label class="plain"><input type="checkbox" name="accept_low_power" value="1"> Start anyway: I understand this
                design has less than a 50% chance of detecting the difference that matters</label>
                """ as HTML : "")
            <button name="action" value="preview" class="secondary">Preview</button>
            <button name="action" value="start">Start the trial</button>
            </form>
            """
    }
}
