import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EpsomWeb

/// The trial routes of the JSON API, with who may see what and when.
@Suite struct TrialAPITests {
    /// What seed 12345 draws (TrialDesign's documented SplitMix64 randomisation), pinned: the jar
    /// labels in arm order, and the arm of each of the 8 periods, blinded and open-label.
    static let seed12345Jars = ["Jar Y", "Jar X"]
    static let seed12345JarOrder = ["Jar Y", "Jar X", "Jar Y", "Jar X", "Jar X", "Jar Y", "Jar Y", "Jar X"]
    static let seed12345OpenOrder = [
        "Placebo cream", "Magnesium cream", "Placebo cream", "Magnesium cream",
        "Magnesium cream", "Placebo cream", "Placebo cream", "Magnesium cream",
    ]

    @Test func createRandomisesAndRefusesImpossibleDesigns() async throws {
        try await TestApp.make().run { client in
            let token = try await client.signUp("pat@example.org")
            let created = try await client.call(
                .post, "/api/v1/trials", token: token,
                json: #"{"template":"cream-vs-placebo","seed":12345,"start_date":"2026-03-16"}"#)
            #expect(created.status == .created, "\(created.body)")
            let trial = try decodeJSON(API.Trial.self, from: created.body)
            let id = trial.id
            #expect(created.headers[.location] == "/api/v1/trials/\(id)")
            // Seed 12345 fixes the jar labels and the order of the arms in every period.
            #expect(trial.arms == Self.seed12345Jars)
            #expect(trial.seed == nil && trial.protocolJson == nil)  // concealed until the end
            #expect(trial.protocolSha256?.count == 64 && trial.status == "planned")

            let schedule = try decodeJSON(
                API.Schedule.self, from: try await client.call(.get, "/api/v1/trials/\(id)/schedule", token: token).body)
            let periods = schedule.periods
            try #require(periods.count == 8)
            #expect(schedule.concealed)
            #expect(periods[0].startDate == "2026-03-16" && periods[0].washoutDays == 2)
            #expect(periods.map(\.arm) == Self.seed12345JarOrder)
            // A second trial over the same days would give contradictory instructions: refused, naming the start date.
            let overlapping = try await client.call(
                .post, "/api/v1/trials", token: token,
                json: #"{"template":"cream-vs-none","start_date":"2026-04-01"}"#)
            #expect(overlapping.status == .unprocessableContent)
            let overlapFields = try decodeJSON(API.Failure.self, from: overlapping.body).error.fields
            #expect(overlapFields?.keys.sorted() == ["start_date"])
            #expect(overlapFields?["start_date"]?.contains("overlaps your trial") == true)
            // The same seed draws the same schedule, open-label this time (another person's trial).
            let twin = try await client.signUp("twin@example.org")
            let open = try decodeJSON(
                API.Trial.self,
                from: try await client.call(
                    .post, "/api/v1/trials", token: twin,
                    json: #"{"arms":["Placebo cream","Magnesium cream"],"seed":12345,"start_date":"2026-03-16"}"#
                ).body)
            let openSchedule = try decodeJSON(
                API.Schedule.self, from: try await client.call(.get, "/api/v1/trials/\(open.id)/schedule", token: twin).body)
            #expect(openSchedule.periods.map(\.startDate) == periods.map(\.startDate))
            #expect(openSchedule.periods.map(\.arm) == Self.seed12345OpenOrder)
            #expect(open.seed == "12345")

            let bad = try await client.call(
                .post, "/api/v1/trials", token: token,
                json: #"{"arms":["cream"],"period_days":0,"washout_days":7,"start_date":"2026-03-01"}"#)
            #expect(bad.status == .unprocessableContent)
            let fields = try #require(try decodeJSON(API.Failure.self, from: bad.body).error.fields)
            #expect(Set(fields.keys) == ["arms", "period_days", "start_date"])
            #expect(try await client.call(.post, "/api/v1/trials", json: #"{"template":"cream-vs-none"}"#).status == .unauthorized)

            let other = try await client.signUp("other@example.org")
            #expect(try await client.call(.get, "/api/v1/trials/\(id)", token: other).status == .notFound)
            #expect(
                try await client.call(.put, "/api/v1/trials/\(id)/days/2026-03-16", token: other, json: #"{"adherence":"yes"}"#).status
                    == .notFound)
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
            let trial = try decodeJSON(API.Trial.self, from: try await client.call(.get, "/api/v1/trials/\(id)", token: token).body)
            #expect(trial.status == "finished" && trial.arms == ["Placebo cream", "Magnesium cream"])
            // Revealed once over: the text registered at the start, with the hash shown all along.
            #expect(trial.protocolJson == demo.trial.registeredProtocol.json)
            #expect(trial.protocolSha256 == demo.trial.registeredProtocol.sha256)

            let analysis = try await client.call(.get, "/api/v1/trials/\(id)/analysis", token: token)
            #expect(analysis.status == .ok, "\(analysis.body)")
            let body = try decodeJSON(API.Analysis.self, from: analysis.body)
            #expect(!body.interim)
            let itt = body.intentionToTreat, pp = try #require(body.perProtocol)
            #expect(itt.n == 40 && pp.n < 40)
            let contrast = try #require(itt.contrasts.first)
            #expect(contrast.arm == "Magnesium cream" && contrast.mean < 0)

            let ics = try await client.call(.get, "/api/v1/trials/\(id)/calendar.ics", token: token)
            #expect(ics.headers[.contentType] == "text/calendar; charset=utf-8" && ics.body.contains("BEGIN:VALARM"))
            let csv = try await client.call(.get, "/api/v1/trials/\(id)/export.csv", token: token)
            #expect(csv.body.split(separator: "\n").count == 57)
            let fhir = try await client.call(.get, "/api/v1/trials/\(id)/fhir", token: token)
            #expect(fhir.headers[.contentType] == "application/fhir+json; charset=utf-8")
            let bundle = try decodeJSON(API.FHIRBundle.self, from: fhir.body)
            #expect(bundle.resourceType == "Bundle" && bundle.entry.count == 4 + 56 * 3 + 56)
            #expect(fhir.body.contains("72514-3") && fhir.body.contains("2026-03-15T12:00:00Z"))

            // The account export carries the trial and its adherence.
            let export = try decodeJSON(API.Export.self, from: try await client.call(.get, "/api/v1/export", token: token).body)
            let exported = try #require(export.trials?.first)
            #expect(exported.days.count == 56 && exported.trial.id == id)

            // Over: no more amendments, no stop.
            let amend = try await client.call(
                .post, "/api/v1/trials/\(id)/amendments", token: token, json: #"{"cycles":6,"reason":"more"}"#)
            #expect(amend.status == .unprocessableContent)
        }
    }

    @Test func cliniciansSeeInterimResultsOnlyWhileShared() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let patient = try await client.signUp("p@example.org"),
                clinician = try await client.signUp("doc@example.org", role: "clinician")
            let store = test.database.store
            let p = try #require(try await store.account(email: "p@example.org")),
                c = try #require(try await store.account(email: "doc@example.org"))
            // A running trial: started 40 days ago.
            let demo = DemoTrial.generate(lastDay: TestApp.today.adding(days: 15), id: "running-trial")
            try await store.createTrial(demo.trial, accountID: p.id)
            try await store.importRecords(accountID: p.id, diary: demo.diary.filter { $0.date <= TestApp.today }, doses: [])
            #expect(try await client.call(.get, "/api/v1/trials/running-trial?patient=\(p.id)", token: clinician).status == .forbidden)
            try await store.share(patientID: p.id, clinicianID: c.id)
            let interim = try await client.call(.get, "/api/v1/trials/running-trial/analysis?patient=\(p.id)", token: clinician)
            #expect(interim.status == .ok, "\(interim.body)")
            let body = try decodeJSON(API.Analysis.self, from: interim.body)
            #expect(body.interim)
            // Still blinded: the interim contrast is between jars.
            let arm = try #require(body.intentionToTreat.contrasts.first).arm
            #expect(arm.hasPrefix("Jar "))
            #expect(try await client.call(.get, "/api/v1/trials/running-trial/analysis", token: patient).status == .conflict)
            // A clinician reads but does not write, nor run trials of their own.
            #expect(
                try await client.call(.post, "/api/v1/trials", token: clinician, json: #"{"template":"cream-vs-none"}"#).status
                    == .forbidden)
            #expect(
                try await client.call(
                    .post, "/api/v1/trials/running-trial/stop?patient=\(p.id)", token: clinician,
                    json: #"{"reason":"x"}"#
                ).status == .forbidden)
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
            let bad = try await client.call(
                .put, "/api/v1/trials/t-severe/days/2026-03-15", token: token, json: #"{"adherence":"sometimes"}"#)
            #expect(bad.status == .unprocessableContent && bad.body.contains("adherence"))
            let future = try await client.call(.put, "/api/v1/trials/t-severe/days/2026-03-20", token: token, json: #"{"adherence":"yes"}"#)
            #expect(future.status == .unprocessableContent)
            let day = try await client.call(
                .put, "/api/v1/trials/t-severe/days/2026-03-15", token: token,
                json: #"{"adherence":"yes","amount":2,"severe_side_effect":true}"#)
            #expect(day.status == .ok, "\(day.body)")
            let answer = try decodeJSON(API.DayAnswer.self, from: day.body)
            #expect(answer.trialStopped && answer.message?.contains("see a clinician") == true)
            let trial = try decodeJSON(API.Trial.self, from: try await client.call(.get, "/api/v1/trials/t-severe", token: token).body)
            #expect(trial.status == "stopped" && trial.stoppedOn == "2026-03-15")
            #expect(trial.stopReason?.contains("severe side effect") == true)
            // Stopped is over: the allocation and the results are now the patient's.
            #expect(trial.seed == String(demo.trial.design.seed))
            #expect(try await client.call(.get, "/api/v1/trials/t-severe/analysis", token: token).status == .ok)
        }
    }

    @Test func amendmentsAreRecordedWithTheirHash() async throws {
        try await TestApp.make().run { client in
            let token = try await client.signUp("pat@example.org")
            let id = try decodeJSON(
                API.Trial.self,
                from: try await client.call(.post, "/api/v1/trials", token: token, json: #"{"template":"cream-vs-none"}"#).body
            ).id
            let noReason = try await client.call(.post, "/api/v1/trials/\(id)/amendments", token: token, json: #"{"cycles":6}"#)
            #expect(noReason.status == .unprocessableContent && noReason.body.contains("reason"))
            let amended = try await client.call(
                .post, "/api/v1/trials/\(id)/amendments", token: token,
                json: #"{"cycles":6,"reason":"Pain varies more than I thought"}"#)
            #expect(amended.status == .created)
            let body = try decodeJSON(API.Trial.self, from: amended.body)
            let amendment = try #require(body.amendments?.first)
            #expect(amendment.change == "cycles 4 → 6" && amendment.protocolSha256.count == 64)
            #expect(body.cycles == 6)
        }
    }
}
