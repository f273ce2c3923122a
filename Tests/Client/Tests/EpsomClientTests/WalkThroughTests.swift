import Foundation
import OpenAPIRuntime
import OpenAPIURLSession
import Testing

/// The README's API walk-through, through a client generated from docs/openapi.json alone
/// (swift-openapi-generator's build plugin), against a real `epsom serve` (EPSOM_BINARY):
/// sign up, sign in, a diary entry, a dose, and a trial with its schedule.
@Suite struct WalkThroughTests {
    @Test func signUpDiaryDoseAndTrial() async throws {
        let server = try await EpsomServer.start()
        defer { server.stop() }
        let answers = ResponseRecorder()
        let transport = URLSessionTransport()
        let anonymous = Client(serverURL: server.url, transport: transport, middlewares: [answers.middleware])

        // Sign up. The time zone places doses in local days: New York is 5 hours behind UTC in November.
        let signUp = try await anonymous.postApiV1Accounts(
            body: .json(
                .init(
                    email: "walker@epsom.example", name: "Walker", password: "a long passphrase",
                    timeZone: "America/New_York")))
        _ = try signUp.created
        let account: Account = try await answers.decoded()
        #expect(!account.id.isEmpty)
        #expect(account.email == "walker@epsom.example")
        #expect(account.name == "Walker")
        #expect(account.role == "patient")
        #expect(account.timeZone == "America/New_York")

        // Sign in: a bearer token, sent from now on by the BearerToken middleware.
        let signIn = try await anonymous.postApiV1Sessions(
            body: .json(.init(email: "walker@epsom.example", password: "a long passphrase")))
        _ = try signIn.created
        let session: Session = try await answers.decoded()
        #expect(!session.token.isEmpty)
        #expect(session.expiresAt > Int(Date().timeIntervalSince1970))
        let client = Client(
            serverURL: server.url, transport: transport, middlewares: [BearerToken(token: session.token), answers.middleware])

        // A diary entry, written and read back.
        let put = try await client.putApiV1DiaryDate(
            path: .init(date: "2026-11-07"),
            body: .json(
                .init(
                    note: "Cream on both calves at night", pain: 4, sideEffects: try .init(unvalidatedValue: ["skin_irritation"]),
                    sleep: 7)))
        _ = try put.ok
        let written: DiaryEntry = try await answers.decoded()
        #expect(
            written
                == DiaryEntry(
                    date: "2026-11-07", pain: 4, enjoyment: nil, activity: nil, spasms: nil, stiffness: nil, sleep: 7,
                    sideEffects: ["skin_irritation"], note: "Cream on both calves at night"))
        let get = try await client.getApiV1DiaryDate(path: .init(date: "2026-11-07"))
        _ = try get.ok
        let read: DiaryEntry = try await answers.decoded()
        #expect(read == written)

        // A dose. "transdermal" alone is ambiguous (cream, oil, spray or bath?): 422 names the field.
        let ambiguous = try await client.postApiV1Doses(
            body: .json(
                .init(
                    amount: 2, elementalMg: 56, product: "Magnesium cream", route: "transdermal", takenAt: "2026-11-07T08:00:00Z",
                    unit: "g")))
        _ = try ambiguous.unprocessableContent
        let refusal: ErrorAnswer = try await answers.decoded()
        #expect(refusal.error.fields?["route"] != nil)

        let logged = try await client.postApiV1Doses(
            body: .json(
                .init(
                    amount: 2, elementalMg: 56, product: "Magnesium cream", route: "transdermal_cream", site: "calves",
                    takenAt: "2026-11-07T08:00:00Z", unit: "g")))
        _ = try logged.created
        let dose: Dose = try await answers.decoded()
        #expect(!dose.id.isEmpty)
        #expect(dose.takenAt == "2026-11-07T03:00:00-05:00")  // the same instant, on the account's clock
        #expect(dose.localDate == "2026-11-07")
        #expect(dose.product == "Magnesium cream")
        #expect(dose.route == "transdermal_cream")
        #expect(dose.amount == 2)
        #expect(dose.unit == "g")
        #expect(dose.elementalMg == 56)
        #expect(dose.elementalSource == "label")
        #expect(dose.site == "calves")

        let listed = try await client.getApiV1Doses(query: .init(from: "2026-11-07", to: "2026-11-07"))
        _ = try listed.ok
        let doses: DoseList = try await answers.decoded()
        #expect(doses.from == "2026-11-07")
        #expect(doses.to == "2026-11-07")
        #expect(doses.doses == [dose])
        #expect(doses.nextCursor == nil)

        // A blinded trial from a template, then its schedule: each cycle holds every arm once.
        let registered = try await client.postApiV1Trials(body: .json(.init(template: "cream-vs-placebo")))
        _ = try registered.created
        let trial: Trial = try await answers.decoded()
        #expect(!trial.id.isEmpty)
        #expect(trial.blinded)
        #expect(trial.arms.count == 2)
        #expect(trial.periodDays == 7)
        #expect(trial.cycles == 4)
        #expect(trial.washoutDays == 2)
        #expect(trial.outcome == "pain")
        #expect(trial.protocolSha256.count == 64)

        let scheduled = try await client.getApiV1TrialsIdSchedule(path: .init(id: trial.id))
        _ = try scheduled.ok
        let schedule: Schedule = try await answers.decoded()
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
    }
}
