import Foundation
import OpenAPIRuntime
import OpenAPIURLSession
import Testing

/// The README's API walk-through, through a client generated from docs/openapi.json alone
/// (swift-openapi-generator's build plugin), against a real `epsom serve` (EPSOM_BINARY):
/// sign up, sign in, a diary entry, a dose, and a trial with its schedule. Every answer is read
/// through the generated types, so a body that does not match the document fails here.
@Suite struct WalkThroughTests {
    @Test func signUpDiaryDoseAndTrial() async throws {
        let server = try await EpsomServer.start()
        defer { server.stop() }
        let transport = URLSessionTransport()
        let anonymous = Client(serverURL: server.url, transport: transport)

        // Sign up. The time zone places doses in local days: New York is 5 hours behind UTC in November.
        let signUp = try await anonymous.postAccounts(
            body: .json(
                .init(email: "walker@epsom.example", name: "Walker", password: "a long passphrase", timeZone: "America/New_York")))
        let account = try signUp.created.body.json
        #expect(!account.id.isEmpty)
        #expect(account.email == "walker@epsom.example")
        #expect(account.name == "Walker")
        #expect(account.role == .patient)
        #expect(account.timeZone == "America/New_York")

        // The same email again: 409, in the error shape the document gives.
        let again = try await anonymous.postAccounts(
            body: .json(.init(email: "walker@epsom.example", name: "W", password: "another long one")))
        #expect(try again.conflict.body.json.error.fields?.additionalProperties["email"] != nil)

        // Sign in: a bearer token, sent from now on by the BearerToken middleware.
        let wrong = try await anonymous.postSessions(body: .json(.init(email: "walker@epsom.example", password: "not the password")))
        _ = try wrong.unauthorized
        let session = try await anonymous.postSessions(body: .json(.init(email: "walker@epsom.example", password: "a long passphrase")))
            .created.body.json
        #expect(!session.token.isEmpty)
        #expect(session.expiresAt > Int(Date().timeIntervalSince1970))
        let client = Client(serverURL: server.url, transport: transport, middlewares: [BearerToken(token: session.token)])

        // A diary entry, written and read back.
        let written = try await client.putDiaryDate(
            path: .init(date: "2026-11-07"),
            body: .json(.init(note: "Cream on both calves at night", pain: 4, sideEffects: [.skinIrritation], sleep: 7))
        ).ok.body.json
        #expect(written.date == "2026-11-07")
        #expect(written.pain == 4 && written.sleep == 7 && written.spasms == nil)
        #expect(written.sideEffects == [.skinIrritation])
        #expect(written.note == "Cream on both calves at night")
        let read = try await client.getDiaryDate(path: .init(date: "2026-11-07")).ok.body.json
        #expect(read == written)
        // A rating out of range: 422 naming the field.
        let outOfRange = try await client.putDiaryDate(path: .init(date: "2026-11-07"), body: .json(.init(pain: 11)))
        #expect(try outOfRange.unprocessableContent.body.json.error.fields?.additionalProperties["pain"] != nil)

        // A dose. "transdermal" alone is ambiguous (cream, oil, spray or bath?): 422 names the field.
        let ambiguous = try await client.postDoses(
            body: .json(
                .init(
                    amount: 2, elementalMg: 56, product: "Magnesium cream", route: "transdermal", takenAt: "2026-11-07T08:00:00Z",
                    unit: "g")))
        #expect(try ambiguous.unprocessableContent.body.json.error.fields?.additionalProperties["route"] != nil)

        let dose = try await client.postDoses(
            body: .json(
                .init(
                    amount: 2, elementalMg: 56, product: "Magnesium cream", route: "cream", site: "calves",
                    takenAt: "2026-11-07T08:00:00Z", unit: "grams"))
        ).created.body.json
        #expect(!dose.id.isEmpty)
        // The same instant, answered on the account's clock; the generated type reads it as a Date.
        #expect(dose.takenAt == Date(timeIntervalSince1970: 1_794_038_400))
        #expect(dose.localDate == "2026-11-07")
        #expect(dose.product == "Magnesium cream")
        #expect(dose.route == .transdermalCream)
        #expect(dose.amount == 2)
        #expect(dose.unit == .g)
        #expect(dose.elementalMg == 56)
        #expect(dose.elementalSource == "label")
        #expect(dose.site == "calves")

        let listed = try await client.getDoses(query: .init(from: "2026-11-07", to: "2026-11-07")).ok.body.json
        #expect(listed.from == "2026-11-07")
        #expect(listed.to == "2026-11-07")
        #expect(listed.doses == [dose])
        #expect(listed.nextCursor == nil)

        // A blinded trial from a template, then its schedule: each cycle holds every arm once.
        let trial = try await client.postTrials(body: .json(.init(template: .creamVsPlacebo))).created.body.json
        #expect(!trial.id.isEmpty)
        #expect(trial.blinded)
        #expect(trial.status == .running || trial.status == .planned)
        #expect(trial.arms.count == 2)
        #expect(trial.periodDays == 7)
        #expect(trial.cycles == 4)
        #expect(trial.washoutDays == 2)
        #expect(trial.outcome == .pain)
        #expect(trial.protocolSha256.count == 64)
        #expect(trial.seed == nil && trial.protocolJson == nil)  // withheld while a blinded trial runs

        let schedule = try await client.getTrialsIdSchedule(path: .init(id: trial.id)).ok.body.json
        #expect(schedule.trialId == trial.id)
        #expect(schedule.concealed)
        #expect(schedule.periods.count == trial.cycles * trial.arms.count)
        #expect(schedule.periods.first?.startDate == trial.startDate)
        #expect(schedule.periods.last?.endDate == trial.endDate)
        for cycle in 1...trial.cycles {
            let arms = schedule.periods.filter { $0.cycle == cycle }.map(\.arm)
            #expect(Set(arms) == Set(trial.arms), "cycle \(cycle): \(arms)")
        }
        #expect(schedule.periods.allSatisfy { $0.washoutDays == trial.washoutDays })

        // Results wait for the end: 409 in the error shape.
        let early = try await client.getTrialsIdAnalysis(path: .init(id: trial.id))
        #expect(try early.conflict.body.json.error.message.contains("when the trial ends"))
    }
}
