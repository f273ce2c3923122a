import EpsomCore
import EpsomStorage
import HTTPTypes
import Hummingbird

/// One trial: today's instruction and adherence, the schedule, blinding (labels and the helper's
/// allocation sheet), reminders (.ics file and a private feed link), the protocol with its hash and
/// amendments, results when they are due, consent to pooling, and exports.
struct TrialPage {
    let service: TrialService
    let secureCookies: Bool
    /// The configured public address: the feed link must work from a phone, whatever the Host
    /// header of the request that made it said.
    let publicBaseURL: String

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("trials/:id") { request, context in try await show(request, context) }
        router.post("trials/:id/days") { request, context in try await recordDay(request, context) }
        router.post("trials/:id/amend") { request, context in try await amend(request, context) }
        router.post("trials/:id/stop") { request, context in try await stop(request, context) }
        router.post("trials/:id/consent") { request, context in try await consent(request, context) }
        router.post("trials/:id/feed") { request, context in try await feed(request, context) }
        router.get("trials/:id/labels") { request, context in try await labels(request, context) }
        router.post("trials/:id/allocation") { request, context in try await allocation(request, context) }
        router.get("feeds/:file") { request, context in try await feedFile(request, context) }
    }

    var today: CalendarDate { service.clock.today() }

    /// The trial in the path, for its owner or a clinician it is shared with.
    func load(_ request: Request, _ context: AppRequestContext) async throws -> (Identity, TrialService.Loaded) {
        guard let identity = context.identity else { throw APIError.unauthorized }
        let subject = try await Access.subject(request, context, store: service.store)
        guard let id = context.parameters.get("id"), let loaded = try await service.load(id: id, ownerID: subject) else {
            throw APIError.notFound
        }
        return (identity, loaded)
    }

    /// The owner's trial, for a posted form.
    func owned(_ request: Request, _ context: AppRequestContext) async throws -> (Identity, FormData, Trial) {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        guard let id = context.parameters.get("id"), let trial = try await service.store.trial(id: id, accountID: identity.account.id)
        else { throw APIError.notFound }
        return (identity, form, trial)
    }

    func show(
        _ request: Request, _ context: AppRequestContext, errors: FieldErrors = .init(), message: HTML = "",
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard context.identity != nil else { return .seeOther("/signin") }
        let (identity, loaded) = try await load(request, context)
        let t = loaded.trial
        let own = loaded.ownerID == identity.account.id
        let csrf = identity.session.csrfToken
        let query = own ? "" : "?patient=\(loaded.ownerID)"
        let enrolment = try await service.enrolment(trialID: t.id, ownerID: loaded.ownerID)
        var started: HTML =
            request.uri.queryParameters.get("started") == "1"
            ? "<p class=\"notice ok\" role=\"status\">The trial is registered and its protocol frozen. Add the schedule to your calendar below.</p>"
            : ""
        if let enrolment {
            started = Self.studyNotice(
                enrolment.enrolment, study: enrolment.study, own: own, justEnrolled: request.uri.queryParameters.get("enrolled") == "1")
        }
        let body: HTML = """
            <h1>\(text: t.design.title)</h1>\(started)\(message)
            <p><strong>\(text: t.status(today: today).label)</strong> · \(text: t.design.startDate.description) to \(text: t.lastDay.description)
            · \(t.design.blinded ? "blinded" : "open label")</p>
            \(Self.stopped(t))
            \(own ? Self.todayCard(t, adherence: loaded.adherence, today: today, csrf: csrf, errors: errors, returnTo: "/trials/\(t.id)") : "")
            \(results(t, identity: identity, own: own, query: query))
            <h2>Schedule</h2>
            \(Self.schedule(t, today: today))
            \(own ? blinding(t, inStudy: enrolment != nil, csrf: csrf) : "")
            \(own ? reminders(t, csrf: csrf) : "")
            \(Self.protocolSection(t, today: today))
            \(own && enrolment == nil ? changes(t, csrf: csrf, errors: errors) : "")
            \(own && enrolment == nil ? Self.consentForm(t, csrf: csrf) : "")
            <h2>Export</h2>
            <p><a href="/api/v1/trials/\(text: t.id)/export.csv\(text: query)">CSV (a row a day)</a> ·
            <a href="/api/v1/trials/\(text: t.id)/fhir\(text: query)">FHIR R4 Bundle</a></p>
            """
        return .html(Layout.page(t.design.title, identity: identity, csrf: csrf, body), status: status)
    }

    static func stopped(_ t: Trial) -> HTML {
        guard let reason = t.stopReason else { return "" }
        let safety = TrialSafety.isSafetyStop(reason: reason)
        return """
            <p class="notice warning" role="alert">Stopped on \(text: t.stoppedOn?.description ?? ""): \(text: reason)\(text: safety ? " " + TrialSafety.stopAdvice : "")</p>
            """
    }

    /// Today's instruction and the adherence question; also shown on the home page.
    static func todayCard(
        _ t: Trial, adherence: [TrialDay], today: CalendarDate, csrf: String, errors: FieldErrors,
        returnTo: String
    ) -> HTML {
        // A stopped trial asks nothing more.
        guard t.stoppedOn == nil, let (period, washout) = t.instruction(on: today) else { return "" }
        let day = today.dayNumber - t.design.startDate.dayNumber + 1
        let arm = t.armLabel(period.arm, today: today)
        let answered = adherence.first { $0.date == today }
        let options: [HTML] = TrialDay.Adherence.allCases.map { a in
            """
            <label><input type="radio" name="adherence" value="\(text: a.rawValue)"\(raw: answered?.adherence == a ? " checked" : "")><span class="wide">\(text: a.label)</span></label>
            """
        }
        let washoutText: HTML =
            washout
            ? " Washout day \(today.dayNumber - period.startDate.dayNumber + 1) of \(period.washoutDays): follow the plan and keep the diary; this day is not analysed."
            : ""
        return """
            <section class="notice" id="trial-today"><h2 class="flush-top">Trial day \(day) of \(t.design.totalDays): \(text: arm)</h2>
            <p>Period \(period.index + 1) of \(t.schedule.periods.count) (cycle \(period.cycle)). \(text: t.design.arms[period.arm].instruction)\(washoutText)</p>
            <form method="post" action="/trials/\(text: t.id)/days"><input type="hidden" name="csrf" value="\(text: csrf)">
            <input type="hidden" name="date" value="\(text: today.description)"><input type="hidden" name="return" value="\(text: returnTo)">
            <fieldset class="bare"><legend><strong>Did you follow today's plan?</strong></legend>
            <div class="scale">\(options)</div>\(Layout.error(errors, "adherence"))</fieldset>
            <label for="amount">How much did you use? (grams of cream or tablets, optional)</label>
            <input type="number" id="amount" name="amount" step="0.5" min="0" inputmode="decimal" value="\(text: answered?.amount.map(NumberFormatting.trimmed) ?? "")">\(Layout.error(errors, "amount"))
            <label class="plain"><input type="checkbox" name="severe_side_effect" value="true"> I had a severe side effect (this stops the trial)</label>
            <button>\(answered == nil ? "Save" : "Update")</button>\(answered == nil ? "" : " <span>Saved: \(text: answered!.adherence.label).</span>" as HTML)
            </form></section>
            """
    }

    func results(_ t: Trial, identity: Identity, own: Bool, query: String) -> HTML {
        switch service.resultsAccess(t, viewerIsClinician: !own && identity.account.role == .clinician) {
        case .final:
            return
                "<h2>Results</h2><p><a href=\"/trials/\(text: t.id)/report\(text: query)\">Read the report</a> (printable, CENT 2015).</p>"
        case .interim:
            return
                "<h2>Results</h2><p><a href=\"/trials/\(text: t.id)/report\(text: query)\">Interim report</a> (clinician's look while the trial runs).</p>"
        case .notYet:
            return
                "<h2>Results</h2><p>Results are shown when the trial ends (\(text: t.design.endDate.description)). Looking earlier invites stopping on a lucky streak.</p>"
        }
    }

    static func schedule(_ t: Trial, today: CalendarDate) -> HTML {
        let rows: [HTML] = t.schedule.periods.map { p in
            let current = p.contains(today) && t.instruction(on: today) != nil
            let after = p.startDate > t.lastDay
            return """
                <tr\(raw: current ? " class=\"current\"" : "")><td>\(p.index + 1)</td><td>\(p.cycle)</td>\
                <td><span class="nowrap">\(text: p.startDate.description)</span> to <span class="nowrap">\(text: p.endDate.description)</span></td><td class="nowrap">\(text: t.armLabel(p.arm, today: today))\(after ? " (not run)" : "")</td>\
                <td>\(p.washoutDays)</td></tr>
                """
        }
        return
            "<div class=\"scroll\"><table><thead><tr><th>Period</th><th>Cycle</th><th>Dates</th><th>Arm</th><th>Washout</th></tr></thead><tbody>\(rows)</tbody></table></div>"
    }

    /// A study participant's trial: whose study, their code, and where to leave it.
    static func studyNotice(_ enrolment: Enrolment, study: Study, own: Bool, justEnrolled: Bool) -> HTML {
        let welcome = justEnrolled ? "You are enrolled. " : ""
        let page: HTML =
            own
            ? " <a href=\"/join/\(text: study.enrolmentCode ?? "")\">The study's page</a> (and how to leave it)."
            : ""
        return """
            <p class="notice\(raw: justEnrolled ? " ok" : "")" role="status">\(text: welcome)This trial is part of the study
            \u{201C}\(text: study.design.title)\u{201D}, as participant \(text: enrolment.participantCode). Its protocol is the
            study's registered one.\(page)</p>
            """
    }

    func blinding(_ t: Trial, inStudy: Bool, csrf: String) -> HTML {
        guard t.design.blinded else { return "" }
        let sheet: HTML
        if inStudy && !t.isOver(today: today) {
            // The study's pharmacist holds the allocation: no sheet on the participant's device.
            sheet = "<p>The study's pharmacist fills your jars and keeps the allocation until your trial ends.</p>"
        } else if t.isOver(today: today) {
            let pairs: [HTML] = t.design.arms.indices.map {
                "<li>\(text: t.schedule.jarLabel(arm: $0)): \(text: t.design.arms[$0].name)</li>"
            }
            sheet = "<p>Unblinded: <ul>\(pairs)</ul></p>"
        } else if let shown = t.allocationSheetShownOn {
            sheet =
                "<p>The helper's allocation sheet was shown on \(text: shown.description). Epsom conceals the allocation until the trial ends.</p>"
        } else {
            sheet = """
                <form method="post" action="/trials/\(text: t.id)/allocation"><input type="hidden" name="csrf" value="\(text: csrf)">
                <p>Hand the device to the person who fills the jars. The sheet is shown once; then it stays hidden until the trial ends.</p>
                <button class="secondary">Allocation sheet for the helper</button></form>
                """
        }
        return """
            <h2>Blinding</h2>
            <p><a href="/trials/\(text: t.id)/labels">Print the jar labels</a>.</p>
            \(sheet)
            """
    }

    func reminders(_ t: Trial, csrf: String) -> HTML {
        guard !t.isOver(today: today) else { return "" }
        return """
            <h2>Reminders</h2>
            <p><a href="/api/v1/trials/\(text: t.id)/calendar.ics">Download the schedule (.ics)</a>: a daily alarm at \(text: t.design.reminderTime)
            with the day's instruction, for your phone's calendar.</p>
            <form method="post" action="/trials/\(text: t.id)/feed"><input type="hidden" name="csrf" value="\(text: csrf)">
            <button class="secondary">Make a calendar subscription link</button>
            <span class="source">A private link your calendar app can follow for changes. Making a new one cancels the old.</span></form>
            """
    }

    static func protocolSection(_ t: Trial, today: CalendarDate) -> HTML {
        let amendments: [HTML] = t.amendments.map { a in
            "<tr><td>\(a.number)</td><td>\(text: a.date.description)</td><td>\(text: a.change)</td><td>\(text: a.reason)</td><td><code>\(text: String(a.protocolHash.prefix(16)))…</code></td></tr>"
        }
        let json: HTML =
            t.isConcealed(today: today)
            ? "<p>The protocol text names the allocation, so it is shown when the trial ends; its fingerprint above lets you check it then.</p>"
            : "<details><summary>The frozen protocol (JSON)</summary><pre class=\"wrap break\">\(text: t.registeredProtocol.json)</pre></details>"
        return """
            <h2>Protocol</h2>
            <p>Registered \(text: t.registeredOn.description). SHA-256: <code class="break">\(text: t.registeredProtocol.sha256)</code></p>
            \(json)
            \(t.amendments.isEmpty ? "<p>No amendments.</p>" : "<div class=\"scroll\"><table><thead><tr><th>#</th><th>Date</th><th>Change</th><th>Reason</th><th>SHA-256</th></tr></thead><tbody>\(amendments)</tbody></table></div>" as HTML)
            """
    }

    func changes(_ t: Trial, csrf: String, errors: FieldErrors) -> HTML {
        guard !t.isOver(today: today) else { return "" }
        return """
            <details\(raw: errors.isEmpty || errors["adherence"] != nil ? "" : " open")><summary>Amend or stop the trial</summary>
            <form method="post" action="/trials/\(text: t.id)/amend"><input type="hidden" name="csrf" value="\(text: csrf)">
            <label for="cycles">Cycles</label><input type="number" id="cycles" name="cycles" value="\(t.design.cycles)">\(Layout.error(errors, "cycles"))
            <label for="mcid">Smallest difference that matters (points)</label><input type="number" step="0.5" id="mcid" name="mcid" value="\(text: NumberFormatting.trimmed(t.design.mcid))">\(Layout.error(errors, "mcid"))
            <label for="reason">Why the protocol changes</label><input type="text" id="reason" name="reason">\(Layout.error(errors, "reason"))
            <button class="secondary">Amend</button></form>
            <form method="post" action="/trials/\(text: t.id)/stop"><input type="hidden" name="csrf" value="\(text: csrf)">
            <label for="stop_reason">Why the trial stops</label><input type="text" id="stop_reason" name="stop_reason">\(Layout.error(errors, "stop_reason"))
            <button class="secondary">Stop the trial</button></form>
            </details>
            """
    }

    static func consentForm(_ t: Trial, csrf: String) -> HTML {
        """
        <h2>Pooled evidence</h2>
        <form method="post" action="/trials/\(text: t.id)/consent"><input type="hidden" name="csrf" value="\(text: csrf)">
        <label class="plain"><input type="checkbox" name="consent" value="1"\(raw: t.consentToPool ? " checked" : "")>
        Give a de-identified summary of this trial (the comparison, the effect estimate and its uncertainty; never your
        diary, dates or name) to the pooled evidence, which is shown only once at least 10 people contribute.</label>
        <button class="secondary">Save my choice</button></form>
        """
    }

    // MARK: Actions

    func recordDay(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form, trial) = try await owned(request, context)
        do {
            let after = try await service.record(form.fields, trial: trial, accountID: identity.account.id).trial
            if after.stoppedOn != nil && trial.stoppedOn == nil { return .seeOther("/trials/\(trial.id)") }
            let back = form["return"] == "/" ? "/?saved=1" : "/trials/\(trial.id)"
            return .seeOther(back)
        } catch let errors as FieldErrors {
            // A stopped trial shows no adherence form to put the message beside.
            let message: HTML =
                trial.stoppedOn == nil ? "" : "<p class=\"notice warning\" role=\"alert\">\(text: errors["adherence"] ?? "")</p>"
            return try await show(request, context, errors: errors, message: message, status: .unprocessableContent)
        }
    }

    /// A study participant's trial is changed by the study only (amend, stop and the
    /// allocation sheet): the refusal, shown on the trial's page.
    func refuseInStudy(_ request: Request, _ context: AppRequestContext, trial: Trial, accountID: String) async throws -> Response? {
        guard try await service.enrolment(trialID: trial.id, ownerID: accountID) != nil else { return nil }
        let message: HTML = """
            <p class="notice warning" role="alert">This trial belongs to a study: its protocol and allocation are the study's. To stop,
            leave the study from its page.</p>
            """
        return try await show(request, context, message: message, status: .conflict)
    }

    func amend(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form, trial) = try await owned(request, context)
        if let refusal = try await refuseInStudy(request, context, trial: trial, accountID: identity.account.id) { return refusal }
        let amended: Trial
        do { amended = try trial.amended(fields: form.fields, today: today) } catch {
            return try await show(request, context, errors: error, status: .unprocessableContent)
        }
        try await service.store.updateTrial(amended, accountID: identity.account.id)
        return .seeOther("/trials/\(trial.id)")
    }

    func stop(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form, trial) = try await owned(request, context)
        if let refusal = try await refuseInStudy(request, context, trial: trial, accountID: identity.account.id) { return refusal }
        let stopped: Trial
        do { stopped = try trial.stopped(reason: form["stop_reason"] ?? "", today: today, field: "stop_reason") } catch {
            return try await show(request, context, errors: error, status: .unprocessableContent)
        }
        try await service.store.updateTrial(stopped, accountID: identity.account.id)
        return .seeOther("/trials/\(trial.id)")
    }

    func consent(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form, trial) = try await owned(request, context)
        var changed = trial
        changed.consentToPool = form["consent"] == "1"
        try await service.store.updateTrial(changed, accountID: identity.account.id)
        return .seeOther("/trials/\(trial.id)")
    }

    /// A new secret feed link; only its hash is stored, so it is shown this once.
    func feed(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, _, trial) = try await owned(request, context)
        let token = Tokens.random()
        try await service.store.setTrialFeedToken(trialID: trial.id, accountID: identity.account.id, tokenHash: Tokens.hash(token))
        let url = "\(publicBaseURL)/feeds/\(token).ics"
        let message: HTML = """
            <p class="notice ok" role="status">Subscribe to this link in your calendar app (it is shown only now; anyone with it
            can read the schedule): <code class="break" id="feed-url">\(text: url)</code></p>
            """
        return try await show(request, context, message: message)
    }

    func feedFile(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let file = context.parameters.get("file") ?? ""
        guard file.hasSuffix(".ics"), let found = try await service.store.trial(feedTokenHash: Tokens.hash(String(file.dropLast(4))))
        else { throw APIError.notFound }
        return TrialsAPI.ics(TrialCalendar.ics(found.trial, today: today, stamp: service.icsStamp()))
    }

    func labels(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, loaded) = try await load(request, context)
        let t = loaded.trial
        guard t.design.blinded else { throw APIError.notFound }
        let labels: [HTML] = t.design.arms.indices.map { arm in
            let periods = t.schedule.periods.filter { $0.arm == arm }.map { "\($0.startDate) to \($0.endDate)" }
            return """
                <div class="jar">
                <p class="jar-name">\(text: t.schedule.jarLabel(arm: arm))</p>
                <p>\(text: t.design.title) · Epsom N-of-1 trial · use in periods: \(text: periods.joined(separator: "; "))</p></div>
                """
        }
        let body: HTML =
            "<h1>Jar labels</h1><p class=\"noprint\">Print this page, cut out the labels and stick them on the jars.</p>\(labels)"
        return .html(Layout.page("Jar labels", identity: identity, csrf: identity.session.csrfToken, body))
    }

    /// The helper's sheet: which arm goes in which jar. Shown once while the trial runs.
    func allocation(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, _, trial) = try await owned(request, context)
        guard trial.design.blinded, !trial.isOver(today: today) else { return .seeOther("/trials/\(trial.id)") }
        if let refusal = try await refuseInStudy(request, context, trial: trial, accountID: identity.account.id) { return refusal }
        guard trial.allocationSheetShownOn == nil else {
            let message: HTML =
                "<p class=\"notice warning\" role=\"alert\">The allocation sheet was already shown; it stays hidden until the trial ends.</p>"
            return try await show(request, context, message: message, status: .conflict)
        }
        var shown = trial
        shown.allocationSheetShownOn = today
        try await service.store.updateTrial(shown, accountID: identity.account.id)
        let rows: [HTML] = trial.design.arms.indices.map { arm in
            "<tr><td class=\"large\"><strong>\(text: trial.schedule.jarLabel(arm: arm))</strong></td><td>\(text: trial.design.arms[arm].name)</td></tr>"
        }
        let body: HTML = """
            <h1>Allocation sheet: for the helper only</h1>
            <p class="notice warning">If you are the participant, stop reading and hand this over.</p>
            <p>Fill each jar with the cream named beside it. Make the jars look, feel and smell the same (same jar, same amount,
            no brand labels), stick on the printed labels, then print or write down this sheet and keep it sealed until
            \(text: trial.design.endDate.description).</p>
            <table><thead><tr><th>Jar</th><th>Fill with</th></tr></thead><tbody>\(rows)</tbody></table>
            <p>Trial: \(text: trial.design.title). Protocol SHA-256: <code class="break">\(text: trial.registeredProtocol.sha256)</code></p>
            <p class="noprint"><a href="/trials/\(text: trial.id)">Done: back to the trial</a> (this sheet will not be shown again).</p>
            """
        return .html(Layout.page("Allocation sheet", identity: identity, csrf: identity.session.csrfToken, body))
    }
}
