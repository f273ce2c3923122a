import EpsomCore
import EpsomTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import EpsomStorage
@testable import EpsomWeb

/// The diary before a participant's first day is read only for an enrolment made with the
/// baseline notice shown: the join page always shows it; an API client must say it did.
@Suite struct StudyBaselineConsentTests {
    /// The study of `StudyBlindingTests.registered`: one screening question, "no" lets one enrol.
    static let enrolment = #"{"answers":[false],"consent":true,"start_date":"2026-03-15"}"#

    @Test func onlyAnEnrolmentMadeWithTheNoticeShownAllowsTheDiaryBeforeTheFirstDay() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let doctor = try await Browser.signedUp(client, "dr@example.org", role: "clinician")
            let (_, code) = try await StudyBlindingTests.registered(doctor)
            let information = try JSONDocument(try await client.call(.get, "/api/v1/join/\(code)").body)
            #expect(information.value["baseline_notice"]?.string == StudyBaseline.consentNotice)

            let silent = try await client.signUp("ann@example.org")
            let told = try await client.signUp("bob@example.org")
            #expect(
                try await client.call(.post, "/api/v1/join/\(code)/enrolment", token: silent, json: Self.enrolment).status == .created)
            let body = Self.enrolment.dropLast() + #","baseline_notice_shown":true}"#
            #expect(try await client.call(.post, "/api/v1/join/\(code)/enrolment", token: told, json: String(body)).status == .created)

            // Through the join page (its consent step shows the notice).
            let cat = try await Browser.signedUp(client, "cat@example.org")
            _ = try await StudyBlindingTests.enrol(cat, code: code)
            let page = try await cat.request(.get, "/join/\(code)")
            #expect(page.status == .ok)

            let rows = try await test.database.store.db.raw(
                """
                SELECT a.email, e.baseline_diary_consented AS told FROM enrolments e JOIN accounts a ON a.id = e.account_id
                ORDER BY a.email
                """
            ).all()
            let recorded = try rows.map { (try $0.decode(column: "email", as: String.self), try $0.decode(column: "told", as: Bool.self)) }
            #expect(recorded.map(\.0) == ["ann@example.org", "bob@example.org", "cat@example.org"])
            #expect(recorded.map(\.1) == [false, true, true])
        }
    }
}
