import EpsomCore
import EpsomStorage
import Foundation

/// The demo study of `epsom serve --demo`: a demo investigator with the finished, closed
/// `DemoStudy`, its pharmacist, and 20 synthetic participants. The first participant (P-001) signs
/// in with the investigator's password, so that a visitor sees what a participant learns back;
/// nobody signs in as the others (their password is random and never shown). Made once, then kept
/// across restarts, as the demo account is; `reset` makes it anew.
public enum DemoStudySeed {
    public static let investigatorEmail = "investigator@epsom.example"
    public static let pharmacistEmail = "pharmacist@epsom.example"

    static func participantEmail(_ number: Int) -> String { "participant-\(number)@epsom.example" }

    /// Makes the study and returns the investigator's, the pharmacist's and the first
    /// participant's logins (one password), or nil when it already exists and is kept.
    public static func seed(in store: any Store, today: CalendarDate, bcryptCost: UInt8 = 12, reset: Bool = false) async throws
        -> (investigator: String, pharmacist: String, participant: String, password: String)?
    {
        if let old = try await store.account(email: investigatorEmail) {
            guard reset else { return nil }
            try await store.deleteAccount(id: old.id)
        }
        let emails = [pharmacistEmail] + (1...DemoStudy.participantCount).map(participantEmail)
        for email in emails { if let old = try await store.account(email: email) { try await store.deleteAccount(id: old.id) } }

        let password = "demo-" + Tokens.random().prefix(12)
        let passwords = Passwords(cost: bcryptCost)
        let hash = try await passwords.hash(password)
        let investigator = try await store.createAccount(
            NewAccount(email: investigatorEmail, name: "Demo Investigator", passwordHash: hash, role: .clinician))
        let pharmacist = try await store.createAccount(
            NewAccount(email: pharmacistEmail, name: "Demo Pharmacist", passwordHash: hash, role: .pharmacist))
        let demo = DemoStudy.generate(today: today)

        // Registered, with single-use codes and the screenings counted, as an investigator would.
        let study = Study(id: UUID().uuidString.lowercased(), design: demo.design)
        try await store.createStudy(study, investigatorID: investigator.id)
        try await store.registerStudy(
            id: study.id, investigatorID: investigator.id, design: demo.design,
            registered: StudyProtocol(design: demo.design, registeredOn: demo.registeredOn), on: demo.registeredOn,
            enrolmentCode: "demo-" + String(Tokens.random().prefix(8)))
        try await store.setStudyPharmacist(studyID: study.id, investigatorID: investigator.id, pharmacistID: pharmacist.id)
        let codes = (0..<demo.invitations).map { _ in Tokens.random() }
        try await store.addStudyInvitations(studyID: study.id, investigatorID: investigator.id, codeHashes: codes.map(Tokens.hash))
        for _ in 0..<demo.screenedEligible { try await store.recordScreening(studyID: study.id, eligible: true) }
        for _ in 0..<demo.screenedIneligible { try await store.recordScreening(studyID: study.id, eligible: false) }

        // Nobody signs in as the other participants: one random password, hashed once, never shown.
        let participantHash = try await passwords.hash(Tokens.random())
        for (i, participant) in demo.participants.enumerated() {
            let account = try await store.createAccount(
                NewAccount(
                    email: participantEmail(i + 1), name: "Demo Participant \(i + 1)", passwordHash: i == 0 ? hash : participantHash))
            _ = try await store.enrol(
                EnrolmentRequest(
                    studyID: study.id, accountID: account.id, trial: participant.trial,
                    consentSha256: StudyProtocol.consentHash(demo.design),
                    consentedAt: participant.consentedOn.dayNumber * 86_400 + 72_000, invitationCodeHash: Tokens.hash(codes[i]),
                    baselineNoticeShown: true))
            try await store.importRecords(accountID: account.id, diary: participant.diaryBefore + participant.diary, doses: [])
            for day in participant.adherence { try await store.saveTrialDay(day, trialID: participant.trial.id, accountID: account.id) }
            if let withdrawal = participant.withdrawal {
                try await store.withdraw(studyID: study.id, accountID: account.id, on: withdrawal.date, keepsData: withdrawal.keepsData)
            }
        }
        try await store.closeStudy(id: study.id, investigatorID: investigator.id, on: demo.closedOn)
        // Its analysis, as a close from the study's page computes it, on the heavy-work thread.
        _ = try await StudyResultsWork.results(
            store: store, studyID: study.id, investigatorID: investigator.id, today: demo.closedOn, waitingWhileBusy: true)
        return (investigatorEmail, pharmacistEmail, participantEmail(1), password)
    }
}
