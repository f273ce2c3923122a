import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import EpsomWeb

/// A study's whole life over the API in one walk: draft, registration, amendment, invitations,
/// screening, enrolment, monitoring and withdrawal.
extension StudiesAPITests {
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
}
