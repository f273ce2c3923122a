import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EpsomWeb

/// The browser flow in process: forms, CSRF, cookies, re-rendered errors, and escaping.
@Suite struct PageTests {
    @Test func signUpLogADayAndSeeTheWarnings() async throws {
        try await TestApp.make().run { client in
            let b = Browser(client)
            let landing = try await b.request(.get, "/")
            #expect(landing.body.contains("Create an account"))
            #expect(landing.body.contains(SafetySources.noMedicalAdvice))
            try await b.signUp("pat@example.org")
            let home = try await b.request(.get, "/").body
            #expect(home.contains("Pat &lt;b&gt;Smith&lt;/b&gt;"))  // escaped, never markup
            #expect(!home.contains("<b>Smith</b>"))
            let csrf = Browser.csrf(in: home)
            // A failed form re-renders with the message beside the field, and saves nothing.
            let bad = try await b.request(.post, "/diary", form: ["csrf": csrf, "date": "2026-03-15", "sleep": "4"])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("id=\"pain-error\">is required"))
            #expect(bad.body.contains("value=\"4\" checked"))  // the answer given is kept
            let ok = try await b.request(
                .post, "/diary",
                raw: "csrf=\(csrf)&date=2026-03-15&pain=7&sleep=4&side_effects=diarrhoea&side_effects=other&note=hello")
            #expect(ok.status == .seeOther)
            let saved = try await b.request(.get, "/?saved=1").body
            #expect(saved.contains("Saved.") && saved.contains("value=\"7\" checked"))
            // Two doses by mouth over the upper limit: the home page shows the cited warning.
            let dosesPage = try await b.request(.get, "/doses").body
            for _ in 0..<2 {
                let logged = try await b.request(
                    .post, "/doses",
                    form: [
                        "csrf": Browser.csrf(in: dosesPage), "taken_at": "2026-03-15T08:00",
                        "product": "Oxide", "route": "oral", "salt": "oxide", "amount": "400", "unit": "mg", "elemental_mg": "",
                    ])
                #expect(logged.status == .seeOther, "\(logged.body)")
            }
            let warned = try await b.request(.get, "/").body
            #expect(warned.contains("above the adult upper limit of 350 mg/day"))
            #expect(warned.contains("nap.edu"))
            let history = try await b.request(.get, "/history").body
            #expect(history.contains("<svg") && history.contains("Entries"))
            let signedOut = try await b.request(.post, "/signout", form: ["csrf": Browser.csrf(in: history)])
            #expect(signedOut.location == "/signin")
            #expect(try await b.request(.get, "/doses").location == "/signin")
        }
    }

    /// The demo year has a 14-day gap in cream use: history shows the gap and the N-of-1 model's
    /// with/without comparison, marked observational.
    @Test func demoHistoryShowsTheGapAndTheInterruptionAnalysis() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let login = try #require(try await DemoAccount.seed(in: test.database.store, today: TestApp.today, bcryptCost: 4))
            let b = Browser(client)
            try await b.signIn(login.email, password: login.password)
            let history = try await b.request(.get, "/history?from=\(TestApp.today.adding(days: -364))").body
            #expect(history.contains("Magnesium cream: none from"))
            #expect(history.contains("(14 days)"))
            #expect(history.contains("With and without Magnesium cream"))
            #expect(history.contains("observational, not randomised"))
            // The demo also holds a finished blinded trial with its report.
            let trials = try await b.request(.get, "/trials").body
            #expect(trials.contains("Cream vs placebo cream (blinded)") && trials.contains("Finished"))
            let account = try #require(try await test.database.store.account(email: login.email))
            let trial = try #require(try await test.database.store.trials(accountID: account.id).first)
            #expect(trial.consentToPool && trial.design.blinded && trial.isOver(today: TestApp.today))
            let report = try await b.request(.get, "/trials/\(trial.id)/report")
            #expect(report.status == .ok && report.body.contains("Magnesium cream") && report.body.contains("Per protocol"))
        }
    }

    @Test func formsWithoutTheRightCSRFTokenAreRefused() async throws {
        try await TestApp.make().run { client in
            let b = Browser(client)
            #expect(
                try await b.request(
                    .post, "/signup",
                    form: [
                        "csrf": "forged", "email": "x@example.org", "password": "correct horse battery",
                        "name": "X",
                    ]
                ).status == .forbidden)
            try await b.signUp("pat@example.org")
            #expect(try await b.request(.post, "/diary", form: ["csrf": "forged", "date": "2026-03-15", "pain": "3"]).status == .forbidden)
            #expect(try await b.request(.post, "/account/delete", form: ["confirm": "DELETE"]).status == .forbidden)
        }
    }

    @Test func doseFormErrorsAreShownBesideTheirFields() async throws {
        try await TestApp.make().run { client in
            let b = Browser(client)
            try await b.signUp("pat@example.org")
            let page = try await b.request(.get, "/doses").body
            let bad = try await b.request(
                .post, "/doses",
                form: [
                    "csrf": Browser.csrf(in: page), "taken_at": "2026-03-15T08:00",
                    "product": "Spray", "route": "transdermal_spray", "amount": "4", "unit": "spray", "save_product": "1",
                ])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("id=\"strength-error\""))
            #expect(bad.body.contains("value=\"Spray\""))
            let good = try await b.request(
                .post, "/doses",
                form: [
                    "csrf": Browser.csrf(in: page), "taken_at": "2026-03-15T21:00",
                    "product": "Cream", "route": "transdermal_cream", "amount": "2", "unit": "pump", "elemental_mg": "56",
                    "site": "soles of the feet", "save_product": "1",
                ])
            #expect(good.status == .seeOther)
            let home = try await b.request(.get, "/").body
            #expect(home.contains("Cream now"))  // the saved product logs with one tap
        }
    }

    @Test func missedUseFollowsThePersonsThreshold() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let b = Browser(client)
            try await b.signUp("pat@example.org")
            let store = test.database.store
            let account = try #require(try await store.account(email: "pat@example.org"))
            try await store.saveProduct(
                Product(
                    id: "cream", name: "Cream", route: .transdermalCream, amount: 1, unit: .pump,
                    elementalMilligrams: 56), accountID: account.id)
            _ = try await store.addDose(
                try Dose.validated([
                    "taken_at": "\(TestApp.today.adding(days: -3))T21:00", "product": "Cream",
                    "route": "transdermal_cream", "amount": "1", "unit": "pump", "elemental_mg": "56",
                ]), accountID: account.id)
            #expect(try await b.request(.get, "/").body.contains("3 days ago"))  // default threshold 2
            let page = try await b.request(.get, "/account").body
            let bad = try await b.request(.post, "/account/reminders", form: ["csrf": Browser.csrf(in: page), "missed_use_days": "99"])
            #expect(bad.status == .unprocessableContent && bad.body.contains("must be a whole number from 1 to 30"))
            try await b.request(.post, "/account/reminders", form: ["csrf": Browser.csrf(in: page), "missed_use_days": "5"])
            #expect(!(try await b.request(.get, "/").body.contains("3 days ago")))
        }
    }

    @Test func cliniciansSeeOnlyWhatIsShared() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let patient = Browser(client), doctor = Browser(client)
            try await patient.signUp("p@example.org")
            try await doctor.signUp("doc@example.org", role: "clinician")
            let p = try #require(try await test.database.store.account(email: "p@example.org"))
            #expect(try await doctor.request(.get, "/history?patient=\(p.id)").status == .forbidden)
            let account = try await patient.request(.get, "/account").body
            let shared = try await patient.request(
                .post, "/account/share", form: ["csrf": Browser.csrf(in: account), "clinician_email": "doc@example.org"])
            #expect(shared.status == .seeOther)
            #expect(try await doctor.request(.get, "/").body.contains("/history?patient=\(p.id)"))
            #expect(try await doctor.request(.get, "/history?patient=\(p.id)").status == .ok)
            // Sharing with a patient account (not a clinician) is refused with a message.
            let refused = try await patient.request(
                .post, "/account/share", form: ["csrf": Browser.csrf(in: account), "clinician_email": "p@example.org"])
            #expect(refused.status == .unprocessableContent)
        }
    }
}
