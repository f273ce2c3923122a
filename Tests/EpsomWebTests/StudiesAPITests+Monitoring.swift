import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import EpsomWeb

/// The investigator's monitoring: a safety stop flagged, a withdrawal shown.
extension StudiesAPITests {
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
}
