import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import EpsomWeb

/// The investigator writes a study, fixes what the form refuses, saves the draft, registers it,
/// and anyone can read the registration page, whose protocol text hashes to the hash shown.
@Suite struct StudyPageTests {
    static let form: [String: String] = [
        "title": "Magnesium cream vs placebo cream for chronic low back pain, 12 weeks",
        "question": "Does magnesium cream lower daily back pain compared with a placebo cream?",
        "condition": "chronic low back pain", "eligibility": "Adults with low back pain for at least 3 months.",
        "screening": "no: Are you 18 or older?\nyes: Do you have kidney disease?",
        "information_sheet": "You will use two creams in turn for 12 weeks.", "consent_text": "I agree to take part.",
        "template": "cream-vs-placebo", "period_days": "14", "cycles": "3", "washout_days": "3", "mcid": "1",
        "secondary_outcomes": "spasms", "target_participants": "20",
        "enrolment_opens": "2026-03-20", "enrolment_closes": "2026-06-30",
    ]

    @Test func anInvestigatorDraftsRegistersAndPublishesAStudy() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let doctor = try await Browser.signedUp(client, "dr@example.org", role: "clinician")
            let list = try await doctor.request(.get, "/studies")
            #expect(list.status == .ok && list.body.contains("No studies yet") && list.body.contains("href=\"/studies\""))
            let csrf = Browser.csrf(in: list.body)

            // Refused: the comparator is not first and the window closes before it opens.
            var bad = Self.form.merging(["csrf": csrf, "template": "", "arms": "Magnesium cream\nPlacebo cream"]) { $1 }
            bad["enrolment_closes"] = "2026-03-01"
            let refused = try await doctor.request(.post, "/studies", form: bad)
            #expect(refused.status == .unprocessableContent)
            let shown = PageText.visible(refused.body)
            #expect(shown.contains("put the comparator (Placebo cream) first"))
            #expect(shown.contains("the enrolment window ends before it opens (2026-03-20)"))
            #expect(refused.body.contains("Magnesium cream\nPlacebo cream"))  // what was typed stays

            let created = try await doctor.request(.post, "/studies", form: Self.form.merging(["csrf": csrf]) { $1 })
            #expect(created.status == .seeOther)
            let location = try #require(created.location)
            let draft = try await doctor.request(.get, location)
            #expect(draft.status == .ok && PageText.visible(draft.body).contains("Draft"))
            #expect(PageText.visible(draft.body).contains("84 days per participant, blinded"))

            // Save a change to the draft, then register it.
            let edited = Self.form.merging(["csrf": csrf, "target_participants": "24", "action": "save"]) { $1 }
            #expect(try await doctor.request(.post, location, form: edited).status == .seeOther)
            #expect(PageText.visible(try await doctor.request(.get, location).body).contains("Target: 24 participants"))
            let registered = try await doctor.request(.post, location, form: edited.merging(["action": "register"]) { $1 })
            #expect(registered.status == .seeOther)
            let page = try await doctor.request(.get, location).body
            #expect(PageText.visible(page).contains("Registered on 2026-03-15"))
            let registry = try #require(try PageText.attributes("href", in: page).first { $0.hasPrefix("/registry/") })
            // A registered study takes no more draft edits.
            #expect(try await doctor.request(.post, location, form: edited).status == .notFound)

            // The public page, for anyone: the protocol text hashes to the hash it shows.
            let visitor = Browser(client)
            let publicPage = try await visitor.request(.get, registry)
            #expect(publicPage.status == .ok)
            let text = PageText.visible(publicPage.body)
            #expect(text.contains("Does magnesium cream lower daily back pain") && text.contains("Do you have kidney disease?"))
            #expect(!text.contains("dr@example.org") && !text.contains("Pat Smith"))
            let study = try #require(try await test.database.store.study(enrolmentCode: String(registry.dropFirst("/registry/".count))))
            let protocolText = try #require(study.registeredProtocol)
            #expect(text.contains(protocolText.sha256) && Digest.sha256Hex(protocolText.json) == protocolText.sha256)
            #expect(publicPage.body.contains(HTML.escape(protocolText.json)))
            #expect(try await visitor.request(.get, "/registry/nosuchcode").status == .notFound)

            // Another investigator cannot reach the study; a patient cannot run studies.
            let other = try await Browser.signedUp(client, "other@example.org", role: "clinician")
            #expect(try await other.request(.get, location).status == .notFound)
            #expect(PageText.visible(try await other.request(.get, "/studies").body).contains("No studies yet"))
            let patient = try await Browser.signedUp(client, "pat@example.org")
            #expect(try await patient.request(.get, "/studies").status == .forbidden)
            #expect(try await Browser(client).request(.get, "/studies").location == "/signin")
        }
    }
}
