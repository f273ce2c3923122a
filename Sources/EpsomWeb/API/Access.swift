import EpsomCore
import EpsomStorage
import HTTPTypes
import Hummingbird

/// Who may call a route. Every API endpoint declares one (the initialiser has no default), and
/// `Endpoint.register` admits the caller before the handler runs, so no handler can forget a
/// check. Handlers read whose records they serve from `context.requireSubject()`, which fails
/// closed when the gate did not run.
enum Audience: Sendable, Equatable {
    /// Anyone, signed in or not: sign-up and sign-in.
    case anyone
    /// The signed-in account, on its own records; a `?patient=` naming anyone else is refused.
    case owner
    /// As `owner`, and only a patient account: a trial is its participant's own.
    case patientOwner
    /// The owner, or a clinician the owner shares with, who reads with `?patient=ID`.
    case ownerOrSharingClinician
    /// A signed-in clinician, on the studies they run; another investigator's study is not found.
    case investigator
    /// A signed-in patient, for their own screening, enrolment and withdrawal in a study.
    case participant

    /// Who may call, in the OpenAPI document's words.
    var description: String {
        switch self {
        case .anyone: "Anyone, signed in or not."
        case .owner: "The signed-in account, on its own records."
        case .patientOwner: "A signed-in patient, on their own records (clinicians read trials; they do not run them)."
        case .ownerOrSharingClinician: "The signed-in account, or a clinician it shares with, who names it with ?patient=ID."
        case .investigator: "A signed-in clinician, on the studies they run (another investigator's study answers 404)."
        case .participant: "A signed-in patient, for their own screening, enrolment and withdrawal."
        }
    }
}

/// Who may see whose records: a person sees their own; a clinician sees a patient's only while
/// that patient shares them. Every read of another person's records goes through `subject`,
/// which also records each clinician's access for the patient to see.
enum Access {
    /// Admits the caller to a route for `audience`, or throws 401 or 403. On success the
    /// context names the account whose records the handler serves.
    static func admit(
        _ audience: Audience, _ request: Request, _ context: inout AppRequestContext,
        store: any Store
    ) async throws {
        switch audience {
        case .anyone:
            return
        case .owner, .patientOwner, .investigator, .participant:
            let identity = try context.requireIdentity()
            if let patient = request.uri.queryParameters.get("patient"), patient != identity.account.id {
                throw APIError.forbidden
            }
            let role: Role? =
                switch audience {
                case .patientOwner, .participant: .patient
                case .investigator: .clinician
                default: nil
                }
            if let role, identity.account.role != role { throw APIError.forbidden }
            context.subjectID = identity.account.id
        case .ownerOrSharingClinician:
            context.subjectID = try await subject(request, context, store: store)
        }
    }

    /// The account whose records the request reads: the caller's own, or `?patient=ID` for a
    /// clinician the patient has shared with. (The web pages call this directly.)
    static func subject(_ request: Request, _ context: AppRequestContext, store: any Store) async throws -> String {
        let identity = try context.requireIdentity()
        if request.uri.queryParameters.get("patient")?.isEmpty == true {
            throw APIError.invalid(FieldErrors(["patient": "must be a patient's account id (leave it out for your own records)"]))
        }
        guard let patient = request.uri.queryParameters.get("patient"), patient != identity.account.id else {
            return identity.account.id
        }
        guard identity.account.role == .clinician,
            try await store.isShared(patientID: patient, clinicianID: identity.account.id)
        else {
            throw APIError.forbidden
        }
        // Every access to another person's data is recorded for them (Account, "Who looked at
        // your data"); never in the server log.
        try await store.recordAccess(
            patientID: patient, viewer: identity.account,
            what: "\(request.method.rawValue) \(RequestLogMiddleware.routeShape(request.uri.path))")
        return patient
    }
}
