import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import Logging
import Testing

@testable import EpsomWeb

/// A closed study's report and analysis for its investigator, and what its participants learn
/// back: computed once when the study closes, read from the stored analysis, in words a person
/// reads; nobody else opens them, and nothing shows before the close.
@Suite struct StudyReportPageTests {
    /// The demo study's report: the pooled result in words, τ, the flow, every section of CENT,
    /// no markup shown as text and no NaN; its JSON is `epsom series`'s.
    @Test func theDemoStudysReportReadsAsAPersonReadsIt() async throws {
        let test = try await TestApp.make()
        let store = test.database.store
        try await test.run { client in
            let login = try #require(try await DemoStudySeed.seed(in: store, today: TestApp.today, bcryptCost: 4))
            let investigator = Browser(client)
            try await investigator.signIn(login.investigator, password: login.password)
            let list = try await investigator.request(.get, "/studies").body
            let location = try #require(try PageText.attributes("href", in: list).first { $0.hasPrefix("/studies/") && $0 != "/studies" })
            let links = try PageText.attributes("href", in: try await investigator.request(.get, location).body)
            #expect(links.contains(location + "/report") && links.contains(location + "/analysis.json"))

            let json = try await StudyExportPageTests.download(investigator, location + "/analysis.json")
            #expect(json.status == .ok && json.headers[.contentType] == "application/json; charset=utf-8")
            let results = try StudyResults.decoded(json.body)
            #expect(try decodeJSON(SeriesJSON.self, from: json.body).participants.count == 19)
            let pooled = try #require(results.pooled.first)

            let report = try await investigator.request(.get, location + "/report")
            #expect(report.status == .ok)
            let text = StudyBlindingTests.text(report.body)
            // The answer, in the words `epsom series` prints, then the flow's numbers.
            for sentence in pooled.sentences(mcid: 1, tauPrior: "half-normal:2") { #expect(text.contains(sentence), "\(sentence)") }
            #expect(text.contains("How much people differ: the between-person SD τ is about"))
            #expect(text.contains("How much people differ, in plain words: τ is the spread"))
            #expect(text.contains("26 answered the screening questions") && text.contains("4 not eligible"))
            #expect(text.contains("24 single-use invitation codes made (20 used)"))
            #expect(text.contains("20 consented and enrolled") && text.contains("18 completed their trial"))
            #expect(text.contains("2 withdrew (no reason is asked)"))
            #expect(text.contains("P-007, day 21") && text.contains("data kept in the study"))
            #expect(text.contains("P-015, day 11") && text.contains("data withdrawn: not analysed"))
            #expect(text.contains("\(results.flow.analysed) pooled in the primary analysis"))
            #expect(text.contains("1 withdrew their data: not in any analysis"))
            for heading in [
                "Registration and design", "Participant flow", "Adherence", "The population's result", "Responders",
                "Intention to treat and per protocol", "Sensitivity", "Secondary outcomes", "Harms", "Limitations",
            ] { #expect(text.contains(heading), "\(heading)") }
            #expect(text.contains("τ ~ uniform(0, ∞)") && text.contains("With a linear trend in each person's model"))
            #expect(text.contains("its participants and their numbers are invented") && text.contains("not been peer reviewed"))
            #expect(text.contains("Skin irritation"))
            // The participants at the start (CENT item 15): the stored summary, in the table's words.
            let pain = try #require(results.baseline?.scores.first)
            let (mean, sd) = (try #require(pain.mean), try #require(pain.standardDeviation))
            #expect(text.contains("The participants at the start") && text.contains("The 19 participants whose data the study keeps"))
            #expect(
                text.contains(
                    "Pain (0–10) (primary outcome) 16 of 19 \(NumberFormatting.fixed(mean, 1)) (\(NumberFormatting.fixed(sd, 1)))"))
            #expect(text.contains("Are you 18 or older? Yes") && text.contains("Do you have kidney disease? No"))
            #expect(text.contains("Not collected: Epsom asks no one's age, sex"))
            // An analysis stored before the baseline table says it has none, and nothing else changes.
            var old = results
            old.baseline = nil
            let investigatorID = try #require(try await store.account(email: login.investigator)).id
            let study = try #require(
                try await store.study(id: String(location.dropFirst("/studies/".count)), investigatorID: investigatorID))
            let oldText = StudyBlindingTests.text(StudyReportPage.body(study, results: old, forestSVG: "", synthetic: true).description)
            #expect(oldText.contains("The participants at the start Not available: this study's analysis was stored before"))
            #expect(oldText.contains("Not collected: Epsom asks no one's age, sex") && oldText.contains("Participant flow"))
            // After an amendment, the screening questions shown may not be those everyone answered.
            #expect(!text.contains("The protocol was amended"))
            var amended = study
            amended.amendments = [
                StudyAmendment(number: 1, date: TestApp.today, reason: "More cycles", protocolJSON: "{}", protocolHash: "hash")
            ]
            #expect(
                StudyBlindingTests.text(StudyReportPage.body(amended, results: results, forestSVG: "", synthetic: true).description)
                    .contains(
                        "not stored). The protocol was amended: a participant who enrolled before an amendment answered the questions then in force:"
                    ))
            #expect(report.body.contains("<svg") && report.body.contains("class=\"scroll chartbox forest\""))
            #expect(!text.contains("NaN") && !text.contains("nan") && !text.contains("<") && !text.contains("&lt;"))
            #expect(!text.contains("Demo Participant") && !text.contains("participant-1@"))
        }
    }

    /// Closing computes the analysis once; before it there is no report, and only the
    /// investigator ever opens it. Participants then read the study's result and their own
    /// estimate on the study's page; one who withdrew their data reads that they are not in it.
    @Test func closingMakesTheReportAndTheParticipantsFeedback() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let store = test.database.store
            let doctor = try await Browser.signedUp(client, "dr@example.org", role: "clinician")
            let (location, code) = try await StudyPageTests.registeredStudy(doctor)
            let study = try #require(try await store.study(enrolmentCode: code))
            // Four participants who started before today: Ann and Dan complete, Bob leaves keeping
            // his data, Cat leaves withdrawing hers. The cream lowers pain by 2 points.
            var browsers: [Browser] = []
            var state: UInt64 = 2_026
            func uniform() -> Double {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Double(state >> 11) * 0x1p-53
            }
            for (index, email) in ["ann@example.org", "bob@example.org", "cat@example.org", "dan@example.org"].enumerated() {
                browsers.append(try await Browser.signedUp(client, email))
                let account = try #require(try await store.account(email: email))
                let start = CalendarDate(iso: "2025-12-01")!.adding(days: index)
                let trial = Trial(
                    id: UUID().uuidString.lowercased(), design: study.design.trialDesign(startDate: start, seed: UInt64(40 + index)),
                    registeredOn: start)
                _ = try await store.enrol(
                    EnrolmentRequest(
                        studyID: study.id, accountID: account.id, trial: trial, consentSha256: StudyProtocol.consentHash(study.design),
                        consentedAt: 1_764_000_000, invitationCodeHash: nil, baselineNoticeShown: true))
                // Ann and Dan kept a diary before their first day (Ann also a day outside the window);
                // Cat too, but she withdraws her data, so the study reads none of it.
                if index != 1 {
                    for offset in [-1, -3, -5, -14] + (index == 0 ? [-15, -20] : []) {
                        try await store.saveDiaryEntry(DiaryEntry(date: start.adding(days: offset), pain: 6), accountID: account.id)
                    }
                }
                for offset in 0..<84 {
                    let date = start.adding(days: offset)
                    let arm = try #require(trial.schedule.period(on: date)).arm
                    let pain = Int((5.5 - 2 * Double(arm) + 3 * uniform() - 1.5).rounded())
                    try await store.saveDiaryEntry(DiaryEntry(date: date, pain: pain), accountID: account.id)
                    try await store.saveTrialDay(TrialDay(date: date, adherence: .yes), trialID: trial.id, accountID: account.id)
                }
            }
            let bob = try #require(try await store.account(email: "bob@example.org"))
            let cat = try #require(try await store.account(email: "cat@example.org"))
            try await store.withdraw(studyID: study.id, accountID: bob.id, on: CalendarDate(iso: "2026-01-10")!, keepsData: true)
            try await store.withdraw(studyID: study.id, accountID: cat.id, on: CalendarDate(iso: "2026-01-10")!, keepsData: false)

            // Before the close: no report, no analysis, and participants are told when.
            let early = try await doctor.request(.get, location + "/report")
            #expect(
                early.status == .conflict && StudyBlindingTests.text(early.body).contains("The study report is made when the study closes"))
            #expect(try await doctor.request(.get, location + "/analysis.json").status == .conflict)
            let waiting = StudyBlindingTests.text(try await browsers[0].request(.get, "/join/\(code)").body)
            #expect(waiting.contains("When the study closes, its result across all the participants shows here"))

            // Nobody else: signed out, a pharmacist, a patient (even one taking part), another investigator, a draft.
            let other = try await Browser.signedUp(client, "other@example.org", role: "clinician")
            let pharmacist = try await Browser.signedUp(client, "rx@example.org", role: "pharmacist")
            for path in ["/report", "/analysis.json"] {
                #expect(try await pharmacist.request(.get, location + path).status == .forbidden)
                let anonymous = try await Browser(client).request(.get, location + path)
                #expect(anonymous.status == .seeOther && anonymous.location == "/signin")
                #expect(try await browsers[0].request(.get, location + path).status == .forbidden)
                #expect(try await other.request(.get, location + path).status == .notFound)
                #expect(try await doctor.request(.get, "/studies/no-such-study" + path).status == .notFound)
            }
            let csrf = Browser.csrf(in: try await doctor.request(.get, "/studies").body)
            let draft = try #require(
                try await doctor.request(.post, "/studies", form: StudyPageTests.form.merging(["csrf": csrf]) { $1 }).location)
            #expect(try await doctor.request(.get, draft + "/report").status == .notFound)

            // The close computes and stores the analysis; should the heavy-work queue be full (other
            // tests share it), the background service computes it on its next round.
            let closed = try await doctor.request(.post, location + "/close", form: ["csrf": csrf, "confirm": "yes"])
            #expect(closed.status == .seeOther)
            let doctorAccount = try #require(try await store.account(email: "dr@example.org"))
            let service = StudyResultsService(store: store, clock: .fixed(TestApp.today), logger: Logger(label: "test"))
            var rounds = 0
            while try await store.studyResults(studyID: study.id, investigatorID: doctorAccount.id) == nil, rounds < 30 {
                await service.computeOnce()
                try await Task.sleep(for: .milliseconds(300))
                rounds += 1
            }
            let stored = try #require(try await store.studyResults(studyID: study.id, investigatorID: doctorAccount.id))
            let results = try StudyResults.decoded(stored.json)
            #expect(results.participants.map(\.participant) == ["P-001", "P-002", "P-004"] && results.flow.enrolled == 4)
            let report = try await doctor.request(.get, location + "/report")
            #expect(report.status == .ok && StudyBlindingTests.text(report.body).contains("4 consented and enrolled"))
            // Its title is the demo's, but its investigator is not the demo's: nothing says "invented".
            #expect(!StudyBlindingTests.text(report.body).contains("invented"))
            // The baseline: the fortnight before the first day of the two who kept a diary then and
            // keep their data, too few to summarise.
            let export = try #require(try await store.studyExport(studyID: study.id, investigatorID: doctorAccount.id))
            #expect(export.participants.map { $0.kept?.diaryBefore.count } == [4, 0, nil, 4])
            let baseline = try #require(results.baseline?.scores.first)
            #expect(baseline.participants == 2 && baseline.mean == nil)
            #expect(
                StudyBlindingTests.text(report.body).contains(
                    "Pain (0–10) (primary outcome) 2 of 3 Not summarised: fewer than 5 participants have it"))
            #expect(try await other.request(.get, location + "/report").status == .notFound)

            // Ann: her own result, the study's, and hers after pooling.
            let annPage = try await browsers[0].request(.get, "/join/\(code)").body
            let ann = StudyBlindingTests.text(annPage)
            let annAccount = try #require(try await store.account(email: "ann@example.org"))
            let annTrial = try #require(try await store.enrolments(accountID: annAccount.id).first)
            let headline = try #require(results.pooled.first?.sentences(mcid: 1, tauPrior: "half-normal:2").first)
            #expect(ann.contains("You are participant P-001"))
            #expect(ann.contains("What the study found") && ann.contains(headline))
            #expect(ann.contains("Your own trial alone: with Magnesium cream, your pain was"))
            #expect(ann.contains("Borrowing strength from the other") && ann.contains("What the second number means"))
            let annLinks = try PageText.attributes("href", in: annPage)
            #expect(annLinks.contains("/trials/\(annTrial.trialID)/report"))
            // Cat withdrew her data: she is in no analysis. Bob's few weeks may be too few to pool.
            let catPage = StudyBlindingTests.text(try await browsers[2].request(.get, "/join/\(code)").body)
            #expect(catPage.contains("You withdrew your data from the study, so you are not in this analysis"))
            let bobPage = StudyBlindingTests.text(try await browsers[1].request(.get, "/join/\(code)").body)
            #expect(bobPage.contains("Borrowing strength") || bobPage.contains("Your own data could not be pooled with the others'"))
            #expect(!bobPage.contains("NaN") && !ann.contains("NaN") && !ann.contains("<"))

            // After the close (docs/methods.md §7.8). Before she confirms, Ann reads what withdrawing
            // her data does now; Bob, who left keeping his, may withdraw it too; Dan cannot "keep"-leave.
            let computed = results.computedOn.description
            let told =
                "The study has closed and its analysis was made on \(computed), with your data in it. If you withdraw your data now, "
                + "it is removed from every export of the study's data made from now on, and your own estimate is no longer shown to "
                + "you. The analysis already made is not redone: it stays as it was reported, marked as made before you withdrew your data."
            #expect(ann.contains(told) && ann.contains("Withdraw my data") && !ann.contains("Leave the study"))
            #expect(bobPage.contains(told) && bobPage.contains("Your data up to then stays in the study."))
            let danJoined = try await browsers[3].request(.get, "/join/\(code)").body
            let keep = try await browsers[3].request(
                .post, "/join/\(code)", form: ["csrf": Browser.csrf(in: danJoined), "step": "withdraw", "data": "keep"])
            #expect(keep.status == .unprocessableContent && StudyBlindingTests.text(keep.body).contains("the study has closed"))
            let withdrawn = try await browsers[0].request(
                .post, "/join/\(code)", form: ["csrf": Browser.csrf(in: annPage), "step": "withdraw", "data": "erase"])
            #expect(withdrawn.status == .seeOther)
            let after = StudyBlindingTests.text(try await browsers[0].request(.get, "/join/\(code)").body)
            #expect(after.contains("You withdrew your data on \(TestApp.today), after this analysis was made on \(computed)."))
            #expect(after.contains("What the study found") && !after.contains("Your own trial alone"))
            #expect(!after.contains("Withdraw my data"))
            // Cat, who withdrew before the close, still reads that she is in no analysis.
            let catAfter = StudyBlindingTests.text(try await browsers[2].request(.get, "/join/\(code)").body)
            #expect(catAfter.contains("so you are not in this analysis"))

            // The investigator's report and analysis JSON say it; the numbers are those stored at the close.
            let note = "Computed on \(computed) before 1 participant withdrew their data. The analysis stands as computed and reported"
            #expect(StudyBlindingTests.text(try await doctor.request(.get, location + "/report").body).contains(note))
            let analysis = try await doctor.request(.get, location + "/analysis.json").body
            let flagged = try StudyResults.decoded(analysis)
            #expect(flagged.laterDataWithdrawals?.participants == 1 && flagged.laterDataWithdrawals?.note.hasPrefix(note) == true)
            #expect(flagged.participants == results.participants && flagged.pooled == results.pooled)
            // Every export from now on leaves her out: the CSV has no row of hers, the bundle lists her as withdrawn.
            let csv = try await doctor.request(.get, location + "/export.csv").body
            #expect(csv.contains("\nP-004,") && !csv.contains("P-001") && !csv.contains("P-003"))
            let fhir = try await doctor.request(.get, location + "/fhir").body
            #expect(fhir.contains("P-001") && fhir.contains("withdrawn"))
            // The API's document states the same rule, in the same words, where a client reads the withdrawal's body.
            let document = try await client.call(.get, "/openapi.json").body
            #expect(document.contains(StudyDataWithdrawal.afterClose(computedOn: nil)))
            #expect(document.contains(StudyDataWithdrawal.beforeClose))
        }
    }
}
