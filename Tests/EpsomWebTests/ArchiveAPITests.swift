import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EpsomWeb

/// Issue 14 over HTTP: GET /api/v1/export → DELETE /api/v1/account → sign up again → POST
/// /api/v1/import → GET /api/v1/export gives the same document, except the new account's id and
/// creation time (`account.id`, `account.created_at`, `archive.source.account_id`,
/// `archive.source.created_at`).
@Suite struct ArchiveAPITests {
    /// A blinded trial's seed, looked for in the export text: it must not be readable there.
    static let blindedSeed = "9876543210123"

    /// A patient with some of everything: diary, doses, products, settings, a running blinded
    /// trial (amended, one day answered), a finished open trial that was stopped, and shares with
    /// a clinician who exists and with an email no one has.
    static func makePatient(_ client: any TestClientProtocol, _ app: TestApp, email: String = "pat@example.org") async throws
        -> (token: String, account: Account)
    {
        let token = try await client.signUp(email)
        let store = app.database.store
        let account = try #require(try await store.account(email: email))
        for (date, json) in [
            ("2026-03-13", #"{"pain":4,"sleep":7,"note":"Ça va — \"fine\"\nsecond line 痛い"}"#),
            ("2026-03-14", #"{"pain":6,"enjoyment":5,"side_effects":["diarrhoea"]}"#),
        ] {
            #expect(try await client.call(.put, "/api/v1/diary/\(date)", token: token, json: json).status == .ok)
        }
        for json in [
            #"{"taken_at":"2026-03-14T08:00","product":"Oxide","route":"oral","salt":"oxide","amount":400,"unit":"mg"}"#,
            #"{"taken_at":"2026-03-14T21:30","product":"Cream","route":"transdermal_cream","amount":2,"unit":"pump","elemental_mg":56,"site":"soles"}"#,
        ] {
            #expect(try await client.call(.post, "/api/v1/doses", token: token, json: json).status == .created)
        }
        try await store.saveProduct(
            Product(
                id: "cream", name: "Cream", route: .transdermalCream, amount: 2, unit: .pump,
                strength: LabelStrength(basis: .elemental, value: 28, per: .pump)), accountID: account.id)
        try await store.updateMissedUseDays(accountID: account.id, days: 9)
        try await store.updateSafetyProfile(accountID: account.id, SafetyProfile(kidneyDisease: false, medicines: [.quinolone]))

        let created = try await client.call(
            .post, "/api/v1/trials", token: token,
            json: #"{"template":"cream-vs-placebo","seed":\#(blindedSeed)}"#)
        #expect(created.status == .created, "\(created.body)")
        let trial = try decodeJSON(API.Trial.self, from: created.body)
        #expect(
            try await client.call(
                .post, "/api/v1/trials/\(trial.id)/amendments", token: token,
                json: #"{"cycles":5,"reason":"More data"}"#
            ).status == .created)
        #expect(
            try await client.call(
                .put, "/api/v1/trials/\(trial.id)/days/2026-03-15", token: token,
                json: #"{"adherence":"partly","amount":1.5}"#
            ).status == .ok)

        let design = try TrialDesign.validated(
            ["template": "cream-vs-none", "seed": "77", "start_date": "2025-11-01"],
            today: CalendarDate(iso: "2025-10-01")!, randomSeed: 0)
        var old = Trial(id: "old-trial-\(UUID().uuidString.lowercased())", design: design, registeredOn: CalendarDate(iso: "2025-10-30")!)
        old = old.stopped(for: "Moved house", today: CalendarDate(iso: "2025-11-20")!)
        old.consentToPool = true
        try await store.createTrial(old, accountID: account.id)
        try await store.updateTrial(old, accountID: account.id)
        try await store.saveTrialDay(
            TrialDay(date: CalendarDate(iso: "2025-11-02")!, adherence: .yes), trialID: old.id, accountID: account.id)

        _ = try await client.signUp("doc-\(email)", role: "clinician")
        try await store.share(patientID: account.id, email: "doc-\(email)")
        try await store.share(patientID: account.id, email: "nobody-yet@example.org")
        return (token, account)
    }

    @Test func exportEraseSignUpImportGivesTheSameExport() async throws {
        let app = try await TestApp.make()
        try await app.run { client in
            let (token, _) = try await Self.makePatient(client, app)
            let first = try await client.call(.get, "/api/v1/export", token: token)
            #expect(first.status == .ok)
            // The running blinded trial is sealed: its seed and allocation are not in the text.
            #expect(!first.body.contains(Self.blindedSeed))
            let document = try JSONDocument(first.body)
            #expect(document.value["archive"]?["sealed_trials"]?.count == 1)
            #expect(document.value["archive"]?["trials"]?.count == 1)
            #expect(document.value["archive"]?["shares"]?.count == 2)

            #expect(try await client.call(.delete, "/api/v1/account", token: token).status == .noContent)
            let again = try await client.signUp("pat@example.org")
            let restored = try await client.call(.post, "/api/v1/import", token: again, json: first.body)
            #expect(restored.status == .ok, "\(restored.body)")
            #expect(try JSONDocument(restored.body) == JSONDocument(#"{"diary":2,"doses":2,"products":1,"shares":2,"trials":2}"#))

            let second = try await client.call(.get, "/api/v1/export", token: again)
            let ids = [
                ["account", "id"], ["account", "created_at"], ["archive", "source", "account_id"], ["archive", "source", "created_at"],
            ]
            #expect(try JSONDocument(second.body).removing(ids) == document.removing(ids))

            // A second import would duplicate: refused, naming the records, nothing written.
            let twice = try await client.call(.post, "/api/v1/import", token: again, json: first.body)
            #expect(twice.status == .conflict)
            let fields = try #require(try decodeJSON(API.Failure.self, from: twice.body).error.fields)
            #expect(fields["doses[0].id"] != nil && fields["diary[0].date"] != nil && fields["trials[0].id"] != nil)
            #expect(
                try JSONDocument(try await client.call(.get, "/api/v1/export", token: again).body).removing(ids) == document.removing(ids))
        }
    }

    @Test func aTamperedProtocolHashIsRefusedNamingTheFieldAndNothingIsWritten() async throws {
        let app = try await TestApp.make()
        try await app.run { client in
            let (token, _) = try await Self.makePatient(client, app)
            let exported = try await client.call(.get, "/api/v1/export", token: token).body
            #expect(try await client.call(.delete, "/api/v1/account", token: token).status == .noContent)
            let fresh = try await client.signUp("pat@example.org")
            let empty = try JSONDocument(try await client.call(.get, "/api/v1/export", token: fresh).body)

            // The open trial's registered protocol, with a hash that is not its JSON's.
            var document = try JSONDocument(exported)
            document.value["archive"]?["trials"]?[0]?["protocol_hash"] = .string(String(repeating: "0", count: 64))
            let refused = try await client.call(.post, "/api/v1/import", token: fresh, json: try document.text())
            #expect(refused.status == .unprocessableContent)
            #expect(
                try decodeJSON(API.Failure.self, from: refused.body).error.fields
                    == ["trials[0].protocol_hash": "does not match its protocol JSON"])

            // The sealed trial's amendment: named by its place among the sealed trials.
            var sealed = try JSONDocument(exported)
            let text = try #require(sealed.value["archive"]?["sealed_trials"]?[0]?.string)
            var trial = try JSONDocument(String(decoding: try #require(Data(base64Encoded: text)), as: UTF8.self))
            trial.value["amendments"]?[0]?["protocol_json"] = .string("{\"forged\":true}")
            sealed.value["archive"]?["sealed_trials"]?[0] = .string(Data(try trial.text().utf8).base64EncodedString())
            let forged = try await client.call(.post, "/api/v1/import", token: fresh, json: try sealed.text())
            #expect(forged.status == .unprocessableContent)
            #expect(
                try decodeJSON(API.Failure.self, from: forged.body).error.fields?["sealed_trials[0].amendments[0].protocol_hash"]
                    == "does not match its protocol JSON")

            // A bad value and a control character are named by their paths too.
            var bad = try JSONDocument(exported)
            bad.value["archive"]?["diary"]?[1]?["pain"] = .number(44)
            bad.value["archive"]?["doses"]?[0]?["site"] = .string("a\u{0}b")
            bad.value["archive"]?["diary"]?[0]?["date"] = .string("yesterday")
            let invalid = try await client.call(.post, "/api/v1/import", token: fresh, json: try bad.text())
            #expect(invalid.status == .unprocessableContent)
            #expect(try decodeJSON(API.Failure.self, from: invalid.body).error.fields?.keys.sorted() == ["diary[0].date"])
            bad.value["archive"]?["diary"]?[0]?["date"] = .string("2026-03-13")
            let invalid2 = try await client.call(.post, "/api/v1/import", token: fresh, json: try bad.text())
            #expect(
                try decodeJSON(API.Failure.self, from: invalid2.body).error.fields?.keys.sorted() == ["diary[1].pain", "doses[0].site"])
            #expect(try await client.call(.post, "/api/v1/import", token: fresh, json: #"{"diary":[]}"#).status == .unprocessableContent)

            // Nothing was written by any of them.
            let ids = [
                ["account", "id"], ["account", "created_at"], ["archive", "source", "account_id"], ["archive", "source", "created_at"],
            ]
            #expect(try JSONDocument(try await client.call(.get, "/api/v1/export", token: fresh).body).removing(ids) == empty.removing(ids))
        }
    }

    @Test func theAccountPageRestoresAnUploadedExport() async throws {
        let app = try await TestApp.make()
        try await app.run { client in
            let token = try await client.signUp("up@example.org")
            #expect(
                try await client.call(.put, "/api/v1/diary/2026-03-14", token: token, json: #"{"pain":6,"note":"<b>kept</b>"}"#).status
                    == .ok)
            let exported = try await client.call(.get, "/api/v1/export", token: token).body
            #expect(try await client.call(.delete, "/api/v1/account", token: token).status == .noContent)

            let browser = try await Browser.signedUp(client, "up@example.org")
            let page = try await browser.request(.get, "/account").body
            #expect(page.contains("action=\"/account/restore\" enctype=\"multipart/form-data\""))
            let csrf = Browser.csrf(in: page)
            // Without the CSRF token: refused.
            #expect(try await Self.upload(browser, csrf: "wrong", file: exported).status == .forbidden)
            var bad = try JSONDocument(exported)
            bad.value["archive"]?["diary"]?[0]?["pain"] = .number(11)
            let refused = try await Self.upload(browser, csrf: csrf, file: try bad.text())
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("diary[0].pain: must be a whole number from 0 to 10"))
            let done = try await Self.upload(browser, csrf: csrf, file: exported)
            #expect(done.status == .seeOther && done.location == "/account?restored=1", "\(done.body)")
            #expect(try await browser.request(.get, "/account?restored=1").body.contains("Restored"))
            let history = try await browser.request(.get, "/api/v1/diary/2026-03-14").body
            #expect(history.contains("<b>kept<"), "\(history)")
        }
    }

    /// Posts the Account page's upload form as a browser does (multipart/form-data).
    static func upload(_ browser: Browser, csrf: String, file: String) async throws
        -> (status: HTTPResponse.Status, body: String, location: String?)
    {
        let boundary = "----EpsomTestBoundary7MA4YWxkTrZu0gW"
        let body =
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n"
            + "--\(boundary)\r\nContent-Disposition: form-data; name=\"archive\"; filename=\"epsom-export.json\"\r\n"
            + "Content-Type: application/json\r\n\r\n\(file)\r\n--\(boundary)--\r\n"
        var headers = HTTPFields()
        headers[.cookie] = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return try await browser.client.execute(
            uri: "/account/restore", method: .post, headers: headers,
            body: ByteBuffer(string: body)
        ) { response in
            (response.status, String(buffer: response.body), response.headers[.location])
        }
    }
}

/// A JSON document as a value: compared whole, edited by path.
struct JSONDocument: Equatable {
    var value: JSONValue

    init(_ text: String) throws { value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    func text() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Without the values at these paths of object keys.
    func removing(_ paths: [[String]]) -> JSONDocument {
        var copy = self
        for path in paths { copy.value.remove(path[...]) }
        return copy
    }
}

/// Reading and editing a document in the tests: the API's own `JSONValue`.
extension JSONValue {
    var string: String? { if case .string(let s) = self { s } else { nil } }
    var count: Int? {
        switch self {
        case .array(let a): a.count
        case .object(let o): o.count
        default: nil
        }
    }

    subscript(key: String) -> JSONValue? {
        get { if case .object(let o) = self { o[key] } else { nil } }
        set { if case .object(var o) = self { o[key] = newValue; self = .object(o) } }
    }

    subscript(index: Int) -> JSONValue? {
        get { if case .array(let a) = self, a.indices.contains(index) { a[index] } else { nil } }
        set { if case .array(var a) = self, a.indices.contains(index), let newValue { a[index] = newValue; self = .array(a) } }
    }

    mutating func remove(_ path: ArraySlice<String>) {
        guard let key = path.first, case .object(var o) = self else { return }
        if path.count == 1 { o[key] = nil } else { o[key]?.remove(path.dropFirst()) }
        self = .object(o)
    }
}
