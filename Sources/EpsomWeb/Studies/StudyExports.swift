import EpsomCore
import EpsomStorage
import HTTPTypes
import Hummingbird

/// A study's exports, for its investigator: the FHIR R4 Bundle (`StudyFHIR`) and the long CSV
/// (`StudyCSV`), both de-identified, with allocations only once the study is closed.
///
/// Who may download is decided in one place, where the routes are registered
/// (`investigators`): not signed in, the sign-in page (as the study pages); a patient, 403;
/// another investigator, or a draft (which has no exports), 404.
struct StudyExports {
    let store: any Store
    let clock: AppClock

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("studies/:id/fhir") { _, context in
            try await investigators(context) { export in
                let today = clock.today(), timestamp = TrialService(store: store, clock: clock).fhirTimestamp()
                let bundle = try await HeavyWork.run { StudyFHIR.bundle(export, today: today, timestamp: timestamp) ?? "" }
                return Self.download(bundle, type: "application/fhir+json", name: Self.filename(export, "fhir.json"))
            }
        }
        router.get("studies/:id/export.csv") { _, context in
            try await investigators(context) { export in
                let today = clock.today()
                let csv = try await HeavyWork.run { StudyCSV.csv(export, today: today) }
                return Self.download(csv, type: "text/csv", name: Self.filename(export, "csv"))
            }
        }
    }

    /// The study's export for its investigator, answered by `respond`; anyone else is refused.
    /// Writing a large study's files is CPU work, so the routes do it on `HeavyWork`'s thread.
    private func investigators(
        _ context: AppRequestContext, respond: (StudyExport) async throws -> Response
    ) async throws -> Response {
        guard let identity = context.identity else { return .seeOther("/signin") }
        guard identity.account.role == .clinician else {
            throw APIError(.forbidden, "Studies are run from a clinician's account (Account → I am a clinician).")
        }
        guard let id = context.parameters.get("id"),
            let export = try await store.studyExport(studyID: id, investigatorID: identity.account.id), export.study.status != .draft
        else { throw APIError(.notFound, "No such registered study.") }
        return try await respond(export)
    }

    /// "epsom-study-CODE.csv": the registration code, letters, digits and hyphens only.
    static func filename(_ export: StudyExport, _ suffix: String) -> String {
        let code = (export.study.enrolmentCode ?? "").filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        return "epsom-study-\(code).\(suffix)"
    }

    static func download(_ text: String, type: String, name: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type + "; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
