import EpsomCore
import Foundation
import HTTPTypes
import Hummingbird

/// The OpenAPI 3.1 description of the JSON API, generated from the same endpoint list that
/// builds the router (see `Endpoint`), with every body's schema read from its wire type.
enum OpenAPIDocument {
    static func json(_ endpoints: [Endpoint]) throws -> JSONValue {
        let registry = SchemaRegistry()
        let errorSchema = try registry.schema(Wire.Error.self)
        let errorExample = try JSONValue(encoding: Wire.Error.example)
        var paths: [String: [String: JSONValue]] = [:]
        for e in endpoints {
            var operation: [String: JSONValue] = [
                "operationId": .string(e.operationID),
                "summary": .string(e.summary),
                "description": .string("Who may call: " + e.audience.description),
                "tags": .array([.string(String(e.path.split(separator: "/").first ?? ""))]),
            ]
            var parameters = e.parameters
            for name in e.path.split(separator: "/").filter({ $0.hasPrefix(":") }).map({ String($0.dropFirst()) })
            where !parameters.contains(where: { $0.name == name && $0.location == .path }) {
                parameters.append(.path(name, .string, name))
            }
            if !parameters.isEmpty {
                operation["parameters"] = .array(
                    parameters.map {
                        .object([
                            "name": .string($0.name), "in": .string($0.location.rawValue), "required": .bool($0.required),
                            "description": .string($0.description), "schema": $0.schema.json,
                        ])
                    })
            }
            switch e.body {
            case .none:
                break
            case .json(let schematic):
                operation["requestBody"] = .object([
                    "required": .bool(true),
                    "content": .object([
                        "application/json": .object(["schema": try schematic.schema(registry).json, "example": try schematic.example()])
                    ]),
                ])
            case .other(let contentType, let schema, let description):
                operation["requestBody"] = .object([
                    "required": .bool(true), "description": .string(description),
                    "content": .object([contentType: .object(["schema": schema.json])]),
                ])
            }
            var responses: [String: JSONValue] = [:]
            switch e.reply {
            case .json(let schematic):
                responses[String(e.success.code)] = .object([
                    "description": .string(e.success.reasonPhrase),
                    "content": .object([
                        "application/json": .object(["schema": try schematic.schema(registry).json, "example": try schematic.example()])
                    ]),
                ])
            case .noContent:
                responses[String(e.success.code)] = .object(["description": .string("Done; no content.")])
            case .file(let contentType, let description, let schema):
                responses[String(e.success.code)] = .object([
                    "description": .string(description),
                    "content": .object([contentType: .object(["schema": schema.json])]),
                ])
            }
            for status in e.errorStatuses {
                var response: [String: JSONValue] = [
                    "description": .string(Self.describe(status)),
                    "content": .object(["application/json": .object(["schema": errorSchema.json, "example": errorExample])]),
                ]
                if status == .tooManyRequests || status == .serviceUnavailable {
                    response["headers"] = .object([
                        "Retry-After": .object([
                            "description": .string("Seconds to wait before trying again."), "schema": JSONSchema.integer.json,
                        ])
                    ])
                }
                responses[String(status.code)] = .object(response)
            }
            operation["responses"] = .object(responses)
            if e.requiresAuthentication {
                operation["security"] = .array([.object(["bearer": .array([])]), .object(["cookie": .array([])])])
            } else {
                operation["security"] = .array([])
            }
            paths[e.openAPIPath, default: [:]][e.method.rawValue.lowercased()] = .object(operation)
        }
        return .object([
            "openapi": .string("3.1.0"),
            "jsonSchemaDialect": .string("https://spec.openapis.org/oas/3.1/dialect/base"),
            "info": .object([
                "title": .string("Epsom API"), "version": .string("1"),
                "description": .string(
                    "Diary, magnesium regimen, personal N-of-1 trials and exports. JSON keys are snake_case; dates are "
                        + "YYYY-MM-DD; timestamps RFC 3339. Every error answers {\"error\": {\"message\", \"fields\"}}. "
                        + "Sign in with POST /api/v1/sessions and send `Authorization: Bearer TOKEN`; a browser session "
                        + "(cookie) must also send X-CSRF-Token on changes."),
                "license": .object(["name": .string("See the repository's LICENSE")]),
            ]),
            "servers": .array([.object(["url": .string("/")])]),
            "paths": .object(paths.mapValues { .object($0) }),
            "components": .object([
                "schemas": .object(registry.components.mapValues(\.json)),
                "securitySchemes": .object([
                    "bearer": .object(["type": .string("http"), "scheme": .string("bearer")]),
                    "cookie": .object([
                        "type": .string("apiKey"), "in": .string("cookie"), "name": .string(AuthenticationMiddleware.cookieName),
                    ]),
                ]),
            ]),
        ])
    }

    static func describe(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "The body is not a JSON object (or not the file expected)."
        case 401: "Not signed in, or the email or password is wrong."
        case 403: "The caller may not see or change this."
        case 404: "No such record for this account."
        case 409: "The request conflicts with what is stored (the message says what)."
        case 413: "The body is larger than the endpoint takes."
        case 422: "Invalid input: `fields` names each field (or CSV line) and what is wrong with it."
        case 429: "Too many attempts; Retry-After says when to try again."
        case 503: "Busy; Retry-After says when to try again."
        default: status.reasonPhrase
        }
    }

    /// The document's bytes, keys sorted, as served and as committed in docs/openapi.json.
    static func data(_ endpoints: [Endpoint]) throws -> Data {
        // A plain encoder: the document's own keys (operationId, $ref) are not wire types.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(try json(endpoints))
    }

    static func response(_ data: Data) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
