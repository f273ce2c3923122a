import EpsomCore
import EpsomStorage
import Foundation
import HTTPTypes
import Hummingbird

/// One JSON API endpoint: how it is routed, who may call it, what it reads and what it answers.
/// The router and `/openapi.json` are both built from the same list, and the request and
/// response schemas are read from the handler's own types, so none of them can drift apart.
struct Endpoint: Sendable {
    var method: HTTPRequest.Method
    /// Hummingbird path below /api/v1, e.g. "diary/:date".
    var path: String
    var summary: String
    /// Who may call it; enforced at registration (see `Access.admit`).
    var audience: Audience
    var parameters: [Parameter] = []
    var body: Body = .none
    var success: HTTPResponse.Status
    var reply: Reply
    /// Error statuses beyond those every endpoint of its kind may answer (see `errorStatuses`).
    var errors: [HTTPResponse.Status] = []
    var handler: @Sendable (Request, AppRequestContext) async throws -> Response

    var requiresAuthentication: Bool { audience != .anyone }

    /// A query or path parameter.
    struct Parameter: Sendable {
        enum Location: String, Sendable { case path, query }
        var name: String
        var location: Location
        var schema: JSONSchema
        var description: String
        var required: Bool { location == .path }

        static func query(_ name: String, _ schema: JSONSchema, _ description: String) -> Parameter {
            Parameter(name: name, location: .query, schema: schema, description: description)
        }

        static func path(_ name: String, _ schema: JSONSchema, _ description: String) -> Parameter {
            Parameter(name: name, location: .path, schema: schema, description: description)
        }

        /// Refuses query parameters the document forbids (a `limit` of "abc", an empty
        /// `patient`) with 422 naming each, before anything else runs. Formats such as dates are
        /// left to the handlers, whose messages say more.
        static func check(_ parameters: [Parameter], _ request: Request) throws {
            var errors: [String: String] = [:]
            for parameter in parameters {
                guard let text = request.uri.queryParameters.get(parameter.name) else { continue }
                let value: JSONValue
                switch parameter.schema.kind {
                case .integer:
                    guard let n = Int(text) else { errors[parameter.name] = "must be a whole number"; continue }
                    value = .number(Double(n))
                case .number:
                    guard let n = Double(text), n.isFinite else { errors[parameter.name] = "must be a number"; continue }
                    value = .number(n)
                default:
                    value = .string(String(text))
                }
                errors.merge(parameter.schema.violations(of: value, components: [:], at: parameter.name)) { a, _ in a }
            }
            if !errors.isEmpty { throw APIError(.unprocessableContent, "Some query parameters are not valid.", fields: errors) }
        }
    }

    /// What a request carries.
    enum Body: Sendable {
        case none
        /// A JSON object of a wire type, checked against its schema before the handler runs
        /// (the handler reads it with `context.requireBody()`).
        case json(Schematic)
        /// Something the handler reads itself: a CSV file or an export document.
        case other(contentType: String, schema: JSONSchema, description: String)
    }

    /// What a success answers.
    enum Reply: Sendable {
        case json(Schematic)
        case noContent
        /// A file: text (CSV, iCalendar) or a document of another standard (FHIR), with its schema.
        case file(contentType: String, description: String, schema: JSONSchema = .string)
    }

    /// A wire type's schema and example, kept as functions of the type so that an endpoint is
    /// `Sendable` without holding the type itself.
    struct Schematic: Sendable {
        var name: String
        var schema: @Sendable (SchemaRegistry) throws -> JSONSchema
        var example: @Sendable () throws -> JSONValue

        init<T: WireModel>(_ type: T.Type) {
            name = SchemaRegistry.name(of: type)
            schema = { try $0.schema(T.self) }
            example = { try JSONValue(encoding: T.example) }
        }
    }

    private init(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, audience: Audience, parameters: [Parameter], body: Body,
        success: HTTPResponse.Status, reply: Reply, errors: [HTTPResponse.Status],
        handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response
    ) {
        self.method = method
        self.path = path
        self.summary = summary
        self.audience = audience
        self.parameters = parameters
        self.body = body
        self.success = success
        self.reply = reply
        self.errors = errors
        self.handler = handler
    }

    /// An endpoint answering a wire type with 200.
    init<R: WireModel & ResponseEncodable>(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, for audience: Audience, parameters: [Parameter] = [],
        body: Body = .none, errors: [HTTPResponse.Status] = [],
        _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> R
    ) {
        self.init(
            method, path, summary, audience: audience, parameters: parameters, body: body, success: .ok, reply: .json(Schematic(R.self)),
            errors: errors
        ) { request, context in try await handler(request, context).response(from: request, context: context) }
    }

    /// An endpoint answering a wire type with another status (201 Created).
    init<R: WireModel & ResponseEncodable>(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, for audience: Audience, parameters: [Parameter] = [],
        body: Body = .none, success: HTTPResponse.Status, errors: [HTTPResponse.Status] = [],
        _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> EditedResponse<R>
    ) {
        self.init(
            method, path, summary, audience: audience, parameters: parameters, body: body, success: success,
            reply: .json(Schematic(R.self)), errors: errors
        ) { request, context in try await handler(request, context).response(from: request, context: context) }
    }

    /// An endpoint answering no content (204) or a file.
    init(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, for audience: Audience, parameters: [Parameter] = [],
        body: Body = .none, reply: Reply, errors: [HTTPResponse.Status] = [],
        _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response
    ) {
        let success: HTTPResponse.Status = if case .noContent = reply { .noContent } else { .ok }
        self.init(
            method, path, summary, audience: audience, parameters: parameters, body: body, success: success, reply: reply, errors: errors,
            handler: handler)
    }

    /// The OpenAPI form of the path: "/api/v1/diary/{date}".
    var openAPIPath: String {
        "/api/v1/" + path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }

    /// The operation's id in the document and in generated clients: "getDiaryDate" for
    /// GET diary/:date.
    var operationID: String {
        let words = path.split(whereSeparator: { "/.:".contains($0) }).map(String.init).flatMap {
            $0.split(separator: "-").map(String.init)
        }
        return method.rawValue.lowercased() + words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// Every error status the endpoint may answer: the gate's (401, 403), a JSON body's (400,
    /// 413, 422), a parameter's (422), a path's (404), and its own.
    var errorStatuses: [HTTPResponse.Status] {
        var statuses = Set(errors.map(\.code))
        if requiresAuthentication { statuses.formUnion([401, 403]) }
        if case .json = body { statuses.formUnion([400, 413, 422]) }
        if !parameters.isEmpty { statuses.insert(422) }
        if path.contains(":") { statuses.insert(404) }
        return statuses.sorted().map { HTTPResponse.Status(code: $0) }
    }

    /// Routes each endpoint behind the access gate: the caller is admitted for the endpoint's
    /// audience, then a JSON body is read and checked against its schema, before its handler
    /// runs.
    static func register(_ endpoints: [Endpoint], on group: RouterGroup<AppRequestContext>, store: any Store) throws {
        let registry = SchemaRegistry()
        for endpoint in endpoints {
            let handler = endpoint.handler, audience = endpoint.audience
            let bodySchema: JSONSchema? =
                if case .json(let schematic) = endpoint.body { try schematic.schema(registry) } else { nil }
            let components = registry.components
            let query = endpoint.parameters.filter { $0.location == .query }
            group.on(RouterPath(endpoint.path), method: endpoint.method) { request, context in
                var context = context
                try await Access.admit(audience, request, &context, store: store)
                try Parameter.check(query, request)
                if let bodySchema { context.body = try await CheckedBody(request, schema: bodySchema, components: components) }
                return try await handler(request, context)
            }
        }
    }
}
