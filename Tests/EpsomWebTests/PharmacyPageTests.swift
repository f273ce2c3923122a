import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import Testing

@testable import EpsomWeb

/// The pharmacist's allocation table, read from the enrolments' plain columns (jar letters, arm
/// names, dates) rather than each trial's JSON: row for row the table that each participant's
/// own trial gives, including a participant who left.
@Suite struct PharmacyPageTests {
    @Test func theAllocationTableIsEachParticipantsOwnTrial() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let store = test.database.store
            let doctor = try await Browser.signedUp(client, "dr@example.org", role: "clinician")
            let pharmacist = try await Browser.signedUp(client, "rx@example.org", role: "pharmacist")
            let (location, code) = try await StudyBlindingTests.registered(doctor)
            let study = try #require(try await store.study(enrolmentCode: code))
            let investigator = try #require(try await store.account(email: "dr@example.org"))
            let rx = try #require(try await store.account(email: "rx@example.org"))
            try await store.setStudyPharmacist(studyID: study.id, investigatorID: investigator.id, pharmacistID: rx.id)
            // Five participants with their own seeds and starts; the third leaves.
            for index in 0..<5 {
                _ = try await Browser.signedUp(client, "p\(index)@example.org")
                let account = try #require(try await store.account(email: "p\(index)@example.org"))
                let start = TestApp.today.adding(days: index)
                let trial = Trial(
                    id: UUID().uuidString.lowercased(), design: study.design.trialDesign(startDate: start, seed: UInt64(90 + index)),
                    registeredOn: TestApp.today)
                _ = try await store.enrol(
                    EnrolmentRequest(
                        studyID: study.id, accountID: account.id, trial: trial, consentSha256: StudyProtocol.consentHash(study.design),
                        consentedAt: 1_773_000_000, invitationCodeHash: nil))
                if index == 2 { try await store.withdraw(studyID: study.id, accountID: account.id, on: TestApp.today, keepsData: true) }
            }

            // What each row must be, from the participants' whole trials.
            let expected: [String] = try await store.studyTrials(studyID: study.id, accountID: rx.id).map { p in
                let trial = p.trial
                if let left = p.enrolment.withdrawnOn {
                    return "<tr><td>\(p.enrolment.participantCode)</td><td colspan=\"3\">Left the study on \(left)</td></tr>"
                }
                let jars = trial.design.arms.indices.map { arm in
                    "<li><strong>\(trial.schedule.jarLabel(arm: arm)):</strong> \(trial.design.arms[arm].name)</li>"
                }
                return "<tr><td>\(p.enrolment.participantCode)</td><td><span class=\"nowrap\">\(trial.design.startDate)</span> to "
                    + "<span class=\"nowrap\">\(trial.design.endDate)</span></td><td><ul class=\"bare\">\(jars.joined())</ul></td>"
                    + "<td><a href=\"/pharmacy/\(study.id)/labels/\(p.enrolment.participantCode)\">Labels</a></td></tr>"
            }
            #expect(expected.count == 5 && Set(expected).count == 5)
            let page = try await pharmacist.request(.get, "/pharmacy/\(study.id)")
            #expect(page.status == .ok)
            let rows = page.body.matches(of: /<tr><td>P-[^\n]*?<\/tr>/).map { String($0.output) }
            #expect(rows == expected)
            #expect(String(location.dropFirst("/studies/".count)) == study.id)
        }
    }
}
