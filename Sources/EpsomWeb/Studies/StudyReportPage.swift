import EpsomCore
import EpsomStorage
import HTTPTypes
import Hummingbird

/// A closed study's report (`/studies/:id/report`, printable, following CENT 2015 for a series of
/// N-of-1 trials) and its analysis as JSON (`/studies/:id/analysis.json`, the keys of
/// `epsom series --format json` first), for the study's investigator.
///
/// Both read the analysis stored when the study closed (`StudyResultsWork`) and the study's row,
/// nothing else: no participant's diary is read to show them. Who may open them is decided in one
/// place, where the routes are registered (`investigators`): signed out, the sign-in page; a
/// patient or a pharmacist, 403; another investigator or a draft, 404; a study still running, 409
/// with the reason (the analysis is made when the study closes).
struct StudyReportPage {
    let store: any Store
    let clock: AppClock

    static func reportPath(_ studyID: String) -> String { "/studies/\(studyID)/report" }
    static func analysisPath(_ studyID: String) -> String { "/studies/\(studyID)/analysis.json" }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("studies/:id/report") { _, context in
            try await investigators(context) { identity, study, stored in
                let results = try await standing(study, stored, investigatorID: identity.account.id)
                // The demo's investigator account, not the title (anyone may give a study that title).
                let body = Self.body(
                    study, results: results, forestSVG: stored.forestSVG, synthetic: StudyService.isSynthetic(identity.account))
                return .html(Layout.page("Report: \(study.design.title)", identity: identity, csrf: identity.session.csrfToken, body))
            }
        }
        router.get("studies/:id/analysis.json") { _, context in
            try await investigators(context) { identity, study, stored in
                let name = StudyExports.filename(StudyExport(study: study, participants: []), "analysis.json")
                let results = try await standing(study, stored, investigatorID: identity.account.id)
                // As stored, byte for byte, unless it must carry the note of later withdrawals.
                let json = results.laterDataWithdrawals == nil ? stored.json : try results.encoded()
                return StudyExports.download(json, type: "application/json", name: name)
            }
        }
    }

    /// The stored analysis as it is shown today: flagged if participants withdrew their data after
    /// it was computed (it is not recomputed: `StudyDataWithdrawal`). One query of the enrolments.
    private func standing(_ study: Study, _ stored: StoredStudyResults, investigatorID: String) async throws -> StudyResults {
        let enrolments = try await store.enrolments(studyID: study.id, investigatorID: investigatorID)
        return try StudyResults.decoded(stored.json).standing(enrolments)
    }

    /// The investigator's closed study with its stored analysis (computed now if the close could
    /// not), answered by `respond`; anyone else is refused.
    private func investigators(
        _ context: AppRequestContext, respond: (Identity, Study, StoredStudyResults) async throws -> Response
    ) async throws -> Response {
        guard let identity = context.identity else { return .seeOther("/signin") }
        guard identity.account.role == .clinician else {
            throw APIError(.forbidden, "Studies are run from a clinician's account (Account → I am a clinician).")
        }
        guard let id = context.parameters.get("id"), let study = try await store.study(id: id, investigatorID: identity.account.id),
            study.status != .draft
        else { throw APIError(.notFound, "No such registered study.") }
        guard study.status == .closed else { return Self.notYet(study, identity: identity) }
        guard
            let stored = try await StudyResultsWork.results(
                store: store, studyID: study.id, investigatorID: identity.account.id, today: clock.today())
        else { throw APIError(.notFound, "No such registered study.") }
        return try await respond(identity, study, stored)
    }

    /// A running study has no report yet: the analysis is made once, when it closes.
    static func notYet(_ study: Study, identity: Identity) -> Response {
        let body: HTML = """
            <h1>\(text: study.design.title)</h1>
            <p class="notice">The study report is made when the study closes: until then the study is blind, and outcomes by arm are
            not shown to anyone. Close the study from its page once every participant's trial has ended, stopped or been left;
            the analysis is computed then, once, and this report shows it.</p>
            <p><a href="/studies/\(text: study.id)#close">Back to the study</a></p>
            """
        return .html(Layout.page("Report", identity: identity, csrf: identity.session.csrfToken, body), status: .conflict)
    }
}
