import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import EpsomWeb

/// The studies API's answers as the tests read them (only the keys they check).
extension API {
    struct StudyScreeningQuestion: Decodable { var text: String; var excludingAnswer: Bool }
    struct StudyAmendment: Decodable { var reason: String; var protocolSha256: String }
    struct Study: Decodable {
        var id: String
        var status: String
        var arms: [String]
        var screening: [StudyScreeningQuestion]
        var targetParticipants: Int
        var trialDays: Int
        var registeredOn: String?
        var protocolSha256: String?
        var currentProtocolSha256: String?
        var enrolmentCode: String?
        var amendments: [StudyAmendment]
    }
    struct StudyList: Decodable { var studies: [Study]; var nextCursor: String? }
    struct Invitations: Decodable { var codes: [String] }
    struct StudyInformation: Decodable {
        var screening: [String]
        var enrolling: Bool
        var closedReason: String?
        var invitationCodeRequired: Bool
        var protocolSha256: String
    }
    struct Screening: Decodable { var eligible: Bool; var message: String }
    struct Enrolment: Decodable {
        var participantCode: String
        var status: String
        var trialId: String
        var startDate: String
        var withdrawnOn: String?
        var keepsData: Bool?
    }
    struct Flow: Decodable { var screened, notEligible, enrolled, planned, withdrawn: Int }
    struct Participant: Decodable {
        var participantCode: String
        var status: String
        var safetyStop: Bool
        var dataWithdrawn: Bool
        var activity: Anything?
    }
    struct Monitoring: Decodable { var flow: Flow; var participants: [Participant] }
}
