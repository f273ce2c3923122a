import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EpsomWeb

/// What the patient and the clinician met as broken, each as they would meet it.
@Suite struct PeopleFlowTests {

    /// A mistyped address, a visit to a form's POST-only address and HEAD on the start page give a
    /// browser a page in the site's layout; an API client keeps the JSON error.
    @Test func browsersGetErrorPagesAndClientsGetJSON() async throws {
        try await TestApp.make().run { client in
            let b = Browser(client)
            let missing = try await b.request(.get, "/no-such-page")
            #expect(missing.status == .notFound && missing.body.hasPrefix("<!doctype html>"))
            #expect(missing.body.contains("There is no page at this address") && missing.body.contains("<header>"))
            let postOnly = try await b.request(.get, "/account/delete")
            #expect(postOnly.body.hasPrefix("<!doctype html>") && [404, 405].contains(postOnly.status.code))
            let head = try await client.execute(uri: "/", method: .head) { ($0.status, $0.body.readableBytes) }
            #expect(head.0 == .ok && head.1 == 0, "\(head)")
            let api = try await client.call(.get, "/api/v1/no-such-thing")
            #expect(api.status == .notFound && api.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect((try? decodeJSON(API.Failure.self, from: api.body)) != nil, "\(api.body)")
            // Errors carry the security headers too.
            #expect(missing.status == .notFound)
            let headers = try await client.execute(uri: "/no-such-page", method: .get) { $0.headers }
            #expect(headers[.contentSecurityPolicy] != nil && headers[.xContentTypeOptions] == "nosniff")
        }
    }

    /// The cream user's day: a cream logged by pumps with the label's strength gives the right
    /// milligrams, is saved as a product, and one tap logs it again with the same figure.
    @Test func aCreamIsLoggedByPumpsWithItsLabelStrength() async throws {
        try await TestApp.make().run { client in
            let b = Browser(client)
            try await b.signUp("pat@example.org")
            let page = try await b.request(.get, "/doses").body
            let csrf = Browser.csrf(in: page)
            // The nonsense of before: 2 g of a chloride cream computed as 2 g of the salt. Now refused, naming the strength.
            let bare = try await b.request(
                .post, "/doses",
                form: [
                    "csrf": csrf, "taken_at": "2026-03-15T21:00", "product": "Mg cream",
                    "route": "transdermal_cream", "salt": "chloride", "amount": "2", "unit": "g",
                ])
            #expect(bare.status == .unprocessableContent && bare.body.contains("id=\"strength-error\""))
            let logged = try await b.request(
                .post, "/doses",
                form: [
                    "csrf": csrf, "taken_at": "2026-03-15T21:00", "product": "Mg cream",
                    "route": "transdermal_cream", "amount": "3", "unit": "pump",
                    "strength": "28", "strength_basis": "elemental", "strength_per": "pump",
                    "site": "soles of the feet", "save_product": "1",
                ])
            #expect(logged.status == .seeOther)
            let today = try await b.request(.get, "/doses").body
            #expect(today.contains("84 mg") && today.contains("3 pump"))
            let home = try await b.request(.get, "/").body
            #expect(home.contains("On the skin: <strong>84 mg</strong>"))
            let productID = try #require(
                home.range(of: "name=\"product_id\" value=\"").map { String(home[$0.upperBound...].prefix { $0 != "\"" }) })
            _ = try await b.request(.post, "/doses/quick", form: ["csrf": csrf, "product_id": productID])
            #expect(try await b.request(.get, "/").body.contains("On the skin: <strong>168 mg</strong>"))
        }
    }

    /// A role is chosen at sign-up and changed on the Account page; a patient sees who has access
    /// and revokes it in one tap, after which the clinician no longer reaches the patient.
    @Test func rolesSharingAndRevoking() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let patient = try await Browser.signedUp(client, "pat@example.org", name: "Pat Jones", role: "patient")
            let doctor = try await Browser.signedUp(client, "doc@example.org", name: "Dr Lee", role: "patient")
            // Signed up by mistake as a patient: the doctor changes role on the Account page.
            let account = try await doctor.request(.get, "/account").body
            #expect(account.contains("I have kidney disease"))
            let changed = try await doctor.request(.post, "/account/role", form: ["csrf": Browser.csrf(in: account), "role": "clinician"])
            #expect(changed.status == .seeOther)
            let nav = try await doctor.request(.get, "/").body
            #expect(nav.contains(">Patients</a>") && !nav.contains("href=\"/history\"") && !nav.contains("href=\"/doses\""))
            let badRole = try await doctor.request(.post, "/account/role", form: ["csrf": Browser.csrf(in: nav), "role": "admin"])
            #expect(badRole.status == .unprocessableContent && badRole.body.contains("must be patient, clinician or pharmacist"))

            let mine = try await patient.request(.get, "/account").body
            // Sharing answers the same for a clinician's email and for an email nobody has: no enumeration.
            let toDoctor = try await patient.request(
                .post, "/account/share", form: ["csrf": Browser.csrf(in: mine), "clinician_email": "doc@example.org"])
            let toNobody = try await patient.request(
                .post, "/account/share", form: ["csrf": Browser.csrf(in: mine), "clinician_email": "nobody@example.org"])
            #expect(toDoctor.status == .seeOther && toDoctor.status == toNobody.status && toDoctor.location == toNobody.location)
            let sharing = try await patient.request(.get, "/account").body
            let text = PageText.visible(sharing)
            #expect(text.contains("doc@example.org") && text.contains("nobody@example.org") && !text.contains("Dr Lee"))
            #expect(sharing.components(separatedBy: ">Stop sharing</button>").count == 3)
            let selfShare = try await patient.request(
                .post, "/account/share", form: ["csrf": Browser.csrf(in: mine), "clinician_email": "pat@example.org"])
            #expect(selfShare.status == .unprocessableContent && selfShare.body.contains("id=\"clinician_email-error\""))
            let list = try await doctor.request(.get, "/").body
            let id = try #require(try PageText.patientID(in: list))
            #expect(PageText.visible(list).contains("The patient kept the diary on 0 of the last 14 days"))
            #expect(try await doctor.request(.get, "/history?patient=\(id)").status == .ok)
            let revoked = try await patient.request(
                .post, "/account/revoke", form: ["csrf": Browser.csrf(in: sharing), "email": "doc@example.org"])
            #expect(revoked.status == .seeOther)
            #expect(try await doctor.request(.get, "/history?patient=\(id)").status == .forbidden)
            #expect(PageText.visible(try await doctor.request(.get, "/").body).contains("No one shares their diary with you yet"))
            // The invitation to an email nobody had becomes a share when that clinician signs up.
            let late = try await Browser.signedUp(client, "nobody@example.org", name: "Dr Late", role: "clinician")
            #expect(try PageText.patientID(in: try await late.request(.get, "/").body) == id)
        }
    }

    /// Every access by a clinician to a patient's data is recorded for the patient (Account), with
    /// the route and no ids; an access that is refused records nothing.
    @Test func thePatientSeesWhoLookedAtTheirData() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let patient = try await Browser.signedUp(client, "pat@example.org", name: "Pat Jones", role: "patient")
            let doctor = try await Browser.signedUp(client, "doc@example.org", name: "Dr Lee", role: "clinician")
            let stranger = try await Browser.signedUp(client, "other@example.org", name: "Dr Other", role: "clinician")
            let before = try await patient.request(.get, "/account").body
            #expect(PageText.visible(before).contains("No clinician has looked at your data."))
            _ = try await patient.request(
                .post, "/account/share", form: ["csrf": Browser.csrf(in: before), "clinician_email": "doc@example.org"])
            let id = try #require(try PageText.patientID(in: try await doctor.request(.get, "/").body))
            #expect(try await doctor.request(.get, "/history?patient=\(id)").status == .ok)
            #expect(try await stranger.request(.get, "/history?patient=\(id)").status == .forbidden)
            let log = try await test.database.store.accessLog(patientID: id, limit: 10)
            #expect(log.count == 2 && Set(log.map(\.what)) == ["GET /history", "GET / (patient list)"])  // same second: order unspecified
            #expect(log.allSatisfy { $0.viewerEmail == "doc@example.org" })
            let after = PageText.visible(try await patient.request(.get, "/account").body)
            #expect(after.contains("Who looked at your data") && after.contains("doc@example.org") && after.contains("GET /history"))
            #expect(!after.contains("other@example.org"))
        }
    }

    /// The clinician's list flags a day above the 350 mg limit for supplements.
    @Test func theClinicianSeesSafetyFlags() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let patient = try await Browser.signedUp(client, "pat@example.org", name: "Pat Jones", role: "patient")
            let doctor = try await Browser.signedUp(client, "doc@example.org", name: "Dr Lee", role: "clinician")
            let page = try await patient.request(.get, "/doses").body
            for time in ["08:00", "20:00"] {
                _ = try await patient.request(
                    .post, "/doses",
                    form: [
                        "csrf": Browser.csrf(in: page), "taken_at": "2026-03-14T\(time)",
                        "product": "Oxide", "route": "oral", "salt": "oxide", "amount": "400", "unit": "mg",
                    ])
            }
            _ = try await patient.request(
                .post, "/account/share", form: ["csrf": Browser.csrf(in: page), "clinician_email": "doc@example.org"])
            let list = PageText.visible(try await doctor.request(.get, "/").body)
            #expect(list.contains("Oral magnesium above the 350 mg/day limit for supplements on 1 day (2026-03-14)"))
            #expect(list.contains("logged magnesium on 1 of them"))
        }
    }

    /// The diary export names each day's arm (products, "none", or the trial's arm once the trial
    /// is over) and washout, so the analysis reads it as it is.
    @Test func theDiaryExportAnalysesAsItIs() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let login = try #require(try await DemoAccount.seed(in: test.database.store, today: TestApp.today, bcryptCost: 4))
            let session = try await client.call(
                .post, "/api/v1/sessions", json: #"{"email":"\#(login.email)","password":"\#(login.password)"}"#)
            let token = try decodeJSON(API.Session.self, from: session.body).token
            let csv = try await client.call(.get, "/api/v1/export/diary.csv", token: token).body
            let input = try NOf1Input(table: try CSVTable(parsing: csv), reference: "none")
            let arms = Set(input.series.armNames)
            #expect(arms.isSuperset(of: ["none", "Magnesium cream", "Placebo cream"]), "\(arms)")
            #expect(csv.contains(",Placebo cream,true,"))  // the trial's washout days
            let report = try NOf1Report(input: input, options: NOf1Options(trend: false, mcid: 1), observational: true)
            #expect(!report.text.isEmpty)
        }
    }

    /// `serve --demo` keeps an existing demo account (and what the visitor added); reset remakes it.
    @Test func theDemoAccountIsKeptAcrossStarts() async throws {
        let test = try await TestApp.make()
        try await test.run { _ in
            let store = test.database.store
            let first = try #require(try await DemoAccount.seed(in: store, today: TestApp.today, bcryptCost: 4))
            let account = try #require(try await store.account(email: first.email))
            try await store.saveDiaryEntry(
                try DiaryEntry.validated(["date": "2026-03-15", "pain": "9", "note": "mine"]), accountID: account.id)
            #expect(try await DemoAccount.seed(in: store, today: TestApp.today, bcryptCost: 4) == nil)
            #expect(try await store.diaryEntry(accountID: account.id, date: TestApp.today)?.note == "mine")
            let reset = try #require(try await DemoAccount.seed(in: store, today: TestApp.today, bcryptCost: 4, reset: true))
            #expect(reset.password != first.password)
            let again = try #require(try await store.account(email: first.email))
            #expect(try await store.diaryEntry(accountID: again.id, date: TestApp.today)?.note != "mine")
        }
    }
}
