import EpsomCore
import EpsomStorage
import Foundation
import HTTPTypes
import Hummingbird

/// Personal trials: design and register, read the schedule (jar codes while blinded), record
/// adherence, amend or stop, and take the analysis, calendar, CSV and FHIR exports. The owner
/// writes; a clinician the owner shares with reads (`?patient=`), and may see interim results.
struct TrialsAPI {
    let service: TrialService

    static let id = Endpoint.Parameter.path("id", .string, "The trial's id.")
    static let patient = DiaryAPI.patient

    /// The outline of a FHIR R4 Bundle; FHIR's own schema governs the rest (CI validates the
    /// bundles with fhir.resources).
    static let fhirBundle: JSONSchema = {
        var bundle = JSONSchema(.object, description: "A FHIR R4 Bundle of type collection: see https://hl7.org/fhir/R4/bundle.html.")
        bundle.properties = [("resourceType", .oneOf(["Bundle"])), ("type", .oneOf(["collection"])), ("entry", .array(.map(JSONSchema())))]
        bundle.required = ["resourceType", "type", "entry"]
        bundle.additional = [JSONSchema()]
        return bundle
    }()

    var endpoints: [Endpoint] {
        [
            Endpoint(
                .post, "trials", "Design, randomise and register a trial (its protocol is frozen and hashed)", for: .patientOwner,
                body: .json(.init(Wire.TrialInput.self)), success: .created, create),
            Endpoint(
                .get, "trials", "The account's trials, newest first", for: .ownerOrSharingClinician,
                parameters: [Self.patient] + Paging.parameters, list),
            Endpoint(
                .get, "trials/:id", "One trial: design, status, protocol SHA-256, amendments", for: .ownerOrSharingClinician,
                parameters: [Self.id, Self.patient], get),
            Endpoint(
                .get, "trials/:id/schedule", "The periods; arm is the jar code while a blinded trial runs", for: .ownerOrSharingClinician,
                parameters: [Self.id, Self.patient], schedule),
            Endpoint(
                .put, "trials/:id/days/:date", "Record the day's adherence", for: .owner,
                parameters: [Self.id, .path("date", .date, "The trial day, YYYY-MM-DD.")], body: .json(.init(Wire.TrialDayInput.self)),
                recordDay),
            Endpoint(
                .post, "trials/:id/amendments", "Amend the protocol (cycles or MCID) with a reason (409 for a study's trial)",
                for: .owner, parameters: [Self.id], body: .json(.init(Wire.AmendmentInput.self)), success: .created,
                errors: [.conflict], amend),
            Endpoint(
                .post, "trials/:id/stop", "Stop the trial early with a reason (409 for a study's trial: leave the study instead)",
                for: .owner, parameters: [Self.id], body: .json(.init(Wire.StopInput.self)), errors: [.conflict], stop),
            Endpoint(
                .get, "trials/:id/analysis",
                "The N-of-1 model, intention-to-treat and per-protocol (after the end; interim for clinicians)",
                for: .ownerOrSharingClinician, parameters: [Self.id, Self.patient], errors: [.conflict], analysis),
            Endpoint(
                .get, "trials/:id/calendar.ics", "The schedule as iCalendar with daily alarms", for: .owner, parameters: [Self.id],
                reply: .file(
                    contentType: "text/calendar", description: "An iCalendar file: one event per period, each with a daily alarm."),
                calendar),
            Endpoint(
                .get, "trials/:id/export.csv", "The trial's days as CSV", for: .ownerOrSharingClinician,
                parameters: [Self.id, Self.patient],
                reply: .file(contentType: "text/csv", description: "One row per trial day: arm (coded while blinded), ratings, adherence."),
                csv),
            Endpoint(
                .get, "trials/:id/fhir", "The trial as a FHIR R4 Bundle (pain as LOINC 72514-3 Observations)",
                for: .ownerOrSharingClinician,
                parameters: [Self.id, Self.patient],
                reply: .file(
                    contentType: "application/fhir+json", description: "A FHIR R4 collection Bundle (validated in CI).",
                    schema: Self.fhirBundle),
                fhir),
        ]
    }

    // MARK: Handlers

    func today() -> CalendarDate { service.clock.today() }

    /// The trial named in the path, for its owner or a clinician it is shared with.
    func loaded(_ request: Request, _ context: AppRequestContext) async throws -> TrialService.Loaded {
        let subject = try context.requireSubject()
        guard let id = context.parameters.get("id"), let loaded = try await service.load(id: id, ownerID: subject) else {
            throw APIError.notFound
        }
        return loaded
    }

    /// The owner's own trial, for changes (the gate admitted only its owner).
    func owned(_ context: AppRequestContext) async throws -> Trial {
        guard let id = context.parameters.get("id"),
            let trial = try await service.store.trial(id: id, accountID: try context.requireSubject())
        else { throw APIError.notFound }
        return trial
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Wire.Trial> {
        // A trial is the participant's own: clinicians read shared trials, they do not run them
        // (the gate admits patients only).
        let ownerID = try context.requireSubject()
        let trial = try await context.requireBody().validated(Wire.TrialInput.self, message: "The trial design is not possible.") {
            try await service.create($0, accountID: ownerID)
        }.value
        var headers = HTTPFields()
        headers[.location] = "/api/v1/trials/\(trial.id)"
        return EditedResponse(status: .created, headers: headers, response: Wire.Trial(trial, today: today()))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Wire.TrialPage {
        let subject = try context.requireSubject()
        let paging = try Paging(request)
        // A person has a handful of trials: they are read whole and paged here, after the trial
        // whose id the cursor holds.
        var trials = try await service.store.trials(accountID: subject)
        if let after = paging.after {
            guard let index = trials.firstIndex(where: { $0.id == after }) else { throw Paging.invalidCursor }
            trials = Array(trials[(index + 1)...])
        }
        let page = paging.page(Array(trials.prefix(paging.limit + 1))) { $0.id }
        return Wire.TrialPage(trials: page.records.map { Wire.Trial($0, today: today()) }, nextCursor: page.nextCursor)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Wire.Trial {
        Wire.Trial(try await loaded(request, context).trial, today: today())
    }

    @Sendable func schedule(_ request: Request, context: AppRequestContext) async throws -> Wire.Schedule {
        let trial = try await loaded(request, context).trial
        let today = today()
        return Wire.Schedule(
            trialId: trial.id, concealed: trial.isConcealed(today: today),
            periods: trial.schedule.periods.map {
                Wire.SchedulePeriod(
                    cycle: $0.cycle, arm: trial.armLabel($0.arm, today: today), startDate: $0.startDate, endDate: $0.endDate,
                    washoutDays: $0.washoutDays)
            })
    }

    @Sendable func recordDay(_ request: Request, context: AppRequestContext) async throws -> Wire.TrialDayRecord {
        let ownerID = try context.requireSubject()
        let trial = try await owned(context)
        let date = context.parameters.get("date") ?? ""
        let (day, after) = try await context.requireBody().validated(Wire.TrialDayInput.self) { fields in
            var fields = fields
            fields["date"] = date
            return try await service.record(fields, trial: trial, accountID: ownerID)
        }.value
        let stopped = after.stoppedOn != nil && trial.stoppedOn == nil
        return Wire.TrialDayRecord(
            date: day.date, adherence: day.adherence, amount: day.amount,
            severeSideEffect: day.severeSideEffect, trialStopped: stopped,
            message: stopped ? TrialSafety.stopAdvice : nil)
    }

    /// A study participant's trial follows the study's protocol: it is not amended or stopped
    /// on its own (the participant leaves the study instead).
    func refuseInStudy(_ trial: Trial, ownerID: String) async throws {
        guard try await service.enrolment(trialID: trial.id, ownerID: ownerID) != nil else { return }
        throw APIError(.conflict, "This trial belongs to a study: its protocol is the study's. To stop it, leave the study.")
    }

    @Sendable func amend(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Wire.Trial> {
        let ownerID = try context.requireSubject()
        let trial = try await owned(context)
        try await refuseInStudy(trial, ownerID: ownerID)
        let today = today()
        let amended = try await context.requireBody().validated(Wire.AmendmentInput.self) { try trial.amended(fields: $0, today: today) }
            .value
        try await service.store.updateTrial(amended, accountID: ownerID)
        return EditedResponse(status: .created, response: Wire.Trial(amended, today: today))
    }

    @Sendable func stop(_ request: Request, context: AppRequestContext) async throws -> Wire.Trial {
        let ownerID = try context.requireSubject()
        let trial = try await owned(context)
        try await refuseInStudy(trial, ownerID: ownerID)
        let today = today()
        let stopped = try await context.requireBody().validated(Wire.StopInput.self) {
            try trial.stopped(reason: $0["reason"] ?? "", today: today)
        }.value
        try await service.store.updateTrial(stopped, accountID: ownerID)
        return Wire.Trial(stopped, today: today)
    }

    @Sendable func analysis(_ request: Request, context: AppRequestContext) async throws -> Wire.TrialAnalysis {
        let identity = try context.requireIdentity()
        let loaded = try await loaded(request, context)
        let access = service.resultsAccess(
            loaded.trial,
            viewerIsClinician: identity.account.role == .clinician
                && identity.account.id != loaded.ownerID)
        guard access != .notYet else {
            throw APIError(
                .conflict,
                "Results are shown when the trial ends (\(loaded.trial.design.endDate)); "
                    + "looking earlier invites stopping on a lucky streak.")
        }
        let report = service.report(loaded, interim: access == .interim)
        func json(_ population: TrialAnalysis.Population) -> (NOf1JSON?, String?) {
            switch report.result(population) {
            case .success: return (report.nof1Report(population)?.json, nil)
            case .failure(let e): return (nil, e.message)
            }
        }
        let itt = json(.intentionToTreat), pp = json(.perProtocol)
        return Wire.TrialAnalysis(
            trialId: loaded.trial.id, interim: access == .interim, intentionToTreat: itt.0,
            intentionToTreatError: itt.1, perProtocol: pp.0, perProtocolError: pp.1)
    }

    @Sendable func calendar(_ request: Request, context: AppRequestContext) async throws -> Response {
        let trial = try await owned(context)
        return Self.ics(TrialCalendar.ics(trial, today: today(), stamp: service.icsStamp()))
    }

    static func ics(_ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/calendar; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"epsom-trial.ics\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    @Sendable func csv(_ request: Request, context: AppRequestContext) async throws -> Response {
        let l = try await loaded(request, context)
        return ExportAPI.csv(TrialCSV.csv(l.trial, diary: l.diary, adherence: l.adherence, today: today()), filename: "epsom-trial.csv")
    }

    @Sendable func fhir(_ request: Request, context: AppRequestContext) async throws -> Response {
        let l = try await loaded(request, context)
        let bundle = TrialFHIR.bundle(l.trial, diary: l.diary, adherence: l.adherence, today: today(), timestamp: service.fhirTimestamp())
        var headers = HTTPFields()
        headers[.contentType] = "application/fhir+json; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"epsom-trial-fhir.json\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: bundle)))
    }
}
