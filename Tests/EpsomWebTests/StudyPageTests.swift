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

            // An amendment needs a reason and a change; it is published with both hashes chained.
            let amendURL = location + "/amendments"
            let amendForm = edited.merging(["target_participants": "30"]) { $1 }
            let noReason = try await doctor.request(.post, amendURL, form: amendForm)
            #expect(noReason.status == .unprocessableContent && PageText.visible(noReason.body).contains("say why the protocol changes"))
            let noChange = try await doctor.request(.post, amendURL, form: edited.merging(["reason": "Nothing"]) { $1 })
            #expect(noChange.status == .unprocessableContent && PageText.visible(noChange.body).contains("nothing in the protocol changed"))
            let amended = try await doctor.request(
                .post, amendURL, form: amendForm.merging(["reason": "Slower enrolment than planned"]) { $1 })
            #expect(amended.status == .seeOther)

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
            #expect(text.contains("Amendment 1, 2026-03-15: Slower enrolment than planned") && text.contains("Target: 30 participants"))
            let amendment = try #require(study.amendments.first)
            #expect(amendment.protocolJSON.contains("\"previous_sha256\":\"\(protocolText.sha256)\""))
            #expect(
                Digest.sha256Hex(amendment.protocolJSON) == amendment.protocolHash && study.currentProtocolHash == amendment.protocolHash)

            // Another investigator cannot reach the study; a patient cannot run studies.
            let other = try await Browser.signedUp(client, "other@example.org", role: "clinician")
            #expect(try await other.request(.get, location).status == .notFound)
            #expect(PageText.visible(try await other.request(.get, "/studies").body).contains("No studies yet"))
            let patient = try await Browser.signedUp(client, "pat@example.org")
            #expect(try await patient.request(.get, "/studies").status == .forbidden)
            #expect(try await Browser(client).request(.get, "/studies").location == "/signin")
        }
    }

    /// A registered study of `doctor`'s: its page's address and its invitation code.
    static func registeredStudy(_ doctor: Browser) async throws -> (location: String, code: String) {
        let csrf = Browser.csrf(in: try await doctor.request(.get, "/studies").body)
        let created = try await doctor.request(.post, "/studies", form: form.merging(["csrf": csrf]) { $1 })
        let location = try #require(created.location)
        let registered = try await doctor.request(.post, location, form: form.merging(["csrf": csrf, "action": "register"]) { $1 })
        #expect(registered.status == .seeOther)
        let page = try await doctor.request(.get, location).body
        let join = try #require(try PageText.attributes("href", in: page).first { $0.hasPrefix("/join/") })
        return (location, String(join.dropFirst("/join/".count)))
    }

    @Test func anInviteeIsScreenedConsentsAndGetsTheirTrial() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let doctor = try await Browser.signedUp(client, "dr@example.org", role: "clinician")
            let (location, code) = try await Self.registeredStudy(doctor)
            // Two single-use codes, shown once.
            let studyPage = try await doctor.request(.get, location).body
            let made = try await doctor.request(
                .post, location + "/invitations", form: ["csrf": Browser.csrf(in: studyPage), "count": "2"])
            #expect(made.status == .ok && PageText.visible(made.body).contains("2 single-use codes"))
            let codes = made.body.matches(of: /<li><code>([0-9a-f]{10})<\/code><\/li>/).map { String($0.output.1) }
            #expect(codes.count == 2)
            let badCount = try await doctor.request(
                .post, location + "/invitations", form: ["csrf": Browser.csrf(in: studyPage), "count": "0"])
            #expect(
                badCount.status == .unprocessableContent && PageText.visible(badCount.body).contains("must be a whole number from 1 to 500")
            )
            #expect(!badCount.body.contains("Please correct the fields marked below"))  // the amendment form stays closed

            // A visitor reads the information and is sent through sign-up and back.
            let visitor = Browser(client)
            let invitation = try await visitor.request(.get, "/join/\(code)")
            #expect(invitation.status == .ok && PageText.visible(invitation.body).contains("You will use two creams in turn"))
            #expect(invitation.body.contains("/signup?next=/join/\(code)"))
            let signUpPage = try await visitor.request(.get, "/signup?next=/join/\(code)").body
            let signedUp = try await visitor.request(
                .post, "/signup",
                form: [
                    "csrf": Browser.csrf(in: signUpPage), "name": "Ann", "email": "ann@example.org",
                    "password": "correct horse battery", "role": "patient", "next": "/join/\(code)",
                ])
            #expect(signedUp.status == .seeOther && signedUp.location == "/join/\(code)")
            // Anything but a study's invitation is ignored as a destination.
            let elsewhere = try await Browser(client).request(.get, "/signin?next=https://evil.example/")
            #expect(!elsewhere.body.contains("evil.example"))

            let screening = try await visitor.request(.get, "/join/\(code)")
            let csrf = Browser.csrf(in: screening.body)
            #expect(PageText.visible(screening.body).contains("Do you have kidney disease?"))
            let unanswered = try await visitor.request(.post, "/join/\(code)", form: ["csrf": csrf, "step": "screen", "q0": "yes"])
            #expect(unanswered.status == .unprocessableContent && PageText.visible(unanswered.body).contains("answer yes or no"))
            let excluded = try await visitor.request(
                .post, "/join/\(code)", form: ["csrf": csrf, "step": "screen", "q0": "yes", "q1": "yes"])
            #expect(PageText.visible(excluded.body).contains("this study is not the right one for you"))
            let consentPage = try await visitor.request(
                .post, "/join/\(code)", form: ["csrf": csrf, "step": "screen", "q0": "yes", "q1": "no"])
            #expect(PageText.visible(consentPage.body).contains("I agree to take part."))
            let store = test.database.store
            let study = try #require(try await store.study(enrolmentCode: code))
            #expect(try await store.screeningCounts(studyID: study.id) == (eligible: 1, ineligible: 1))

            // Consent is posted with the answers; an excluding answer cannot be slipped past.
            let consent = ["csrf": csrf, "step": "consent", "q0": "yes", "q1": "no", "start_date": "2026-03-20"]
            let slipped = try await visitor.request(
                .post, "/join/\(code)", form: consent.merging(["q1": "yes", "consent": "yes", "invitation_code": codes[0]]) { $1 })
            #expect(PageText.visible(slipped.body).contains("not the right one for you"))
            let incomplete = try await visitor.request(.post, "/join/\(code)", form: consent.merging(["start_date": "2026-07-01"]) { $1 })
            #expect(incomplete.status == .unprocessableContent)
            let shown = PageText.visible(incomplete.body)
            #expect(shown.contains("tick the box to consent") && shown.contains("the study's window"))
            #expect(shown.contains("this study enrols by invitation"))
            let enrolled = try await visitor.request(
                .post, "/join/\(code)", form: consent.merging(["consent": "yes", "invitation_code": codes[0]]) { $1 })
            #expect(enrolled.status == .seeOther)
            let trialLocation = try #require(enrolled.location)
            #expect(trialLocation.hasPrefix("/trials/") && trialLocation.hasSuffix("?enrolled=1"))
            #expect(PageText.visible(try await visitor.request(.get, "/trials").body).contains(Self.form["title"] ?? "?"))
            #expect(PageText.visible(try await visitor.request(.get, "/join/\(code)").body).contains("participant P-001"))
            #expect(try await store.enrolments(studyID: study.id, investigatorID: study.id).isEmpty)

            // The investigator sees the participant by code, not by name, and no outcome.
            let dashboard = PageText.visible(try await doctor.request(.get, location).body).split(whereSeparator: \.isWhitespace)
                .joined(separator: " ")
            #expect(dashboard.contains("Screened: 2 (1 not eligible). Enrolled: 1."))
            #expect(dashboard.contains("P-001 Not started 2026-03-20"))
            #expect(!dashboard.contains("Ann") && !dashboard.contains("ann@example.org"))

            // Kidney disease in the safety profile keeps a trial from starting, as it stops one.
            let kidney = try await Browser.signedUp(client, "kim@example.org")
            let kim = try #require(try await store.account(email: "kim@example.org"))
            try await store.updateSafetyProfile(accountID: kim.id, SafetyProfile(kidneyDisease: true))
            let kimPage = try await kidney.request(.get, "/join/\(code)").body
            let refusedForSafety = try await kidney.request(
                .post, "/join/\(code)",
                form: consent.merging(["csrf": Browser.csrf(in: kimPage), "consent": "yes", "invitation_code": codes[1]]) { $1 })
            #expect(refusedForSafety.status == .conflict && PageText.visible(refusedForSafety.body).contains("Kidney disease was reported"))
            #expect(try await store.enrolments(accountID: kim.id).isEmpty)

            // The code was single-use.
            let second = try await Browser.signedUp(client, "bob@example.org")
            let secondPage = try await second.request(.get, "/join/\(code)").body
            let reused = try await second.request(
                .post, "/join/\(code)",
                form: consent.merging(["csrf": Browser.csrf(in: secondPage), "consent": "yes", "invitation_code": codes[0]]) { $1 })
            #expect(reused.status == .unprocessableContent && PageText.visible(reused.body).contains("it was used already"))
            #expect(
                try await test.database.store.trials(accountID: try #require(try await store.account(email: "bob@example.org")).id).isEmpty)

            // Leaving: the choice about the data is required, then recorded, and the trial stops.
            let joined = try await visitor.request(.get, "/join/\(code)").body
            let leave = ["csrf": Browser.csrf(in: joined), "step": "withdraw"]
            let unchosen = try await visitor.request(.post, "/join/\(code)", form: leave)
            #expect(unchosen.status == .unprocessableContent && PageText.visible(unchosen.body).contains("choose whether your data"))
            #expect(try await visitor.request(.post, "/join/\(code)", form: leave.merging(["data": "keep"]) { $1 }).status == .seeOther)
            #expect(PageText.visible(try await visitor.request(.get, "/join/\(code)").body).contains("You left this study on 2026-03-15"))
            let ann = try #require(try await store.account(email: "ann@example.org"))
            let enrolment = try #require(try await store.enrolments(accountID: ann.id).first)
            #expect(enrolment.withdrawnOn == TestApp.today && enrolment.keepsData == true)
            #expect(
                PageText.visible(try await doctor.request(.get, location).body).split(whereSeparator: \.isWhitespace)
                    .joined(separator: " ").contains("P-001 Withdrawn"))
            #expect(try await store.trial(id: enrolment.trialID, accountID: ann.id)?.stopReason == "Left the study.")
            // Having left keeping her data, she may still withdraw it, told first what that does; then nothing more.
            let left = PageText.visible(try await visitor.request(.get, "/join/\(code)").body)
            #expect(left.contains(StudyDataWithdrawal.beforeClose) && left.contains("Withdraw my data"))
            #expect(try await visitor.request(.post, "/join/\(code)", form: leave.merging(["data": "keep"]) { $1 }).status == .conflict)
            #expect(try await visitor.request(.post, "/join/\(code)", form: leave.merging(["data": "erase"]) { $1 }).status == .seeOther)
            let erased = PageText.visible(try await visitor.request(.get, "/join/\(code)").body)
            #expect(erased.contains("Your data was withdrawn from the study.") && !erased.contains("Withdraw my data"))
            #expect(try await store.enrolments(accountID: ann.id).first?.withdrawnOn == TestApp.today)
            #expect(try await visitor.request(.post, "/join/\(code)", form: leave.merging(["data": "erase"]) { $1 }).status == .conflict)
        }
    }
    /// A browser sends a textarea's line breaks as CRLF, and "\r\n" is one Character in Swift:
    /// the arms, the screening questions and the information sheet's paragraphs must still split.
    @Test func aBrowsersLineBreaksAreLineBreaks() async throws {
        #expect(FormData(encoded: "arms=Placebo+cream%0D%0AMagnesium+cream&x=a%0Db")["arms"] == "Placebo cream\nMagnesium cream")
        #expect(FormData(encoded: "x=a%0Db")["x"] == "a\nb")
        let test = try await TestApp.make()
        try await test.run { client in
            let doctor = try await Browser.signedUp(client, "dr@example.org", role: "clinician")
            let csrf = Browser.csrf(in: try await doctor.request(.get, "/studies").body)
            let crlf = Self.form.merging([
                "csrf": csrf, "template": "", "arms": "Placebo cream\r\nMagnesium cream",
                "screening": "no: Are you 18 or older?\r\nyes: Do you have kidney disease?",
                "information_sheet": "First paragraph.\r\n\r\nSecond paragraph.", "action": "register",
            ]) { $1 }
            let created = try await doctor.request(.post, "/studies", form: crlf)
            #expect(created.status == .seeOther)
            let location = try #require(created.location)
            #expect(try await doctor.request(.post, location, form: crlf).status == .seeOther)
            let page = try await doctor.request(.get, location).body
            #expect(PageText.visible(page).contains("2 arms (Placebo cream, Magnesium cream)"))
            let join = try #require(try PageText.attributes("href", in: page).first { $0.hasPrefix("/join/") })
            let patient = try await Browser.signedUp(client, "ann@example.org")
            let invitation = try await patient.request(.get, join).body
            #expect(invitation.contains("<p>First paragraph.</p>") && invitation.contains("<p>Second paragraph.</p>"))
            #expect(invitation.contains("Are you 18 or older?") && invitation.contains("name=\"q1\""))
        }
    }
}
