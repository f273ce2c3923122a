import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import EpsomWeb

/// Readiness, refused control characters, and security headers on every answer.
@Suite struct ReliabilityTests {
    /// /readyz answers 200 while the database answers, and 503 with Retry-After and the JSON
    /// error when it does not; /healthz says only that the process runs.
    @Test func readinessFollowsTheDatabase() async throws {
        let test = try await TestApp.make()
        try await test.app.test(.router) { client in
            let ready = try await client.call(.get, "/readyz")
            #expect(ready.status == .ok && ready.body == "ok")
            try await test.database.close()
            let down = try await client.call(.get, "/readyz")
            #expect(down.status == .serviceUnavailable && down.headers[.retryAfter] == "5")
            _ = try decodeJSON(API.Failure.self, from: down.body)
            #expect(try await client.call(.get, "/healthz").status == .ok)
        }
    }

    /// A NUL (or any control character but tab and line breaks) is refused with the field named,
    /// in JSON, in forms and in CSV imports; it was a 500 on PostgreSQL and silently cut on SQLite.
    @Test func controlCharactersAreRefusedWithTheFieldNamed() async throws {
        try await TestApp.make().run { client in
            let signUp = try await client.call(
                .post, "/api/v1/accounts",
                json: #"{"email":"n@example.org","password":"correct horse battery","name":"a\u0000b"}"#)
            #expect(signUp.status == .unprocessableContent)
            let fields = try decodeJSON(API.Failure.self, from: signUp.body).error.fields
            #expect(fields?.keys.sorted() == ["name"])
            let token = try await client.signUp("pat@example.org")
            let note = try await client.call(
                .put, "/api/v1/diary/2026-03-14", token: token, json: #"{"pain":5,"note":"ok\ttab\nline\u0007bell"}"#)
            #expect(note.status == .unprocessableContent && note.body.contains("note"))
            let fine = try await client.call(
                .put, "/api/v1/diary/2026-03-14", token: token, json: #"{"pain":5,"note":"tab\there\nand a line"}"#)
            #expect(fine.status == .ok || fine.status == .created, "\(fine.body)")
            let csv = try await client.callWhenNotBusy(
                .post, "/api/v1/import/diary", token: token, body: "date,pain,note\n2026-03-01,4,\"a\u{0}b\"\n")
            #expect(csv.status == .unprocessableContent && csv.body.contains("control characters"))
            #expect(try await client.call(.get, "/api/v1/diary/2026-03-01", token: token).status == .notFound)

            let b = try await Browser.signedUp(client, "form@example.org")
            let page = try await b.request(.get, "/").body
            let form = try await b.request(
                .post, "/diary",
                form: [
                    "csrf": Browser.csrf(in: page), "date": "2026-03-15", "pain": "3",
                    "note": "x\u{0}y",
                ])
            #expect(form.status == .unprocessableContent && form.body.contains("The field “note” contains a control character"))
            #expect(form.body.hasPrefix("<!doctype html>"))
        }
    }

    /// Every answer carries the security headers, errors included (401, 403, 404, 422).
    @Test func errorsCarryTheSecurityHeaders() async throws {
        try await TestApp.make().run { client in
            let token = try await client.signUp("pat@example.org")
            let answers = [
                try await client.call(.get, "/api/v1/export"),  // 401
                try await client.call(.get, "/history?patient=someone", token: token),  // 403
                try await client.call(.get, "/nowhere"),  // 404
                try await client.call(.put, "/api/v1/diary/2026-03-14", token: token, json: #"{"pain":40}"#),  // 422
            ]
            #expect(answers.map(\.status.code) == [401, 403, 404, 422])
            for answer in answers {
                #expect(answer.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                #expect(answer.headers[.contentSecurityPolicy]?.contains("unsafe-inline") == false)
                #expect(answer.headers[.xContentTypeOptions] == "nosniff" && answer.headers[.cacheControl] == "no-store")
            }
        }
    }

    /// Sessions: Account lists where one is signed in; an idle session no longer signs anyone
    /// in and the purge deletes it; "Sign out everywhere" ends every session of the account.
    @Test func sessionsEndWhenIdleAndEverywhere() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let store = test.database.store
            let now = TestApp.today.dayNumber * 86_400 + 43_200
            let first = try await Browser.signedUp(client, "pat@example.org")
            let second = Browser(client)
            try await second.signIn("pat@example.org", password: "correct horse battery")
            let account = try await first.request(.get, "/account").body
            #expect(PageText.visible(account).contains("A browser (this one)"))
            #expect(account.components(separatedBy: "<li>A browser").count == 3)
            let owner = try #require(try await store.account(email: "pat@example.org"))

            // A session unused for eight days signs nobody in, and the purge removes it.
            let token = "idle-token"
            try await store.createSession(
                StoredSession(
                    tokenHash: Tokens.hash(token), accountID: owner.id, kind: .api, csrfToken: "",
                    expiresAt: now + 86_400, createdAt: now - 9 * 86_400, lastSeenAt: now - 8 * 86_400))
            #expect(try await client.call(.get, "/api/v1/export", token: token).status == .unauthorized)
            await SessionPurgeService(store: store, idleSeconds: 7 * 86_400, now: { now }, logger: Logger(label: "test")).purgeOnce()
            #expect(try await store.session(tokenHash: Tokens.hash(token)) == nil)
            #expect(try await store.sessions(accountID: owner.id).count == 2)  // the two browsers, in use

            let signedOut = try await first.request(.post, "/account/signout-everywhere", form: ["csrf": Browser.csrf(in: account)])
            #expect(signedOut.status == .seeOther && signedOut.location == "/signin")
            #expect(try await store.sessions(accountID: owner.id).isEmpty)
            let elsewhere = try await second.request(.get, "/history")
            #expect(elsewhere.status == .seeOther && elsewhere.location == "/signin")
        }
    }

    /// Ten wrong passwords for one account within 15 minutes, then 429 with Retry-After, for
    /// the API and the sign-in page alike, even with the right password; another account is
    /// not affected. The counters live in the database, shared by every server process.
    @Test func failedSignInsAreLimitedPerAccount() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            _ = try await client.signUp("pat@example.org")
            _ = try await client.signUp("other@example.org")
            for attempt in 1...10 {
                let wrong = try await client.call(
                    .post, "/api/v1/sessions", json: #"{"email":"pat@example.org","password":"wrong guess \#(attempt)"}"#)
                #expect(wrong.status == .unauthorized, "attempt \(attempt)")
            }
            let limited = try await client.call(
                .post, "/api/v1/sessions", json: #"{"email":"PAT@example.org","password":"correct horse battery"}"#)
            #expect(limited.status == .tooManyRequests)
            let retry = try #require(limited.headers[.retryAfter].flatMap(Int.init))
            #expect(retry > 0 && retry <= 15 * 60)
            let browser = Browser(client)
            let form = try await browser.request(.get, "/signin").body
            let signIn = try await browser.request(
                .post, "/signin",
                form: [
                    "csrf": Browser.csrf(in: form), "email": "pat@example.org",
                    "password": "correct horse battery",
                ])
            #expect(signIn.status == .tooManyRequests && PageText.visible(signIn.body).contains("Too many failed sign-ins"))
            #expect(
                try await client.call(.post, "/api/v1/sessions", json: #"{"email":"other@example.org","password":"correct horse battery"}"#)
                    .status == .created)
        }
    }

    /// Behind a TLS proxy (a public URL with https) every answer carries HSTS; on plain HTTP none does.
    @Test func hstsOnlyWhenServedOverTLS() async throws {
        try await TestApp.make().run { client in
            let plain = try await client.call(.get, "/signin")
            #expect(plain.headers[.strictTransportSecurity] == nil)
        }
        try await TestApp.make(publicURL: "https://epsom.example.org").run { client in
            let page = try await client.call(.get, "/signin"), missing = try await client.call(.get, "/nowhere")
            #expect(page.headers[.strictTransportSecurity] == "max-age=31536000; includeSubDomains")
            #expect(missing.headers[.strictTransportSecurity] != nil)
        }
    }

    /// The rate limit's client address: a proxy on loopback is trusted for X-Forwarded-For's last
    /// entry (the one it added); any other peer is taken as it is.
    @Test func clientAddressBehindAProxy() {
        #expect(AuthenticationMiddleware.clientAddress(peer: "127.0.0.1", forwardedFor: "203.0.113.9, 198.51.100.7") == "198.51.100.7")
        #expect(AuthenticationMiddleware.clientAddress(peer: "::1", forwardedFor: "198.51.100.7") == "198.51.100.7")
        #expect(AuthenticationMiddleware.clientAddress(peer: "198.51.100.8", forwardedFor: "10.0.0.1") == "198.51.100.8")
        #expect(AuthenticationMiddleware.clientAddress(peer: "127.0.0.1", forwardedFor: nil) == "127.0.0.1")
        #expect(AuthenticationMiddleware.clientAddress(peer: nil, forwardedFor: "198.51.100.7") == nil)
    }
}
