import EpsomCore
import EpsomStorage
import Foundation
import HTTPTypes
import Hummingbird

/// The investigator's studies: the list, a new draft, editing a draft, and registration, which
/// freezes the protocol under its hash and opens the public registration page. Only a
/// clinician account runs studies; every study is reached through its investigator's id, so
/// another investigator's study answers 404, as a trial does.
struct StudiesPage {
    let store: any Store
    let clock: AppClock

    var service: StudyService { StudyService(store: store, clock: clock) }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("studies") { request, context in try await list(request, context) }
        router.post("studies") { request, context in try await create(request, context) }
        router.get("studies/:id") { request, context in try await show(request, context) }
        router.post("studies/:id") { request, context in try await change(request, context) }
        router.post("studies/:id/invitations") { request, context in try await invite(request, context) }
        router.post("studies/:id/amendments") { request, context in try await amend(request, context) }
        addBlindingRoutes(to: router)
        addPublicationRoutes(to: router)
    }

    /// The signed-in investigator, or the reason not.
    private func investigator(_ context: AppRequestContext) throws -> Identity {
        guard let identity = context.identity else { throw APIError.unauthorized }
        guard identity.account.role == .clinician else {
            throw APIError(.forbidden, "Studies are run from a clinician's account (Account → I am a clinician).")
        }
        return identity
    }

    func list(
        _ request: Request, _ context: AppRequestContext, form: [String: String] = [:], errors: FieldErrors = .init(),
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard context.identity != nil else { return .seeOther("/signin") }
        let identity = try investigator(context)
        let studies = try await store.studies(investigatorID: identity.account.id)
        let rows: [HTML] = studies.map { s in
            """
            <tr><td><a href="/studies/\(text: s.id)">\(text: s.design.title)</a></td><td>\(text: Self.label(s.status))</td>\
            <td>\(text: s.design.enrolmentOpens.description) to \(text: s.design.enrolmentCloses.description)</td></tr>
            """
        }
        let table: HTML =
            studies.isEmpty
            ? "<p>No studies yet.</p>"
            : "<table><thead><tr><th>Study</th><th>Status</th><th>Enrolment</th></tr></thead><tbody>\(rows)</tbody></table>"
        let body: HTML = """
            <h1>Studies</h1>
            <p>A study is a series of N-of-1 trials: each participant follows the same protocol in their own randomised
            order, gets their own answer, and together they estimate the average effect and how much it varies between people.
            A draft can change; registering it freezes the protocol under a SHA-256 hash and publishes a registration page.</p>
            \(table)
            <h2 id="new">New study</h2>
            \(StudyForm.render(form, errors: errors, csrf: identity.session.csrfToken, action: "/studies#new", today: clock.today(),
                buttons: "<button name=\"action\" value=\"save\">Save the draft</button>"))
            """
        return .html(Layout.page("Studies", identity: identity, csrf: identity.session.csrfToken, body), status: status)
    }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        _ = try investigator(context)
        let study: Study
        do {
            study = try await service.create(service.design(form.fields), investigatorID: identity.account.id)
        } catch let errors as FieldErrors {
            return try await list(request, context, form: form.fields, errors: errors, status: .unprocessableContent)
        }
        return .seeOther("/studies/\(study.id)")
    }

    func show(
        _ request: Request, _ context: AppRequestContext, form: [String: String]? = nil, errors: FieldErrors = .init(),
        newCodes: [String] = [], amending: Bool = false, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard context.identity != nil else { return .seeOther("/signin") }
        let identity = try investigator(context)
        guard let id = context.parameters.get("id"), let study = try await store.study(id: id, investigatorID: identity.account.id) else {
            throw APIError(.notFound, "No such study.")
        }
        let d = study.design
        let summary: HTML = """
            <p><strong>\(text: Self.label(study.status))</strong>. \(text: d.question)</p>
            <p>\(d.arms.count) arms (\(text: d.arms.map(\.name).joined(separator: ", "))), \(d.cycles) cycles of \(d.periodDays)-day
            periods with \(d.washoutDays) washout days: \(d.trialDays) days per participant\(d.blinded ? ", blinded" : "").
            Primary outcome: \(text: d.primaryOutcome.label), smallest difference that matters \(text: NumberFormatting.trimmed(d.mcid)).
            Target: \(d.targetParticipants) participants, starting from \(text: d.enrolmentOpens.description) to \(text: d.enrolmentCloses.description).</p>
            """
        let part: HTML
        switch study.status {
        case .draft:
            part = """
                <h2 id="edit">Edit the draft</h2>
                \(StudyForm.render(form ?? StudyForm.fields(d), errors: errors, csrf: identity.session.csrfToken,
                    action: "/studies/\(study.id)#edit", today: clock.today(),
                    buttons: """
                    <button name="action" value="save" class="secondary">Save the draft</button>
                    <button name="action" value="register">Register the study</button>
                    """))
                <p>Registering freezes this protocol: afterwards it changes only by a published amendment with a reason.</p>
                """
        case .registered, .closed:
            let code = study.enrolmentCode ?? ""
            let monitoring = Self.monitoring(
                try await store.participantSummaries(studyID: study.id, investigatorID: identity.account.id),
                screening: try await store.screeningCounts(studyID: study.id), today: clock.today())
            var pharmacist: Account?
            if let id = study.pharmacistID { pharmacist = try await store.account(id: id) }
            // Each participant's arms and jar letters only, and only for a blinded study (the section is empty otherwise).
            let allocations =
                study.design.blinded ? try await store.studyAllocations(studyID: study.id, accountID: identity.account.id) : []
            let blinding = blindingSection(
                study, participants: allocations,
                pharmacist: pharmacist, form: form, errors: errors, csrf: identity.session.csrfToken)
            let running = study.status == .registered
            var publishing: HTML = ""
            if study.status == .closed {
                let stored = try await store.studyResults(studyID: study.id, investigatorID: identity.account.id)
                publishing = publicationSection(
                    study, results: try stored.map { try StudyResults.decoded($0.json) },
                    publication: try await store.studyPublication(studyID: study.id, investigatorID: identity.account.id),
                    form: form, errors: errors, csrf: identity.session.csrfToken)
            }
            part = """
                <h2>Registration</h2>
                <p>Registered on \(text: study.registeredOn?.description ?? ""); protocol SHA-256
                <code>\(text: study.registeredProtocol?.sha256 ?? "")</code>\(study.amendments.isEmpty ? "" : "; \(study.amendments.count) amendment(s)" as HTML).</p>
                <p>Public registration page: <a href="/registry/\(text: code)">/registry/\(text: code)</a>.</p>
                <p>Exports, de-identified (participants by code; arms only once the study is closed):
                <a href="/studies/\(text: study.id)/export.csv">CSV (a row per participant and day)</a> ·
                <a href="/studies/\(text: study.id)/fhir">FHIR R4 Bundle</a></p>
                \(monitoring)
                \(blinding)
                \(running ? amendmentSection(study, form: amending ? form : nil, errors: amending ? errors : .init(), csrf: identity.session.csrfToken) : "")
                \(running ? invitationSection(study, form: form, errors: errors, newCodes: newCodes, csrf: identity.session.csrfToken) : "")
                \(closeSection(study, errors: errors, csrf: identity.session.csrfToken))
                \(publishing)
                """
        }
        let body: HTML = """
            <p><a href="/studies">← Studies</a></p>
            <h1>\(text: d.title)</h1>
            \(summary)
            \(part)
            """
        return .html(Layout.page(d.title, identity: identity, csrf: identity.session.csrfToken, body), status: status)
    }

    func change(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        _ = try investigator(context)
        guard let id = context.parameters.get("id"), let study = try await store.study(id: id, investigatorID: identity.account.id),
            study.status == .draft
        else { throw APIError(.notFound, "No such draft study.") }
        let design: StudyDesign
        do { design = try service.design(form.fields, previous: study.design) } catch {
            return try await show(request, context, form: form.fields, errors: error, status: .unprocessableContent)
        }
        if form["action"] == "register" {
            _ = try await service.register(study, design: design, investigatorID: identity.account.id)
        } else {
            _ = try await service.updateDraft(study, design: design, investigatorID: identity.account.id)
        }
        return .seeOther("/studies/\(study.id)")
    }

    /// The study's flow and each participant's progress, by participant code: diary completion,
    /// adherence and harms, and no outcome by arm while the study runs.
    static func monitoring(
        _ participants: [ParticipantSummary], screening: (eligible: Int, ineligible: Int), today: CalendarDate
    ) -> HTML {
        var counts: [ParticipantSummary.Status: Int] = [:]
        for p in participants { counts[p.status(today: today), default: 0] += 1 }
        let flow: [HTML] = ParticipantSummary.Status.allCases.map { status in
            "<li>\(text: status.label): \(counts[status] ?? 0)</li>"
        }
        let rows: [HTML] = participants.map { p in
            let status = p.status(today: today)
            let days = p.daysSoFar(today: today)
            let activity: HTML
            if let a = p.activity {
                activity = """
                    <td>\(a.diaryDays) of \(days)</td><td>\(a.adherenceDays == 0 ? "–" : "\(a.adherentDays) of \(a.adherenceDays)" as HTML)</td>\
                    <td>\(a.sideEffectDays)\(a.severeSideEffectDays > 0 ? " (\(a.severeSideEffectDays) severe)" as HTML : "")</td>
                    """
            } else {
                activity = "<td colspan=\"3\">Data withdrawn</td>"
            }
            let stop: HTML =
                status == .stopped
                ? " \(p.isSafetyStop ? "<strong class=\"flag\">Safety stop</strong>" as HTML : "")<span class=\"source\">\(text: p.stopReason ?? "")</span>"
                : ""
            return """
                <tr><td>\(text: p.participantCode)</td><td>\(text: status.label)\(stop)</td><td>\(text: p.startDate.description)</td>\(activity)</tr>
                """
        }
        let table: HTML =
            participants.isEmpty
            ? "<p>Nobody has enrolled yet.</p>"
            : """
            <div class="scroll"><table><thead><tr><th>Participant</th><th>Status</th><th>Start</th><th>Diary days</th><th>As planned</th>\
            <th>Side-effect days</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
        let safety = participants.filter(\.isSafetyStop)
        let flags: HTML =
            safety.isEmpty
            ? ""
            : """
            <div class="notice warning" role="alert"><p><strong>Safety stops: \(safety.count).</strong> The safety rules stopped these
            participants' trials:</p><ul>\(safety.map { "<li>\(text: $0.participantCode): \(text: $0.stopReason ?? "")</li>" as HTML })</ul></div>
            """
        return """
            <h2 id="monitoring">Monitoring</h2>
            \(flags)
            <p>Screened: \(screening.eligible + screening.ineligible) (\(screening.ineligible) not eligible). Enrolled: \(participants.count).</p>
            <ul>\(flow)</ul>
            <p class="source">Participants are shown by code. Outcomes by arm are not shown while the study runs, so that nobody is
            unblinded by the data.</p>
            \(table)
            """
    }

    /// Changing a registered protocol: the whole form, prefilled, and the reason, which is
    /// published with the amendment. Participants already enrolled keep the trial they consented to.
    /// `form` and `errors` are a refused amendment's (nil and none otherwise: a refused request
    /// for codes comes back with its own form and errors, which are not this section's).
    func amendmentSection(_ study: Study, form: [String: String]?, errors: FieldErrors, csrf: String) -> HTML {
        let fields = form ?? StudyForm.fields(study.design)
        return """
            <details\(raw: errors.isEmpty ? "" : " open")><summary id="amend">Amend the protocol</summary>
            <p>An amendment is published on the registration page with its reason and hash. Participants already enrolled keep the
            trial they consented to; a changed information sheet or consent statement is a new consent version for those who enrol
            after it.</p>
            \(StudyForm.render(fields, errors: errors, csrf: csrf, action: "/studies/\(study.id)/amendments#amend", today: clock.today(),
                buttons: """
                <label for="reason">Reason for the amendment (published)</label>
                <textarea id="reason" name="reason" rows="2">\(text: fields["reason"] ?? "")</textarea>\(Layout.error(errors, "reason"))
                <button>Amend the protocol</button>
                """))
            </details>
            """
    }

    /// The study's link and single-use codes: made codes are shown once (`newCodes`).
    func invitationSection(_ study: Study, form: [String: String]?, errors: FieldErrors, newCodes: [String], csrf: String) -> HTML {
        let code = study.enrolmentCode ?? ""
        return """
            <h2 id="invite">Invitations</h2>
            <p>The study's invitation link: <a href="/join/\(text: code)">/join/\(text: code)</a>. Anyone with it can read the
            information sheet and answer the screening questions.</p>
            \(Self.codes(newCodes))
            <form method="post" action="/studies/\(text: study.id)/invitations#invite"><input type="hidden" name="csrf" value="\(text: csrf)">
            <label for="count">Single-use codes to make (once a study has any, every participant needs one)</label>
            <input type="number" id="count" name="count" value="\(text: form?["count"] ?? "10")">\(Layout.error(errors, "count"))
            <button class="secondary">Make codes</button>
            </form>
            """
    }

    func amend(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        _ = try investigator(context)
        guard let id = context.parameters.get("id"), let study = try await store.study(id: id, investigatorID: identity.account.id),
            study.status == .registered
        else { throw APIError(.notFound, "No such registered study.") }
        let amended: StudyService.Amended
        do {
            amended = try service.amendment(of: study, fields: form.fields)
        } catch let errors as FieldErrors {
            return try await show(request, context, form: form.fields, errors: errors, amending: true, status: .unprocessableContent)
        }
        try await service.amend(study, with: amended, investigatorID: identity.account.id)
        return .seeOther("/studies/\(study.id)")
    }

    /// Makes single-use codes: shown once, stored only as hashes.
    func invite(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        _ = try investigator(context)
        guard let id = context.parameters.get("id"), let study = try await store.study(id: id, investigatorID: identity.account.id),
            study.status == .registered
        else { throw APIError(.notFound, "No such registered study.") }
        let codes: [String]
        do {
            codes = try await service.makeInvitations(study, count: form["count"], investigatorID: identity.account.id)
        } catch let errors as FieldErrors {
            return try await show(request, context, form: form.fields, errors: errors, status: .unprocessableContent)
        }
        return try await show(request, context, newCodes: codes)
    }

    static func codes(_ codes: [String]) -> HTML {
        guard !codes.isEmpty else { return "" }
        let items: [HTML] = codes.map { "<li><code>\(text: $0)</code></li>" }
        return """
            <div class="notice ok" role="status"><p>\(codes.count) single-use code\(codes.count == 1 ? "" : "s"). Copy them now:
            they are stored only as hashes and are not shown again. Give one to each invitee with the link.</p><ul>\(items)</ul></div>
            """
    }

    static func label(_ status: Study.Status) -> String {
        switch status {
        case .draft: "Draft"
        case .registered: "Registered"
        case .closed: "Closed"
        }
    }
}
