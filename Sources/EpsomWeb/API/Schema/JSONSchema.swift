/// The part of JSON Schema (draft 2020-12, as OpenAPI 3.1 uses it) that describes Epsom's API.
/// Schemas of the wire types are read off their `Decodable` conformance (`SchemaReader`), so
/// the document and the decoder cannot disagree; the server also checks every request body
/// against its schema (`JSONSchema.violations`), so it accepts nothing the document forbids.
struct JSONSchema: Sendable, Equatable {
    enum Kind: String, Sendable {
        case string, integer, number, boolean, array, object
    }

    var kind: Kind?
    /// "#/components/schemas/Name" for a named type.
    var reference: String?
    var format: String?
    var choices: [String]?
    var minimum: Double?
    var maximum: Double?
    var minLength: Int?
    var maxLength: Int?
    /// The element schema of an array (one element).
    var items: [JSONSchema] = []
    /// Properties by wire name, in declaration order.
    var properties: [(name: String, schema: JSONSchema)] = []
    var required: [String] = []
    /// For an object: the schema of values under keys that are not properties (a map); nil
    /// means no other keys are allowed.
    var additional: [JSONSchema] = []
    var description: String?
    var example: JSONValue?

    init(_ kind: Kind? = nil, format: String? = nil, description: String? = nil) {
        self.kind = kind
        self.format = format
        self.description = description
    }

    static let string = JSONSchema(.string)
    static let integer = JSONSchema(.integer)
    static let number = JSONSchema(.number)
    static let boolean = JSONSchema(.boolean)
    static let date = JSONSchema(.string, format: "date")
    static let dateTime = JSONSchema(.string, format: "date-time")

    static func array(_ element: JSONSchema) -> JSONSchema {
        var schema = JSONSchema(.array)
        schema.items = [element]
        return schema
    }

    static func oneOf(_ values: [String]) -> JSONSchema {
        var schema = JSONSchema(.string)
        schema.choices = values
        return schema
    }

    static func reference(_ name: String) -> JSONSchema {
        var schema = JSONSchema()
        schema.reference = "#/components/schemas/" + name
        return schema
    }

    /// A map from names to values of one schema (such as the error's `fields`).
    static func map(_ value: JSONSchema) -> JSONSchema {
        var schema = JSONSchema(.object)
        schema.additional = [value]
        return schema
    }

    func property(_ name: String) -> JSONSchema? { properties.first { $0.name == name }?.schema }

    static func == (a: JSONSchema, b: JSONSchema) -> Bool { a.json == b.json }

    /// The schema as JSON, in OpenAPI 3.1's dialect.
    var json: JSONValue {
        if let reference {
            // A reference may carry its own description (allowed beside $ref in 3.1).
            var object: [String: JSONValue] = ["$ref": .string(reference)]
            if let description { object["description"] = .string(description) }
            return .object(object)
        }
        var object: [String: JSONValue] = [:]
        if let kind { object["type"] = .string(kind.rawValue) }
        if let format { object["format"] = .string(format) }
        if let choices { object["enum"] = .array(choices.map(JSONValue.string)) }
        if let minimum { object["minimum"] = .number(minimum) }
        if let maximum { object["maximum"] = .number(maximum) }
        if let minLength { object["minLength"] = .number(Double(minLength)) }
        if let maxLength { object["maxLength"] = .number(Double(maxLength)) }
        if let element = items.first { object["items"] = element.json }
        if kind == .object {
            if !properties.isEmpty {
                object["properties"] = .object(Dictionary(uniqueKeysWithValues: properties.map { ($0.name, $0.schema.json) }))
            }
            if !required.isEmpty { object["required"] = .array(required.map(JSONValue.string)) }
            object["additionalProperties"] = additional.first.map(\.json) ?? .bool(false)
        }
        if let description { object["description"] = .string(description) }
        if let example { object["examples"] = .array([example]) }
        return .object(object)
    }
}
