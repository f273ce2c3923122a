import EpsomCore
import EpsomTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@testable import EpsomStorage
@testable import EpsomWeb

/// The study's exports from the investigator's page: only the investigator downloads them; they
/// carry participant codes and no name, email or id; a participant who withdrew their data adds
/// nothing; arms appear once the study is closed, and the CSV is then a series `epsom series` reads.
@Suite struct StudyExportPageTests {
    /// GET with the browser's cookies: status, body and headers. While the server answers 503 (its
    /// heavy-work queue is shared by every test running at once) it waits and asks again, as a
    /// browser honouring Retry-After would.
    static func download(_ browser: Browser, _ uri: String) async throws -> (
        status: HTTPResponse.Status, body: String, headers: HTTPFields
    ) {
        let cookie = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        for _ in 0..<30 {
            let answer = try await browser.client.call(.get, uri, headers: cookie.isEmpty ? [:] : [.cookie: cookie])
            guard answer.status == .serviceUnavailable else { return answer }
            try await Task.sleep(for: .milliseconds(500))
        }
        return try await browser.client.call(.get, uri, headers: cookie.isEmpty ? [:] : [.cookie: cookie])
    }

    @Test func theInvestigatorDownloadsDeIdentifiedExportsWithArmsOnceClosed() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let store = test.database.store
            let doctor = try await Browser.signedUp(client, "dr@example.org", role: "clinician")
            let (location, code) = try await StudyPageTests.registeredStudy(doctor)
            let study = try #require(try await store.study(enrolmentCode: code))
            let page = try await doctor.request(.get, location).body
            let links = try PageText.attributes("href", in: page)
            #expect(links.contains(location + "/export.csv") && links.contains(location + "/fhir"))

            // Three participants who started before today (the store takes any start): Ann
            // completes, Bob leaves keeping his data, Cat leaves withdrawing hers.
            var accounts: [Account] = []
            for (email, name) in [
                ("ann@example.org", "Ann Onymous"), ("bob@example.org", "Bob Builder"), ("cat@example.org", "Cat Stevens"),
            ] {
                _ = try await Browser.signedUp(client, email, name: name)
                accounts.append(try #require(try await store.account(email: email)))
            }
            var trials: [Trial] = []
            for (index, account) in accounts.enumerated() {
                let start = CalendarDate(iso: "2025-12-01")!.adding(days: index)
                let trial = Trial(
                    id: UUID().uuidString.lowercased(), design: study.design.trialDesign(startDate: start, seed: UInt64(40 + index)),
                    registeredOn: start)
                trials.append(trial)
                _ = try await store.enrol(
                    EnrolmentRequest(
                        studyID: study.id, accountID: account.id, trial: trial, consentSha256: StudyProtocol.consentHash(study.design),
                        consentedAt: 1_764_000_000, invitationCodeHash: nil))
                for offset in 0..<84 {
                    let date = start.adding(days: offset)
                    let arm = try #require(trial.schedule.period(on: date)).arm
                    let entry = DiaryEntry(date: date, pain: 6 - 2 * arm + offset % 2, spasms: 3, note: "Told \(account.name) about it")
                    try await store.saveDiaryEntry(entry, accountID: account.id)
                    try await store.saveTrialDay(TrialDay(date: date, adherence: .yes), trialID: trial.id, accountID: account.id)
                }
            }
            try await store.withdraw(studyID: study.id, accountID: accounts[1].id, on: CalendarDate(iso: "2026-01-10")!, keepsData: true)
            try await store.withdraw(studyID: study.id, accountID: accounts[2].id, on: CalendarDate(iso: "2026-01-10")!, keepsData: false)

            func expectDeIdentified(_ body: String) {
                for account in accounts {
                    #expect(!body.contains(account.email) && !body.contains(account.id) && !body.contains(account.name))
                }
                for trial in trials { #expect(!body.contains(trial.id)) }
                #expect(!body.contains("Told ") && !body.contains("dr@example.org"))
            }

            // While the study runs: rows without arms, and no allocation in the bundle.
            let running = try await Self.download(doctor, location + "/export.csv")
            #expect(running.status == .ok && running.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(running.headers[.contentDisposition] == "attachment; filename=\"epsom-study-\(code).csv\"")
            let runningTable = try CSVTable(parsing: running.body)
            let participant = try #require(runningTable.column("participant")), arm = try #require(runningTable.column("arm"))
            let codes = (0..<runningTable.rowCount).map { runningTable.text($0, participant) }
            #expect(codes.filter { $0 == "P-001" }.count == 84 && codes.filter { $0 == "P-002" }.count == 40 && !codes.contains("P-003"))
            #expect((0..<runningTable.rowCount).allSatisfy { runningTable.text($0, arm).isEmpty })
            expectDeIdentified(running.body)
            let fhir = try await Self.download(doctor, location + "/fhir")
            #expect(fhir.status == .ok && fhir.headers[.contentType] == "application/fhir+json; charset=utf-8")
            #expect(fhir.headers[.contentDisposition] == "attachment; filename=\"epsom-study-\(code).fhir.json\"")
            #expect(fhir.body.contains("\"ResearchStudy\"") && !fhir.body.contains("assignedArm") && !fhir.body.contains("\"Observation\""))
            expectDeIdentified(fhir.body)

            // Nobody else downloads: signed out, a patient, another investigator, a draft.
            let patient = try await Browser.signedUp(client, "pat@example.org")
            let other = try await Browser.signedUp(client, "other@example.org", role: "clinician")
            for path in ["/export.csv", "/fhir"] {
                let anonymous = try await Browser(client).request(.get, location + path)
                #expect(anonymous.status == .seeOther && anonymous.location == "/signin")
                #expect(try await patient.request(.get, location + path).status == .forbidden)
                #expect(try await other.request(.get, location + path).status == .notFound)
                #expect(try await doctor.request(.get, "/studies/no-such-study" + path).status == .notFound)
            }
            let csrf = Browser.csrf(in: try await doctor.request(.get, "/studies").body)
            let draft = try #require(
                try await doctor.request(.post, "/studies", form: StudyPageTests.form.merging(["csrf": csrf]) { $1 }).location)
            #expect(try await doctor.request(.get, draft + "/fhir").status == .notFound)
            #expect(try await doctor.request(.get, draft + "/export.csv").status == .notFound)

            // Closed (no page closes a study yet): the arms, and a series `epsom series` reads.
            try await store.db.raw("UPDATE studies SET status = 'closed' WHERE id = \(bind: study.id)").run()
            let closed = try await Self.download(doctor, location + "/export.csv")
            let input = try SeriesInput(table: try CSVTable(parsing: closed.body))
            #expect(input.participants.map(\.name) == ["P-001", "P-002"] && input.arms == ["Placebo cream", "Magnesium cream"])
            #expect(input.participants.map(\.entries.count) == [84, 40])
            let report = SeriesReport(input: input)
            #expect(report.participants.count == 2)
            expectDeIdentified(closed.body)
            let closedFHIR = try await Self.download(doctor, location + "/fhir")
            #expect(closedFHIR.body.contains("assignedArm") && closedFHIR.body.contains("\"Observation\""))
            #expect(closedFHIR.body.contains("\"completed\"") && closedFHIR.body.contains("\"P-003\""))
            expectDeIdentified(closedFHIR.body)
        }
    }
}
