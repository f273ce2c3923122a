import EpsomCore
import Foundation
import Testing

@testable import EpsomStorage

/// Studies in the store: drafts change, registration freezes, amendments append, and enrolment
/// is all or nothing, one participant number each, one use per single-use code.
@Suite struct StudyStoreTests {
    static let today = CalendarDate(iso: "2026-12-01") ?? CalendarDate(dayNumber: 0)

    static func design() throws -> StudyDesign {
        var fields = [
            "title": "Magnesium cream vs placebo cream for chronic low back pain", "question": "Does the cream lower daily pain?",
            "condition": "chronic low back pain", "eligibility": "Adults with back pain for 3 months or more.",
            "information_sheet": "Two creams in turn for 12 weeks.", "consent_text": "I agree to take part.",
            "template": "cream-vs-placebo", "period_days": "14", "cycles": "3", "washout_days": "3",
            "enrolment_opens": "2026-12-07", "enrolment_closes": "2027-03-31",
        ]
        fields["screening"] = "yes: Do you have kidney disease?"
        return try StudyDesign.validated(fields, today: today)
    }

    static func registeredStudy(_ store: SQLStore, investigator: Account) async throws -> Study {
        let design = try design()
        let study = Study(id: UUID().uuidString.lowercased(), design: design)
        try await store.createStudy(study, investigatorID: investigator.id)
        let registered = StudyProtocol(design: design, registeredOn: today)
        try await store.registerStudy(
            id: study.id, investigatorID: investigator.id, design: design, registered: registered, on: today,
            enrolmentCode: "code-" + study.id)
        return try #require(try await store.study(id: study.id, investigatorID: investigator.id))
    }

    static func request(_ study: Study, _ account: Account, start: String = "2026-12-14", codeHash: String? = nil) -> EnrolmentRequest {
        let startDate = CalendarDate(iso: start) ?? CalendarDate(dayNumber: 0)
        let trial = Trial(
            id: UUID().uuidString.lowercased(), design: study.design.trialDesign(startDate: startDate, seed: 7), registeredOn: today)
        return EnrolmentRequest(
            studyID: study.id, accountID: account.id, trial: trial, consentSha256: StudyProtocol.consentHash(study.design),
            consentedAt: 1_780_000_000, invitationCodeHash: codeHash, baselineNoticeShown: true)
    }

    @Test(arguments: Backend.available)
    func aDraftChangesUntilRegisteredThenOnlyByAmendment(_ backend: Backend) async throws {
        try await backend.with { store in
            let investigator = try await StoreTests.newAccount(store, role: .clinician)
            let other = try await StoreTests.newAccount(store, role: .clinician)
            var design = try Self.design()
            let draft = Study(id: UUID().uuidString.lowercased(), design: design)
            try await store.createStudy(draft, investigatorID: investigator.id)
            #expect(try await store.study(id: draft.id, investigatorID: investigator.id) == draft)
            #expect(try await store.study(id: draft.id, investigatorID: other.id) == nil)
            #expect(try await store.studies(investigatorID: other.id).isEmpty)

            design.targetParticipants = 30
            try await store.updateStudyDraft(id: draft.id, investigatorID: investigator.id, design: design)
            await #expect(throws: StoreError.studyNotFound) {
                try await store.updateStudyDraft(id: draft.id, investigatorID: other.id, design: design)
            }
            #expect(try await store.study(id: draft.id, investigatorID: investigator.id)?.design.targetParticipants == 30)

            let registered = StudyProtocol(design: design, registeredOn: Self.today)
            try await store.registerStudy(
                id: draft.id, investigatorID: investigator.id, design: design, registered: registered, on: Self.today,
                enrolmentCode: "code-" + draft.id)
            let study = try #require(try await store.study(enrolmentCode: "code-" + draft.id))
            #expect(study.status == .registered && study.registeredProtocol == registered && study.registeredOn == Self.today)
            #expect(study.currentProtocolHash == registered.sha256)
            await #expect(throws: StoreError.studyNotFound) {
                try await store.updateStudyDraft(id: draft.id, investigatorID: investigator.id, design: design)
            }

            var amendedDesign = design
            amendedDesign.targetParticipants = 40
            let amendedProtocol = StudyProtocol(
                design: amendedDesign, registeredOn: Self.today,
                amendment: .init(number: 1, date: Self.today, reason: "Slower enrolment", previousSha256: registered.sha256))
            let amendment = StudyAmendment(
                number: 1, date: Self.today, reason: "Slower enrolment", protocolJSON: amendedProtocol.json,
                protocolHash: amendedProtocol.sha256)
            try await store.amendStudy(id: draft.id, investigatorID: investigator.id, design: amendedDesign, amendment: amendment)
            let amended = try #require(try await store.study(id: draft.id, investigatorID: investigator.id))
            #expect(amended.amendments == [amendment] && amended.currentProtocolHash == amendedProtocol.sha256)
            #expect(amended.design.targetParticipants == 40 && amended.registeredProtocol == registered)
        }
    }

    @Test(arguments: Backend.available)
    func enrolmentIsAllOrNothingAndEveryRefusalWritesNothing(_ backend: Backend) async throws {
        try await backend.with { store in
            let investigator = try await StoreTests.newAccount(store, role: .clinician)
            let study = try await Self.registeredStudy(store, investigator: investigator)
            try await store.addStudyInvitations(
                studyID: study.id, investigatorID: investigator.id, codeHashes: ["h1", "h2"].map { study.id + $0 })
            try await store.recordScreening(studyID: study.id, eligible: false)
            try await store.recordScreening(studyID: study.id, eligible: true)
            try await store.recordScreening(studyID: study.id, eligible: true)
            #expect(try await store.screeningCounts(studyID: study.id) == (eligible: 2, ineligible: 1))

            let first = try await StoreTests.newAccount(store), second = try await StoreTests.newAccount(store)
            let enrolment = try await store.enrol(Self.request(study, first, codeHash: study.id + "h1"))
            #expect(enrolment.participantCode == "P-001" && enrolment.startDate == CalendarDate(iso: "2026-12-14"))
            #expect(try await store.trials(accountID: first.id).map(\.id) == [enrolment.trialID])

            await #expect(throws: EnrolmentRefusal.codeNotValid) {
                try await store.enrol(Self.request(study, second, codeHash: study.id + "h1"))
            }
            await #expect(throws: EnrolmentRefusal.codeNotValid) {
                try await store.enrol(Self.request(study, second, codeHash: study.id + "nope"))
            }
            await #expect(throws: EnrolmentRefusal.alreadyEnrolled) {
                try await store.enrol(Self.request(study, first, codeHash: study.id + "h2"))
            }
            #expect(try await store.trials(accountID: second.id).isEmpty)

            // A trial of their own running into the new one's first day.
            let own = Trial(
                id: UUID().uuidString.lowercased(),
                design: study.design.trialDesign(startDate: CalendarDate(iso: "2026-12-01") ?? Self.today, seed: 1),
                registeredOn: Self.today)
            try await store.createTrial(own, accountID: second.id)
            await #expect(throws: EnrolmentRefusal.trialRunning(until: own.design.endDate)) {
                try await store.enrol(Self.request(study, second, codeHash: study.id + "h2"))
            }
            #expect(try await store.trials(accountID: second.id).map(\.id) == [own.id])
            // The refused code is still unused: another invitee can enrol with it.
            let third = try await StoreTests.newAccount(store)
            #expect(try await store.enrol(Self.request(study, third, codeHash: study.id + "h2")).participantCode == "P-002")

            let draft = Study(id: UUID().uuidString.lowercased(), design: study.design)
            try await store.createStudy(draft, investigatorID: investigator.id)
            await #expect(throws: EnrolmentRefusal.closed) {
                try await store.enrol(Self.request(draft, try await StoreTests.newAccount(store)))
            }

            #expect(
                try await store.enrolments(studyID: study.id, investigatorID: investigator.id).map(\.participantCode) == ["P-001", "P-002"])
            #expect(try await store.enrolments(studyID: study.id, investigatorID: first.id).isEmpty)
            #expect(try await store.enrolments(accountID: first.id) == [enrolment])
        }
    }

    /// The concurrency check: 200 invitees enrolling at once, each with their own
    /// single-use code, give 200 participants with distinct numbers and every code used once.
    @Test(arguments: Backend.available)
    func twoHundredSimultaneousEnrolmentsGiveTwoHundredParticipants(_ backend: Backend) async throws {
        try await backend.with { store in
            let investigator = try await StoreTests.newAccount(store, role: .clinician)
            let study = try await Self.registeredStudy(store, investigator: investigator)
            let count = 200
            try await store.addStudyInvitations(
                studyID: study.id, investigatorID: investigator.id, codeHashes: (0..<count).map { study.id + "code-\($0)" })
            var accounts: [Account] = [], rivalAccounts: [Account] = []
            for _ in 0..<count {
                accounts.append(try await StoreTests.newAccount(store))
                rivalAccounts.append(try await StoreTests.newAccount(store))
            }
            // Each code is tried by two invitees at once: exactly one use wins.
            let requests = (0..<count).map { Self.request(study, accounts[$0], codeHash: study.id + "code-\($0)") }
            let rivals = (0..<count).map { Self.request(study, rivalAccounts[$0], codeHash: study.id + "code-\($0)") }
            let outcomes = try await withThrowingTaskGroup(of: Enrolment?.self) { group in
                for request in requests + rivals {
                    group.addTask {
                        do { return try await store.enrol(request) } catch is EnrolmentRefusal { return nil }
                    }
                }
                var enrolled: [Enrolment] = []
                for try await outcome in group { if let outcome { enrolled.append(outcome) } }
                return enrolled
            }
            let stored = try await store.enrolments(studyID: study.id, investigatorID: investigator.id)
            #expect(outcomes.count == count && stored.count == count)
            #expect(Set(stored.map(\.participantCode)).count == count)
            #expect(stored.map(\.participantCode).last == "P-200")
            #expect(Set(stored.map(\.trialID)).count == count)
        }
    }

    /// The dashboard's counts come from each participant's own rows within their trial's dates,
    /// and a participant who withdrew their data shows none.
    @Test(arguments: Backend.available)
    func participantSummariesCountWithinTheTrialAndHideWithdrawnData(_ backend: Backend) async throws {
        try await backend.with { store in
            let investigator = try await StoreTests.newAccount(store, role: .clinician)
            let study = try await Self.registeredStudy(store, investigator: investigator)
            let first = try await StoreTests.newAccount(store), second = try await StoreTests.newAccount(store)
            let enrolment = try await store.enrol(Self.request(study, first))
            _ = try await store.enrol(Self.request(study, second))
            func day(_ offset: Int) -> CalendarDate { enrolment.startDate.adding(days: offset) }
            for (offset, effects) in [(-1, ""), (0, ""), (1, "skin_irritation"), (2, "")] {
                let entry = try DiaryEntry.validated(["date": day(offset).description, "pain": "4", "side_effects": effects])
                try await store.saveDiaryEntry(entry, accountID: first.id)
            }
            try await store.saveTrialDay(TrialDay(date: day(0), adherence: .yes), trialID: enrolment.trialID, accountID: first.id)
            try await store.saveTrialDay(
                TrialDay(date: day(1), adherence: .partly, severeSideEffect: true), trialID: enrolment.trialID, accountID: first.id)

            let summaries = try await store.participantSummaries(studyID: study.id, investigatorID: investigator.id)
            #expect(summaries.map(\.participantCode) == ["P-001", "P-002"])
            let activity = try #require(summaries.first?.activity)
            #expect(activity.diaryDays == 3 && activity.lastDiaryDate == day(2) && activity.sideEffectDays == 1)
            #expect(activity.adherenceDays == 2 && activity.adherentDays == 1 && activity.severeSideEffectDays == 1)
            #expect(summaries[0].status(today: day(3)) == .active && summaries[0].status(today: day(6)) == .quiet)
            #expect(summaries[1].status(today: day(3)) == .quiet && summaries[1].status(today: day(-1)) == .planned)
            #expect(try await store.participantSummaries(studyID: study.id, investigatorID: first.id).isEmpty)

            try await store.withdraw(studyID: study.id, accountID: first.id, on: day(3), keepsData: false)
            let after = try await store.participantSummaries(studyID: study.id, investigatorID: investigator.id)
            #expect(after[0].activity == nil && after[0].status(today: day(4)) == .withdrawn && after[0].stoppedOn == day(3))
            await #expect(throws: StoreError.enrolmentNotFound) {
                try await store.withdraw(studyID: study.id, accountID: first.id, on: day(4), keepsData: true)
            }
        }
    }
    /// The pharmacist and the investigator reach the participants' trials; nobody else does. A
    /// study closes only when every trial is over, and then no more unblinding is recorded.
    @Test(arguments: Backend.available)
    func blindingIsHeldUntilEveryTrialIsOverAndTheStudyCloses(_ backend: Backend) async throws {
        try await backend.with { store in
            let investigator = try await StoreTests.newAccount(store, role: .clinician)
            let pharmacist = try await StoreTests.newAccount(store, role: .pharmacist)
            let participant = try await StoreTests.newAccount(store)
            let stranger = try await StoreTests.newAccount(store, role: .pharmacist)
            let study = try await Self.registeredStudy(store, investigator: investigator)
            let enrolled = try await store.enrol(Self.request(study, participant))

            await #expect(throws: StoreError.studyNotFound) {
                try await store.setStudyPharmacist(studyID: study.id, investigatorID: stranger.id, pharmacistID: stranger.id)
            }
            try await store.setStudyPharmacist(studyID: study.id, investigatorID: investigator.id, pharmacistID: pharmacist.id)
            #expect(try await store.studies(pharmacistID: pharmacist.id).map(\.id) == [study.id])
            #expect(try await store.study(id: study.id, pharmacistID: stranger.id) == nil)
            #expect(try await store.studyTrials(studyID: study.id, accountID: pharmacist.id).map(\.trial.id) == [enrolled.trialID])
            #expect(try await store.studyTrials(studyID: study.id, accountID: investigator.id).map(\.enrolment) == [enrolled])
            #expect(try await store.studyTrials(studyID: study.id, accountID: stranger.id).isEmpty)
            #expect(try await store.studyTrials(studyID: study.id, accountID: participant.id).isEmpty)
            // The page's allocation table reads the arms and jar letters alone, for the same two people.
            let trial = try #require(try await store.studyTrials(studyID: study.id, accountID: investigator.id).first?.trial)
            let arms = trial.design.arms.indices.map { StudyAllocation.Arm(name: trial.design.arms[$0].name, jar: trial.schedule.jars[$0]) }
            let allocation = StudyAllocation(
                participantCode: "P-001", startDate: trial.design.startDate, endDate: trial.design.endDate, withdrawnOn: nil,
                keepsData: nil, arms: arms)
            #expect(try await store.studyAllocations(studyID: study.id, accountID: investigator.id) == [allocation])
            #expect(try await store.studyAllocations(studyID: study.id, accountID: pharmacist.id) == [allocation])
            #expect(allocation.arms.map(\.jarLabel) == trial.design.arms.indices.map { trial.schedule.jarLabel(arm: $0) })
            #expect(try await store.studyAllocations(studyID: study.id, accountID: stranger.id).isEmpty)
            #expect(try await store.studyAllocations(studyID: study.id, accountID: participant.id).isEmpty)
            #expect(try await store.study(id: study.id, participantID: participant.id)?.id == study.id)
            #expect(try await store.study(id: study.id, participantID: stranger.id) == nil)

            // An emergency unblinding, once per participant, for a participant of the study.
            let unblinding = StudyUnblinding(participantCode: "P-001", date: Self.today, reason: "Anaphylaxis in the emergency room.")
            await #expect(throws: StoreError.enrolmentNotFound) {
                try await store.unblind(
                    studyID: study.id, investigatorID: investigator.id,
                    StudyUnblinding(participantCode: "P-002", date: Self.today, reason: "No such participant here."))
            }
            try await store.unblind(studyID: study.id, investigatorID: investigator.id, unblinding)
            await #expect(throws: StudyUnblindingRefusal.alreadyUnblinded) {
                try await store.unblind(studyID: study.id, investigatorID: investigator.id, unblinding)
            }
            #expect(try await store.study(id: study.id, investigatorID: investigator.id)?.unblindings == [unblinding])

            // The trial runs 2026-12-14 for 84 days: closing waits for its last day to pass.
            let lastDay = Self.request(study, participant).trial.design.endDate
            await #expect(throws: StudyCloseRefusal.participantsRunning(1)) {
                try await store.closeStudy(id: study.id, investigatorID: investigator.id, on: lastDay)
            }
            await #expect(throws: StoreError.studyNotFound) {
                try await store.closeStudy(id: study.id, investigatorID: stranger.id, on: lastDay.adding(days: 1))
            }
            try await store.closeStudy(id: study.id, investigatorID: investigator.id, on: lastDay.adding(days: 1))
            let closed = try #require(try await store.study(id: study.id, investigatorID: investigator.id))
            #expect(closed.status == .closed && closed.closedOn == lastDay.adding(days: 1))
            #expect(closed.investigatorSeesAllocation(of: "P-001") && closed.investigatorSeesAllocation(of: "P-009"))
            await #expect(throws: StoreError.studyNotFound) {
                try await store.closeStudy(id: study.id, investigatorID: investigator.id, on: lastDay.adding(days: 2))
            }
            await #expect(throws: EnrolmentRefusal.closed) {
                try await store.enrol(Self.request(study, try await StoreTests.newAccount(store)))
            }
        }
    }
}
