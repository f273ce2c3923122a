import EpsomCore
import EpsomStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import EpsomWeb

/// The trial routes of the JSON API, with who may see what and when.
@Suite struct TrialAPITests {
    @Test func createRandomisesAndRefusesImpossibleDesigns() async throws {
        try await TestApp.make().run { client in
            let token = try await client.signUp("pat@example.org")
            let created = try await client.call(.post, "/api/v1/trials", token: token,
                                                json: #"{"template":"cream-vs-placebo","seed":12345,"start_date":"2026-03-16"}"#)
            #expect(created.status == .created, "\(created.body)")
            let trial = try jsonObject(created.body)
            let id = try #require(trial["id"] as? String)
            #expect(created.headers[.location] == "/api/v1/trials/\(id)")
            #expect(trial["arms"] as? [String] == ["Jar X", "Jar Y"] || trial["arms"] as? [String] == ["Jar Y", "Jar X"])
            #expect(trial["seed"] == nil && trial["protocol_json"] == nil)  // concealed until the end
            #expect((trial["protocol_sha256"] as? String)?.count == 64 && trial["status"] as? String == "planned")

            let schedule = try jsonObject(try await client.call(.get, "/api/v1/trials/\(id)/schedule", token: token).body)
            let periods = try #require(schedule["periods"] as? [[String: Any]])
            #expect(periods.count == 8 && schedule["concealed"] as? Bool == true)
            #expect(periods[0]["start_date"] as? String == "2026-03-16" && periods[0]["washout_days"] as? Int == 2)
            #expect(periods.allSatisfy { ($0["arm"] as? String)?.hasPrefix("Jar ") == true })
            // A second trial over the same days would give contradictory instructions: refused, naming the start date.
            let overlapping = try await client.call(.post, "/api/v1/trials", token: token,
                                                    json: #"{"template":"cream-vs-none","start_date":"2026-04-01"}"#)
            #expect(overlapping.status == .unprocessableContent)
            let overlapFields = try #require(try jsonObject(overlapping.body)["error"] as? [String: Any])["fields"] as? [String: String]
            #expect(overlapFields?.keys.sorted() == ["start_date"])
            #expect(overlapFields?["start_date"]?.contains("overlaps your trial") == true)
            // The same seed draws the same schedule, open-label this time (another person's trial).
            let twin = try await client.signUp("twin@example.org")
            let open = try jsonObject(try await client.call(.post, "/api/v1/trials", token: twin,
                                                            json: #"{"arms":["Placebo cream","Magnesium cream"],"seed":12345,"start_date":"2026-03-16"}"#).body)
            let openID = try #require(open["id"] as? String)
            let openSchedule = try jsonObject(try await client.call(.get, "/api/v1/trials/\(openID)/schedule", token: twin).body)
            #expect((openSchedule["periods"] as! [[String: Any]]).map { $0["start_date"] as! String } == periods.map { $0["start_date"] as! String })
            #expect(open["seed"] as? String == "12345")

            let bad = try await client.call(.post, "/api/v1/trials", token: token,
                                            json: #"{"arms":["cream"],"period_days":0,"washout_days":7,"start_date":"2026-03-01"}"#)
            #expect(bad.status == .unprocessableContent)
            let fields = try #require(try jsonObject(bad.body)["error"] as? [String: Any])["fields"] as! [String: String]
            #expect(Set(fields.keys) == ["arms", "period_days", "start_date"])
            #expect(try await client.call(.post, "/api/v1/trials", json: #"{"template":"cream-vs-none"}"#).status == .unauthorized)

            let other = try await client.signUp("other@example.org")
            #expect(try await client.call(.get, "/api/v1/trials/\(id)", token: other).status == .notFound)
            #expect(try await client.call(.put, "/api/v1/trials/\(id)/days/2026-03-16", token: other, json: #"{"adherence":"yes"}"#).status == .notFound)
            // A patient sees no results before the end.
            #expect(try await client.call(.get, "/api/v1/trials/\(id)/analysis", token: token).status == .conflict)
        }
    }

    /// A finished blinded trial (the demo's) seeded straight into the store.
    static func seedFinished(_ store: any Store, accountID: String) async throws -> DemoTrial {
        let demo = DemoTrial.generate(lastDay: TestApp.today.adding(days: -1), id: UUID().uuidString.lowercased())
        try await store.createTrial(demo.trial, accountID: accountID)
        try await store.importRecords(accountID: accountID, diary: demo.diary, doses: [])
        for day in demo.adherence { try await store.saveTrialDay(day, trialID: demo.trial.id, accountID: accountID) }
        return demo
    }

    @Test func aFinishedTrialRevealsItsAllocationAndExports() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let token = try await client.signUp("pat@example.org")
            let account = try #require(try await test.database.store.account(email: "pat@example.org"))
            let demo = try await Self.seedFinished(test.database.store, accountID: account.id)
            let id = demo.trial.id
            let trial = try jsonObject(try await client.call(.get, "/api/v1/trials/\(id)", token: token).body)
            #expect(trial["status"] as? String == "finished" && trial["arms"] as? [String] == ["Placebo cream", "Magnesium cream"])
            #expect(TrialProtocol.hash(try #require(trial["protocol_json"] as? String)) == trial["protocol_sha256"] as? String)

            let analysis = try await client.call(.get, "/api/v1/trials/\(id)/analysis", token: token)
            #expect(analysis.status == .ok, "\(analysis.body)")
            let body = try jsonObject(analysis.body)
            #expect(body["interim"] as? Bool == false)
            let itt = try #require(body["intention_to_treat"] as? [String: Any]), pp = try #require(body["per_protocol"] as? [String: Any])
            #expect(itt["n"] as? Int == 40 && (pp["n"] as! Int) < 40)
            let contrast = try #require((itt["contrasts"] as? [[String: Any]])?.first)
            #expect(contrast["arm"] as? String == "Magnesium cream" && (contrast["mean"] as! Double) < 0)

            let ics = try await client.call(.get, "/api/v1/trials/\(id)/calendar.ics", token: token)
            #expect(ics.headers[.contentType] == "text/calendar; charset=utf-8" && ics.body.contains("BEGIN:VALARM"))
            let csv = try await client.call(.get, "/api/v1/trials/\(id)/export.csv", token: token)
            #expect(csv.body.split(separator: "\n").count == 57)
            let fhir = try await client.call(.get, "/api/v1/trials/\(id)/fhir", token: token)
            #expect(fhir.headers[.contentType] == "application/fhir+json; charset=utf-8")
            let bundle = try jsonObject(fhir.body)
            #expect(bundle["resourceType"] as? String == "Bundle" && (bundle["entry"] as? [Any])?.count == 4 + 56 * 3 + 56)
            #expect(fhir.body.contains("72514-3") && fhir.body.contains("2026-03-15T12:00:00Z"))

            // The account export carries the trial and its adherence.
            let export = try jsonObject(try await client.call(.get, "/api/v1/export", token: token).body)
            let exported = try #require((export["trials"] as? [[String: Any]])?.first)
            #expect((exported["days"] as? [Any])?.count == 56 && (exported["trial"] as? [String: Any])?["id"] as? String == id)

            // Over: no more amendments, no stop.
            let amend = try await client.call(.post, "/api/v1/trials/\(id)/amendments", token: token, json: #"{"cycles":6,"reason":"more"}"#)
            #expect(amend.status == .unprocessableContent)
        }
    }

    @Test func cliniciansSeeInterimResultsOnlyWhileShared() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let patient = try await client.signUp("p@example.org"), clinician = try await client.signUp("doc@example.org", role: "clinician")
            let store = test.database.store
            let p = try #require(try await store.account(email: "p@example.org")), c = try #require(try await store.account(email: "doc@example.org"))
            // A running trial: started 40 days ago.
            let demo = DemoTrial.generate(lastDay: TestApp.today.adding(days: 15), id: "running-trial")
            try await store.createTrial(demo.trial, accountID: p.id)
            try await store.importRecords(accountID: p.id, diary: demo.diary.filter { $0.date <= TestApp.today }, doses: [])
            #expect(try await client.call(.get, "/api/v1/trials/running-trial?patient=\(p.id)", token: clinician).status == .forbidden)
            try await store.share(patientID: p.id, clinicianID: c.id)
            let interim = try await client.call(.get, "/api/v1/trials/running-trial/analysis?patient=\(p.id)", token: clinician)
            #expect(interim.status == .ok, "\(interim.body)")
            let body = try jsonObject(interim.body)
            #expect(body["interim"] as? Bool == true)
            // Still blinded: the interim contrast is between jars.
            let arm = ((body["intention_to_treat"] as? [String: Any])?["contrasts"] as? [[String: Any]])?.first?["arm"] as? String
            #expect(arm?.hasPrefix("Jar ") == true)
            #expect(try await client.call(.get, "/api/v1/trials/running-trial/analysis", token: patient).status == .conflict)
            // A clinician reads but does not write, nor run trials of their own.
            #expect(try await client.call(.post, "/api/v1/trials", token: clinician, json: #"{"template":"cream-vs-none"}"#).status == .forbidden)
            #expect(try await client.call(.post, "/api/v1/trials/running-trial/stop?patient=\(p.id)", token: clinician,
                                          json: #"{"reason":"x"}"#).status == .notFound)
        }
    }

    @Test func aSevereSideEffectStopsTheTrialWithItsReason() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let token = try await client.signUp("p@example.org")
            let store = test.database.store
            let p = try #require(try await store.account(email: "p@example.org"))
            let demo = DemoTrial.generate(lastDay: TestApp.today.adding(days: 15), id: "t-severe")
            try await store.createTrial(demo.trial, accountID: p.id)
            let bad = try await client.call(.put, "/api/v1/trials/t-severe/days/2026-03-15", token: token, json: #"{"adherence":"sometimes"}"#)
            #expect(bad.status == .unprocessableContent && bad.body.contains("adherence"))
            let future = try await client.call(.put, "/api/v1/trials/t-severe/days/2026-03-20", token: token, json: #"{"adherence":"yes"}"#)
            #expect(future.status == .unprocessableContent)
            let day = try await client.call(.put, "/api/v1/trials/t-severe/days/2026-03-15", token: token,
                                            json: #"{"adherence":"yes","amount":2,"severe_side_effect":true}"#)
            #expect(day.status == .ok, "\(day.body)")
            let answer = try jsonObject(day.body)
            #expect(answer["trial_stopped"] as? Bool == true && (answer["message"] as? String)?.contains("see a clinician") == true)
            let trial = try jsonObject(try await client.call(.get, "/api/v1/trials/t-severe", token: token).body)
            #expect(trial["status"] as? String == "stopped" && trial["stopped_on"] as? String == "2026-03-15")
            #expect((trial["stop_reason"] as? String)?.contains("severe side effect") == true)
            // Stopped is over: the allocation and the results are now the patient's.
            #expect(trial["seed"] != nil)
            #expect(try await client.call(.get, "/api/v1/trials/t-severe/analysis", token: token).status == .ok)
        }
    }

    @Test func amendmentsAreRecordedWithTheirHash() async throws {
        try await TestApp.make().run { client in
            let token = try await client.signUp("pat@example.org")
            let id = try jsonObject(try await client.call(.post, "/api/v1/trials", token: token, json: #"{"template":"cream-vs-none"}"#).body)["id"] as! String
            let noReason = try await client.call(.post, "/api/v1/trials/\(id)/amendments", token: token, json: #"{"cycles":6}"#)
            #expect(noReason.status == .unprocessableContent && noReason.body.contains("reason"))
            let amended = try await client.call(.post, "/api/v1/trials/\(id)/amendments", token: token,
                                                json: #"{"cycles":6,"reason":"Pain varies more than I thought"}"#)
            #expect(amended.status == .created)
            let body = try jsonObject(amended.body)
            let amendment = try #require((body["amendments"] as? [[String: Any]])?.first)
            #expect(amendment["change"] as? String == "cycles 4 → 6" && (amendment["protocol_sha256"] as? String)?.count == 64)
            #expect(body["cycles"] as? Int == 6)
        }
    }
}
