import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import EpsomWeb

/// Every API route × every kind of caller, against the answer written out here (not derived
/// from the routes' own declarations). The routes come from the served /openapi.json, so a new
/// route without a row below (in `expected` or `studyExpected`) fails the test, and so does a row
/// for a route that is gone.
@Suite struct RouteAccessTests {
    /// Who each route is for. Non-owners always name the owner with `?patient=`.
    static let expected: [String: Audience] = [
        "POST /api/v1/accounts": .anyone,
        "POST /api/v1/sessions": .anyone,
        "DELETE /api/v1/sessions": .owner,
        "DELETE /api/v1/account": .owner,
        "GET /api/v1/diary": .ownerOrSharingClinician,
        "GET /api/v1/diary/{date}": .ownerOrSharingClinician,
        "PUT /api/v1/diary/{date}": .owner,
        "DELETE /api/v1/diary/{date}": .owner,
        "POST /api/v1/doses": .owner,
        "GET /api/v1/doses": .ownerOrSharingClinician,
        "DELETE /api/v1/doses/{id}": .owner,
        "GET /api/v1/intake": .ownerOrSharingClinician,
        "GET /api/v1/export": .owner,
        "GET /api/v1/export/diary.csv": .owner,
        "GET /api/v1/export/doses.csv": .owner,
        "POST /api/v1/import/diary": .owner,
        "POST /api/v1/import/doses": .owner,
        "POST /api/v1/import": .owner,
        "POST /api/v1/trials": .patientOwner,
        "GET /api/v1/trials": .ownerOrSharingClinician,
        "GET /api/v1/trials/{id}": .ownerOrSharingClinician,
        "GET /api/v1/trials/{id}/schedule": .ownerOrSharingClinician,
        "PUT /api/v1/trials/{id}/days/{date}": .owner,
        "POST /api/v1/trials/{id}/amendments": .owner,
        "POST /api/v1/trials/{id}/stop": .owner,
        "GET /api/v1/trials/{id}/analysis": .ownerOrSharingClinician,
        "GET /api/v1/trials/{id}/calendar.ics": .owner,
        "GET /api/v1/trials/{id}/export.csv": .ownerOrSharingClinician,
        "GET /api/v1/trials/{id}/fhir": .ownerOrSharingClinician,
    ]

    /// The owner comes last, so that the owner's changes (a deletion) cannot hide what the
    /// others may or may not see.
    enum Caller: String, CaseIterable { case anonymous, otherPatient, sharingClinician, otherClinician, owner }

    /// The public routes' bodies, so that their answers show the caller was admitted.
    static let publicBodies = [
        "POST /api/v1/accounts": #"{"email":"new@example.org","password":"correct horse battery","name":"New"}"#,
        "POST /api/v1/sessions": #"{"email":"owner@example.org","password":"correct horse battery"}"#,
    ]

    /// A running trial's results wait for its end, for its owner (a sharing clinician sees the
    /// interim analysis).
    static let ownerReadsOtherThanOK: [String: HTTPResponse.Status] = ["GET /api/v1/trials/{id}/analysis": .conflict]

    /// What a caller must get: admitted (anything but 401 and 403; reads answer 200), or refused.
    static func expectation(_ audience: Audience, _ caller: Caller, route: String) -> (admitted: Bool, status: HTTPResponse.Status?) {
        switch (audience, caller) {
        case (.anyone, _): return (true, .created)
        case (_, .anonymous): return (false, .unauthorized)
        case (_, .owner): return (true, route.hasPrefix("GET") ? ownerReadsOtherThanOK[route] ?? .ok : nil)
        case (.ownerOrSharingClinician, .sharingClinician): return (true, .ok)
        default: return (false, .forbidden)
        }
    }

    @Test func everyRouteAnswersEveryCallerAsTheTableSays() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let owner = try await client.signUp("owner@example.org")
            let tokens: [Caller: String] = [
                .owner: owner,
                .otherPatient: try await client.signUp("other@example.org"),
                .sharingClinician: try await client.signUp("doc@example.org", role: "clinician"),
                .otherClinician: try await client.signUp("doc2@example.org", role: "clinician"),
            ]
            let store = test.database.store
            let ownerID = try #require(try await store.account(email: "owner@example.org")).id
            let doctorID = try #require(try await store.account(email: "doc@example.org")).id
            try await store.share(patientID: ownerID, clinicianID: doctorID)
            let today = TestApp.today.description
            #expect(try await client.call(.put, "/api/v1/diary/\(today)", token: owner, json: #"{"pain": 4}"#).status == .ok)
            let dose = try await client.call(
                .post, "/api/v1/doses", token: owner,
                json: """
                    {"taken_at": "\(today)T08:00", "product": "Citrate", "route": "oral", "salt": "citrate", "amount": 1, "unit": "g"}
                    """)
            let doseID = try decodeJSON(API.Dose.self, from: dose.body).id
            let trial = DemoTrial.generate(lastDay: TestApp.today.adding(days: 15), id: "running-trial").trial
            try await store.createTrial(trial, accountID: ownerID)

            let document = try await client.call(.get, "/openapi.json")
            let served = try Self.routes(document.body)
            #expect(
                Set(served) == Set(Self.expected.keys).union(Self.studyExpected.keys), "the tables and the served routes differ")
            // The study routes have their own callers (an investigator, a participant) below.
            let routes = served.filter { Self.studyExpected[$0] == nil }

            // Reads first, then changes; the owner's own changes last, erasure at the very end.
            let order = routes.sorted { Self.rank($0) < Self.rank($1) }
            var checked = 0
            for route in order {
                let audience = try #require(Self.expected[route])
                let parts = route.split(separator: " ", maxSplits: 1)
                let method = String(parts[0])
                let path = String(parts[1]).replacingOccurrences(of: "{date}", with: today)
                    .replacingOccurrences(of: "{id}", with: route.contains("/doses/") ? doseID : trial.id)
                for caller in Caller.allCases where !(audience == .anyone && caller != .anonymous) {
                    let uri = caller == .owner || caller == .anonymous && audience == .anyone ? path : path + "?patient=\(ownerID)"
                    var token = tokens[caller]
                    if route == "DELETE /api/v1/sessions", caller == .owner {
                        // Signing out ends a token: a second one, so the erasure after it still has one.
                        let session = try await client.call(
                            .post, "/api/v1/sessions",
                            json: #"{"email":"owner@example.org","password":"correct horse battery"}"#)
                        token = try decodeJSON(API.Session.self, from: session.body).token
                    }
                    let answer = try await client.call(
                        try #require(HTTPRequest.Method(method)), uri, token: token,
                        json: method == "GET" || method == "DELETE" ? nil : Self.publicBodies[route] ?? "{}")
                    let (admitted, status) = Self.expectation(audience, caller, route: route)
                    if admitted {
                        #expect(answer.status != .unauthorized && answer.status != .forbidden, "\(caller) \(route): \(answer.status)")
                    }
                    if let status {
                        #expect(answer.status == status, "\(caller) \(route): \(answer.status) \(answer.body.prefix(200))")
                    }
                    checked += 1
                }
            }
            // 2 public routes for the anonymous caller; 27 others for all five callers.
            #expect(checked == 2 + 27 * 5)
            // A clinician on their own account still may not run a trial.
            for route in routes where Self.expected[route] == .patientOwner {
                let path = String(route.split(separator: " ", maxSplits: 1)[1])
                let answer = try await client.call(.post, path, token: tokens[.sharingClinician], json: #"{"template":"cream-vs-none"}"#)
                #expect(answer.status == .forbidden, "\(route): \(answer.status)")
            }
        }
    }

    // MARK: Studies

    /// The callers of a study's routes: its investigator, another clinician, its pharmacist (who
    /// holds the allocations, and works from the pharmacy pages only), a participant enrolled in
    /// it, a patient who is not, and nobody signed in.
    enum StudyCaller: String, CaseIterable {
        case anonymous, otherPatient, otherClinician, pharmacist, participant, investigator
    }

    /// What each study route answers each caller, written out: 401 signed out, 403 for the wrong
    /// kind of account, 404 for another investigator's study (or a patient not enrolled), and
    /// for the admitted the answer to an empty body `{}` (422), or to the state the study is in
    /// (registered: 409 to draft edits and registration).
    static let studyExpected: [String: [StudyCaller: HTTPResponse.Status]] = {
        let investigatorOnly: (HTTPResponse.Status) -> [StudyCaller: HTTPResponse.Status] = {
            [
                .anonymous: .unauthorized, .otherPatient: .forbidden, .participant: .forbidden, .pharmacist: .forbidden,
                .otherClinician: .notFound, .investigator: $0,
            ]
        }
        let patientsOnly: (HTTPResponse.Status, HTTPResponse.Status) -> [StudyCaller: HTTPResponse.Status] = {
            [
                .anonymous: .unauthorized, .otherClinician: .forbidden, .investigator: .forbidden, .pharmacist: .forbidden,
                .participant: $0, .otherPatient: $1,
            ]
        }
        return [
            "GET /api/v1/studies": investigatorOnly(.ok).merging([.otherClinician: .ok]) { $1 },
            "POST /api/v1/studies": investigatorOnly(.unprocessableContent).merging([.otherClinician: .unprocessableContent]) { $1 },
            "GET /api/v1/studies/{id}": investigatorOnly(.ok),
            "PUT /api/v1/studies/{id}": investigatorOnly(.conflict),
            "POST /api/v1/studies/{id}/register": investigatorOnly(.conflict),
            "POST /api/v1/studies/{id}/amendments": investigatorOnly(.unprocessableContent),
            "POST /api/v1/studies/{id}/invitations": investigatorOnly(.unprocessableContent),
            "GET /api/v1/studies/{id}/monitoring": investigatorOnly(.ok),
            "GET /api/v1/join/{code}": Dictionary(uniqueKeysWithValues: StudyCaller.allCases.map { ($0, .ok) }),
            "POST /api/v1/join/{code}/screening": patientsOnly(.unprocessableContent, .unprocessableContent),
            "POST /api/v1/join/{code}/enrolment": patientsOnly(.unprocessableContent, .unprocessableContent),
            "GET /api/v1/join/{code}/enrolment": patientsOnly(.ok, .notFound),
            "POST /api/v1/join/{code}/withdrawal": patientsOnly(.unprocessableContent, .notFound),
            // The study runs: nothing to publish yet, nothing published; the published list is public.
            "PUT /api/v1/studies/{id}/publication": investigatorOnly(.conflict),
            "GET /api/v1/studies/{id}/publication": investigatorOnly(.notFound),
            "DELETE /api/v1/studies/{id}/publication": investigatorOnly(.noContent),
            "GET /api/v1/evidence/series": Dictionary(uniqueKeysWithValues: StudyCaller.allCases.map { ($0, .ok) }),
        ]
    }()

    @Test func everyStudyRouteAnswersEveryCallerAsTheTableSays() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let investigator = try await client.signUp("dr@example.org", role: "clinician")
            let tokens: [StudyCaller: String] = [
                .investigator: investigator,
                .otherClinician: try await client.signUp("doc2@example.org", role: "clinician"),
                .participant: try await client.signUp("ann@example.org"),
                .otherPatient: try await client.signUp("bob@example.org"),
                .pharmacist: try await client.signUp("rx@example.org", role: "pharmacist"),
            ]
            let (study, _) = try await StudiesAPITests.registeredStudy(client, token: investigator)
            let store = test.database.store
            try await store.setStudyPharmacist(
                studyID: study.id, investigatorID: try #require(try await store.account(email: "dr@example.org")).id,
                pharmacistID: try #require(try await store.account(email: "rx@example.org")).id)
            let code = try #require(study.enrolmentCode)
            let enrolled = try await client.call(
                .post, "/api/v1/join/\(code)/enrolment", token: tokens[.participant], json: StudiesAPITests.enrolment(code: nil))
            #expect(enrolled.status == .created, "\(enrolled.body)")

            let routes = try Self.routes(try await client.call(.get, "/openapi.json").body).filter { Self.studyExpected[$0] != nil }
            #expect(routes.count == Self.studyExpected.count)
            var checked = 0
            for route in routes.sorted(by: { Self.rank($0) < Self.rank($1) }) {
                let parts = route.split(separator: " ", maxSplits: 1)
                let method = try #require(HTTPRequest.Method(String(parts[0])))
                let path = String(parts[1]).replacingOccurrences(of: "{id}", with: study.id).replacingOccurrences(of: "{code}", with: code)
                for caller in StudyCaller.allCases {
                    let expected = try #require(Self.studyExpected[route]?[caller], "\(route) has no row for \(caller)")
                    let answer = try await client.call(method, path, token: tokens[caller], json: method == .get ? nil : "{}")
                    #expect(answer.status == expected, "\(caller) \(route): \(answer.status) \(answer.body.prefix(200))")
                    checked += 1
                }
            }
            #expect(checked == 17 * 6)
            // Naming another account with ?patient= is refused, as on every route of one's own.
            let participantID = try #require(try await store.account(email: "ann@example.org")).id
            #expect(
                try await client.call(.get, "/api/v1/studies/\(study.id)?patient=\(participantID)", token: investigator).status
                    == .forbidden)
        }
    }

    /// "METHOD /path" for every operation in the OpenAPI document.
    static func routes(_ json: String) throws -> [String] {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
        let paths = try #require((object as? [String: Any])?["paths"] as? [String: [String: Any]])
        return paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } }
    }

    static func rank(_ route: String) -> Int {
        if route.hasPrefix("GET") { return 0 }
        if route == "DELETE /api/v1/sessions" { return 3 }
        if route == "DELETE /api/v1/account" { return 4 }
        return route.hasPrefix("DELETE") ? 2 : 1
    }
}
