import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import EpsomWeb

/// The studies routes of the JSON API: an investigator writes, registers, amends and invites; an
/// invitee is screened, consents, enrols and leaves; and every refusal names its field (422) or
/// says why the request cannot be done at all (409), with nothing written. This file holds the
/// bodies and steps the tests share.
@Suite struct StudiesAPITests {
    // The tests are in files named for what they hold: StudiesAPITests+Lifecycle (the whole
    // walk), +Protocols (refused protocols and dates), +Enrolment and +Monitoring.

    /// A study body: the protocol of the page tests, with `changes` (nil removes a key).
    static func studyBody(_ changes: [String: Any?] = [:]) throws -> String {
        var body: [String: Any] = [
            "title": "Magnesium cream vs placebo cream for chronic low back pain, 12 weeks",
            "question": "Does magnesium cream lower daily back pain compared with a placebo cream?",
            "condition": "chronic low back pain", "eligibility": "Adults with low back pain for at least 3 months.",
            "screening": [
                ["text": "Are you 18 or older?", "excluding_answer": false],
                ["text": "Do you have kidney disease?", "excluding_answer": true],
            ],
            "information_sheet": "You will use two creams in turn for 12 weeks.", "consent_text": "I agree to take part.",
            "template": "cream-vs-placebo", "period_days": 14, "cycles": 3, "washout_days": 3, "mcid": 1,
            "secondary_outcomes": ["spasms"], "target_participants": 20,
            "enrolment_opens": "2026-03-20", "enrolment_closes": "2026-06-30",
        ]
        for (key, value) in changes { body[key] = value }
        return String(decoding: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]), as: UTF8.self)
    }

    /// An amendment body: the whole protocol (`studyBody` with `changes`) under "design", and the reason if any.
    static func amendmentBody(reason: String?, _ changes: [String: Any?] = [:]) throws -> String {
        let design = try studyBody(changes)
        return "{" + (reason.map { #""reason":"\#($0)","# } ?? "") + #""design":"# + design + "}"
    }

    /// An enrolment body: eligible answers, consent, the window's first day, and `code`.
    static func enrolment(code: String?, answers: String = "[true,false]", start: String = "2026-03-20", consent: Bool = true) -> String {
        let invitation = code.map { #","invitation_code":"\#($0)""# } ?? ""
        return #"{"answers":\#(answers),"consent":\#(consent),"start_date":"\#(start)"\#(invitation)}"#
    }

    /// The 422's field messages (failing the test if the status is another).
    static func fields(
        _ answer: (status: HTTPResponse.Status, body: String, headers: HTTPFields), sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String: String] {
        #expect(answer.status == .unprocessableContent, "\(answer.status) \(answer.body)", sourceLocation: sourceLocation)
        return try decodeJSON(API.Failure.self, from: answer.body).error.fields ?? [:]
    }

    /// A registered study of the investigator `token`'s, made over the API, with `codes` single-use codes.
    static func registeredStudy(
        _ client: any TestClientProtocol, token: String, codes count: Int = 0
    ) async throws -> (study: API.Study, codes: [String]) {
        let created = try await client.call(.post, "/api/v1/studies", token: token, json: try studyBody())
        #expect(created.status == .created, "\(created.body)")
        let id = try decodeJSON(API.Study.self, from: created.body).id
        let registered = try await client.call(.post, "/api/v1/studies/\(id)/register", token: token)
        #expect(registered.status == .ok, "\(registered.body)")
        var codes: [String] = []
        if count > 0 {
            let made = try await client.call(.post, "/api/v1/studies/\(id)/invitations", token: token, json: #"{"count":\#(count)}"#)
            #expect(made.status == .created, "\(made.body)")
            codes = try decodeJSON(API.Invitations.self, from: made.body).codes
        }
        return (try decodeJSON(API.Study.self, from: registered.body), codes)
    }
}
