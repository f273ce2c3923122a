import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EpsomWeb

/// Every JSON API route, in process, including who may see what.
@Suite struct APITests {
    @Test func signUpValidatesAndRefusesDuplicates() async throws {
        try await TestApp.make().run { client in
            let bad = try await client.call(.post, "/api/v1/accounts", json: #"{"email":"nope","password":"short","name":""}"#)
            #expect(bad.status == .unprocessableContent)
            let fields = try #require(try decodeJSON(API.Failure.self, from: bad.body).error.fields)
            #expect(Set(fields.keys) == ["email", "password", "name"])
            _ = try await client.signUp("pat@example.org")
            let again = try await client.call(
                .post, "/api/v1/accounts",
                json: #"{"email":"PAT@example.org","password":"another long one","name":"X"}"#)
            #expect(again.status == .conflict)
            let wrong = try await client.call(.post, "/api/v1/sessions", json: #"{"email":"pat@example.org","password":"wrong password!"}"#)
            #expect(wrong.status == .unauthorized)
            let unknown = try await client.call(
                .post, "/api/v1/sessions", json: #"{"email":"who@example.org","password":"wrong password!"}"#)
            #expect(unknown.status == .unauthorized && unknown.body == wrong.body)  // no hint which part was wrong
            let notJSON = try await client.call(.post, "/api/v1/accounts", body: "email=x")
            #expect(notJSON.status == .badRequest)
        }
    }

    @Test func diaryRoundTripAndValidation() async throws {
        try await TestApp.make().run { client in
            let token = try await client.signUp("pat@example.org")
            let put = try await client.call(
                .put, "/api/v1/diary/2026-03-14", token: token,
                json: #"{"pain":6,"sleep":4,"side_effects":["diarrhoea"],"note":"long walk"}"#)
            #expect(put.status == .ok, "\(put.body)")
            let got = try decodeJSON(API.DiaryEntry.self, from: try await client.call(.get, "/api/v1/diary/2026-03-14", token: token).body)
            #expect(got.pain == 6 && got.sideEffects == ["diarrhoea"])
            let edit = try await client.call(.put, "/api/v1/diary/2026-03-14", token: token, json: #"{"pain":3}"#)
            #expect(edit.status == .ok)
            let list = try decodeJSON(
                API.DiaryList.self, from: try await client.call(.get, "/api/v1/diary?from=2026-03-01&to=2026-03-31", token: token).body)
            #expect(list.entries.map(\.pain) == [3])
            let invalid = try await client.call(.put, "/api/v1/diary/2026-03-14", token: token, json: #"{"pain":"eleven","sleep":12}"#)
            #expect(invalid.status == .unprocessableContent)
            let fields = try #require(try decodeJSON(API.Failure.self, from: invalid.body).error.fields)
            #expect(fields == ["pain": "must be a whole number from 0 to 10", "sleep": "must be a whole number from 0 to 10"])
            #expect(
                try await client.call(.put, "/api/v1/diary/2026-02-30", token: token, json: #"{"pain":1}"#).status == .unprocessableContent)
            #expect(
                try await client.call(.put, "/api/v1/diary/2027-01-01", token: token, json: #"{"pain":1}"#).status == .unprocessableContent)
            #expect(
                try await client.call(.get, "/api/v1/diary?from=2026-04-01&to=2026-03-01", token: token).status == .unprocessableContent)
            #expect(try await client.call(.delete, "/api/v1/diary/2026-03-14", token: token).status == .noContent)
            #expect(try await client.call(.get, "/api/v1/diary/2026-03-14", token: token).status == .notFound)
        }
    }

    @Test func everyRouteNeedsAnIdentityAndDataStaysPrivate() async throws {
        try await TestApp.make().run { client in
            #expect(try await client.call(.get, "/api/v1/diary").status == .unauthorized)
            #expect(try await client.call(.get, "/api/v1/diary", token: "forged").status == .unauthorized)
            let a = try await client.signUp("a@example.org"), b = try await client.signUp("b@example.org")
            try await client.call(.put, "/api/v1/diary/2026-03-14", token: a, json: #"{"pain":7}"#)
            #expect(try await client.call(.get, "/api/v1/diary/2026-03-14", token: b).status == .notFound)
            let bList = try decodeJSON(API.DiaryList.self, from: try await client.call(.get, "/api/v1/diary", token: b).body)
            #expect(bList.entries.isEmpty)
            // A patient cannot read another patient through ?patient=.
            let id = try decodeJSON(API.Export.self, from: try await client.call(.get, "/api/v1/export", token: a).body).account.id
            #expect(try await client.call(.get, "/api/v1/diary?patient=\(id)", token: b).status == .forbidden)
        }
    }

    @Test func cliniciansSeeSharedDataUntilRevoked() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let patient = try await client.signUp("p@example.org"),
                clinician = try await client.signUp("doc@example.org", role: "clinician")
            try await client.call(.put, "/api/v1/diary/2026-03-14", token: patient, json: #"{"pain":5}"#)
            let store = test.database.store
            let p = try #require(try await store.account(email: "p@example.org")),
                c = try #require(try await store.account(email: "doc@example.org"))
            #expect(try await client.call(.get, "/api/v1/diary/2026-03-14?patient=\(p.id)", token: clinician).status == .forbidden)
            try await store.share(patientID: p.id, clinicianID: c.id)
            let shared = try await client.call(.get, "/api/v1/diary/2026-03-14?patient=\(p.id)", token: clinician)
            #expect(shared.status == .ok)
            #expect(try decodeJSON(API.DiaryEntry.self, from: shared.body).pain == 5)
            #expect(try await client.call(.get, "/api/v1/intake?date=2026-03-14&patient=\(p.id)", token: clinician).status == .ok)
            try await store.revoke(patientID: p.id, clinicianID: c.id)
            #expect(try await client.call(.get, "/api/v1/diary/2026-03-14?patient=\(p.id)", token: clinician).status == .forbidden)
        }
    }

    @Test func dosesAndIntakeWithCitedWarnings() async throws {
        try await TestApp.make().run { client in
            let token = try await client.signUp("pat@example.org")
            let bad = try await client.call(.post, "/api/v1/doses", token: token, json: #"{"taken_at":"soon","route":"nasal","amount":-2}"#)
            #expect(bad.status == .unprocessableContent)
            let fields = try #require(try decodeJSON(API.Failure.self, from: bad.body).error.fields)
            #expect(Set(fields.keys).isSuperset(of: ["taken_at", "route", "amount", "product", "unit"]))
            for time in ["08:00", "20:00"] {
                let ok = try await client.call(
                    .post, "/api/v1/doses", token: token,
                    json: #"{"taken_at":"2026-03-15T\#(time)","product":"Oxide","route":"oral","salt":"oxide","amount":400,"unit":"mg"}"#)
                #expect(ok.status == .created, "\(ok.body)")
            }
            try await client.call(
                .post, "/api/v1/doses", token: token,
                json:
                    #"{"taken_at":"2026-03-15T21:30","product":"Cream","route":"transdermal_cream","amount":2,"unit":"pump","elemental_mg":56,"site":"soles of the feet"}"#
            )
            let intake = try decodeJSON(
                API.Intake.self, from: try await client.call(.get, "/api/v1/intake?date=2026-03-15", token: token).body)
            // 2 × 400 mg of magnesium oxide at 60.3% elemental magnesium.
            expectClose(intake.supplementalElementalMg, 482.4, absolute: 1e-9, "supplemental")
            #expect(intake.transdermalElementalMg == 56)
            #expect(intake.warnings.map(\.code) == ["over_upper_limit", "transdermal_not_counted"])
            #expect(intake.warnings.allSatisfy { !$0.source.isEmpty && !$0.message.isEmpty })
            let list = try decodeJSON(
                API.DoseList.self, from: try await client.call(.get, "/api/v1/doses?from=2026-03-15&to=2026-03-15", token: token).body
            ).doses
            try #require(list.count == 3)
            #expect(list[2].site == "soles of the feet")
            let id = list[0].id
            #expect(try await client.call(.delete, "/api/v1/doses/\(id)", token: token).status == .noContent)
            #expect(try await client.call(.delete, "/api/v1/doses/\(id)", token: token).status == .notFound)
        }
    }

    @Test func exportImportAndErasure() async throws {
        try await TestApp.make().run { client in
            let token = try await client.signUp("pat@example.org")
            try await client.call(.put, "/api/v1/diary/2026-03-14", token: token, json: #"{"pain":6}"#)
            let csv = try await client.call(.get, "/api/v1/export/diary.csv", token: token)
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(
                csv.body
                    == "date,arm,washout,pain,enjoyment,activity,spasms,stiffness,sleep,side_effects,note\n2026-03-14,none,false,6,,,,,,,\n"
            )
            // The dose log comes out too (its upper bound once sorted before every date, emptying it).
            let dose = try await client.call(
                .post, "/api/v1/doses", token: token,
                json: #"{"taken_at":"2026-03-14T08:00","product":"Oxide","route":"oral","salt":"oxide","amount":400,"unit":"mg"}"#)
            #expect(dose.status == .created, "\(dose.body)")
            let doses = try await client.call(.get, "/api/v1/export/doses.csv", token: token)
            #expect(
                doses.body
                    == "taken_at,product,route,salt,amount,unit,elemental_mg,site,utc_offset\n2026-03-14T08:00,Oxide,oral,oxide,400,mg,241.2,,+00:00\n"
            )
            let withArm = try await client.call(.get, "/api/v1/export/diary.csv", token: token)
            #expect(withArm.body.hasSuffix("\n2026-03-14,Oxide,false,6,,,,,,,\n"))
            let bad = try await client.call(
                .post, "/api/v1/import/diary", token: token,
                body: "date,pain\n2026-03-01,4\n2026-03-02,44\nbad,1\n")
            #expect(bad.status == .unprocessableContent)
            let fields = try #require(try decodeJSON(API.Failure.self, from: bad.body).error.fields)
            #expect(
                fields == [
                    "line 3: pain": "must be a whole number from 0 to 10",
                    "line 4: date": "must be a date (YYYY-MM-DD) from 1900-01-01 to 2199-12-31",
                ])
            #expect(try await client.call(.get, "/api/v1/diary/2026-03-01", token: token).status == .notFound)  // nothing written
            let good = try await client.call(.post, "/api/v1/import/diary", token: token, body: "date,pain\n2026-03-01,4\n2026-03-02,5\n")
            #expect(try decodeJSON(API.Imported.self, from: good.body).imported == 2)
            let all = try decodeJSON(API.Export.self, from: try await client.call(.get, "/api/v1/export", token: token).body)
            #expect(all.diary.count == 3 && all.doses != nil && all.products != nil)
            #expect(try await client.call(.delete, "/api/v1/account", token: token).status == .noContent)
            #expect(try await client.call(.get, "/api/v1/export", token: token).status == .unauthorized)
        }
    }

    @Test func cookieSessionsNeedTheCSRFTokenForChanges() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            _ = try await client.signUp("pat@example.org")
            let store = test.database.store
            let account = try #require(try await store.account(email: "pat@example.org"))
            let issued = try await SessionIssuer(store: store, lifetime: 3600, now: AppClock.fixed(TestApp.today).now)
                .issue(for: account, kind: .web)
            var cookie = HTTPFields()
            cookie[.cookie] = "\(AuthenticationMiddleware.cookieName)=\(issued.token)"
            #expect(try await client.call(.get, "/api/v1/diary", headers: cookie).status == .ok)
            #expect(try await client.call(.put, "/api/v1/diary/2026-03-14", json: #"{"pain":2}"#, headers: cookie).status == .forbidden)
            cookie[.csrfToken] = issued.session.csrfToken
            #expect(try await client.call(.put, "/api/v1/diary/2026-03-14", json: #"{"pain":2}"#, headers: cookie).status == .ok)
            // A web session's token is not accepted as a bearer token.
            #expect(try await client.call(.get, "/api/v1/diary", token: issued.token).status == .unauthorized)
        }
    }

    @Test func openAPIDocumentsEveryRouteAndEveryDocumentedRouteExists() async throws {
        try await TestApp.make().run { client in
            let doc = try decodeJSON(API.OpenAPI.self, from: try await client.call(.get, "/openapi.json").body)
            #expect(doc.openapi == "3.1.0")
            let paths = doc.paths
            let required: [(String, String)] = [
                ("post", "/api/v1/accounts"), ("post", "/api/v1/sessions"), ("put", "/api/v1/diary/{date}"),
                ("get", "/api/v1/diary/{date}"), ("delete", "/api/v1/diary/{date}"), ("get", "/api/v1/diary"),
                ("post", "/api/v1/doses"), ("get", "/api/v1/doses"), ("get", "/api/v1/intake"), ("get", "/api/v1/export"),
                ("delete", "/api/v1/account"), ("post", "/api/v1/trials"), ("get", "/api/v1/trials/{id}"),
                ("get", "/api/v1/trials/{id}/schedule"), ("get", "/api/v1/trials/{id}/analysis"),
                ("get", "/api/v1/trials/{id}/calendar.ics"), ("get", "/api/v1/trials/{id}/fhir"),
            ]
            for (method, path) in required { #expect(paths[path]?[method] != nil, "\(method) \(path) undocumented") }
            // Every documented operation is routed: without credentials it answers 401, a
            // validation error, or (a public route, for a code nobody has) its own 404 naming
            // what is missing; never the router's 404 or 405.
            let unrouted = ErrorPageMiddleware.message(for: .notFound)
            for (path, operations) in paths {
                for method in operations.keys {
                    let uri = path.replacingOccurrences(of: "{date}", with: "2026-03-14").replacingOccurrences(of: "{id}", with: "x")
                        .replacingOccurrences(of: "{code}", with: "x")
                    let verb = try #require(HTTPRequest.Method(rawValue: method.uppercased()))
                    let answer = try await client.call(verb, uri, json: "{}")
                    #expect(
                        answer.status != .methodNotAllowed && !(answer.status == .notFound && answer.body.contains(unrouted)),
                        "\(method) \(path) → \(answer.status) \(answer.body)")
                    if answer.status == .notFound { #expect(path.hasPrefix("/api/v1/join/"), "\(method) \(path) → 404") }
                }
            }
        }
    }

    @Test func responsesCarrySecurityHeaders() async throws {
        try await TestApp.make().run { client in
            let response = try await client.call(.get, "/healthz")
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(response.headers[.cacheControl] == "no-store")
        }
    }
}
