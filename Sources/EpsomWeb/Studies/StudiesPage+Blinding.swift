import EpsomCore
import EpsomStorage
import Foundation
import HTTPTypes
import Hummingbird

/// Blinding and the end of a study, on the investigator's page: naming the pharmacist who holds
/// the allocations, the allocation table (jar letters only while the study runs), an emergency
/// unblinding of one participant with its reason, and closing the study, which unblinds the
/// investigator once every participant's trial is over.
extension StudiesPage {
    func addBlindingRoutes(to router: Router<AppRequestContext>) {
        router.post("studies/:id/pharmacist") { request, context in try await namePharmacist(request, context) }
        router.post("studies/:id/unblind") { request, context in try await unblind(request, context) }
        router.post("studies/:id/close") { request, context in try await close(request, context) }
    }

    /// The signed-in investigator's posted form and their study (registered or closed).
    private func postedStudy(_ request: Request, _ context: AppRequestContext) async throws -> (Identity, FormData, Study) {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        guard identity.account.role == .clinician else { throw APIError.forbidden }
        guard let id = context.parameters.get("id"), let study = try await store.study(id: id, investigatorID: identity.account.id),
            study.status != .draft
        else { throw APIError(.notFound, "No such registered study.") }
        return (identity, form, study)
    }

    func namePharmacist(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form, study) = try await postedStudy(request, context)
        guard study.status == .registered else { throw APIError(.conflict, "The study is closed.") }
        let email = (form["pharmacist_email"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        // Only an existing pharmacist's account: naming anyone else would hand allocations to a
        // person who did not take on the role.
        guard let account = try await store.account(email: email), account.role == .pharmacist else {
            let errors = FieldErrors([
                "pharmacist_email": "no pharmacist's account has this email: ask the pharmacist to create one (I am: a pharmacist)"
            ])
            return try await show(request, context, form: form.fields, errors: errors, status: .unprocessableContent)
        }
        try await store.setStudyPharmacist(studyID: study.id, investigatorID: identity.account.id, pharmacistID: account.id)
        return .seeOther("/studies/\(study.id)#blinding")
    }

    func unblind(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form, study) = try await postedStudy(request, context)
        guard study.status == .registered, study.design.blinded else {
            throw APIError(.conflict, "Only a running blinded study has participants to unblind.")
        }
        var errors = FieldErrors()
        let code = (form["participant"] ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        if Enrolment.participantNumber(code: code) == nil { errors.add("participant", "choose the participant's code (P-001)") }
        if study.unblindings.contains(where: { $0.participantCode == code }) {
            errors.add("participant", "\(code) is unblinded already")
        }
        var reason = ""
        do { reason = try StudyUnblinding.validatedReason(form["unblind_reason"]) } catch {
            errors.add("unblind_reason", error.messages["reason"] ?? "say why")
        }
        guard errors.isEmpty else {
            return try await show(request, context, form: form.fields, errors: errors, status: .unprocessableContent)
        }
        do {
            try await store.unblind(
                studyID: study.id, investigatorID: identity.account.id,
                StudyUnblinding(participantCode: code, date: clock.today(), reason: reason))
        } catch let error as StoreError where error == .enrolmentNotFound {
            errors.add("participant", "no participant of this study has the code \(code)")
            return try await show(request, context, form: form.fields, errors: errors, status: .unprocessableContent)
        } catch StudyUnblindingRefusal.alreadyUnblinded {
            errors.add("participant", "\(code) is unblinded already")
            return try await show(request, context, form: form.fields, errors: errors, status: .conflict)
        }
        return .seeOther("/studies/\(study.id)#blinding")
    }

    func close(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form, study) = try await postedStudy(request, context)
        guard study.status == .registered else { throw APIError(.conflict, "The study is closed already.") }
        guard form["confirm"] == "yes" else {
            let errors = FieldErrors(["confirm": "tick the box to confirm: a closed study enrols nobody and cannot reopen"])
            return try await show(request, context, form: form.fields, errors: errors, status: .unprocessableContent)
        }
        do {
            try await store.closeStudy(id: study.id, investigatorID: identity.account.id, on: clock.today())
        } catch StudyCloseRefusal.participantsRunning(let count) {
            let errors = FieldErrors([
                "confirm":
                    "\(count) participant\(count == 1 ? "'s trial still runs" : "s' trials still run"): the study can close when every trial has ended, stopped or been left"
            ])
            return try await show(request, context, form: form.fields, errors: errors, status: .conflict)
        }
        // The analysis, once, now. Should it fail (the heavy-work queue full), the study stays
        // closed and its report computes the analysis when first opened.
        do {
            _ = try await StudyResultsWork.results(
                store: store, studyID: study.id, investigatorID: identity.account.id, today: clock.today())
        } catch {
            context.logger.warning(
                "The study's analysis was not computed at its close", metadata: ["study": "\(study.id)", "error": "\(error)"])
        }
        return .seeOther("/studies/\(study.id)#close")
    }

    /// The blinding section: who holds the allocations, each participant's jars (and their arms
    /// where the investigator may see them), the emergency unblindings, and the form for one.
    func blindingSection(
        _ study: Study, participants: [StudyAllocation], pharmacist: Account?, form: [String: String]?,
        errors: FieldErrors, csrf: String
    ) -> HTML {
        guard study.design.blinded else { return "" }
        let running = study.status == .registered
        let holder: HTML
        if let pharmacist {
            holder = "<p>Allocations are held by the pharmacist \(text: pharmacist.name) (\(text: pharmacist.email)).</p>"
        } else {
            holder = "<p class=\"notice warning\">No pharmacist is named yet: name one before the first participant's jars are filled.</p>"
        }
        let nameForm: HTML =
            running
            ? """
            <form method="post" action="/studies/\(text: study.id)/pharmacist#blinding"><input type="hidden" name="csrf" value="\(text: csrf)">
            <label for="pharmacist_email">\(pharmacist == nil ? "Name the pharmacist" : "Name another pharmacist") (the email of their pharmacist's account)</label>
            <input type="email" id="pharmacist_email" name="pharmacist_email" value="\(text: form?["pharmacist_email"] ?? "")">\(Layout.error(errors, "pharmacist_email"))
            <button class="secondary">Name the pharmacist</button></form>
            """
            : ""
        let rows: [HTML] = participants.map { p in
            let code = p.participantCode
            let jars = p.arms.map(\.jarLabel)
            let allocation: HTML
            if p.dataWithdrawn {
                allocation = "Data withdrawn"
            } else if study.investigatorSeesAllocation(of: code) {
                let pairs = p.arms.map { "\($0.jarLabel): \($0.name)" }
                allocation = "\(text: pairs.joined(separator: "; "))"
            } else {
                allocation = "Held by the pharmacist"
            }
            return "<tr><td>\(text: code)</td><td>\(text: jars.joined(separator: ", "))</td><td>\(allocation)</td></tr>"
        }
        let table: HTML =
            participants.isEmpty
            ? ""
            : """
            <div class="scroll"><table><thead><tr><th>Participant</th><th>Jars</th><th>Allocation</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
        let log: [HTML] = study.unblindings.map {
            "<li>\(text: $0.participantCode), \(text: $0.date.description): \(text: $0.reason)</li>"
        }
        let logPart: HTML = study.unblindings.isEmpty ? "" : "<h3>Emergency unblindings</h3><ul>\(log)</ul>"
        let candidates = participants.map(\.participantCode).filter { code in
            !study.unblindings.contains { $0.participantCode == code }
        }
        let options: [HTML] = candidates.map {
            "<option value=\"\(text: $0)\"\(raw: form?["participant"] == $0 ? " selected" : "")>\(text: $0)</option>"
        }
        let emergency: HTML =
            running && !candidates.isEmpty
            ? """
            <details\(raw: errors["participant"] != nil || errors["unblind_reason"] != nil ? " open" : "")><summary id="unblind">Emergency unblinding</summary>
            <p>Only when a participant's care needs their allocation now. You will see that participant's allocation; the reason is
            recorded, shown here and in the study's report, and cannot be taken back.</p>
            <form method="post" action="/studies/\(text: study.id)/unblind#unblind"><input type="hidden" name="csrf" value="\(text: csrf)">
            <label for="participant">Participant</label><select id="participant" name="participant">\(options)</select>\(Layout.error(errors, "participant"))
            <label for="unblind_reason">Reason (recorded)</label>
            <textarea id="unblind_reason" name="unblind_reason" rows="2">\(text: form?["unblind_reason"] ?? "")</textarea>\(Layout.error(errors, "unblind_reason"))
            <button class="secondary">Unblind this participant</button></form></details>
            """
            : ""
        let rule: HTML =
            running
            ? "<p class=\"source\">While the study runs you see jar letters only; the allocations show here when the study closes.</p>"
            : "<p class=\"source\">The study closed on \(text: study.closedOn?.description ?? ""): the allocations are open.</p>"
        return """
            <h2 id="blinding">Blinding</h2>
            \(holder)\(nameForm)\(rule)\(table)\(logPart)\(emergency)
            """
    }

    /// Closing: only a registered study, and only once every participant's trial is over.
    func closeSection(_ study: Study, errors: FieldErrors, csrf: String) -> HTML {
        guard study.status == .registered else {
            return """
                <h2 id="close">Closed</h2><p>The study closed on \(text: study.closedOn?.description ?? ""). Its analysis was made then:
                <a href="\(text: StudyReportPage.reportPath(study.id))">the study report</a> ·
                <a href="\(text: StudyReportPage.analysisPath(study.id))">the analysis (JSON, the keys of epsom series)</a>.</p>
                """
        }
        return """
            <h2 id="close">Closing the study</h2>
            <p>When every participant's trial has ended, stopped or been left, close the study: enrolment ends, the allocations are
            shown to you, and the results can be analysed.</p>
            <form method="post" action="/studies/\(text: study.id)/close#close"><input type="hidden" name="csrf" value="\(text: csrf)">
            <label class="plain"><input type="checkbox" name="confirm" value="yes"> Close the study: it enrols nobody more and cannot
            reopen.</label>\(Layout.error(errors, "confirm"))
            <button class="secondary">Close the study</button></form>
            """
    }
}
