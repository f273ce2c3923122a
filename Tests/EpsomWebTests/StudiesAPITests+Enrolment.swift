import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import EpsomWeb

/// Enrolment's refusals: each names its field, and writes nothing.
extension StudiesAPITests {
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
}
