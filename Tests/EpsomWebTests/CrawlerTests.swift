import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EpsomWeb

/// Every page as each kind of person meets it: the demo patient, a clinician the patient shares
/// with, a clinician without a share, and someone not signed in. Starting from each role's own
/// pages it follows every link and posts to every form's address, and fails on what a person
/// would see as broken: markup shown as text, a link or form that leads nowhere (404/405) or to
/// an error (5xx), and a page a role must not see.
@Suite struct CrawlerTests {
    /// What the crawl found wrong, one line each.
    final class Findings: @unchecked Sendable {
        var problems: [String] = []
        var pagesVisited = 0
        var formsPosted = 0
    }

    @Test func everyPageAndLinkWorksForEveryRole() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let login = try #require(try await DemoAccount.seed(in: test.database.store, today: TestApp.today, bcryptCost: 4))
            let patient = Browser(client)
            try await patient.signIn(login.email, password: login.password)
            let doctor = try await Browser.signedUp(client, "doctor@example.org", name: "Dr Lee", role: "clinician")
            let stranger = try await Browser.signedUp(client, "other@example.org", name: "Dr Other", role: "clinician")
            let anonymous = Browser(client)

            // The patient shares with the first clinician, who then sees them on the start page.
            let account = try await patient.request(.get, "/account").body
            let shared = try await patient.request(
                .post, "/account/share",
                form: [
                    "csrf": Browser.csrf(in: account),
                    "clinician_email": "doctor@example.org",
                ])
            #expect(shared.status == .seeOther)
            let list = try await doctor.request(.get, "/").body
            let patientID = try #require(try PageText.patientID(in: list), "the clinician's list links to the patient")
            #expect(PageText.visible(list).contains("Demo Patient"))

            let patientRun = try await Self.crawl(
                patient,
                from: [
                    "/", "/history", "/doses", "/doses/log", "/trials", "/account",
                    "/evidence", "/evidence/gaps", "/evidence/workbench",
                ])
            let doctorRun = try await Self.crawl(doctor, from: ["/", "/account", "/evidence"])
            let anonymousRun = try await Self.crawl(anonymous, from: ["/", "/evidence", "/signin", "/signup"])
            for (role, run) in [("patient", patientRun), ("clinician", doctorRun), ("anonymous", anonymousRun)] {
                #expect(run.problems.isEmpty, "\(role): \(run.problems.joined(separator: "\n"))")
            }
            // The crawl reached the pages it is meant to check (the counts are of distinct addresses).
            #expect(patientRun.pagesVisited >= 40 && patientRun.formsPosted >= 10)
            #expect(doctorRun.pagesVisited >= 8)
            #expect(anonymousRun.pagesVisited >= 6)

            // Pages a role must not see.
            let patientPages = ["/history?patient=\(patientID)", "/trials?patient=\(patientID)", "/doses/log?patient=\(patientID)"]
            for page in patientPages {
                #expect(try await stranger.request(.get, page).status == .forbidden, "\(page) for a clinician without a share")
                #expect(try await doctor.request(.get, page).status == .ok, "\(page) for the sharing clinician")
                let anon = try await anonymous.request(.get, page)
                #expect(anon.status == .seeOther && anon.location == "/signin", "\(page) anonymous")
            }
            #expect(try await patient.request(.get, "/history?patient=\(try Self.ownID(test, "doctor@example.org"))").status == .forbidden)
            for page in ["/history", "/doses", "/trials"] {
                let own = try await doctor.request(.get, page)
                #expect(own.status == .seeOther && own.location == "/", "a clinician keeps no diary: \(page)")
            }
        }
    }

    // MARK: The crawler

    static func crawl(_ browser: Browser, from seeds: [String], limit: Int = 400) async throws -> Findings {
        let findings = Findings()
        var queue = seeds
        var seen = Set(seeds)
        var posted = Set<String>()
        while !queue.isEmpty, findings.pagesVisited < limit {
            let url = queue.removeFirst()
            var response = try await browser.request(.get, url)
            if response.status == .seeOther, let next = response.location, next.hasPrefix("/") {
                response = try await browser.request(.get, next)
            }
            findings.pagesVisited += 1
            let code = response.status.code
            if code == 404 || code == 405 || code >= 500 {
                findings.problems.append("GET \(url) → \(code)")
                continue
            }
            guard !url.hasPrefix("/api/"), !url.hasPrefix("/feeds/"), response.body.hasPrefix("<!doctype html>") else { continue }
            let text = PageText.visible(response.body)
            if let markup = text.firstMatch(of: #/<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?>/#) {
                findings.problems.append("\(url) shows markup as text: \(markup.output.0)")
            }
            // No inline style or script: the CSP allows neither (no 'unsafe-inline').
            if response.body.contains(" style=") || response.body.contains("<style") || response.body.contains("<script>") {
                findings.problems.append("\(url) has inline style or script, which the CSP blocks")
            }
            // No repository paths or notes to ourselves in what a person reads.
            if let path = text.range(of: #"(^|[\s(:])(docs|shared|Sources|scripts|Tests)/"#, options: .regularExpression) {
                findings.problems.append("\(url) shows a repository path: \(text[path])")
            }
            for bad in ["NaN", "Optional(", "nan%", "TODO"] where text.contains(bad) {
                findings.problems.append("\(url) shows \(bad)")
            }
            for link in try PageText.attributes("href", in: response.body) where link.hasPrefix("/") && !seen.contains(link) {
                seen.insert(link)
                queue.append(link)
            }
            // Every form's address must exist for POST. Posting without the CSRF token changes
            // nothing (it is refused), so this is safe on every form, sign-out and erasure included.
            for action in try PageText.attributes("action", in: response.body) where action.hasPrefix("/") && !posted.contains(action) {
                posted.insert(action)
                let method = formMethod(for: action, in: response.body)
                let result = try await browser.request(method == "get" ? .get : .post, action, form: method == "get" ? nil : [:])
                findings.formsPosted += 1
                if result.status.code == 404 || result.status.code == 405 || result.status.code >= 500 {
                    findings.problems.append("\(method.uppercased()) \(action) (form on \(url)) → \(result.status.code)")
                }
            }
        }
        return findings
    }

    static func formMethod(for action: String, in html: String) -> String {
        let escaped = action.replacingOccurrences(of: "&", with: "&amp;")
        guard let form = html.range(of: "action=\"\(escaped)") else { return "post" }
        let start = html[..<form.lowerBound].range(of: "<form", options: .backwards)?.lowerBound ?? form.lowerBound
        return html[start..<form.lowerBound].contains("method=\"get\"") ? "get" : "post"
    }

    static func ownID(_ test: TestApp, _ email: String) async throws -> String {
        try #require(try await test.database.store.account(email: email)).id
    }
}
