import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import EpsomWeb

/// `serve --demo`'s study: a finished, closed study of 20 synthetic participants that the demo
/// investigator and pharmacist can open, kept across starts and made anew on reset.
@Suite struct DemoStudyTests {
    @Test func theDemoStudyIsFinishedClosedAndOpenToItsInvestigator() async throws {
        let test = try await TestApp.make()
        let store = test.database.store
        try await test.run { client in
            let login = try #require(try await DemoStudySeed.seed(in: store, today: TestApp.today, bcryptCost: 4))
            let investigator = Browser(client)
            try await investigator.signIn(login.investigator, password: login.password)
            let list = try await investigator.request(.get, "/studies").body
            #expect(PageText.visible(list).contains(DemoStudy.title))
            let location = try #require(try PageText.attributes("href", in: list).first { $0.hasPrefix("/studies/") && $0 != "/studies" })
            let page = StudyBlindingTests.text(try await investigator.request(.get, location).body)
            #expect(page.contains("Closed"))
            #expect(page.contains("Screened: 26 (4 not eligible). Enrolled: 20."))
            #expect(page.contains("Withdrawn: 2") && page.contains("Completed: 18"))
            #expect(page.contains("P-015 Withdrawn") && page.contains("Data withdrawn"))
            #expect(page.contains("the allocations are open") && page.contains(": Magnesium cream"))
            #expect(!page.contains("Demo Participant") && !page.contains("participant-1@"))

            let pharmacist = Browser(client)
            try await pharmacist.signIn(login.pharmacist, password: login.password)
            let pharmacy = StudyBlindingTests.text(try await pharmacist.request(.get, "/pharmacy").body)
            #expect(pharmacy.contains(DemoStudy.title))

            // Every participant's diary is there (but the one who withdrew theirs is not read).
            let demo = DemoStudy.generate(today: TestApp.today)
            let studyID = String(location.dropFirst("/studies/".count))
            let investigatorAccount = try #require(try await store.account(email: login.investigator))
            let summaries = try await store.participantSummaries(studyID: studyID, investigatorID: investigatorAccount.id)
            #expect(summaries.count == 20)
            #expect(
                summaries.compactMap(\.activity?.diaryDays)
                    == demo.participants.enumerated().filter { $0.offset != 14 }.map(\.element.diary.count))
        }
    }

    @Test func theDemoStudyIsKeptAcrossStartsAndMadeAnewOnReset() async throws {
        let test = try await TestApp.make()
        let store = test.database.store
        try await test.run { _ in
            let first = try #require(try await DemoStudySeed.seed(in: store, today: TestApp.today, bcryptCost: 4))
            #expect(try await DemoStudySeed.seed(in: store, today: TestApp.today, bcryptCost: 4) == nil)
            let old = try #require(try await store.account(email: first.investigator))
            let reset = try #require(try await DemoStudySeed.seed(in: store, today: TestApp.today, bcryptCost: 4, reset: true))
            #expect(reset.password != first.password)
            let new = try #require(try await store.account(email: first.investigator))
            #expect(new.id != old.id)
            let oldStudies = try await store.studies(investigatorID: old.id)
            #expect(oldStudies.isEmpty)
            #expect(try await store.studies(investigatorID: new.id).count == 1)
        }
    }

    @Test func theDemoStudyIsTheSameEachTimeAndVariedWithin() {
        let a = DemoStudy.generate(today: TestApp.today)
        let b = DemoStudy.generate(today: TestApp.today)
        #expect(a.participants.map(\.diary) == b.participants.map(\.diary))
        #expect(a.participants.count == 20 && a.participants.filter { $0.withdrawal != nil }.count == 2)
        #expect(Set(a.participants.compactMap(\.withdrawal?.keepsData)) == [false, true])
        let effects = a.participants.map(\.trueEffect)
        #expect((effects.max() ?? 0) - (effects.min() ?? 0) > 1.5)  // varied: some gain much, some little
        #expect(a.participants.allSatisfy { $0.trial.design.endDate < a.closedOn && a.closedOn <= TestApp.today })
        // Missing days: about 7% of the days each completer could record (more for participant 11).
        let completers = a.participants.filter { $0.withdrawal == nil }
        let recorded = completers.map(\.diary.count).reduce(0, +)
        #expect(recorded < completers.count * 84 && recorded > completers.count * 70)
    }
}
