import Foundation
import HTTPTypes
import Hummingbird

/// The OpenAPI 3.1 description of the JSON API, generated from the same endpoint list that
/// builds the router (see `Endpoint`).
enum OpenAPIDocument {
    static func json(_ endpoints: [Endpoint]) -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for e in endpoints {
            var operation: [String: Any] = ["summary": e.summary, "description": "Who may call: " + e.audience.description]
            var parameters: [[String: Any]] = e.path.split(separator: "/").filter { $0.hasPrefix(":") }.map {
                ["name": String($0.dropFirst()), "in": "path", "required": true, "schema": ["type": "string"]]
            }
            for (name, description) in e.query.sorted(by: { $0.key < $1.key }) {
                parameters.append([
                    "name": name, "in": "query", "required": false, "description": description, "schema": ["type": "string"],
                ])
            }
            if !parameters.isEmpty { operation["parameters"] = parameters }
            if !e.requestFields.isEmpty {
                if e.requestFields.keys.contains("(body)") {
                    operation["requestBody"] = [
                        "content": ["text/csv": ["schema": ["type": "string"]]],
                        "description": e.requestFields["(body)"]!,
                    ]
                } else {
                    operation["requestBody"] = [
                        "content": [
                            "application/json": [
                                "schema": [
                                    "type": "object",
                                    "properties": Dictionary(
                                        uniqueKeysWithValues: e.requestFields.map { ($0.key, ["description": $0.value]) }),
                                ]
                            ]
                        ]
                    ]
                }
            }
            var responses: [String: Any] = [String(e.success.code): ["description": "Success"]]
            responses["422"] = ["description": "Invalid fields: {\"error\": {\"message\": …, \"fields\": {name: problem}}}"]
            if e.requiresAuthentication {
                responses["401"] = ["description": "Not signed in"]
                operation["security"] = [["bearer": [String]()], ["cookie": [String]()]]
            }
            operation["responses"] = responses
            paths[e.openAPIPath, default: [:]][e.method.rawValue.lowercased()] = operation
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Epsom API", "version": "1",
                "description": "Diary, magnesium regimen and safety. Cookie sessions must send X-CSRF-Token on changes.",
            ],
            "paths": paths,
            "components": [
                "securitySchemes": [
                    "bearer": ["type": "http", "scheme": "bearer"],
                    "cookie": ["type": "apiKey", "in": "cookie", "name": AuthenticationMiddleware.cookieName],
                ]
            ],
        ]
    }

    static func response(_ endpoints: [Endpoint]) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: json(endpoints), options: [.sortedKeys, .prettyPrinted])
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
