import EpsomCore
import Foundation

/// Any JSON value: what a request body is read as before it is checked against its schema, and
/// what the OpenAPI document is built from.
enum JSONValue: Codable, Sendable, Equatable {
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

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .number(let n):
            if n.rounded() == n && abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .bool(let b): try c.encode(b)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        case .null: try c.encodeNil()
        }
    }

    /// The value of an `Encodable` as JSON, written with the wire configuration.
    init<T: Encodable>(encoding value: T) throws {
        self = try WireJSON.decoderForValues.decode(JSONValue.self, from: try WireJSON.encoder().encode(value))
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

    /// The JSON type's name as a message says it.
    var typeName: String {
        switch self {
        case .string: "a string"
        case .number(let n): n.rounded() == n ? "a whole number" : "a number"
        case .bool: "true or false"
        case .array: "a list"
        case .object: "an object"
        case .null: "null"
        }
    }
}

extension WireJSON {
    /// Reads any JSON value as it is written (no key conversion: a map's keys are data).
    static var decoderForValues: JSONDecoder { JSONDecoder() }
}
