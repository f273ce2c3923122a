import EpsomCore
import EpsomStorage
import Foundation

/// What the study pages and the studies API share: writing and registering a study, amending
/// it, making single-use codes, screening, enrolment and withdrawal. Each step checks its input
/// by the same rules, with the same messages, whichever door it came through; the callers decide
/// only how to show the answer (a page or JSON).
///
/// Input problems are `FieldErrors` named as the form's fields (and the API's keys). A step that
/// cannot happen at all in the study's state throws `APIError` with 409; kidney disease throws
/// `SafetyRefusal`. The store writes each step in one transaction, so a refusal writes nothing.
struct StudyService: Sendable {
    let store: any Store
    let clock: AppClock

    /// How many single-use codes one request may make.
    static let codeCount = 1...500

    // MARK: Investigator

    /// A design from the form's texts, as of today. `previous` is the design being edited or
    /// amended: an arm that keeps its name keeps its instruction when no template is chosen (the
    /// edit form sends arm names only, which alone would reset a template's instructions).
    func design(_ fields: [String: String], previous: StudyDesign? = nil, amending: Bool = false) throws(FieldErrors) -> StudyDesign {
        var design = try StudyDesign.validated(fields, today: clock.today(), amending: amending ? previous : nil)
        if let previous, fields["template"]?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true {
            for index in design.arms.indices {
                if let kept = previous.arms.first(where: { $0.name.lowercased() == design.arms[index].name.lowercased() }) {
                    design.arms[index].instruction = kept.instruction
                }
            }
        }
        return design
    }

    /// A new draft of `investigatorID`'s, with `design` (checked with `design(_:previous:amending:)`).
    func create(_ design: StudyDesign, investigatorID: String) async throws -> Study {
        let study = Study(id: UUID().uuidString.lowercased(), design: design)
        try await store.createStudy(study, investigatorID: investigatorID)
        return study
    }

    /// Replaces a draft's design with `design` (checked with `design(_:previous:amending:)`).
    func updateDraft(_ study: Study, design: StudyDesign, investigatorID: String) async throws -> Study {
        try Self.requireDraft(study)
        try await store.updateStudyDraft(id: study.id, investigatorID: investigatorID, design: design)
        var updated = study
        updated.design = design
        return updated
    }

    /// Registers a draft with `design` (already checked as of today): the protocol frozen as
    /// canonical JSON under its SHA-256, and the enrolment code of its public pages.
    func register(_ study: Study, design: StudyDesign, investigatorID: String) async throws -> Study {
        try Self.requireDraft(study)
        let today = clock.today()
        let registered = StudyProtocol(design: design, registeredOn: today)
        let code = String(Tokens.random().prefix(12))
        try await store.registerStudy(
            id: study.id, investigatorID: investigatorID, design: design, registered: registered, on: today, enrolmentCode: code)
        var result = study
        result.design = design
        result.status = .registered
        result.registeredProtocol = registered
        result.registeredOn = today
        result.enrolmentCode = code
        return result
    }

    /// Registers a draft as it is stored. It was checked when saved; only the day it opens for
    /// enrolment can have passed since.
    func registerAsStored(_ study: Study, investigatorID: String) async throws -> Study {
        try Self.requireDraft(study)
        let today = clock.today()
        if study.design.enrolmentOpens < today {
            throw FieldErrors([
                "enrolment_opens": "cannot be in the past (today is \(today)): change the draft's enrolment window, then register"
            ])
        }
        return try await register(study, design: study.design, investigatorID: investigatorID)
    }

    /// A checked amendment, not yet written: the new design and the amendment that publishes it.
    struct Amended: Sendable {
        var design: StudyDesign
        var amendment: StudyAmendment
    }

    /// Checks an amendment of a registered protocol: the whole design and a reason, at least one
    /// thing changed, and the new protocol chained to the one in force by its hash.
    func amendment(of study: Study, fields: [String: String]) throws -> Amended {
        guard study.status == .registered, let registeredOn = study.registeredOn, let previous = study.currentProtocolHash else {
            throw APIError(.conflict, "Only a registered study is amended (a draft changes freely; a closed one not at all).")
        }
        let today = clock.today()
        var errors = FieldErrors()
        var design: StudyDesign?
        do { design = try self.design(fields, previous: study.design, amending: true) } catch { errors = error }
        var reason = ""
        do { reason = try StudyProtocol.Amendment.validatedReason(fields["reason"]) } catch {
            for (field, message) in error.messages { errors.add(field, message) }
        }
        if let design, design == study.design { errors.add("reason", "nothing in the protocol changed") }
        guard errors.isEmpty, let design else { throw errors }
        let number = study.amendments.count + 1
        let amended = StudyProtocol(
            design: design, registeredOn: registeredOn,
            amendment: .init(number: number, date: today, reason: reason, previousSha256: previous))
        return Amended(
            design: design,
            amendment: StudyAmendment(number: number, date: today, reason: reason, protocolJSON: amended.json, protocolHash: amended.sha256)
        )
    }

    /// Writes a checked amendment: the design and the amendment together.
    func amend(_ study: Study, with amended: Amended, investigatorID: String) async throws {
        try await store.amendStudy(id: study.id, investigatorID: investigatorID, design: amended.design, amendment: amended.amendment)
    }

    /// Makes `count` single-use codes and stores only their hashes: the plain codes are returned
    /// this once and never again.
    func makeInvitations(_ study: Study, count text: String?, investigatorID: String) async throws -> [String] {
        guard study.status == .registered else {
            throw APIError(.conflict, "Invitation codes are made for a registered study that is enrolling.")
        }
        guard let count = text.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), Self.codeCount.contains(count) else {
            throw FieldErrors(["count": "must be a whole number from 1 to \(Self.codeCount.upperBound)"])
        }
        // 40 random bits in 10 letters and digits a person can type: a guess at one is 1 in 10^12.
        let codes = (0..<count).map { _ in String(Tokens.random().prefix(10)) }
        try await store.addStudyInvitations(studyID: study.id, investigatorID: investigatorID, codeHashes: codes.map(Tokens.hash))
        return codes
    }

    // MARK: Participant

    /// Why nobody can enrol now, or nil.
    func closedReason(_ study: Study) -> String? {
        guard study.status == .registered else { return "This study is not enrolling." }
        if clock.today() > study.design.enrolmentCloses { return "Enrolment closed on \(study.design.enrolmentCloses)." }
        return nil
    }

    /// Counts one screening (eligible or not, and nothing about who answered) and returns
    /// whether the answers let the invitee take part. The answers themselves are not stored.
    func screen(_ study: Study, answers: [Bool?]) async throws -> Bool {
        let eligible = study.design.isEligible(answers: answers)
        try await store.recordScreening(studyID: study.id, eligible: eligible)
        return eligible
    }

    /// Kidney disease in the safety profile: the rule that stops a personal trial (§5.7) also
    /// keeps one from starting. Not a field's fault, so not a field error.
    struct SafetyRefusal: Error, Sendable {
        var reason = TrialSafety.kidneyReason
        var source = SafetySources.kidney
    }

    /// Enrols `account` (screened eligible by the caller): consent given, a first day in the
    /// window, and a single-use code if the study uses them. Makes the participant's trial from
    /// the protocol with their own seed, and writes it with the enrolment, or nothing.
    func enrol(
        _ study: Study, account: Account, consented: Bool, startDate: String?, invitationCode: String?,
        baselineNoticeShown: Bool
    ) async throws -> (enrolment: Enrolment, trial: Trial) {
        if account.safetyProfile.kidneyDisease { throw SafetyRefusal() }
        let today = clock.today()
        var errors = FieldErrors()
        if !consented { errors.add("consent", "tick the box to consent, or leave the page to not take part") }
        var start: CalendarDate?
        if let raw = startDate, let date = CalendarDate(iso: raw.trimmingCharacters(in: .whitespaces)) {
            if date < today {
                errors.add("start_date", "choose today or a later day")
            } else if !study.design.acceptsStart(on: date) {
                errors.add(
                    "start_date", "choose a day from \(study.design.enrolmentOpens) to \(study.design.enrolmentCloses), the study's window")
            } else {
                start = date
            }
        } else {
            errors.add("start_date", CalendarDate.requirement)
        }
        let code = invitationCode?.trimmingCharacters(in: .whitespaces) ?? ""
        if code.isEmpty, try await store.studyUsesInvitations(studyID: study.id) {
            errors.add("invitation_code", "this study enrols by invitation: type the code you were given")
        }
        guard errors.isEmpty, let start else { throw errors }
        var generator = SystemRandomNumberGenerator()
        let trial = Trial(
            id: UUID().uuidString.lowercased(), design: study.design.trialDesign(startDate: start, seed: generator.next()),
            registeredOn: today)
        let request = EnrolmentRequest(
            studyID: study.id, accountID: account.id, trial: trial, consentSha256: StudyProtocol.consentHash(study.design),
            consentedAt: clock.now(), invitationCodeHash: code.isEmpty ? nil : Tokens.hash(code),
            baselineNoticeShown: baselineNoticeShown)
        do {
            return (try await store.enrol(request), trial)
        } catch let refusal as EnrolmentRefusal {
            throw Self.fieldErrors(refusal)
        }
    }

    /// What the store's refusal means for the consent form.
    static func fieldErrors(_ refusal: EnrolmentRefusal) -> FieldErrors {
        switch refusal {
        case .closed: FieldErrors(["consent": "enrolment in this study is closed"])
        case .alreadyEnrolled: FieldErrors(["consent": "you are already taking part in this study"])
        case .codeNotValid: FieldErrors(["invitation_code": "this code is not valid for this study, or it was used already"])
        case .trialRunning(let until):
            FieldErrors(["start_date": "your own trial runs until \(until); choose a start after it, or stop that trial first"])
        }
    }

    /// The account's enrolment in the study, if any (current or withdrawn).
    func enrolment(in study: Study, accountID: String) async throws -> Enrolment? {
        try await store.enrolments(accountID: accountID).first { $0.studyID == study.id }
    }

    /// Leaving, or withdrawing the data later: `data` is "keep" (the data so far stays in the
    /// study) or "erase" (withdrawn from it). Leaving stops the participant's trial today, if it
    /// still runs. Who may do what (`StudyDataWithdrawal` holds the rule and its words):
    /// - taking part in a running study: leave, keeping or withdrawing the data;
    /// - left keeping the data: withdraw it later ("erase"), even after the close;
    /// - a closed study: only withdraw the data ("erase"); there is nothing left to leave, and
    ///   the analysis made at the close stands, flagged.
    /// Returns the enrolment as it now is.
    func withdraw(_ enrolment: Enrolment, study: Study, accountID: String, data: String?) async throws -> Enrolment {
        if enrolment.withdrawnOn != nil, enrolment.keepsData != true {
            throw APIError(.conflict, "You have already left this study and withdrawn your data.")
        }
        let keeps: Bool
        switch data {
        case "keep": keeps = true
        case "erase": keeps = false
        default: throw FieldErrors(["data": "choose whether your data so far stays in the study"])
        }
        if keeps, enrolment.withdrawnOn != nil {
            throw APIError(.conflict, "You have already left this study; your data stays in it unless you withdraw it (erase).")
        }
        if keeps, study.status == .closed {
            throw FieldErrors(["data": "the study has closed: your data stays in it unless you withdraw it (choose erase)"])
        }
        let today = clock.today()
        try await store.withdraw(studyID: enrolment.studyID, accountID: accountID, on: today, keepsData: keeps)
        var left = enrolment
        left.withdrawnOn = left.withdrawnOn ?? today
        left.keepsData = keeps
        return left
    }

    // MARK: Rules

    private static func requireDraft(_ study: Study) throws {
        guard study.status == .draft else {
            throw APIError(.conflict, "The study is registered: its protocol changes only by an amendment with a reason.")
        }
    }
}
