/// A study as stored: its design, and once registered, its frozen protocol, amendments and
/// enrolment code. A draft can change freely; a registered study changes only by amendment.
public struct Study: Sendable, Equatable {
    public var id: String
    public var design: StudyDesign
    public var status: Status
    /// The protocol frozen at registration (amendment 0); nil for a draft.
    public var registeredProtocol: StudyProtocol?
    public var registeredOn: CalendarDate?
    public var amendments: [StudyAmendment]
    /// The code on the study's invitation link; set at registration.
    public var enrolmentCode: String?
    /// The unblinded pharmacist's account, who alone sees allocations while the study runs.
    public var pharmacistID: String?
    /// The day the investigator closed the study: from then on they see every allocation.
    public var closedOn: CalendarDate?
    /// Emergency unblindings of single participants while the study ran, in order.
    public var unblindings: [StudyUnblinding]

    public init(
        id: String, design: StudyDesign, status: Status = .draft, registeredProtocol: StudyProtocol? = nil,
        registeredOn: CalendarDate? = nil, amendments: [StudyAmendment] = [], enrolmentCode: String? = nil,
        pharmacistID: String? = nil, closedOn: CalendarDate? = nil, unblindings: [StudyUnblinding] = []
    ) {
        self.id = id
        self.design = design
        self.status = status
        self.registeredProtocol = registeredProtocol
        self.registeredOn = registeredOn
        self.amendments = amendments
        self.enrolmentCode = enrolmentCode
        self.pharmacistID = pharmacistID
        self.closedOn = closedOn
        self.unblindings = unblindings
    }

    public enum Status: String, Sendable, Equatable, Codable, CaseIterable {
        /// Being written; nobody can enrol.
        case draft
        /// Frozen under its hash; enrolment follows the window.
        case registered
        /// Enrolment and follow-up are over; outcomes by arm may be shown.
        case closed
    }

    /// Whether the investigator may see this participant's allocation: in an open-label study,
    /// once a blinded study is closed, or after an emergency unblinding of that participant. The
    /// pharmacist always may.
    public func investigatorSeesAllocation(of participantCode: String) -> Bool {
        !design.blinded || status == .closed || unblindings.contains { $0.participantCode == participantCode }
    }

    /// The protocol in force: the latest amendment's, else the registered one.
    public var currentProtocolHash: String? { amendments.last?.protocolHash ?? registeredProtocol?.sha256 }

    /// Whether an invitee may enrol with a first day on `start`, as of `today`.
    public func isOpen(forStart start: CalendarDate, today: CalendarDate) -> Bool {
        status == .registered && today <= design.enrolmentCloses && design.acceptsStart(on: start) && start >= today
    }
}

/// A change to a registered study's protocol: the new protocol, its hash, and the reason.
public struct StudyAmendment: Sendable, Equatable {
    public var number: Int
    public var date: CalendarDate
    public var reason: String
    public var protocolJSON: String
    public var protocolHash: String

    public init(number: Int, date: CalendarDate, reason: String, protocolJSON: String, protocolHash: String) {
        self.number = number
        self.date = date
        self.reason = reason
        self.protocolJSON = protocolJSON
        self.protocolHash = protocolHash
    }
}

/// An emergency unblinding: the investigator learns one participant's allocation while the study
/// runs (for their safety), and the reason is kept and shown wherever the study's blinding is.
public struct StudyUnblinding: Sendable, Equatable {
    public var participantCode: String
    public var date: CalendarDate
    public var reason: String

    public init(participantCode: String, date: CalendarDate, reason: String) {
        self.participantCode = participantCode
        self.date = date
        self.reason = reason
    }

    /// A reason must say why: at least a few words, at most a paragraph.
    public static func validatedReason(_ raw: String?) throws(FieldErrors) -> String {
        let reason = (raw ?? "").trimmingSpaces()
        guard reason.count >= 10 else { throw FieldErrors(["reason": "say why the participant must be unblinded (10 characters or more)"]) }
        guard reason.count <= 2_000 else { throw FieldErrors(["reason": "must be at most 2000 characters"]) }
        return reason
    }
}

/// One participant in a study: their code (what the investigator sees instead of a name), the
/// personal trial made for them, the consent they gave, and how their part ended.
public struct Enrolment: Sendable, Equatable {
    public var id: String
    public var studyID: String
    /// "P-001", "P-002", … in order of enrolment within the study.
    public var participantCode: String
    public var trialID: String
    /// The consent version agreed to (`StudyProtocol.consentHash`) and when (seconds since 1970).
    public var consentSha256: String
    public var consentedAt: Int
    public var startDate: CalendarDate
    public var withdrawnOn: CalendarDate?
    /// On withdrawal: whether the data collected so far stays in the study.
    public var keepsData: Bool?

    public init(
        id: String, studyID: String, participantCode: String, trialID: String, consentSha256: String, consentedAt: Int,
        startDate: CalendarDate, withdrawnOn: CalendarDate? = nil, keepsData: Bool? = nil
    ) {
        self.id = id
        self.studyID = studyID
        self.participantCode = participantCode
        self.trialID = trialID
        self.consentSha256 = consentSha256
        self.consentedAt = consentedAt
        self.startDate = startDate
        self.withdrawnOn = withdrawnOn
        self.keepsData = keepsData
    }

    public static func participantCode(number: Int) -> String {
        "P-" + String(repeating: "0", count: max(0, 3 - String(number).count)) + String(number)
    }

    /// The number behind a code ("P-007" → 7), or nil for anything that is not a code.
    public static func participantNumber(code: String) -> Int? {
        guard code.hasPrefix("P-"), let number = Int(code.dropFirst(2)), number > 0, participantCode(number: number) == code
        else { return nil }
        return number
    }
}
