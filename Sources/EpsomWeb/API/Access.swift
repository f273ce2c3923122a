import EpsomStorage
import HTTPTypes
import Hummingbird

/// Who may see whose records: a person sees their own; a clinician sees a patient's only while
/// that patient shares them. Every read of records goes through `subject`, which also records
/// each clinician's access for the patient to see.
enum Access {
    /// The account whose records the request reads: the caller's own, or `?patient=ID` for a
    /// clinician the patient has shared with.
    static func subject(_ request: Request, _ context: AppRequestContext, store: any Store) async throws -> String {
        let identity = try context.requireIdentity()
        guard let patient = request.uri.queryParameters.get("patient"), patient != identity.account.id else {
            return identity.account.id
        }
        guard identity.account.role == .clinician,
              try await store.isShared(patientID: patient, clinicianID: identity.account.id) else {
            throw APIError.forbidden
        }
        // Every access to another person's data is recorded for them (Account, "Who looked at
        // your data"); never in the server log.
        try await store.recordAccess(patientID: patient, viewer: identity.account,
                                     what: "\(request.method.rawValue) \(RequestLogMiddleware.routeShape(request.uri.path))")
        return patient
    }
}
