import EpsomCore
import EpsomStorage
import Foundation
import HTTPTypes
import Hummingbird

/// Publishing a closed study into the evidence pages: the investigator chooses the catalogue's
/// condition group, the route, the salt, the dose and the contrast; the numbers come from the
/// analysis stored at the close. The card shown here is the card the evidence page shows. A
/// publication can be withdrawn (it leaves the evidence pages and the workbench at once) and made
/// anew.
extension StudiesPage {
    func addPublicationRoutes(to router: Router<AppRequestContext>) {
        router.post("studies/:id/publish") { request, context in try await publish(request, context) }
        router.post("studies/:id/unpublish") { request, context in try await unpublish(request, context) }
    }

    func publish(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = try await PageCSRF.signedInForm(request, context)
        guard identity.account.role == .clinician else { throw APIError.forbidden }
        guard let id = context.parameters.get("id"), let study = try await store.study(id: id, investigatorID: identity.account.id)
        else { throw APIError(.notFound, "No such study.") }
        let results = try await service.publishableResults(study, investigatorID: identity.account.id)
        var errors = FieldErrors()
        if form["confirm"] != "yes" {
            errors.add("confirm", "tick the box to confirm that this result may be shown to everyone")
        }
        let choice = StudyPublication.Choice(
            conditionGroup: form["condition_group"] ?? "", route: form["route"] ?? "", salt: form["salt"] ?? "",
            dose: form["dose"] ?? "", arm: form["arm"] ?? "")
        var publication: StudyPublication?
        do {
            publication = try service.publication(of: study, results: results, choice: choice, investigator: identity.account)
        } catch {
            for (field, message) in error.messages { errors.add(field, message) }
        }
        guard errors.isEmpty, let publication else {
            return try await show(request, context, form: form.fields, errors: errors, status: .unprocessableContent)
        }
        try await service.publish(publication, investigatorID: identity.account.id)
        return .seeOther("/studies/\(study.id)#publish")
    }

    func unpublish(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, _) = try await PageCSRF.signedInForm(request, context)
        guard identity.account.role == .clinician else { throw APIError.forbidden }
        guard let id = context.parameters.get("id"), let study = try await store.study(id: id, investigatorID: identity.account.id)
        else { throw APIError(.notFound, "No such study.") }
        try await store.unpublishStudy(studyID: study.id, investigatorID: identity.account.id)
        return .seeOther("/studies/\(study.id)#publish")
    }

    /// The closed study's publication: the card as published and the way to withdraw it, and the
    /// form to publish (or publish anew), whose fields start from the current publication.
    func publicationSection(
        _ study: Study, results: StudyResults?, publication: StudyPublication?, form: [String: String]?, errors: FieldErrors,
        csrf: String
    ) -> HTML {
        guard study.status == .closed else { return "" }
        guard let results else {
            return """
                <h2 id="publish">Publishing the result</h2>
                <p>The analysis is not stored yet: open <a href="\(text: StudyReportPage.reportPath(study.id))">the study report</a>,
                which computes it, then come back to publish it.</p>
                """
        }
        let current: HTML
        if let publication {
            current = """
                <p>Published on \(text: publication.publishedOn.description): it is in the
                <a href="/evidence#\(text: publication.rowID)">evidence catalogue</a> and, beside any comparable study, in the
                <a href="/evidence/workbench">workbench</a>. As it reads there:</p>
                \(EvidencePage.seriesCard(publication))
                <form method="post" action="/studies/\(text: study.id)/unpublish#publish"><input type="hidden" name="csrf" value="\(text: csrf)">
                <button class="secondary">Withdraw the publication</button></form>
                """
        } else {
            current = "<p>Not published.</p>"
        }
        let fields =
            form ?? publication.map { p in
                ["condition_group": p.conditionGroup, "route": p.route, "salt": p.salt, "dose": p.dose, "arm": p.arm]
            } ?? [:]
        let groups = StudyService.conditionGroups
        let guessedGroup = groups.first { study.design.condition.lowercased().contains($0.lowercased()) } ?? ""
        let chosenGroup = fields["condition_group"] ?? guessedGroup
        let groupOptions: [HTML] =
            [HTML("<option value=\"\">Choose…</option>")]
            + groups.map { "<option\(raw: $0 == chosenGroup ? " selected" : "")>\(text: $0)</option>" }
        let chosenRoute = fields["route"] ?? EvidenceStudy.RouteGroup.transdermal.rawValue
        let routeOptions: [HTML] = EvidenceStudy.RouteGroup.allCases.map {
            "<option value=\"\(text: $0.rawValue)\"\(raw: $0.rawValue == chosenRoute ? " selected" : "")>\(text: $0.label)</option>"
        }
        let contrasts = results.pooled.filter { $0.reference == results.reference }
        let armOptions: [HTML] = contrasts.map { p in
            let note = p.muMean == nil ? " (no pooled result)" : p.muSd == nil ? " (stored without μ's SD)" : ""
            return """
                <option value="\(text: p.arm)"\(raw: p.arm == fields["arm"] ? " selected" : "")>\(text: p.arm) against \(text: p.reference)\
                \(text: note)</option>
                """
        }
        return """
            <h2 id="publish">Publishing the result</h2>
            \(current)
            <details\(raw: errors.isEmpty && publication != nil ? "" : " open")><summary>\(publication == nil ? "Publish into the evidence pages" : "Publish anew")</summary>
            <p>The evidence pages then show this study beside the published trials, marked as an Epsom series of N-of-1 trials that
            is not peer reviewed, with its registration: its title, condition, design, the number of participants analysed, and the
            average effect μ of the primary analysis with its 95% interval and τ. No participant is named or counted one by one.
            The workbench pools it, as μ and its posterior SD, only with studies of the same condition group and outcome measure
            (here: \(text: results.outcome.label)).</p>
            <form method="post" action="/studies/\(text: study.id)/publish#publish"><input type="hidden" name="csrf" value="\(text: csrf)">
            <label for="condition_group">Condition group (the catalogue's)</label>
            <select id="condition_group" name="condition_group">\(groupOptions)</select>\(Layout.error(errors, "condition_group"))
            <label for="route">Route</label><select id="route" name="route">\(routeOptions)</select>\(Layout.error(errors, "route"))
            <label for="salt">Salt (e.g. magnesium chloride)</label>
            <input id="salt" name="salt" maxlength="\(StudyPublication.maximumTextLength)" value="\(text: fields["salt"] ?? "")">\(Layout.error(errors, "salt"))
            <label for="dose">Dose (e.g. 2 g of 20% MgCl₂ cream a day)</label>
            <input id="dose" name="dose" maxlength="\(StudyPublication.maximumTextLength)" value="\(text: fields["dose"] ?? "")">\(Layout.error(errors, "dose"))
            <label for="arm">Contrast</label><select id="arm" name="arm">\(armOptions)</select>\(Layout.error(errors, "arm"))
            <label class="plain"><input type="checkbox" name="confirm" value="yes"> Show this result to everyone, on the evidence
            pages and in the workbench.</label>\(Layout.error(errors, "confirm"))
            <button>\(publication == nil ? "Publish" : "Publish anew")</button></form></details>
            """
    }
}
