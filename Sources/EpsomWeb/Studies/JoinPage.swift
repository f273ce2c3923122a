import EpsomCore
import EpsomStorage
import Foundation
import HTTPTypes
import Hummingbird

/// An invitee's way into a study, from its link `/join/CODE`: the information sheet, the
/// screening questions, consent, a start date, and enrolment, which makes their personal trial
/// from the protocol with their own seed. It then appears on Today and Trials as any trial does.
///
/// Screening answers are never stored: an invitee whom an answer excludes is only counted, and
/// the page ends politely. The answers travel with the consent form and are checked again, so
/// consent cannot be posted past them.
struct JoinPage {
    let store: any Store
    let clock: AppClock

    var service: StudyService { StudyService(store: store, clock: clock) }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("join/:code") { request, context in try await show(request, context) }
        router.post("join/:code") { request, context in try await submit(request, context) }
    }

    private func study(_ context: AppRequestContext) async throws -> Study {
        guard let code = context.parameters.get("code"), let study = try await store.study(enrolmentCode: code) else {
            throw APIError(.notFound, "No study has this invitation link.")
        }
        return study
    }

    func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let study = try await study(context)
        let code = study.enrolmentCode ?? ""
        let part: HTML
        // A participant sees their part (and, once over, the results) whether or not the study still enrols.
        if let identity = context.identity, identity.account.role == .patient,
            let enrolment = try await store.enrolments(accountID: identity.account.id).first(where: { $0.studyID == study.id })
        {
            let results = try await storedResults(study, accountID: identity.account.id)
            part = """
                \(Self.participation(enrolment, study: study, results: results, csrf: identity.session.csrfToken, errors: .init()))
                \(try await feedback(enrolment, study: study, results: results, accountID: identity.account.id))
                """
        } else if let closed = service.closedReason(study) {
            part = "<p class=\"notice warning\">\(text: closed)</p>"
        } else if let identity = context.identity {
            if identity.account.role != .patient {
                part =
                    "<p class=\"notice warning\">Participants take part from a patient account; this one is a \(text: identity.account.role.rawValue)'s.</p>"
            } else {
                part = screeningForm(study, answers: [:], errors: .init(), csrf: identity.session.csrfToken)
            }
        } else {
            part = """
                <p>To take part, <a href="/signup?next=/join/\(text: code)">create an account</a> or
                <a href="/signin?next=/join/\(text: code)">sign in</a>; you come back here afterwards.</p>
                """
        }
        return page(study, part, identity: context.identity)
    }

    func submit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        let study = try await study(context)
        guard identity.account.role == .patient else { throw APIError(.forbidden, "Participants take part from a patient account.") }
        if form["step"] == "withdraw" { return try await withdraw(study, identity: identity, form: form) }
        if let closed = service.closedReason(study) {
            return page(study, "<p class=\"notice warning\">\(text: closed)</p>", identity: identity)
        }
        let csrf = identity.session.csrfToken

        // The answers, from either step: each question answered yes or no.
        var answers: [Bool?] = []
        var errors = FieldErrors()
        for index in study.design.screening.indices {
            switch form["q\(index)"] {
            case "yes": answers.append(true)
            case "no": answers.append(false)
            default:
                answers.append(nil)
                errors.add("q\(index)", "answer yes or no")
            }
        }
        guard errors.isEmpty else {
            return page(
                study, screeningForm(study, answers: form.fields, errors: errors, csrf: csrf), identity: identity,
                status: .unprocessableContent)
        }
        // Counted once, at the screening step; the consent step checks the same answers again.
        let eligible =
            form["step"] == "consent" ? study.design.isEligible(answers: answers) : try await service.screen(study, answers: answers)
        guard eligible else {
            return page(
                study,
                """
                <p class="notice">Thank you for your answers. From them, this study is not the right one for you, so you are not
                enrolled. Your answers were not stored; the study counts only that someone was not eligible.</p>
                """, identity: identity)
        }
        guard form["step"] == "consent" else {
            return page(study, consentForm(study, form: form.fields, errors: .init(), csrf: csrf), identity: identity)
        }

        // Consent: the tick, a start date in the window, and the single-use code if the study uses
        // them; kidney disease in the safety profile keeps a trial from starting, as it stops one.
        let enrolled: (enrolment: Enrolment, trial: Trial)
        do {
            enrolled = try await service.enrol(
                study, account: identity.account, consented: form["consent"] == "yes", startDate: form["start_date"],
                // The consent step shows `StudyBaseline.consentNotice` beside the statement.
                invitationCode: form["invitation_code"], baselineNoticeShown: true)
        } catch let refusal as StudyService.SafetyRefusal {
            return page(
                study,
                """
                <p class="notice warning" role="alert">\(text: refusal.reason) You are not enrolled; talk to your
                clinician. <span class="source">\(text: refusal.source)</span></p>
                """, identity: identity, status: .conflict)
        } catch let errors as FieldErrors {
            return page(
                study, consentForm(study, form: form.fields, errors: errors, csrf: csrf), identity: identity, status: .unprocessableContent)
        }
        return .seeOther("/trials/\(enrolled.trial.id)?enrolled=1")
    }

    /// Leaving, or withdrawing the data later: the participant says whether the data so far stays
    /// in the study; both are kept as their answer, and their trial stops today if it still runs.
    private func withdraw(_ study: Study, identity: Identity, form: FormData) async throws -> Response {
        guard let enrolment = try await service.enrolment(in: study, accountID: identity.account.id) else {
            throw APIError(.notFound, StoreError.enrolmentNotFound.message)
        }
        do {
            _ = try await service.withdraw(enrolment, study: study, accountID: identity.account.id, data: form["data"])
        } catch let errors as FieldErrors {
            let results = try await storedResults(study, accountID: identity.account.id)
            return page(
                study,
                Self.participation(enrolment, study: study, results: results, csrf: identity.session.csrfToken, errors: errors),
                identity: identity, status: .unprocessableContent)
        }
        return .seeOther("/join/\(study.enrolmentCode ?? "")")
    }

    /// The closed study's stored analysis, as its participant reads it; nil before it is made.
    func storedResults(_ study: Study, accountID: String) async throws -> StudyResults? {
        guard study.status == .closed, let json = try await store.studyResultsJSON(studyID: study.id, participantID: accountID) else {
            return nil
        }
        return try StudyResults.decoded(json)
    }

    /// What a participant sees on the study's page: their code and trial, and how to leave or
    /// withdraw their data, with what that does (`StudyDataWithdrawal`) above the button.
    /// `results` is the closed study's stored analysis, if it is made.
    static func participation(_ enrolment: Enrolment, study: Study, results: StudyResults?, csrf: String, errors: FieldErrors) -> HTML {
        // Once the analysis is made (the form shows only to a participant whose data is in it),
        // withdrawing the data no longer takes it out of that analysis: they read so before they
        // confirm. A closed study whose analysis is not made yet leaves the data out of it.
        let consequence = results.map { StudyDataWithdrawal.afterClose(computedOn: $0.computedOn) } ?? StudyDataWithdrawal.beforeClose
        let action = "/join/\(study.enrolmentCode ?? "")#leave"
        let withdrawData: HTML = """
            <h2 id="leave">Withdrawing your data</h2>
            <p>\(text: consequence)</p>
            <form method="post" action="\(text: action)"><input type="hidden" name="csrf" value="\(text: csrf)">
            <input type="hidden" name="step" value="withdraw"><input type="hidden" name="data" value="erase">
            \(Layout.error(errors, "data"))
            <button class="secondary">Withdraw my data</button>
            </form>
            """
        if let left = enrolment.withdrawnOn {
            let data = enrolment.keepsData == true ? "Your data up to then stays in the study." : "Your data was withdrawn from the study."
            return """
                <p class="notice">You left this study on \(text: left.description). \(text: data) Your diary and your trial stay in
                your account. <a href="/trials/\(text: enrolment.trialID)">Your trial</a>.</p>
                \(enrolment.keepsData == true ? withdrawData : "")
                """
        }
        if study.status == .closed {
            return """
                <p class="notice ok">You took part as participant \(text: enrolment.participantCode); the study has closed.
                <a href="/trials/\(text: enrolment.trialID)">Your trial</a>.</p>
                \(withdrawData)
                """
        }
        return """
            <p class="notice ok">You are taking part as participant \(text: enrolment.participantCode).
            <a href="/trials/\(text: enrolment.trialID)">Your trial</a>.</p>
            <h2 id="leave">Leaving the study</h2>
            <p>You can leave at any time, without giving a reason. Your trial stops today; your diary stays yours.
            \(text: StudyDataWithdrawal.beforeClose)</p>
            <form method="post" action="\(text: action)"><input type="hidden" name="csrf" value="\(text: csrf)">
            <input type="hidden" name="step" value="withdraw">
            <fieldset class="bare"><legend>What happens to the data you have given so far?</legend>
            <label class="plain"><input type="radio" name="data" value="keep"> It stays in the study</label>
            <label class="plain"><input type="radio" name="data" value="erase"> Withdraw it: the study does not use it</label>
            \(Layout.error(errors, "data"))</fieldset>
            <button class="secondary">Leave the study</button>
            </form>
            """
    }

    private func page(_ study: Study, _ part: HTML, identity: Identity?, status: HTTPResponse.Status = .ok) -> Response {
        let d = study.design
        let body: HTML = """
            <h1>\(text: d.title)</h1>
            <p>\(text: d.question) <a href="/registry/\(text: study.enrolmentCode ?? "")">The registered protocol</a>.</p>
            <h2>Information for participants</h2>
            <div class="prose">\(paragraphs(d.informationSheet))</div>
            <h2>Who may take part</h2><p>\(text: d.eligibility)</p>
            \(part)
            """
        return .html(Layout.page(d.title, identity: identity, csrf: identity?.session.csrfToken, body), status: status)
    }

    private func paragraphs(_ text: String) -> HTML {
        // Paragraphs are separated by a blank line, whatever the line breaks ("\r\n" is one Character).
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let paragraphs = lines.split(whereSeparator: { $0.allSatisfy(\.isWhitespace) }).map { $0.joined(separator: "\n") }
        let items: [HTML] = paragraphs.map { "<p>\(text: $0)</p>" }
        return "\(items)"
    }

    private func hiddenAnswers(_ study: Study, _ form: [String: String]) -> HTML {
        let fields: [HTML] = study.design.screening.indices.map { i in
            "<input type=\"hidden\" name=\"q\(i)\" value=\"\(text: form["q\(i)"] ?? "")\">"
        }
        return "\(fields)"
    }

    func screeningForm(_ study: Study, answers: [String: String], errors: FieldErrors, csrf: String) -> HTML {
        let questions: [HTML] = study.design.screening.enumerated().map { i, q in
            let answer = answers["q\(i)"]
            return """
                <fieldset class="bare"><legend>\(text: q.text)</legend>
                <label class="plain"><input type="radio" name="q\(i)" value="yes"\(raw: answer == "yes" ? " checked" : "")> Yes</label>
                <label class="plain"><input type="radio" name="q\(i)" value="no"\(raw: answer == "no" ? " checked" : "")> No</label>
                \(Layout.error(errors, "q\(i)"))</fieldset>
                """
        }
        return """
            <h2 id="screening">A few questions first</h2>
            <p>Your answers decide whether the study fits you. They are not stored.</p>
            <form method="post" action="/join/\(text: study.enrolmentCode ?? "")#screening"><input type="hidden" name="csrf" value="\(text: csrf)">
            <input type="hidden" name="step" value="screen">
            \(questions)
            <button>Continue</button>
            </form>
            """
    }

    func consentForm(_ study: Study, form: [String: String], errors: FieldErrors, csrf: String) -> HTML {
        let today = clock.today()
        let suggested = max(today, study.design.enrolmentOpens)
        return """
            <h2 id="consent">Consent</h2>
            <p>\(text: study.design.consentText)</p>
            <p class="source">Consent version (SHA-256 of the information sheet and the statement above):
            <code>\(text: StudyProtocol.consentHash(study.design))</code></p>
            <p>Epsom also tells every participant: \(text: StudyBaseline.consentNotice)</p>
            <form method="post" action="/join/\(text: study.enrolmentCode ?? "")#consent"><input type="hidden" name="csrf" value="\(text: csrf)">
            <input type="hidden" name="step" value="consent">\(hiddenAnswers(study, form))
            <label for="start_date">My first day (from \(text: study.design.enrolmentOpens.description) to \(text: study.design.enrolmentCloses.description))</label>
            <input type="date" id="start_date" name="start_date" value="\(text: form["start_date"] ?? suggested.description)">\(Layout.error(errors, "start_date"))
            <label for="invitation_code">Invitation code, if you were given one</label>
            <input type="text" id="invitation_code" name="invitation_code" value="\(text: form["invitation_code"] ?? "")" autocomplete="off">\(Layout.error(errors, "invitation_code"))
            <label class="plain"><input type="checkbox" name="consent" value="yes"> I have read the information and I consent to take part.
            I can leave at any time.</label>\(Layout.error(errors, "consent"))
            <button>Take part</button>
            </form>
            """
    }
}
