import EpsomCore
import EpsomStorage
import Foundation
import HTTPTypes
import Hummingbird

/// Studies, as the pages run them (`StudyService` holds the rules for both). An investigator (a
/// clinician) writes a draft, registers it, amends it, makes single-use codes and follows the
/// participants by code; another investigator's study answers 404. An invitee (a patient) reads
/// a registered study by its enrolment code, is screened, consents and enrols, and may leave.
struct StudiesAPI {
    let service: StudyService
    var store: any Store { service.store }

    static let id = Endpoint.Parameter.path("id", .string, "The study's id.")
    static let code = Endpoint.Parameter.path(
        "code", .string, "The study's enrolment code: the CODE of its invitation link /join/CODE.")

    static let eligibleMessage =
        "You may take part: read the consent statement, then enrol with the same answers, your consent and your first day."
    static let ineligibleMessage =
        "From these answers, this study is not the right one for you, so you cannot enrol. Your answers were not stored; the "
        + "study counts only that someone was not eligible."

    var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, "studies", "The investigator's studies, newest first", for: .investigator, parameters: Paging.parameters, list),
            Endpoint(
                .post, "studies", "Write a draft study (it changes freely until it is registered)", for: .investigator,
                body: .json(.init(Wire.StudyInput.self)), success: .created, create),
            Endpoint(
                .get, "studies/:id", "One study: design, status, protocol SHA-256, amendments, enrolment code", for: .investigator,
                parameters: [Self.id], get),
            Endpoint(
                .put, "studies/:id", "Replace a draft's design (409 once registered: amend it instead)", for: .investigator,
                parameters: [Self.id], body: .json(.init(Wire.StudyInput.self)), errors: [.conflict], update),
            Endpoint(
                .post, "studies/:id/register",
                "Register the draft as stored: its protocol is frozen under its SHA-256 and its public pages open",
                for: .investigator, parameters: [Self.id], errors: [.conflict], register),
            Endpoint(
                .post, "studies/:id/amendments", "Amend a registered protocol, with a reason published beside it", for: .investigator,
                parameters: [Self.id], body: .json(.init(Wire.StudyAmendmentInput.self)), success: .created, errors: [.conflict], amend),
            Endpoint(
                .post, "studies/:id/invitations", "Make single-use invitation codes (answered once; stored only as hashes)",
                for: .investigator, parameters: [Self.id], body: .json(.init(Wire.InvitationsInput.self)), success: .created,
                errors: [.conflict], invite),
            Endpoint(
                .get, "studies/:id/monitoring", "The flow and each participant's progress by code; no outcome by arm",
                for: .investigator, parameters: [Self.id], monitoring),
            Endpoint(
                .get, "join/:code", "A registered study as an invitee reads it: information, screening questions, consent",
                for: .anyone, parameters: [Self.code], information),
            Endpoint(
                .post, "join/:code/screening", "Answer the screening questions: eligible or not (counted, never stored)",
                for: .participant, parameters: [Self.code], body: .json(.init(Wire.ScreeningInput.self)), errors: [.conflict], screen),
            Endpoint(
                .post, "join/:code/enrolment", "Consent and enrol: the participant's own trial is made from the protocol",
                for: .participant, parameters: [Self.code], body: .json(.init(Wire.EnrolmentInput.self)), success: .created,
                errors: [.conflict], enrol),
            Endpoint(
                .get, "join/:code/enrolment", "The caller's enrolment in the study", for: .participant, parameters: [Self.code],
                enrolment),
            Endpoint(
                .post, "join/:code/withdrawal",
                "Leave the study (the data so far stays in it or is withdrawn), or withdraw the data later, also after the close",
                for: .participant, parameters: [Self.code], body: .json(.init(Wire.WithdrawalInput.self)), errors: [.conflict],
                withdraw),
        ]
    }

    // MARK: Loading

    func today() -> CalendarDate { service.clock.today() }

    /// The investigator's own study named in the path; 404 for anyone else's (as the pages).
    func owned(_ context: AppRequestContext) async throws -> Study {
        guard let id = context.parameters.get("id"), let study = try await store.study(id: id, investigatorID: try context.requireSubject())
        else { throw APIError(.notFound, "No such study.") }
        return study
    }

    /// The registered study an enrolment code names (a draft has none).
    func invited(_ context: AppRequestContext) async throws -> Study {
        guard let code = context.parameters.get("code"), let study = try await store.study(enrolmentCode: code),
            study.registeredProtocol != nil, study.registeredOn != nil
        else { throw APIError(.notFound, "No registered study has this code.") }
        return study
    }

    /// Runs a service step whose input problems are field errors: 422 naming each.
    func checked<T>(_ step: () async throws -> T) async throws -> T {
        do { return try await step() } catch let errors as FieldErrors { throw APIError.invalid(errors) }
    }

    /// A design body's fields as the form sends them: arm names one a line, and the screening
    /// questions as "yes: question" lines (the answer that excludes first).
    static func designFields(_ fields: [String: String], body: [String: JSONValue]) throws(FieldErrors) -> [String: String] {
        var fields = fields
        var errors = FieldErrors()
        if case .array(let items)? = body["arms"] {
            let names = items.compactMap(\.text)
            if names.contains(where: { $0.contains(where: \.isNewline) }) { errors.add("arms", "each arm's name is one line") }
            fields["arms"] = names.joined(separator: "\n")
        }
        if case .array(let items)? = body["screening"] {
            var lines: [String] = []
            for (index, item) in items.enumerated() {
                // A question of the wrong shape is named by the schema's check.
                guard case .object(let question) = item, case .string(let text)? = question["text"],
                    case .bool(let excludes)? = question["excluding_answer"]
                else { continue }
                if text.contains(where: \.isNewline) || !text.unicodeScalars.allSatisfy(ControlCharacters.isAllowed) {
                    errors.add("screening", "line \(index + 1): a question is one line of text")
                }
                lines.append((excludes ? "yes: " : "no: ") + text)
            }
            fields["screening"] = lines.joined(separator: "\n")
        }
        try errors.check()
        return fields
    }

    // MARK: Investigator

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Wire.StudyPage {
        let investigatorID = try context.requireSubject()
        let paging = try Paging(request)
        // An investigator runs a handful of studies: read whole, paged after the cursor's id.
        var studies = try await store.studies(investigatorID: investigatorID)
        if let after = paging.after {
            guard let index = studies.firstIndex(where: { $0.id == after }) else { throw Paging.invalidCursor }
            studies = Array(studies[(index + 1)...])
        }
        let page = paging.page(Array(studies.prefix(paging.limit + 1))) { $0.id }
        return Wire.StudyPage(studies: page.records.map(Wire.Study.init), nextCursor: page.nextCursor)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Wire.Study> {
        let investigatorID = try context.requireSubject()
        let body = try context.requireBody()
        let design = try await body.validated(Wire.StudyInput.self, message: "The study's protocol is not possible.") {
            try service.design(try Self.designFields($0, body: body.object))
        }.value
        let study = try await service.create(design, investigatorID: investigatorID)
        var headers = HTTPFields()
        headers[.location] = "/api/v1/studies/\(study.id)"
        return EditedResponse(status: .created, headers: headers, response: Wire.Study(study))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Wire.Study {
        Wire.Study(try await owned(context))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Wire.Study {
        let investigatorID = try context.requireSubject()
        let study = try await owned(context)
        guard study.status == .draft else {
            throw APIError(.conflict, "The study is registered: its protocol changes only by an amendment with a reason.")
        }
        let body = try context.requireBody()
        let design = try await body.validated(Wire.StudyInput.self, message: "The study's protocol is not possible.") {
            try service.design(try Self.designFields($0, body: body.object), previous: study.design)
        }.value
        return Wire.Study(try await service.updateDraft(study, design: design, investigatorID: investigatorID))
    }

    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Wire.Study {
        let investigatorID = try context.requireSubject()
        let study = try await owned(context)
        return Wire.Study(try await checked { try await service.registerAsStored(study, investigatorID: investigatorID) })
    }

    @Sendable func amend(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Wire.Study> {
        let investigatorID = try context.requireSubject()
        let study = try await owned(context)
        guard study.status == .registered else {
            throw APIError(.conflict, "Only a registered study is amended (a draft changes freely; a closed one not at all).")
        }
        let body = try context.requireBody()
        let amended = try await body.validated(Wire.StudyAmendmentInput.self, message: "The amendment is not possible.") { fields in
            // The schema names a missing or misshapen `design`; the domain then reads nothing of it.
            guard case .object(let design)? = body.object["design"] else { throw FieldErrors(["design": "is required"]) }
            let texts = design.compactMapValues(\.text)
            try ControlCharacters.check(Dictionary(uniqueKeysWithValues: texts.map { ("design." + $0.key, $0.value) }))
            do {
                var designFields = try Self.designFields(texts, body: design)
                designFields["reason"] = fields["reason"]
                return try service.amendment(of: study, fields: designFields)
            } catch let errors as FieldErrors {
                // The design's fields are named where they are in the body; the reason at the top.
                var named = FieldErrors()
                for (field, message) in errors.messages { named.add(field == "reason" ? field : "design." + field, message) }
                throw named
            }
        }.value
        try await service.amend(study, with: amended, investigatorID: investigatorID)
        guard let now = try await store.study(id: study.id, investigatorID: investigatorID) else { throw APIError.notFound }
        return EditedResponse(status: .created, response: Wire.Study(now))
    }

    @Sendable func invite(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Wire.Invitations> {
        let investigatorID = try context.requireSubject()
        let study = try await owned(context)
        let count = try await context.requireBody().validated(Wire.InvitationsInput.self) { $0["count"] }.value
        let codes = try await checked { try await service.makeInvitations(study, count: count, investigatorID: investigatorID) }
        return EditedResponse(status: .created, response: Wire.Invitations(studyId: study.id, codes: codes))
    }

    @Sendable func monitoring(_ request: Request, context: AppRequestContext) async throws -> Wire.StudyMonitoring {
        let investigatorID = try context.requireSubject()
        let study = try await owned(context)
        let participants = try await store.participantSummaries(studyID: study.id, investigatorID: investigatorID)
        let screening = try await store.screeningCounts(studyID: study.id)
        let today = today()
        var counts: [ParticipantSummary.Status: Int] = [:]
        for p in participants { counts[p.status(today: today), default: 0] += 1 }
        let flow = Wire.StudyFlow(
            screened: screening.eligible + screening.ineligible, notEligible: screening.ineligible, enrolled: participants.count,
            planned: counts[.planned] ?? 0, active: counts[.active] ?? 0, quiet: counts[.quiet] ?? 0,
            withdrawn: counts[.withdrawn] ?? 0, stopped: counts[.stopped] ?? 0, completed: counts[.completed] ?? 0)
        return Wire.StudyMonitoring(
            studyId: study.id, flow: flow, participants: participants.map { Wire.StudyParticipant($0, today: today) })
    }

    // MARK: Participant

    @Sendable func information(_ request: Request, context: AppRequestContext) async throws -> Wire.StudyInformation {
        let study = try await invited(context)
        let d = study.design
        let closed = service.closedReason(study)
        return Wire.StudyInformation(
            title: d.title, question: d.question, condition: d.condition, eligibility: d.eligibility,
            informationSheet: d.informationSheet, consentText: d.consentText, consentSha256: StudyProtocol.consentHash(d),
            baselineNotice: StudyBaseline.consentNotice, screening: d.screening.map(\.text), arms: d.arms.map(\.name),
            periodDays: d.periodDays, cycles: d.cycles,
            washoutDays: d.washoutDays, trialDays: d.trialDays, blinded: d.blinded, outcome: d.primaryOutcome,
            enrolmentOpens: d.enrolmentOpens, enrolmentCloses: d.enrolmentCloses, registeredOn: study.registeredOn ?? d.enrolmentOpens,
            protocolSha256: study.currentProtocolHash ?? "", enrolling: closed == nil, closedReason: closed,
            invitationCodeRequired: try await store.studyUsesInvitations(studyID: study.id))
    }

    /// The study, if it is enrolling; 409 saying why not otherwise.
    func enrolling(_ context: AppRequestContext) async throws -> Study {
        let study = try await invited(context)
        if let closed = service.closedReason(study) { throw APIError(.conflict, closed) }
        return study
    }

    /// The answers, one per screening question in order.
    static func answers(_ answers: [Bool], for study: Study) throws(FieldErrors) -> [Bool?] {
        let count = study.design.screening.count
        guard answers.count == count else {
            throw FieldErrors([
                "answers": "answer each of the study's \(count) screening question\(count == 1 ? "" : "s"), in order: "
                    + "true for yes, false for no"
            ])
        }
        return answers
    }

    @Sendable func screen(_ request: Request, context: AppRequestContext) async throws -> Wire.ScreeningResult {
        let study = try await enrolling(context)
        let answers = try await context.requireBody().validated(Wire.ScreeningInput.self) { _ in () }.body.answers
        let checked = try await checked { try Self.answers(answers, for: study) }
        let eligible = try await service.screen(study, answers: checked)
        return Wire.ScreeningResult(eligible: eligible, message: eligible ? Self.eligibleMessage : Self.ineligibleMessage)
    }

    @Sendable func enrol(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Wire.Enrolment> {
        let accountID = try context.requireSubject()
        let account = try context.requireIdentity().account
        guard account.id == accountID else { throw APIError.forbidden }
        let study = try await enrolling(context)
        let (input, fields) = try await context.requireBody().validated(Wire.EnrolmentInput.self) { $0 }
        // The answers travel with the consent and are checked again (not counted again), so
        // consent cannot be posted past them.
        let answers = try await checked { try Self.answers(input.answers, for: study) }
        guard study.design.isEligible(answers: answers) else {
            throw APIError.invalid(FieldErrors(["answers": "an answer excludes you from this study: you are not enrolled"]))
        }
        let enrolled: (enrolment: Enrolment, trial: Trial)
        do {
            enrolled = try await service.enrol(
                study, account: account, consented: input.consent, startDate: fields["start_date"],
                invitationCode: input.invitationCode, baselineNoticeShown: input.baselineNoticeShown == true)
        } catch let refusal as StudyService.SafetyRefusal {
            throw APIError(.conflict, "\(refusal.reason) You are not enrolled; talk to your clinician. (\(refusal.source))")
        } catch let errors as FieldErrors {
            // The form's message speaks of a tick box; the API's field is a boolean.
            let consent = input.consent ? [:] : ["consent": "must be true: you consent to take part"]
            throw APIError.invalid(FieldErrors(errors.messages.merging(consent) { $1 }))
        }
        var headers = HTTPFields()
        headers[.location] = "/api/v1/join/\(study.enrolmentCode ?? "")/enrolment"
        return EditedResponse(status: .created, headers: headers, response: Wire.Enrolment(enrolled.enrolment))
    }

    /// The caller's enrolment in the study named by the code; 404 if they have none.
    func participation(_ context: AppRequestContext) async throws -> (study: Study, enrolment: Enrolment) {
        let study = try await invited(context)
        guard let enrolment = try await service.enrolment(in: study, accountID: try context.requireSubject()) else {
            throw APIError(.notFound, StoreError.enrolmentNotFound.message)
        }
        return (study, enrolment)
    }

    @Sendable func enrolment(_ request: Request, context: AppRequestContext) async throws -> Wire.Enrolment {
        Wire.Enrolment(try await participation(context).enrolment)
    }

    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> Wire.Enrolment {
        let accountID = try context.requireSubject()
        let (study, enrolment) = try await participation(context)
        let data = try await context.requireBody().validated(Wire.WithdrawalInput.self) { $0["data"] }.value
        return Wire.Enrolment(
            try await checked { try await service.withdraw(enrolment, study: study, accountID: accountID, data: data) })
    }
}
