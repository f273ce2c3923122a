import EpsomCore
import EpsomStorage
import Foundation
import Hummingbird

/// The unblinded pharmacist's pages: the studies that name them, each participant's allocation
/// (which arm goes in which jar), and the jar labels to print. Only an account with the
/// pharmacist role that the study names reaches a study here; anyone else gets 404, as for
/// another investigator's study. The pharmacist sees participant codes, never names.
struct PharmacyPage {
    let store: any Store
    let clock: AppClock

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("pharmacy") { request, context in try await list(request, context) }
        router.get("pharmacy/:id") { request, context in try await show(request, context) }
        router.get("pharmacy/:id/labels/:code") { request, context in try await labels(request, context) }
    }

    private func pharmacist(_ context: AppRequestContext) throws -> Identity {
        guard let identity = context.identity else { throw APIError.unauthorized }
        guard identity.account.role == .pharmacist else {
            throw APIError(.forbidden, "The pharmacy is for a pharmacist's account (Account → I am a pharmacist).")
        }
        return identity
    }

    /// The study in the path, if it names the signed-in pharmacist.
    private func study(_ context: AppRequestContext, _ identity: Identity) async throws -> Study {
        guard let id = context.parameters.get("id"), let study = try await store.study(id: id, pharmacistID: identity.account.id)
        else { throw APIError(.notFound, "No such study.") }
        return study
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard context.identity != nil else { return .seeOther("/signin") }
        let identity = try pharmacist(context)
        let studies = try await store.studies(pharmacistID: identity.account.id)
        let rows: [HTML] = studies.map { s in
            "<tr><td><a href=\"/pharmacy/\(text: s.id)\">\(text: s.design.title)</a></td><td>\(text: StudiesPage.label(s.status))</td></tr>"
        }
        let table: HTML =
            studies.isEmpty
            ? "<p>No study names you as its pharmacist yet. An investigator names you by the email of this account.</p>"
            : "<table><thead><tr><th>Study</th><th>Status</th></tr></thead><tbody>\(rows)</tbody></table>"
        let body: HTML = """
            <h1>Pharmacy</h1>
            <p>You hold the allocations of these blinded studies: which cream goes in which participant's jars. Participants and
            investigators see jar letters only until a participant's trial ends or the study closes.</p>
            \(table)
            """
        return .html(Layout.page("Pharmacy", identity: identity, csrf: identity.session.csrfToken, body))
    }

    func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard context.identity != nil else { return .seeOther("/signin") }
        let identity = try pharmacist(context)
        let study = try await study(context, identity)
        // The enrolments' plain columns (jar letters, arm names, dates), not each trial's JSON:
        // one short row per participant, so a study of 1,000 costs one cheap query.
        let participants = try await store.studyAllocations(studyID: study.id, accountID: identity.account.id)
        let rows: [HTML] = participants.map { p in
            if let left = p.withdrawnOn {
                return """
                    <tr><td>\(text: p.participantCode)</td><td colspan="3">Left the study on \(text: left.description)</td></tr>
                    """
            }
            let jars: [HTML] = p.arms.map { arm in "<li><strong>\(text: arm.jarLabel):</strong> \(text: arm.name)</li>" }
            return """
                <tr><td>\(text: p.participantCode)</td><td><span class="nowrap">\(text: p.startDate.description)</span> to \
                <span class="nowrap">\(text: p.endDate.description)</span></td><td><ul class="bare">\(jars)</ul></td>\
                <td><a href="/pharmacy/\(text: study.id)/labels/\(text: p.participantCode)">Labels</a></td></tr>
                """
        }
        let table: HTML =
            participants.isEmpty
            ? "<p>Nobody has enrolled yet.</p>"
            : """
            <div class="scroll"><table><thead><tr><th>Participant</th><th>Trial</th><th>Fill the jars with</th><th>Print</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
        let blinding: HTML =
            study.design.blinded
            ? """
            <p class="notice warning">For the pharmacist only. Keep this page from participants and from the investigator until the
            study closes.</p>
            """
            : "<p class=\"notice\">This study is open label: the jars need no code, and everyone may see the arms.</p>"
        let body: HTML = """
            <p><a href="/pharmacy">← Pharmacy</a></p>
            <h1>\(text: study.design.title)</h1>
            \(blinding)
            <p>Fill each participant's jars with the cream named beside the jar's letter. Make the jars look, feel and smell the same
            (same jar, same amount, no brand labels) and stick on the printed labels, which carry the participant's code and the
            jar's letter only.</p>
            \(table)
            <p class="source">Registered protocol SHA-256: <code class="break">\(text: study.currentProtocolHash ?? "")</code></p>
            """
        return .html(Layout.page(study.design.title, identity: identity, csrf: identity.session.csrfToken, body))
    }

    /// One participant's jar labels: the jar's letter, the code and the periods, no arm.
    func labels(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard context.identity != nil else { return .seeOther("/signin") }
        let identity = try pharmacist(context)
        let study = try await study(context, identity)
        let code = context.parameters.get("code") ?? ""
        guard
            let participant = try await store.studyTrials(studyID: study.id, accountID: identity.account.id)
                .first(where: { $0.enrolment.participantCode == code && $0.enrolment.withdrawnOn == nil })
        else { throw APIError(.notFound, "No such participant in this study.") }
        let trial = participant.trial
        let labels: [HTML] = trial.design.arms.indices.map { arm in
            let periods = trial.schedule.periods.filter { $0.arm == arm }.map { "\($0.startDate) to \($0.endDate)" }
            return """
                <div class="jar">
                <p class="jar-name">\(text: trial.schedule.jarLabel(arm: arm))</p>
                <p>\(text: code) · \(text: study.design.title) · use in periods: \(text: periods.joined(separator: "; "))</p></div>
                """
        }
        let body: HTML = """
            <p class="noprint"><a href="/pharmacy/\(text: study.id)">← \(text: study.design.title)</a></p>
            <h1>Jar labels for \(text: code)</h1><p class="noprint">Print this page, cut out the labels and stick them on the jars.</p>
            \(labels)
            """
        return .html(Layout.page("Jar labels", identity: identity, csrf: identity.session.csrfToken, body))
    }
}
