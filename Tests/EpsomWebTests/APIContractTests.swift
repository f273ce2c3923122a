import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import EpsomWeb

/// The API's contract: the OpenAPI document describes every operation with schemas read from
/// the wire types, the examples conform to them, the server refuses what the schemas forbid, and
/// the committed docs/openapi.json (from which the generated client in Tests/Client is built) is
/// the one served.
@Suite struct APIContractTests {
    /// Every wire type, with its example checked against its own schema and round-tripped.
    static let wireTypes: [any WireModel.Type] = [
        Wire.Error.self, Wire.SignUp.self, Wire.SignIn.self, Wire.Account.self, Wire.Session.self, Wire.DiaryEntryInput.self,
        Wire.DiaryEntry.self, Wire.DiaryPage.self, Wire.DoseInput.self, Wire.Dose.self, Wire.DosePage.self, Wire.SafetyWarning.self,
        Wire.Intake.self, Wire.TrialInput.self, Wire.Amendment.self, Wire.Trial.self, Wire.TrialPage.self, Wire.SchedulePeriod.self,
        Wire.Schedule.self, Wire.TrialDayInput.self, Wire.TrialDayRecord.self, Wire.AmendmentInput.self, Wire.StopInput.self,
        Wire.TrialAnalysis.self, Wire.ExportAccount.self, Wire.Product.self, Wire.ExportTrialDay.self, Wire.ExportTrial.self,
        Wire.ExportParticipation.self, Wire.ExportStudy.self, Wire.Export.self, Wire.RestoreResult.self, Wire.ImportResult.self,
        Wire.ScreeningQuestion.self, Wire.StudyInput.self, Wire.StudyAmendmentInput.self, Wire.StudyAmendment.self, Wire.Study.self,
        Wire.StudyPage.self, Wire.InvitationsInput.self, Wire.Invitations.self, Wire.StudyFlow.self, Wire.ParticipantActivity.self,
        Wire.StudyParticipant.self, Wire.StudyMonitoring.self, Wire.StudyInformation.self, Wire.ScreeningInput.self,
        Wire.PublicationInput.self, Wire.Publication.self, Wire.PublicationList.self,
        Wire.ScreeningResult.self, Wire.EnrolmentInput.self, Wire.Enrolment.self, Wire.WithdrawalInput.self,
    ]

    @Test func everyExampleConformsToItsSchemaAndSurvivesTheWire() throws {
        let registry = SchemaRegistry()
        for type in Self.wireTypes {
            try check(type, registry)
        }
        // Every wire type is listed above: the registry holds no Wire component that is not.
        let listed = Set(Self.wireTypes.map { SchemaRegistry.name(of: $0) })
        let wire = Set(registry.components.keys).filter { !$0.hasPrefix("AccountArchive") && !$0.hasPrefix("NOf1JSON") }
            .filter { !["TrialDesign", "TrialArm", "TrialSchedule", "TrialPeriod", "ErrorDetail"].contains($0) }
        #expect(wire.subtracting(listed).isEmpty, "wire types missing from the list: \(wire.subtracting(listed).sorted())")
    }

    private func check<T: WireModel>(_ type: T.Type, _ registry: SchemaRegistry) throws {
        let schema = try registry.schema(type)
        let example = try JSONValue(encoding: T.example)
        let problems = schema.violations(of: example, components: registry.components)
        #expect(problems.isEmpty, "\(T.self)'s example breaks its schema: \(problems)")
        // Wire names survive both ways (an acronym in a property name would not).
        let data = try WireJSON.encoder().encode(T.example)
        let back = try WireJSON.decoder().decode(T.self, from: data)
        #expect(try JSONValue(encoding: back) == example, "\(T.self) does not round-trip")
        // Every property of the schema is in the example or optional.
        let component = try #require(registry.components[SchemaRegistry.name(of: type)])
        #expect(!component.properties.isEmpty, "\(T.self) has no properties")
        guard case .object(let object) = example else {
            Issue.record("\(T.self)'s example is not an object")
            return
        }
        for name in component.required { #expect(object[name] != nil, "\(T.self).\(name) is required but not in the example") }
    }

    @Test func theDocumentDescribesEveryOperationWithSchemas() async throws {
        try await TestApp.make().run { client in
            let served = try await client.call(.get, "/openapi.json")
            let document = try decodeJSON(JSONValue.self, from: served.body)
            guard case .object(let root) = document, case .object(let paths)? = root["paths"],
                case .object(let components)? = root["components"], case .object(let schemas)? = components["schemas"]
            else {
                Issue.record("no paths or schemas")
                return
            }
            #expect(schemas.count >= Self.wireTypes.count)
            var operations = 0
            var operationIDs = Set<String>()
            for (path, item) in paths {
                guard case .object(let methods) = item else { continue }
                for (method, op) in methods {
                    guard case .object(let operation) = op else { continue }
                    operations += 1
                    let operationName = "\(method.uppercased()) \(path)"
                    guard case .string(let id)? = operation["operationId"] else {
                        Issue.record("\(operationName) has no operationId")
                        continue
                    }
                    #expect(operationIDs.insert(id).inserted, "\(operationName): operationId \(id) is not unique")
                    guard case .object(let responses)? = operation["responses"] else {
                        Issue.record("\(operationName) has no responses")
                        continue
                    }
                    for (status, response) in responses {
                        guard case .object(let r) = response else { continue }
                        if status == "204" { continue }
                        guard case .object(let content)? = r["content"], let media = content.values.first,
                            case .object(let m) = media, m["schema"] != nil
                        else {
                            Issue.record("\(operationName) \(status) has no schema")
                            continue
                        }
                        if status.hasPrefix("4") || status.hasPrefix("5") {
                            #expect(m["schema"] == .object(["$ref": .string("#/components/schemas/Error")]), "\(operationName) \(status)")
                        }
                    }
                    if case .object(let body)? = operation["requestBody"], case .object(let content)? = body["content"],
                        case .object(let json)? = content["application/json"], case .object(let schema)? = json["schema"],
                        case .string(let ref)? = schema["$ref"]
                    {
                        let name = String(ref.dropFirst("#/components/schemas/".count))
                        #expect(schemas[name] != nil, "\(operationName): \(ref) is not a component")
                        #expect(json["example"] != nil, "\(operationName) has no example body")
                    }
                }
            }
            #expect(operations == RouteAccessTests.expected.count + RouteAccessTests.studyExpected.count)
        }
    }

    /// docs/openapi.json is what the server serves (the generated client is built from it).
    /// `EPSOM_WRITE_OPENAPI=1 swift test --filter committedDocument` rewrites it.
    @Test func committedDocumentIsTheServedOne() async throws {
        try await TestApp.make().run { client in
            let served = try await client.call(.get, "/openapi.json")
            let url = TestFiles.tests.deletingLastPathComponent().appendingPathComponent("docs/openapi.json")
            if ProcessInfo.processInfo.environment["EPSOM_WRITE_OPENAPI"] == "1" {
                try Data((served.body + "\n").utf8).write(to: url)
            }
            let committed = try String(contentsOf: url, encoding: .utf8)
            #expect(
                try decodeJSON(JSONValue.self, from: committed) == decodeJSON(JSONValue.self, from: served.body),
                "docs/openapi.json differs from the served document: run EPSOM_WRITE_OPENAPI=1 swift test --filter committedDocument")
        }
    }

    @Test func bodiesTheSchemaForbidsAreRefusedNamingTheField() async throws {
        try await TestApp.make().run { client in
            let token = try await client.signUp("pat@example.org")
            func fields(_ json: String) async throws -> [String: String] {
                let r = try await client.call(.put, "/api/v1/diary/2026-03-14", token: token, json: json)
                #expect(r.status == .unprocessableContent, "\(json) → \(r.status)")
                return try #require(try decodeJSON(API.Failure.self, from: r.body).error.fields)
            }
            #expect(try await fields(#"{"pain":"6"}"#) == ["pain": "must be a whole number, not a string"])
            #expect(try await fields(#"{"pain":6.5}"#)["pain"] != nil)
            #expect(try await fields(#"{"pain":11}"#) == ["pain": "must be a whole number from 0 to 10"])
            #expect(try await fields(#"{"pain":6,"sleep":null}"#)["sleep"] == "must be a whole number, not null")
            #expect(try await fields(#"{"pain":6,"side_effects":["hiccups"]}"#)["side_effects"] != nil)
            let unknown = try await fields(#"{"pain":6,"mood":3}"#)
            #expect(unknown["mood"]?.hasPrefix("is not a field of this request") == true)
            #expect(try await fields(#"{}"#) == ["pain": "is required"])
            // And what the schema allows is taken.
            let ok = try await client.call(.put, "/api/v1/diary/2026-03-14", token: token, json: #"{"pain":6.0,"side_effects":[]}"#)
            #expect(ok.status == .ok, "\(ok.body)")
        }
    }

    /// Schemathesis found the FHIR export declared as a string while it answers JSON: every
    /// answer of a walk-through is checked here against the schema the document gives it.
    @Test func answersConformToTheirSchemas() async throws {
        try await TestApp.make().run { client in
            let token = try await client.signUp("pat@example.org")
            let created = try await client.call(
                .post, "/api/v1/trials", token: token, json: #"{"template":"cream-vs-placebo","start_date":"2026-03-16"}"#)
            let trial = try decodeJSON(Wire.Trial.self, from: created.body)
            _ = try await client.call(.put, "/api/v1/diary/2026-03-14", token: token, json: #"{"pain":4}"#)
            let registry = SchemaRegistry()
            func conforms<T: WireModel>(_ path: String, _ type: T.Type) async throws {
                let r = try await client.call(.get, path, token: token)
                #expect(r.status == .ok, "\(path) → \(r.status)")
                let problems = try registry.schema(type).violations(
                    of: WireJSON.decoderForValues.decode(JSONValue.self, from: Data(r.body.utf8)), components: registry.components)
                #expect(problems.isEmpty, "\(path): \(problems)")
            }
            try await conforms("/api/v1/trials/\(trial.id)", Wire.Trial.self)
            try await conforms("/api/v1/trials/\(trial.id)/schedule", Wire.Schedule.self)
            try await conforms("/api/v1/trials", Wire.TrialPage.self)
            try await conforms("/api/v1/diary", Wire.DiaryPage.self)
            try await conforms("/api/v1/intake?date=2026-03-14", Wire.Intake.self)
            try await conforms("/api/v1/export", Wire.Export.self)
            let fhir = try await client.call(.get, "/api/v1/trials/\(trial.id)/fhir", token: token)
            #expect(fhir.headers[.contentType]?.hasPrefix("application/fhir+json") == true)
            let bundle = try WireJSON.decoderForValues.decode(JSONValue.self, from: Data(fhir.body.utf8))
            #expect(TrialsAPI.fhirBundle.violations(of: bundle, components: [:]) == [:])
        }
    }

    @Test func queryParametersTheSchemaForbidsAreRefused() async throws {
        try await TestApp.make().run { client in
            let token = try await client.signUp("pat@example.org")
            for query in ["limit=abc", "limit=0", "limit=1001", "patient=", "cursor="] {
                let r = try await client.call(.get, "/api/v1/diary?\(query)", token: token)
                #expect(r.status == .unprocessableContent, "\(query) → \(r.status) \(r.body)")
            }
        }
    }
}
