import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EpsomWeb

/// The trial pages in process: designer, register, today's card, adherence, allocation sheet,
/// feed link, report, and the safety stop.
@Suite struct TrialPageTests {

    @Test func designPreviewStartAndFollowATrial() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let browser = Browser(client)
            try await browser.signUp("pat@example.org")
            let page = try await browser.request(.get, "/trials").body
            #expect(page.contains("Cream vs placebo cream (blinded)") && page.contains("No trials yet"))
            let csrf = Browser.csrf(in: page)

            let bad = try await browser.request(
                .post, "/trials",
                form: [
                    "csrf": csrf, "action": "preview", "template": "cream-vs-none",
                    "period_days": "7", "washout_days": "7",
                ])
            #expect(bad.status == .unprocessableContent && bad.body.contains("shorter than the period"))
            #expect(bad.body.contains("value=\"7\""))  // the form keeps what was typed

            let preview = try await browser.request(
                .post, "/trials",
                form: [
                    "csrf": csrf, "action": "preview", "template": "cream-vs-placebo",
                    "start_date": "2026-03-15",
                ])
            #expect(preview.status == .ok && preview.body.contains("56 days (8 weeks)") && preview.body.contains("Chance of detecting"))
            #expect(
                try await test.database.store.trials(
                    accountID: try #require(try await test.database.store.account(email: "pat@example.org")).id
                ).isEmpty)

            // The default design has well under a 50% chance of detecting a 1-point effect: Start asks for a tick first,
            // and the preview proposes enough cycles for about 80%.
            #expect(preview.body.contains("Below 50%") && preview.body.contains("would give about"))
            #expect(preview.body.contains("too few days to estimate your own"))
            let refused = try await browser.request(
                .post, "/trials",
                form: [
                    "csrf": csrf, "action": "start", "template": "cream-vs-placebo",
                    "start_date": "2026-03-15",
                ])
            #expect(
                refused.status == .unprocessableContent && refused.body.contains("id=\"cycles-error\"")
                    && refused.body.contains("name=\"accept_low_power\""))
            #expect(
                try await test.database.store.trials(
                    accountID: try #require(try await test.database.store.account(email: "pat@example.org")).id
                ).isEmpty)
            let started = try await browser.request(
                .post, "/trials",
                form: [
                    "csrf": csrf, "action": "start", "template": "cream-vs-placebo",
                    "start_date": "2026-03-15", "accept_low_power": "1",
                ])
            #expect(started.status == .seeOther)
            let location = try #require(started.location)
            let trialPage = try await browser.request(.get, location).body
            #expect(trialPage.contains("Trial day 1 of 56: Jar ") && trialPage.contains("Washout day 1 of 2"))
            #expect(!trialPage.contains("Magnesium cream") && trialPage.contains("SHA-256"))
            #expect(trialPage.contains("Results are shown when the trial ends"))
            let id = String(location.dropFirst("/trials/".count).prefix { $0 != "?" })

            // The home page shows the same card; adherence saved from it.
            let home = try await browser.request(.get, "/").body
            #expect(home.contains("id=\"trial-today\""))
            let saved = try await browser.request(
                .post, "/trials/\(id)/days",
                form: [
                    "csrf": csrf, "date": "2026-03-15", "adherence": "yes",
                    "amount": "2", "return": "/",
                ])
            #expect(saved.status == .seeOther && saved.location == "/?saved=1")
            let badDay = try await browser.request(.post, "/trials/\(id)/days", form: ["csrf": csrf, "date": "2026-03-15"])
            #expect(badDay.status == .unprocessableContent && badDay.body.contains("is required"))
            #expect(
                try await browser.request(.post, "/trials/\(id)/days", form: ["csrf": "forged", "date": "2026-03-15", "adherence": "no"])
                    .status == .forbidden)

            // The helper's sheet is shown once.
            let sheet = try await browser.request(.post, "/trials/\(id)/allocation", form: ["csrf": csrf])
            #expect(sheet.status == .ok && sheet.body.contains("Magnesium cream") && sheet.body.contains("for the helper only"))
            let again = try await browser.request(.post, "/trials/\(id)/allocation", form: ["csrf": csrf])
            #expect(again.status == .conflict && !again.body.contains("Fill with"))
            #expect(try await browser.request(.get, "/trials/\(id)/labels").body.contains("Jar X"))

            // A private feed link works without a session, and a new one cancels the old.
            let feedPage = try await browser.request(.post, "/trials/\(id)/feed", form: ["csrf": csrf]).body
            // The link is built from the configured public address (default: the address served, plain http here).
            #expect(feedPage.contains(">http://127.0.0.1:8080/feeds/"))
            let url = try #require(feedPage.range(of: "/feeds/").map { String(feedPage[$0.lowerBound...].prefix { $0 != "<" }) })
            let feed = try await Browser(client).request(.get, url)
            #expect(feed.status == .ok && feed.body.hasPrefix("BEGIN:VCALENDAR"))
            _ = try await browser.request(.post, "/trials/\(id)/feed", form: ["csrf": csrf])
            #expect(try await Browser(client).request(.get, url).status == .notFound)

            // Report waits for the end; an amendment needs a reason.
            #expect(try await browser.request(.get, "/trials/\(id)/report").status == .conflict)
            let amend = try await browser.request(.post, "/trials/\(id)/amend", form: ["csrf": csrf, "cycles": "5", "reason": ""])
            #expect(amend.status == .unprocessableContent && amend.body.contains("say why"))
            // Reporting kidney disease stops the trial with the reason and the advice.
            _ = try await browser.request(.post, "/account/safety", form: ["csrf": csrf, "kidney_disease": "1"])
            let stopped = try await browser.request(.get, "/trials/\(id)").body
            #expect(stopped.contains("Stopped early") && stopped.contains("see a clinician") && stopped.contains("Magnesium cream"))
            // A stopped trial asks for nothing more, on its page or the home page, and refuses a posted day.
            #expect(!stopped.contains("id=\"trial-today\""))
            #expect(!(try await browser.request(.get, "/").body.contains("id=\"trial-today\"")))
            let late = try await browser.request(
                .post, "/trials/\(id)/days", form: ["csrf": csrf, "date": "2026-03-15", "adherence": "yes"])
            #expect(late.status == .unprocessableContent && late.body.contains("no more days are recorded"))
        }
    }

    @Test func theReportOfAFinishedTrialHasTheCENTSections() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let browser = Browser(client)
            try await browser.signUp("pat@example.org")
            let account = try #require(try await test.database.store.account(email: "pat@example.org"))
            let demo = try await TrialAPITests.seedFinished(test.database.store, accountID: account.id)
            let report = try await browser.request(.get, "/trials/\(demo.trial.id)/report")
            #expect(report.status == .ok)
            let body = report.body
            for section in [
                "The answer", "compared with Placebo cream", "What it means", "Allowing for a steady drift",
                "Every outcome the diary keeps", "(primary)", "Spasms (0–10)", "Limits", "Timeline and period means",
                "Adherence and side effects by arm", "Amendments", "How this was analysed", "Intention to treat",
                "Per protocol", demo.trial.registeredProtocol.sha256, "<svg",
            ] {
                #expect(body.contains(section), "missing \(section)")
            }
            // Verdict first: the answer and its picture come before the timeline and the methods.
            let verdict = try #require(body.range(of: "id=\"verdict\""))
            let timeline = try #require(body.range(of: "Timeline and period means"))
            let methods = try #require(body.range(of: "How this was analysed"))
            #expect(verdict.lowerBound < timeline.lowerBound && timeline.lowerBound < methods.lowerBound)
            #expect(body.contains("data-kind=\"") && !body.contains("docs/") && !body.contains("shared/"))
            // The seed and the hash are in the methods appendix, after the answer.
            #expect(try #require(body.range(of: demo.trial.registeredProtocol.sha256)).lowerBound > methods.lowerBound)
            let clinicianView = try await browser.request(.get, "/trials/\(demo.trial.id)/report?view=clinician").body
            #expect(clinicianView.contains("autocorrelation") && clinicianView.contains("Carry-over check"))
            // Another person cannot read it.
            let other = Browser(client)
            try await other.signUp("other@example.org")
            #expect(try await other.request(.get, "/trials/\(demo.trial.id)/report").status == .notFound)
        }
    }
}

@Suite struct RequestLogTests {
    @Test func secretsDatesAndIdsNeverReachTheLog() {
        #expect(RequestLogMiddleware.routeShape("/feeds/" + String(repeating: "ab", count: 32) + ".ics") == "/feeds/:token.ics")
        #expect(
            RequestLogMiddleware.routeShape("/api/v1/trials/0b7c5a8e-1d2f-4e3a-9b8c-7d6e5f4a3b2c/days/2026-03-15")
                == "/api/v1/trials/:id/days/:date")
        #expect(RequestLogMiddleware.routeShape("/trials") == "/trials")
    }
}
