import EpsomCore
import Foundation
import HTTPTypes
import Hummingbird

/// An error answered as JSON: `{"error": {"message": …, "fields": {"name": "what is wrong"}}}`.
/// Messages name the rule broken; they never carry SQL, stack traces or stored health data.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    public var fields: [String: String]

    public init(_ status: HTTPResponse.Status, _ message: String, fields: [String: String] = [:]) {
        self.status = status
        self.message = message
        self.fields = fields
    }

    public static let unauthorized = APIError(.unauthorized, "Sign in first (a session cookie or a bearer token).")
    public static let forbidden = APIError(.forbidden, "You may not see or change this.")
    public static let notFound = APIError(.notFound, "Not found.")

    public static func invalid(_ errors: FieldErrors, message: String = "Some fields are not valid.") -> APIError {
        APIError(.unprocessableContent, message, fields: errors.messages)
    }

    struct Body: Encodable {
        struct Inner: Encodable {
            var message: String
            var fields: [String: String]?
        }
        var error: Inner
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(Body(error: .init(message: message, fields: fields.isEmpty ? nil : fields)))
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
