import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import EpsomWeb

/// Blinding that holds for participant and investigator: the pharmacist alone sees allocations
/// while the study runs; the investigator sees jar letters, a logged emergency unblinding of one
/// participant, and every allocation once the study closes; safety stops are flagged.
@Suite struct StudyBlindingTests {
    /// The study form, enrolling from today so that a participant's first day can be recorded.
    static let form = StudyPageTests.form.merging(["enrolment_opens": "2026-03-15", "screening": "yes: Do you have kidney disease?"]) {
        $1
    }

    /// Registers a study of `doctor`'s; returns its page and invitation code.
    static func registered(_ doctor: Browser) async throws -> (location: String, code: String) {
        let csrf = Browser.csrf(in: try await doctor.request(.get, "/studies").body)
        let created = try await doctor.request(.post, "/studies", form: form.merging(["csrf": csrf]) { $1 })
        let location = try #require(created.location)
        #expect(
            try await doctor.request(.post, location, form: form.merging(["csrf": csrf, "action": "register"]) { $1 }).status == .seeOther)
        let page = try await doctor.request(.get, location).body
        let join = try #require(try PageText.attributes("href", in: page).first { $0.hasPrefix("/join/") })
        return (location, String(join.dropFirst("/join/".count)))
    }

    /// Screens and consents `patient` with a first day of today; returns their trial's address.
    static func enrol(_ patient: Browser, code: String) async throws -> String {
        let csrf = Browser.csrf(in: try await patient.request(.get, "/join/\(code)").body)
        let enrolled = try await patient.request(
            .post, "/join/\(code)", form: ["csrf": csrf, "step": "consent", "q0": "no", "start_date": "2026-03-15", "consent": "yes"])
        #expect(enrolled.status == .seeOther)
        let location = try #require(enrolled.location)
        return String(location.prefix { $0 != "?" })
    }

    /// Whitespace collapsed, so that a table row reads as one line.
    static func text(_ html: String) -> String { PageText.visible(html).split(whereSeparator: \.isWhitespace).joined(separator: " ") }

    @Test func thePharmacistAloneSeesAllocationsUntilTheStudyCloses() async throws {
        let test = try await TestApp.make()
        let store = test.database.store
        try await test.run { client in
            let doctor = try await Browser.signedUp(client, "dr@example.org", role: "clinician")
            let (location, code) = try await Self.registered(doctor)
            let csrf = Browser.csrf(in: try await doctor.request(.get, location).body)
            #expect(Self.text(try await doctor.request(.get, location).body).contains("No pharmacist is named yet"))

            // Only a pharmacist's account can be named.
            _ = try await Browser.signedUp(client, "nurse@example.org", role: "clinician")
            let notPharmacist = try await doctor.request(
                .post, location + "/pharmacist", form: ["csrf": csrf, "pharmacist_email": "nurse@example.org"])
            #expect(notPharmacist.status == .unprocessableContent)
            #expect(Self.text(notPharmacist.body).contains("no pharmacist's account has this email"))
            let pharmacist = try await Browser.signedUp(client, "rx@example.org", name: "Rita", role: "pharmacist")
            let named = try await doctor.request(
                .post, location + "/pharmacist", form: ["csrf": csrf, "pharmacist_email": " RX@example.org "])
            #expect(named.status == .seeOther)
            #expect(Self.text(try await doctor.request(.get, location).body).contains("Allocations are held by the pharmacist Rita"))

            // A participant enrols: their trial shows jar letters and no allocation sheet.
            let ann = try await Browser.signedUp(client, "ann@example.org", name: "Ann")
            let trialPage = try await Self.enrol(ann, code: code)
            let annTrial = try await ann.request(.get, trialPage)
            #expect(Self.text(annTrial.body).contains("This trial is part of the study"))
            #expect(Self.text(annTrial.body).contains("as participant P-001"))
            #expect(Self.text(annTrial.body).contains("The study's pharmacist fills your jars"))
            #expect(!annTrial.body.contains("Allocation sheet for the helper") && !annTrial.body.contains("Amend or stop the trial"))
            let annCSRF = Browser.csrf(in: annTrial.body)
            // Nor can the participant reach the sheet, amend or stop the study's trial directly.
            for action in ["allocation", "amend", "stop"] {
                let refused = try await ann.request(
                    .post, trialPage + "/" + action, form: ["csrf": annCSRF, "cycles": "2", "reason": "x", "stop_reason": "x"])
                #expect(refused.status == .conflict, "\(action)")
                #expect(Self.text(refused.body).contains("This trial belongs to a study"), "\(action)")
            }
            // The API refuses the same: the trial's protocol is the study's.
            let session = try await client.call(
                .post, "/api/v1/sessions", json: #"{"email":"ann@example.org","password":"correct horse battery"}"#)
            let token = try decodeJSON(API.Session.self, from: session.body).token
            let trialID = String(trialPage.dropFirst("/trials/".count))
            let apiStop = try await client.call(.post, "/api/v1/trials/\(trialID)/stop", token: token, json: #"{"reason":"bored"}"#)
            #expect(apiStop.status == .conflict && apiStop.body.contains("This trial belongs to a study"))
            let apiAmend = try await client.call(
                .post, "/api/v1/trials/\(trialID)/amendments", token: token, json: #"{"cycles":2,"reason":"shorter"}"#)
            #expect(apiAmend.status == .conflict)
            let annAccount = try #require(try await store.account(email: "ann@example.org"))
            let annsTrial = try #require(try await store.trials(accountID: annAccount.id).first)
            #expect(annsTrial.allocationSheetShownOn == nil && annsTrial.stoppedOn == nil && annsTrial.amendments.isEmpty)

            // The pharmacist sees the allocation and prints labels that carry no arm.
            let pharmacy = Self.text(try await pharmacist.request(.get, "/pharmacy").body)
            #expect(pharmacy.contains(Self.form["title"] ?? "?"))
            let studyID = String(location.dropFirst("/studies/".count))
            let sheet = Self.text(try await pharmacist.request(.get, "/pharmacy/\(studyID)").body)
            let magnesiumJar = annsTrial.schedule.jarLabel(arm: 1)
            let placeboJar = annsTrial.schedule.jarLabel(arm: 0)
            #expect(
                sheet.contains("P-001") && sheet.contains("\(magnesiumJar): Magnesium cream")
                    && sheet.contains("\(placeboJar): Placebo cream"))
            #expect(!sheet.contains("Ann") && !sheet.contains("ann@example.org"))
            let labels = try await pharmacist.request(.get, "/pharmacy/\(studyID)/labels/P-001")
            #expect(labels.status == .ok)
            let jarNames = labels.body.matches(of: /<p class="jar-name">([^<]*)<\/p>/).map { String($0.output.1) }
            #expect(Set(jarNames) == [magnesiumJar, placeboJar])
            #expect(!Self.text(labels.body).contains(": Magnesium cream"))
            #expect(try await pharmacist.request(.get, "/pharmacy/\(studyID)/labels/P-099").status == .notFound)

            // The investigator sees the jar letters only.
            let blind = Self.text(try await doctor.request(.get, location).body)
            #expect(blind.contains("P-001 \(placeboJar), \(magnesiumJar) Held by the pharmacist"))
            #expect(!blind.contains("\(magnesiumJar): Magnesium cream"))

            // A safety stop is flagged on the dashboard.
            let bob = try await Browser.signedUp(client, "bob@example.org", name: "Bob")
            let bobTrial = try await Self.enrol(bob, code: code)
            let bobCSRF = Browser.csrf(in: try await bob.request(.get, bobTrial).body)
            let severe = try await bob.request(
                .post, bobTrial + "/days", form: ["csrf": bobCSRF, "date": "2026-03-15", "adherence": "yes", "severe_side_effect": "on"])
            #expect(severe.status == .seeOther)
            let flagged = Self.text(try await doctor.request(.get, location).body)
            #expect(flagged.contains("Safety stops: 1."))
            #expect(flagged.contains("P-002: A severe side effect was reported on 2026-03-15."))
            #expect(flagged.contains("P-002 Stopped Safety stop"))

            // Emergency unblinding: a reason is required, then that participant alone is open.
            let short = try await doctor.request(
                .post, location + "/unblind", form: ["csrf": csrf, "participant": "P-002", "unblind_reason": "rash"])
            #expect(short.status == .unprocessableContent && Self.text(short.body).contains("say why the participant must be unblinded"))
            let reason = "Severe rash; the treating dermatologist needs to know the cream."
            let unblinded = try await doctor.request(
                .post, location + "/unblind", form: ["csrf": csrf, "participant": "P-002", "unblind_reason": reason])
            #expect(unblinded.status == .seeOther)
            let bobAccount = try #require(try await store.account(email: "bob@example.org"))
            let bobs = try #require(try await store.trials(accountID: bobAccount.id).first)
            let opened = Self.text(try await doctor.request(.get, location).body)
            #expect(opened.contains("P-002, 2026-03-15: \(reason)"))
            #expect(opened.contains("\(bobs.schedule.jarLabel(arm: 1)): Magnesium cream"))
            #expect(opened.contains("P-001 \(placeboJar), \(magnesiumJar) Held by the pharmacist"))
            let again = try await doctor.request(
                .post, location + "/unblind", form: ["csrf": csrf, "participant": "P-002", "unblind_reason": reason])
            #expect(again.status == .unprocessableContent && Self.text(again.body).contains("P-002 is unblinded already"))
            let nobody = try await doctor.request(
                .post, location + "/unblind", form: ["csrf": csrf, "participant": "P-077", "unblind_reason": reason])
            #expect(
                nobody.status == .unprocessableContent && Self.text(nobody.body).contains("no participant of this study has the code P-077")
            )

            // Closing waits for every trial to be over; a participant leaving ends theirs.
            let unconfirmed = try await doctor.request(.post, location + "/close", form: ["csrf": csrf])
            #expect(unconfirmed.status == .unprocessableContent && Self.text(unconfirmed.body).contains("tick the box to confirm"))
            let early = try await doctor.request(.post, location + "/close", form: ["csrf": csrf, "confirm": "yes"])
            #expect(early.status == .conflict && Self.text(early.body).contains("1 participant's trial still runs"))
            let joined = try await ann.request(.get, "/join/\(code)").body
            #expect(
                try await ann.request(.post, "/join/\(code)", form: ["csrf": Browser.csrf(in: joined), "step": "withdraw", "data": "keep"])
                    .status == .seeOther)
            #expect(try await doctor.request(.post, location + "/close", form: ["csrf": csrf, "confirm": "yes"]).status == .seeOther)
            let closed = Self.text(try await doctor.request(.get, location).body)
            #expect(closed.contains("The study closed on 2026-03-15: the allocations are open."))
            #expect(closed.contains("\(magnesiumJar): Magnesium cream"))
            #expect(!closed.contains("Unblind this participant") && !closed.contains("Make codes"))
            #expect(closed.contains("Emergency unblindings P-002"))
            let study = try #require(try await store.study(enrolmentCode: code))
            #expect(study.status == .closed && study.closedOn == TestApp.today)
            // A closed study enrols nobody and cannot close twice.
            let late = try await Browser.signedUp(client, "late@example.org")
            #expect(Self.text(try await late.request(.get, "/join/\(code)").body).contains("This study is not enrolling"))
            #expect(try await doctor.request(.post, location + "/close", form: ["csrf": csrf, "confirm": "yes"]).status == .conflict)
        }
    }

    /// Every study page route × every kind of caller, failing closed: the answer is written out
    /// here, not derived from the handlers.
    @Test func everyStudyRouteAnswersEachRoleAsWrittenHere() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let investigator = try await Browser.signedUp(client, "dr@example.org", role: "clinician")
            let (location, code) = try await Self.registered(investigator)
            let studyID = String(location.dropFirst("/studies/".count))
            let pharmacist = try await Browser.signedUp(client, "rx@example.org", role: "pharmacist")
            let csrf = Browser.csrf(in: try await investigator.request(.get, location).body)
            #expect(
                try await investigator.request(.post, location + "/pharmacist", form: ["csrf": csrf, "pharmacist_email": "rx@example.org"])
                    .status == .seeOther)
            let participant = try await Browser.signedUp(client, "ann@example.org")
            _ = try await Self.enrol(participant, code: code)
            let callers: [String: Browser] = [
                "investigator": investigator, "pharmacist": pharmacist, "participant": participant,
                "otherClinician": try await Browser.signedUp(client, "other-dr@example.org", role: "clinician"),
                "otherPharmacist": try await Browser.signedUp(client, "other-rx@example.org", role: "pharmacist"),
                "otherPatient": try await Browser.signedUp(client, "bob@example.org"), "anonymous": Browser(client),
            ]
            // Reads: who gets the page (200); everyone else is refused with the status given.
            let reads: [(path: String, allowed: Set<String>, refused: [String: HTTPResponse.Status])] = [
                (
                    "/studies/\(studyID)", ["investigator"],
                    [
                        "otherClinician": .notFound, "pharmacist": .forbidden, "otherPharmacist": .forbidden, "participant": .forbidden,
                        "otherPatient": .forbidden, "anonymous": .seeOther,
                    ]
                ),
                (
                    "/pharmacy/\(studyID)", ["pharmacist"],
                    [
                        "otherPharmacist": .notFound, "investigator": .forbidden, "otherClinician": .forbidden, "participant": .forbidden,
                        "otherPatient": .forbidden, "anonymous": .seeOther,
                    ]
                ),
                (
                    "/pharmacy/\(studyID)/labels/P-001", ["pharmacist"],
                    [
                        "otherPharmacist": .notFound, "investigator": .forbidden, "otherClinician": .forbidden, "participant": .forbidden,
                        "otherPatient": .forbidden, "anonymous": .seeOther,
                    ]
                ),
                (
                    "/studies/\(studyID)/export.csv", ["investigator"],
                    [
                        "otherClinician": .notFound, "pharmacist": .forbidden, "otherPharmacist": .forbidden, "participant": .forbidden,
                        "otherPatient": .forbidden, "anonymous": .seeOther,
                    ]
                ),
                (
                    "/studies/\(studyID)/fhir", ["investigator"],
                    [
                        "otherClinician": .notFound, "pharmacist": .forbidden, "otherPharmacist": .forbidden, "participant": .forbidden,
                        "otherPatient": .forbidden, "anonymous": .seeOther,
                    ]
                ),
                (
                    "/studies", ["investigator", "otherClinician"],
                    [
                        "pharmacist": .forbidden, "otherPharmacist": .forbidden, "participant": .forbidden, "otherPatient": .forbidden,
                        "anonymous": .seeOther,
                    ]
                ),
                // Public: the invitation and the registration page (no personal data on either).
                ("/join/\(code)", Set(callers.keys), [:]),
                ("/registry/\(code)", Set(callers.keys), [:]),
                (
                    "/pharmacy", ["pharmacist", "otherPharmacist"],
                    [
                        "investigator": .forbidden, "otherClinician": .forbidden, "participant": .forbidden, "otherPatient": .forbidden,
                        "anonymous": .seeOther,
                    ]
                ),
            ]
            for read in reads {
                for (name, browser) in callers {
                    let answer = try await browser.request(.get, read.path)
                    if read.allowed.contains(name) {
                        #expect(answer.status == .ok, "\(name) GET \(read.path)")
                    } else {
                        #expect(answer.status == read.refused[name], "\(name) GET \(read.path): \(answer.status)")
                        if name != "anonymous" { #expect(!answer.body.contains("Placebo cream</li>"), "\(name) GET \(read.path)") }
                    }
                }
            }
            // Writes by anyone but the investigator change nothing: each with the caller's own CSRF token.
            let writes = ["/pharmacist", "/unblind", "/close", "/invitations", "/amendments", "/publish", "/unpublish"]
            for (name, browser) in callers where name != "investigator" {
                let token = name == "anonymous" ? "" : Browser.csrf(in: try await browser.request(.get, "/account").body)
                for write in writes {
                    let answer = try await browser.request(
                        .post, location + write,
                        form: [
                            "csrf": token, "confirm": "yes", "participant": "P-001", "unblind_reason": "Because I want to know it.",
                            "pharmacist_email": "other-rx@example.org", "count": "3",
                        ])
                    let refusal: Set<HTTPResponse.Status> = name == "anonymous" ? [.unauthorized] : [.forbidden, .notFound]
                    #expect(refusal.contains(answer.status), "\(name) POST \(write): \(answer.status)")
                }
            }
            let study = try #require(try await test.database.store.study(enrolmentCode: code))
            let rx = try #require(try await test.database.store.account(email: "rx@example.org"))
            #expect(study.status == .registered && study.unblindings.isEmpty && study.pharmacistID == rx.id)
            #expect(!(try await test.database.store.studyUsesInvitations(studyID: study.id)))
        }
    }
    /// "Every export complete": a participant's export lists their study, consent and code; an
    /// investigator's, the studies they run.
    @Test func theAccountExportListsStudiesTakenPartInAndRun() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let doctor = try await Browser.signedUp(client, "dr@example.org", role: "clinician")
            let (_, code) = try await Self.registered(doctor)
            let ann = try await Browser.signedUp(client, "ann@example.org", name: "Ann")
            let trialPage = try await Self.enrol(ann, code: code)
            let study = try #require(try await test.database.store.study(enrolmentCode: code))

            let exported = try await ann.request(.get, "/api/v1/export")
            #expect(exported.status == .ok)
            let document = try JSONDocument(exported.body)
            let studies = try #require(document.value["studies"])
            #expect(studies.count == 1)
            #expect(studies[0]?["participant_code"]?.string == "P-001")
            #expect(studies[0]?["registration_code"]?.string == code)
            #expect(studies[0]?["trial_id"]?.string == String(trialPage.dropFirst("/trials/".count)))
            #expect(studies[0]?["consent_sha256"]?.string == StudyProtocol.consentHash(study.design))
            #expect(document.value["studies_run"]?.count == 0)

            let investigator = try JSONDocument(try await doctor.request(.get, "/api/v1/export").body)
            let run = try #require(investigator.value["studies_run"])
            #expect(run.count == 1 && run[0]?["status"]?.string == "registered")
            #expect(run[0]?["protocol_sha256"]?.string == study.currentProtocolHash)
        }
    }
}
