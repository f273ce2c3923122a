import EpsomCore

// What the store takes and answers about studies: an enrolment request, the refusals that
// write nothing, and a closed study's stored analysis.

/// What an invitee asks for when they consent: their account, the study, their trial made from
/// its protocol, the consent version they read, and the single-use code if the link had one.
public struct EnrolmentRequest: Sendable {
    public var studyID: String
    public var accountID: String
    public var trial: Trial
    public var consentSha256: String
    public var consentedAt: Int
    /// SHA-256 of the single-use code, when the invitation had one.
    public var invitationCodeHash: String?
    /// Whether `StudyBaseline.consentNotice` was shown beside the consent (the join page always
    /// shows it; an API client says so). Only then is the diary before the first day read.
    public var baselineNoticeShown: Bool

    public init(
        studyID: String, accountID: String, trial: Trial, consentSha256: String, consentedAt: Int, invitationCodeHash: String?,
        baselineNoticeShown: Bool = false
    ) {
        self.studyID = studyID
        self.accountID = accountID
        self.trial = trial
        self.consentSha256 = consentSha256
        self.consentedAt = consentedAt
        self.invitationCodeHash = invitationCodeHash
        self.baselineNoticeShown = baselineNoticeShown
    }
}

/// Why a study could not close; nothing was written.
public enum StudyCloseRefusal: Error, Sendable, Equatable {
    /// This many participants' trials still run: closing would unblind the investigator early.
    case participantsRunning(Int)
}

/// Why an emergency unblinding was not recorded.
public enum StudyUnblindingRefusal: Error, Sendable, Equatable {
    case alreadyUnblinded
}

/// Why an enrolment was refused; nothing was written.
public enum EnrolmentRefusal: Error, Sendable, Equatable {
    /// The study is a draft or closed.
    case closed
    case alreadyEnrolled
    /// The single-use code is unknown, for another study, or used.
    case codeNotValid
    /// Another trial of the account's overlaps the new one; it runs until this date.
    case trialRunning(until: CalendarDate)
}

/// A closed study's analysis as stored: `StudyResults` as JSON, and the primary analysis's forest
/// plot as SVG.
public struct StoredStudyResults: Sendable, Equatable {
    public var computedOn: CalendarDate
    public var json: String
    public var forestSVG: String

    public init(computedOn: CalendarDate, json: String, forestSVG: String) {
        self.computedOn = computedOn
        self.json = json
        self.forestSVG = forestSVG
    }
}
