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
/// says why the request cannot be done at all (409), with nothing written.
@Suite struct StudiesAPITests {
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

    @Test func aStudyRunsWholeOverTheAPI() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let store = test.database.store
            let doctor = try await client.signUp("dr@example.org", role: "clinician")

            // A draft: created, listed, edited.
            let created = try await client.call(.post, "/api/v1/studies", token: doctor, json: try Self.studyBody())
            #expect(created.status == .created, "\(created.body)")
            let draft = try decodeJSON(API.Study.self, from: created.body)
            #expect(created.headers[.location] == "/api/v1/studies/\(draft.id)")
            #expect(draft.status == "draft" && draft.protocolSha256 == nil && draft.enrolmentCode == nil && draft.trialDays == 84)
            #expect(draft.screening.map(\.excludingAnswer) == [false, true] && draft.arms == ["Placebo cream", "Magnesium cream"])
            let listed = try decodeJSON(API.StudyList.self, from: try await client.call(.get, "/api/v1/studies", token: doctor).body)
            #expect(listed.studies.map(\.id) == [draft.id])
            let edited = try await client.call(
                .put, "/api/v1/studies/\(draft.id)", token: doctor, json: try Self.studyBody(["target_participants": 24]))
            #expect(edited.status == .ok)
            #expect(try decodeJSON(API.Study.self, from: edited.body).targetParticipants == 24)
            // The template's arm instructions survive an edit that sends the arm names only.
            let renamed = try await client.call(
                .put, "/api/v1/studies/\(draft.id)", token: doctor,
                json: try Self.studyBody([
                    "template": nil, "arms": ["Placebo cream", "Magnesium cream"], "blinded": true, "target_participants": 24,
                ]))
            #expect(renamed.status == .ok, "\(renamed.body)")
            let doctorID = try #require(try await store.account(email: "dr@example.org")).id
            let stored = try #require(try await store.studies(investigatorID: doctorID).first)
            #expect(stored.design.arms == TrialTemplate.creamVsPlacebo.arms)

            // Registered: frozen under a hash that is the stored protocol text's; drafts edits refused.
            let registered = try await client.call(.post, "/api/v1/studies/\(draft.id)/register", token: doctor)
            #expect(registered.status == .ok, "\(registered.body)")
            let study = try decodeJSON(API.Study.self, from: registered.body)
            let code = try #require(study.enrolmentCode)
            let frozen = try #require(try await store.study(enrolmentCode: code)?.registeredProtocol)
            #expect(study.status == "registered" && study.registeredOn == "2026-03-15")
            #expect(study.protocolSha256 == frozen.sha256 && Digest.sha256Hex(frozen.json) == frozen.sha256)
            #expect(
                try await client.call(.put, "/api/v1/studies/\(draft.id)", token: doctor, json: try Self.studyBody()).status == .conflict)
            #expect(try await client.call(.post, "/api/v1/studies/\(draft.id)/register", token: doctor).status == .conflict)

            // Amended: a reason and a change are required; the new hash chains to the registered one.
            let amendments = "/api/v1/studies/\(draft.id)/amendments"
            let unchanged = try Self.amendmentBody(reason: "Nothing", ["target_participants": 24])
            #expect(
                try Self.fields(try await client.call(.post, amendments, token: doctor, json: unchanged))["reason"]
                    == "nothing in the protocol changed")
            let noReason = try Self.fields(
                try await client.call(
                    .post, amendments, token: doctor, json: try Self.amendmentBody(reason: nil, ["target_participants": 30])))
            #expect(noReason.keys.sorted() == ["reason"])
            // The design's errors are named where they are in the body; the flat body of old is refused.
            let wrong = try Self.fields(
                try await client.call(.post, amendments, token: doctor, json: try Self.amendmentBody(reason: "More", ["mcid": 11])))
            #expect(wrong.keys.sorted() == ["design.mcid"])
            let flatBody = try Self.studyBody(["target_participants": 30, "reason": "Flat"])
            let flat = try Self.fields(try await client.call(.post, amendments, token: doctor, json: flatBody))
            #expect(flat["design"] == "is required" && flat["title"]?.hasPrefix("is not a field of this request") == true)
            let amended = try await client.call(
                .post, amendments, token: doctor, json: try Self.amendmentBody(reason: "Slower enrolment", ["target_participants": 30]))
            #expect(amended.status == .created, "\(amended.body)")
            let after = try decodeJSON(API.Study.self, from: amended.body)
            let amendment = try #require(try await store.study(enrolmentCode: code)?.amendments.first)
            #expect(after.targetParticipants == 30 && after.amendments.map(\.reason) == ["Slower enrolment"])
            #expect(after.currentProtocolSha256 == amendment.protocolHash && after.protocolSha256 == frozen.sha256)
            #expect(amendment.protocolJSON.contains("\"previous_sha256\":\"\(frozen.sha256)\""))

            // Single-use codes, answered once; a bad count names the field.
            let made = try await client.call(.post, "/api/v1/studies/\(draft.id)/invitations", token: doctor, json: #"{"count":2}"#)
            #expect(made.status == .created)
            let codes = try decodeJSON(API.Invitations.self, from: made.body).codes
            #expect(codes.count == 2 && Set(codes).count == 2 && codes.allSatisfy { $0.count == 10 })
            #expect(
                try Self.fields(
                    try await client.call(.post, "/api/v1/studies/\(draft.id)/invitations", token: doctor, json: #"{"count":0}"#)
                ).keys.sorted() == ["count"])

            // The invitee reads the study (anyone may), is screened, and enrols.
            let info = try decodeJSON(API.StudyInformation.self, from: try await client.call(.get, "/api/v1/join/\(code)").body)
            #expect(info.screening == ["Are you 18 or older?", "Do you have kidney disease?"])
            #expect(info.enrolling && info.invitationCodeRequired && info.protocolSha256 == amendment.protocolHash)
            let ann = try await client.signUp("ann@example.org")
            let screening = "/api/v1/join/\(code)/screening"
            let excluded = try await client.call(.post, screening, token: ann, json: #"{"answers":[true,true]}"#)
            #expect(excluded.status == .ok)
            #expect(try decodeJSON(API.Screening.self, from: excluded.body).eligible == false)
            let eligible = try await client.call(.post, screening, token: ann, json: #"{"answers":[true,false]}"#)
            #expect(try decodeJSON(API.Screening.self, from: eligible.body).eligible)
            #expect(
                try Self.fields(try await client.call(.post, screening, token: ann, json: #"{"answers":[true]}"#)).keys.sorted() == [
                    "answers"
                ])
            let enrolled = try await client.call(
                .post, "/api/v1/join/\(code)/enrolment", token: ann, json: Self.enrolment(code: codes[0]))
            #expect(enrolled.status == .created, "\(enrolled.body)")
            #expect(enrolled.headers[.location] == "/api/v1/join/\(code)/enrolment")
            let enrolment = try decodeJSON(API.Enrolment.self, from: enrolled.body)
            #expect(enrolment.participantCode == "P-001" && enrolment.status == "taking_part" && enrolment.startDate == "2026-03-20")
            #expect(try await client.call(.get, "/api/v1/trials/\(enrolment.trialId)", token: ann).status == .ok)
            let mine = try decodeJSON(
                API.Enrolment.self, from: try await client.call(.get, "/api/v1/join/\(code)/enrolment", token: ann).body)
            #expect(mine.trialId == enrolment.trialId)

            // Monitoring: the flow, and the participant by code only.
            let monitoring = "/api/v1/studies/\(draft.id)/monitoring"
            let watched = try await client.call(.get, monitoring, token: doctor)
            let flow = try decodeJSON(API.Monitoring.self, from: watched.body)
            #expect(flow.flow.screened == 2 && flow.flow.notEligible == 1 && flow.flow.enrolled == 1 && flow.flow.planned == 1)
            let participant = try #require(flow.participants.first)
            #expect(participant.participantCode == "P-001" && participant.status == "planned" && !participant.dataWithdrawn)
            #expect(participant.activity != nil)
            #expect(!watched.body.contains("ann@example.org") && !watched.body.contains("Pat"))

            // Leaving, with the data withdrawn: the monitoring shows no activity for P-001.
            let withdrawal = "/api/v1/join/\(code)/withdrawal"
            #expect(try Self.fields(try await client.call(.post, withdrawal, token: ann, json: "{}")).keys.sorted() == ["data"])
            let left = try await client.call(.post, withdrawal, token: ann, json: #"{"data":"erase"}"#)
            #expect(left.status == .ok, "\(left.body)")
            let gone = try decodeJSON(API.Enrolment.self, from: left.body)
            #expect(gone.status == "withdrawn" && gone.withdrawnOn == "2026-03-15" && gone.keepsData == false)
            #expect(try await client.call(.post, withdrawal, token: ann, json: #"{"data":"keep"}"#).status == .conflict)
            let annID = try #require(try await store.account(email: "ann@example.org")).id
            #expect(try await store.trial(id: enrolment.trialId, accountID: annID)?.stopReason == "Left the study.")
            let afterwards = try decodeJSON(API.Monitoring.self, from: try await client.call(.get, monitoring, token: doctor).body)
            let withdrawn = try #require(afterwards.participants.first)
            #expect(withdrawn.status == "withdrawn" && withdrawn.dataWithdrawn && withdrawn.activity == nil)
            #expect(afterwards.flow.withdrawn == 1 && afterwards.flow.planned == 0)

            // Another investigator finds nothing; a patient runs no studies.
            let other = try await client.signUp("other@example.org", role: "clinician")
            #expect(try await client.call(.get, "/api/v1/studies/\(draft.id)", token: other).status == .notFound)
            #expect(try await client.call(.get, monitoring, token: other).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/studies", token: ann).status == .forbidden)
        }
    }

    /// Protocols the form refuses, and the field each names.
    enum BadProtocol: CaseIterable, Sendable {
        case noComparator, comparatorNotFirst, washoutAsLongAsAPeriod, windowEndsBeforeItOpens, opensInThePast, noTitle
        case questionOnTwoLines

        var change: [String: Any?] {
            switch self {
            case .noComparator: ["template": nil, "arms": ["Magnesium cream", "Magnesium oil"]]
            case .comparatorNotFirst: ["template": nil, "arms": ["Magnesium cream", "Placebo cream"]]
            case .washoutAsLongAsAPeriod: ["period_days": 7, "washout_days": 7]
            case .windowEndsBeforeItOpens: ["enrolment_closes": "2026-03-01"]
            case .opensInThePast: ["enrolment_opens": "2026-03-01"]
            case .noTitle: ["title": nil]
            case .questionOnTwoLines: ["screening": [["text": "Are you 18?\nOr older?", "excluding_answer": false]]]
            }
        }

        var field: String {
            switch self {
            case .noComparator, .comparatorNotFirst: "arms"
            case .washoutAsLongAsAPeriod: "washout_days"
            case .windowEndsBeforeItOpens: "enrolment_closes"
            case .opensInThePast: "enrolment_opens"
            case .noTitle: "title"
            case .questionOnTwoLines: "screening"
            }
        }

        var message: String {
            switch self {
            case .noComparator: "a study needs a comparator arm first"
            case .comparatorNotFirst: "put the comparator (Placebo cream) first"
            case .washoutAsLongAsAPeriod: "the washout must be shorter than the period"
            case .windowEndsBeforeItOpens: "the enrolment window ends before it opens (2026-03-20)"
            case .opensInThePast: "cannot be in the past"
            case .noTitle: "write the study's title"
            case .questionOnTwoLines: "line 1: a question is one line of text"
            }
        }
    }

    @Test(arguments: BadProtocol.allCases)
    func anImpossibleProtocolIsRefusedNamingTheField(_ bad: BadProtocol) async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let doctor = try await client.signUp("dr@example.org", role: "clinician")
            let refused = try await client.call(.post, "/api/v1/studies", token: doctor, json: try Self.studyBody(bad.change))
            let fields = try Self.fields(refused)
            #expect(fields[bad.field]?.contains(bad.message) == true, "\(fields)")
            // Nothing was written.
            let listed = try decodeJSON(API.StudyList.self, from: try await client.call(.get, "/api/v1/studies", token: doctor).body)
            #expect(listed.studies.isEmpty)
        }
    }

    @Test func enrolmentRefusalsNameTheFieldAndWriteNothing() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let store = test.database.store
            let doctor = try await client.signUp("dr@example.org", role: "clinician")
            let (study, codes) = try await Self.registeredStudy(client, token: doctor, codes: 3)
            let code = try #require(study.enrolmentCode)
            let enrol = "/api/v1/join/\(code)/enrolment"
            func trials(_ email: String) async throws -> Int {
                try await store.trials(accountID: try #require(try await store.account(email: email)).id).count
            }

            // A screening answer that excludes: refused at enrolment too, nothing counted again.
            let bob = try await client.signUp("bob@example.org")
            let excluded = try Self.fields(
                try await client.call(.post, enrol, token: bob, json: Self.enrolment(code: codes[0], answers: "[true,true]")))
            #expect(excluded["answers"]?.contains("excludes you") == true)
            #expect(
                try Self.fields(try await client.call(.post, enrol, token: bob, json: Self.enrolment(code: codes[0], answers: "[]")))[
                    "answers"] != nil)
            // No consent, a day outside the window, no code: each named.
            let incomplete = try Self.fields(
                try await client.call(.post, enrol, token: bob, json: Self.enrolment(code: nil, start: "2026-07-01", consent: false)))
            #expect(incomplete.keys.sorted() == ["consent", "invitation_code", "start_date"])
            #expect(incomplete["start_date"]?.contains("the study's window") == true)
            #expect(try await trials("bob@example.org") == 0)

            // Enrolling while another trial runs: refused on the start date, and the code stays unused.
            let carol = try await client.signUp("carol@example.org")
            let own = try await client.call(
                .post, "/api/v1/trials", token: carol, json: #"{"template":"cream-vs-none","start_date":"2026-03-16"}"#)
            #expect(own.status == .created)
            let running = try Self.fields(try await client.call(.post, enrol, token: carol, json: Self.enrolment(code: codes[0])))
            #expect(running.keys.sorted() == ["start_date"] && running["start_date"]?.contains("your own trial runs until") == true)
            #expect(try await trials("carol@example.org") == 1)

            // The code carol could not use works for bob; then it is used up.
            #expect(try await client.call(.post, enrol, token: bob, json: Self.enrolment(code: codes[0])).status == .created)
            // A reused single-use code.
            let dan = try await client.signUp("dan@example.org")
            let reused = try Self.fields(try await client.call(.post, enrol, token: dan, json: Self.enrolment(code: codes[0])))
            #expect(reused.keys.sorted() == ["invitation_code"] && reused["invitation_code"]?.contains("used already") == true)
            #expect(try await trials("dan@example.org") == 0)
            // Enrolling twice: refused, and the second code is not spent on it.
            let twice = try Self.fields(try await client.call(.post, enrol, token: bob, json: Self.enrolment(code: codes[1])))
            #expect(twice["consent"] == "you are already taking part in this study")
            #expect(try await trials("bob@example.org") == 1)
            #expect(try await client.call(.post, enrol, token: dan, json: Self.enrolment(code: codes[1])).status == .created)

            // Kidney disease in the safety profile: 409, not enrolled.
            let kim = try await client.signUp("kim@example.org")
            let kimID = try #require(try await store.account(email: "kim@example.org")).id
            try await store.updateSafetyProfile(accountID: kimID, SafetyProfile(kidneyDisease: true))
            let kidney = try await client.call(.post, enrol, token: kim, json: Self.enrolment(code: codes[2]))
            #expect(kidney.status == .conflict && kidney.body.contains("Kidney disease was reported"), "\(kidney.body)")
            #expect(try await store.enrolments(accountID: kimID).isEmpty)
            #expect(try await client.call(.get, enrol, token: kim).status == .notFound)
            #expect(
                try await client.call(.post, "/api/v1/join/\(code)/withdrawal", token: kim, json: #"{"data":"keep"}"#).status == .notFound)

            let watched = try decodeJSON(
                API.Monitoring.self, from: try await client.call(.get, "/api/v1/studies/\(study.id)/monitoring", token: doctor).body)
            #expect(watched.participants.map(\.participantCode) == ["P-001", "P-002"] && watched.flow.screened == 0)
            #expect(try await client.call(.get, "/api/v1/join/nosuchcode").status == .notFound)
        }
    }

    @Test func aSafetyStopIsFlaggedInTheMonitoring() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let doctor = try await client.signUp("dr@example.org", role: "clinician")
            let created = try await client.call(
                .post, "/api/v1/studies", token: doctor, json: try Self.studyBody(["enrolment_opens": "2026-03-15"]))
            let id = try decodeJSON(API.Study.self, from: created.body).id
            let code = try #require(
                try decodeJSON(API.Study.self, from: try await client.call(.post, "/api/v1/studies/\(id)/register", token: doctor).body)
                    .enrolmentCode)
            // P-001 reports a severe side effect on their first day; P-002 leaves, keeping their data.
            let ann = try await client.signUp("ann@example.org"), bob = try await client.signUp("bob@example.org")
            var trials: [String] = []
            for token in [ann, bob] {
                let enrolled = try await client.call(
                    .post, "/api/v1/join/\(code)/enrolment", token: token, json: Self.enrolment(code: nil, start: "2026-03-15"))
                #expect(enrolled.status == .created, "\(enrolled.body)")
                trials.append(try decodeJSON(API.Enrolment.self, from: enrolled.body).trialId)
            }
            let severe = try await client.call(
                .put, "/api/v1/trials/\(trials[0])/days/2026-03-15", token: ann, json: #"{"adherence":"yes","severe_side_effect":true}"#)
            #expect(severe.status == .ok, "\(severe.body)")
            #expect(try decodeJSON(API.DayAnswer.self, from: severe.body).trialStopped)
            #expect(
                try await client.call(.post, "/api/v1/join/\(code)/withdrawal", token: bob, json: #"{"data":"keep"}"#).status == .ok)

            let watched = try decodeJSON(
                API.Monitoring.self, from: try await client.call(.get, "/api/v1/studies/\(id)/monitoring", token: doctor).body)
            #expect(watched.participants.map(\.status) == ["stopped", "withdrawn"])
            #expect(watched.participants.map(\.safetyStop) == [true, false])
            #expect(watched.participants.map(\.dataWithdrawn) == [false, false])
        }
    }

    /// What time can do to a study: a draft whose opening day has passed is not registered as it
    /// is, and a study whose window has closed takes no screening or enrolment.
    @Test func datesThatHavePassedAreRefused() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let store = test.database.store
            let doctor = try await client.signUp("dr@example.org", role: "clinician")
            let doctorID = try #require(try await store.account(email: "dr@example.org")).id
            // Written a month ago, open from 2026-02-20 to 2026-03-10.
            let earlier = TestApp.today.adding(days: -30)
            var fields = StudyPageTests.form
            fields["enrolment_opens"] = "2026-02-20"
            fields["enrolment_closes"] = "2026-03-10"
            let design = try StudyDesign.validated(fields, today: earlier)
            let stale = EpsomCore.Study(id: UUID().uuidString.lowercased(), design: design)
            try await store.createStudy(stale, investigatorID: doctorID)
            let refused = try Self.fields(try await client.call(.post, "/api/v1/studies/\(stale.id)/register", token: doctor))
            #expect(refused.keys.sorted() == ["enrolment_opens"])
            #expect(try await store.study(id: stale.id, investigatorID: doctorID)?.status == .draft)

            let closed = EpsomCore.Study(id: UUID().uuidString.lowercased(), design: design)
            try await store.createStudy(closed, investigatorID: doctorID)
            try await store.registerStudy(
                id: closed.id, investigatorID: doctorID, design: design, registered: StudyProtocol(design: design, registeredOn: earlier),
                on: earlier, enrolmentCode: "closedstudy1")
            let info = try decodeJSON(API.StudyInformation.self, from: try await client.call(.get, "/api/v1/join/closedstudy1").body)
            #expect(!info.enrolling && info.closedReason == "Enrolment closed on 2026-03-10.")
            let ann = try await client.signUp("ann@example.org")
            let screening = try await client.call(
                .post, "/api/v1/join/closedstudy1/screening", token: ann, json: #"{"answers":[true,false]}"#)
            #expect(screening.status == .conflict && screening.body.contains("Enrolment closed"))
            #expect(
                try await client.call(
                    .post, "/api/v1/join/closedstudy1/enrolment", token: ann, json: Self.enrolment(code: nil, start: "2026-03-20")
                ).status == .conflict)
            #expect(try await store.screeningCounts(studyID: closed.id) == (eligible: 0, ineligible: 0))
            // A draft cannot be amended or invited to.
            #expect(
                try await client.call(.post, "/api/v1/studies/\(stale.id)/invitations", token: doctor, json: #"{"count":1}"#).status
                    == .conflict)
            #expect(
                try await client.call(
                    .post, "/api/v1/studies/\(stale.id)/amendments", token: doctor, json: try Self.amendmentBody(reason: "Why not")
                ).status == .conflict)
        }
    }
}

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
