import EpsomCore
import Foundation
import HTTPTypes
import Hummingbird

/// A JSON request body read as field texts, so that the API and the web forms share one
/// validation (and one set of messages): a number, a string or a list all become the text the
/// validators read, and a wrong type gets the same field message as a wrong value.
struct JSONFields: Sendable {
    var values: [String: String]

    init(values: [String: String]) { self.values = values }

    init(request: Request, maximumBytes: Int = 64 * 1024) async throws {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBytes)
        } catch {
            throw APIError(.contentTooLarge, "The request body is larger than \(maximumBytes / 1024) KB.")
        }
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(buffer: buffer)) else {
            throw APIError(.badRequest, "The request body must be a JSON object.")
        }
        values = object.compactMapValues(\.text)
        try ControlCharacters.check(values)
    }

    subscript(key: String) -> String? { values[key] }
}

/// Any JSON value.
enum JSONValue: Decodable, Sendable {
    case string(String), number(Double), bool(Bool), array([JSONValue]), object([String: JSONValue]), null

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    /// The text a form field would hold; nil for null.
    var text: String? {
        switch self {
        case .string(let s): s
        case .number(let n): n.rounded() == n && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case .bool(let b): b ? "true" : "false"
        case .array(let items): items.compactMap(\.text).joined(separator: ",")
        case .object: "{…}"
        case .null: nil
        }
    }
}
