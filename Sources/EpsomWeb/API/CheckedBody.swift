import EpsomCore
import Foundation
import HTTPTypes
import Hummingbird

/// A JSON request body after its schema check (`Endpoint.register` reads it before the handler
/// runs): the object as sent, and what the schema found wrong with it.
///
/// The handler then reads the body's fields as the texts a web form would send, with the same
/// validation (and messages) as the form, through `validated(_:_:)`: the domain's messages come
/// first and the schema's fill in for the fields it did not flag, so a wrong type ("5" for a
/// number) is refused as the document says while every message stays as helpful as the form's.
struct CheckedBody: Sendable {
    static let maximumBytes = 64 * 1024

    var object: [String: JSONValue]
    var schemaErrors: [String: String]
    /// The body as sent, for the typed decoding (numbers as written, not through `Double`).
    var data: Data

    init(_ request: Request, schema: JSONSchema, components: [String: JSONSchema]) async throws {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.maximumBytes)
        } catch {
            throw APIError(.contentTooLarge, "The request body is larger than \(Self.maximumBytes / 1024) KB.")
        }
        data = Data(buffer: buffer)
        guard case .object(let object)? = try? WireJSON.decoderForValues.decode(JSONValue.self, from: data) else {
            throw APIError(.badRequest, "The request body must be a JSON object.")
        }
        self.object = object
        schemaErrors = schema.violations(of: .object(object), components: components)
    }

    /// The fields as texts, as a web form sends them.
    var fields: [String: String] { object.compactMapValues(\.text) }

    /// The body as its wire type and as the domain value `build` makes of its field texts; 422
    /// naming every field that is wrong by the domain's rules or by the schema.
    func validated<Body: WireModel, Value>(
        _ type: Body.Type, message: String = "Some fields are not valid.", _ build: ([String: String]) async throws -> Value
    ) async throws -> (body: Body, value: Value) {
        let fields = fields
        try ControlCharacters.check(fields)
        var errors = schemaErrors
        var value: Value?
        do {
            value = try await build(fields)
        } catch let domain as FieldErrors {
            errors.merge(domain.messages) { _, domain in domain }
        }
        guard errors.isEmpty, let value else { throw APIError(.unprocessableContent, message, fields: errors) }
        do {
            let body = try WireJSON.decoder().decode(Body.self, from: data)
            return (body, value)
        } catch {
            throw APIError(
                .unprocessableContent, message, fields: ["body": "does not match the \(SchemaRegistry.name(of: Body.self)) schema"])
        }
    }
}

extension AppRequestContext {
    /// The request's JSON body, read and checked by `Endpoint.register`; a 500-free failure if
    /// the endpoint declared none.
    func requireBody() throws -> CheckedBody {
        guard let body else { throw APIError(.badRequest, "This endpoint takes no JSON body.") }
        return body
    }
}
