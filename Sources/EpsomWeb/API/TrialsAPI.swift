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

    static let createFields = [
        "template": "cream-vs-none, cream-vs-placebo or oral-vs-cream-vs-none",
        "arms": "arm names, comparator first (array or comma-separated); overrides the template's",
        "title": "string", "period_days": "integer 1-56 (default 7)", "cycles": "integer 1-12 (default 4)",
        "washout_days": "integer, less than period_days (default 2)", "start_date": "date, today or later (default today)",
        "outcome": "pain, spasms, stiffness, enjoyment or activity (default pain)", "mcid": "number above 0, at most 10 (default 1)",
        "seed": "integer 0-18446744073709551615 (default random)", "blinded": "boolean (default from the template)",
        "reminder_time": "HH:MM for the calendar alarm (default 20:00)",
    ]
    static let patientQuery = ["patient": "account id (clinicians)"]

    var endpoints: [Endpoint] {
        [
            Endpoint(
                .post, "trials", "Design, randomise and register a trial (its protocol is frozen and hashed)", for: .patientOwner,
                request: Self.createFields, success: .created, create),
            Endpoint(
                .get, "trials", "The account's trials, newest first", for: .ownerOrSharingClinician,
                query: Self.patientQuery.merging(Paging.query) { a, _ in a }, list),
            Endpoint(
                .get, "trials/:id", "One trial: design, status, protocol SHA-256, amendments", for: .ownerOrSharingClinician,
                query: Self.patientQuery, get),
            Endpoint(
                .get, "trials/:id/schedule", "The periods; arm is the jar code while a blinded trial runs", for: .ownerOrSharingClinician,
                query: Self.patientQuery, schedule),
            Endpoint(
                .put, "trials/:id/days/:date", "Record the day's adherence", for: .owner,
                request: [
                    "adherence": "yes, partly or no (required)", "amount": "number 0-1000 (g of cream or tablets)",
                    "severe_side_effect": "boolean; true stops the trial",
                ], recordDay),
            Endpoint(
                .post, "trials/:id/amendments", "Amend the protocol (cycles or MCID) with a reason", for: .owner,
                request: ["cycles": "integer", "mcid": "number", "reason": "string (required)"], success: .created, amend),
            Endpoint(
                .post, "trials/:id/stop", "Stop the trial early with a reason", for: .owner, request: ["reason": "string (required)"], stop),
            Endpoint(
                .get, "trials/:id/analysis",
                "The N-of-1 model, intention-to-treat and per-protocol (after the end; interim for clinicians)",
                for: .ownerOrSharingClinician,
                query: Self.patientQuery, analysis),
            Endpoint(.get, "trials/:id/calendar.ics", "The schedule as iCalendar with daily alarms", for: .owner, calendar),
            Endpoint(
                .get, "trials/:id/export.csv", "The trial's days as CSV", for: .ownerOrSharingClinician, query: Self.patientQuery, csv),
            Endpoint(
                .get, "trials/:id/fhir", "The trial as a FHIR R4 Bundle (pain as LOINC 72514-3 Observations)",
                for: .ownerOrSharingClinician,
                query: Self.patientQuery, fhir),
        ]
    }

    struct TrialJSON: ResponseEncodable, Encodable {
        struct Amendment: Encodable {
            var number: Int
            var date, change, reason, protocol_sha256: String
        }
        var id, title, status: String
        var arms: [String]
        var period_days, cycles, washout_days: Int
        var start_date, end_date: String
        var outcome: String
        var mcid: Double
        var blinded: Bool
        /// Revealed with the allocation once a blinded trial is over.
        var seed: String?
        var protocol_sha256: String
        /// The frozen protocol's JSON text; withheld while a blinded trial runs.
        var protocol_json: String?
        var amendments: [Amendment]
        var stopped_on, stop_reason: String?
        var consent_to_pool: Bool

        init(_ t: Trial, today: CalendarDate) {
            let concealed = t.isConcealed(today: today)
            id = t.id
            title = t.design.title
            status = t.status(today: today).rawValue
            arms = t.design.arms.indices.map { t.armLabel($0, today: today) }
            period_days = t.design.periodDays
            cycles = t.design.cycles
            washout_days = t.design.washoutDays
            start_date = t.design.startDate.description
            end_date = t.design.endDate.description
            outcome = t.design.outcome.rawValue
            mcid = t.design.mcid
            blinded = t.design.blinded
            seed = concealed ? nil : String(t.design.seed)
            protocol_sha256 = t.registeredProtocol.sha256
            protocol_json = concealed ? nil : t.registeredProtocol.json
            amendments = t.amendments.map {
                Amendment(
                    number: $0.number, date: $0.date.description, change: $0.change, reason: $0.reason,
                    protocol_sha256: $0.protocolHash)
            }
            stopped_on = t.stoppedOn?.description
            stop_reason = t.stopReason
            consent_to_pool = t.consentToPool
        }
    }

    struct ListJSON: ResponseEncodable {
        var trials: [TrialJSON]
        /// Pass back as `cursor` for the next page; absent on the last page.
        var next_cursor: String?
    }

    struct ScheduleJSON: ResponseEncodable {
        struct Period: Encodable {
            var cycle: Int
            var arm: String
            var start_date, end_date: String
            var washout_days: Int
        }
        var trial_id: String
        var concealed: Bool
        var periods: [Period]
    }

    struct DayJSON: ResponseEncodable {
        var date, adherence: String
        var amount: Double?
        var severe_side_effect: Bool
        var trial_stopped: Bool
        var message: String?
    }

    struct AnalysisJSON: ResponseEncodable {
        var trial_id: String
        var interim: Bool
        var intention_to_treat: NOf1JSON?
        var intention_to_treat_error: String?
        var per_protocol: NOf1JSON?
        var per_protocol_error: String?
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

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<TrialJSON> {
        // A trial is the participant's own: clinicians read shared trials, they do not run them
        // (the gate admits patients only).
        let ownerID = try context.requireSubject()
        let fields = try await JSONFields(request: request).values
        do {
            let trial = try await service.create(fields, accountID: ownerID)
            var headers = HTTPFields()
            headers[.location] = "/api/v1/trials/\(trial.id)"
            return EditedResponse(status: .created, headers: headers, response: TrialJSON(trial, today: today()))
        } catch {
            throw APIError.invalid(error, message: "The trial design is not possible.")
        }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> ListJSON {
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
        return ListJSON(trials: page.records.map { TrialJSON($0, today: today()) }, next_cursor: page.nextCursor)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> TrialJSON {
        TrialJSON(try await loaded(request, context).trial, today: today())
    }

    @Sendable func schedule(_ request: Request, context: AppRequestContext) async throws -> ScheduleJSON {
        let trial = try await loaded(request, context).trial
        let today = today()
        return ScheduleJSON(
            trial_id: trial.id, concealed: trial.isConcealed(today: today),
            periods: trial.schedule.periods.map {
                .init(
                    cycle: $0.cycle, arm: trial.armLabel($0.arm, today: today), start_date: $0.startDate.description,
                    end_date: $0.endDate.description, washout_days: $0.washoutDays)
            })
    }

    @Sendable func recordDay(_ request: Request, context: AppRequestContext) async throws -> DayJSON {
        let ownerID = try context.requireSubject()
        let trial = try await owned(context)
        var fields = try await JSONFields(request: request).values
        fields["date"] = context.parameters.get("date") ?? ""
        let (day, after): (TrialDay, Trial)
        do {
            (day, after) = try await service.record(fields, trial: trial, accountID: ownerID)
        } catch let error as FieldErrors {
            throw APIError.invalid(error)
        }
        let stopped = after.stoppedOn != nil && trial.stoppedOn == nil
        return DayJSON(
            date: day.date.description, adherence: day.adherence.rawValue, amount: day.amount,
            severe_side_effect: day.severeSideEffect, trial_stopped: stopped,
            message: stopped ? TrialSafety.stopAdvice : nil)
    }

    @Sendable func amend(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<TrialJSON> {
        let ownerID = try context.requireSubject()
        let trial = try await owned(context)
        let fields = try await JSONFields(request: request).values
        let amended: Trial
        do { amended = try trial.amended(fields: fields, today: today()) } catch { throw APIError.invalid(error) }
        try await service.store.updateTrial(amended, accountID: ownerID)
        return EditedResponse(status: .created, response: TrialJSON(amended, today: today()))
    }

    @Sendable func stop(_ request: Request, context: AppRequestContext) async throws -> TrialJSON {
        let ownerID = try context.requireSubject()
        let trial = try await owned(context)
        let reason = try await JSONFields(request: request).values["reason"] ?? ""
        let stopped: Trial
        do { stopped = try trial.stopped(reason: reason, today: today()) } catch { throw APIError.invalid(error) }
        try await service.store.updateTrial(stopped, accountID: ownerID)
        return TrialJSON(stopped, today: today())
    }

    @Sendable func analysis(_ request: Request, context: AppRequestContext) async throws -> AnalysisJSON {
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
        return AnalysisJSON(
            trial_id: loaded.trial.id, interim: access == .interim, intention_to_treat: itt.0,
            intention_to_treat_error: itt.1, per_protocol: pp.0, per_protocol_error: pp.1)
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
