import EpsomCore
import Foundation
import Hummingbird

/// A wire type of the API: its schema is read off its `Decodable` conformance, with the words,
/// limits and example the type gives here.
protocol WireModel: Codable, Sendable, ResponseEncodable {
    /// What the type is, for the document.
    static var summary: String { get }
    /// Per property, by its Swift name: description, limits, format.
    static var notes: [String: FieldNote] { get }
    /// A realistic value, shown in the document and checked against the schema by the tests.
    static var example: Self { get }
}

extension WireModel {
    static var notes: [String: FieldNote] { [:] }
}

/// What a type says about one of its properties beyond its Swift type.
struct FieldNote: Sendable {
    var description: String
    var minimum: Double? = nil
    var maximum: Double? = nil
    var minLength: Int? = nil
    var maxLength: Int? = nil
    var format: String? = nil
    var choices: [String]? = nil

    init(
        _ description: String, minimum: Double? = nil, maximum: Double? = nil, minLength: Int? = nil, maxLength: Int? = nil,
        format: String? = nil, choices: [String]? = nil
    ) {
        self.description = description
        self.minimum = minimum
        self.maximum = maximum
        self.minLength = minLength
        self.maxLength = maxLength
        self.format = format
        self.choices = choices
    }

    func applied(to schema: JSONSchema) -> JSONSchema {
        var s = schema
        s.description = description
        if let minimum { s.minimum = minimum }
        if let maximum { s.maximum = maximum }
        if let minLength { s.minLength = minLength }
        if let maxLength { s.maxLength = maxLength }
        if let format { s.format = format }
        if let choices { s.choices = choices }
        return s
    }
}

/// A type whose schema is given rather than read: strings with a format or a closed set of
/// values. `placeholder` is any valid value, returned while a schema is being read.
protocol SchemaLeaf: Decodable {
    static var schema: JSONSchema { get }
    static var placeholder: Self { get }
}

/// A string enum is its list of raw values.
protocol SchemaEnum: SchemaLeaf, CaseIterable, RawRepresentable where RawValue == String {}

extension SchemaEnum {
    static var schema: JSONSchema { .oneOf(allCases.map(\.rawValue)) }
    static var placeholder: Self { allCases.first! }
}

/// Arrays and string-keyed maps, recognised while reading.
protocol SchemaContainer {
    static func schema(_ reader: SchemaRegistry) throws -> JSONSchema
    static var empty: Self { get }
}

extension Array: SchemaContainer where Element: Decodable {
    static func schema(_ reader: SchemaRegistry) throws -> JSONSchema { .array(try reader.schema(Element.self)) }
    static var empty: Self { [] }
}

extension Dictionary: SchemaContainer where Key == String, Value: Decodable {
    static func schema(_ reader: SchemaRegistry) throws -> JSONSchema { .map(try reader.schema(Value.self)) }
    static var empty: Self { [:] }
}

/// The named schemas of the document (`components/schemas`), read from the wire types on first
/// use.
final class SchemaRegistry {
    private(set) var components: [String: JSONSchema] = [:]

    /// The schema of a type: inline for numbers, strings, leaves and containers, a reference for
    /// a struct (whose schema is read and registered once).
    func schema<T: Decodable>(_ type: T.Type) throws -> JSONSchema {
        try read(type).schema
    }

    /// The schema and a placeholder value of `type`.
    func read<T: Decodable>(_ type: T.Type) throws -> (schema: JSONSchema, value: T) {
        switch type {
        case is String.Type: return (.string, "" as! T)
        case is Bool.Type: return (.boolean, false as! T)
        case is Int.Type: return (.integer, 0 as! T)
        case is Int64.Type: return (.integer, Int64(0) as! T)
        case is UInt64.Type: return (.integer, UInt64(0) as! T)
        case is Double.Type: return (.number, 0.0 as! T)
        default: break
        }
        if let leaf = type as? any SchemaLeaf.Type { return (leaf.schema, leaf.placeholder as! T) }
        if let container = type as? any SchemaContainer.Type { return (try container.schema(self), container.empty as! T) }
        let name = Self.name(of: type)
        let recorder = PropertyRecorder(registry: self, notes: (type as? any WireModel.Type)?.notes ?? [:])
        let value = try T(from: recorder)
        if components[name] == nil {
            var schema = JSONSchema(.object, description: (type as? any WireModel.Type)?.summary)
            schema.properties = recorder.properties
            schema.required = recorder.required
            if let model = type as? any WireModel.Type, let example = try? JSONValue(encoding: model.example) {
                schema.example = example
            }
            let unknown = Set(recorder.notes.keys).subtracting(recorder.swiftNames)
            guard unknown.isEmpty else {
                throw SchemaReadingError(message: "\(name).notes names properties it does not have: \(unknown.sorted())")
            }
            components[name] = schema
        }
        return (.reference(name), value)
    }

    /// "EpsomWeb.Wire.DiaryEntry" → "DiaryEntry"; "EpsomCore.NOf1JSON.Contrast" → "NOf1JSONContrast".
    static func name(of type: Any.Type) -> String {
        var parts = String(reflecting: type).split(separator: ".").map(String.init)
        parts.removeFirst()
        if parts.first == "Wire" { parts.removeFirst() }
        return parts.joined()
    }
}

/// A `Decoder` that builds nothing but records which keys a type reads, of what types, and
/// whether each is optional (`decodeIfPresent`). Synthesised `Decodable` conformances read
/// every stored property this way, so the schema follows the code.
private final class PropertyRecorder: Decoder {
    let registry: SchemaRegistry
    let notes: [String: FieldNote]
    var properties: [(name: String, schema: JSONSchema)] = []
    var required: [String] = []
    var swiftNames: Set<String> = []
    var codingPath: [CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    init(registry: SchemaRegistry, notes: [String: FieldNote]) {
        self.registry = registry
        self.notes = notes
    }

    func record(_ key: CodingKey, _ schema: JSONSchema, optional: Bool) {
        let wire = WireJSON.wireName(key.stringValue)
        guard !properties.contains(where: { $0.name == wire }) else { return }
        swiftNames.insert(key.stringValue)
        properties.append((wire, notes[key.stringValue].map { $0.applied(to: schema) } ?? schema))
        if !optional { required.append(wire) }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Keyed<Key>(recorder: self))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        throw SchemaReadingError(message: "a wire type must be an object with named properties")
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer {
        throw SchemaReadingError(message: "a wire type must be an object with named properties")
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let recorder: PropertyRecorder
        var codingPath: [CodingKey] { [] }
        var allKeys: [Key] { [] }
        func contains(_ key: Key) -> Bool { true }
        func decodeNil(forKey key: Key) throws -> Bool { false }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decode(type, key) }
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try decodeIfPresent(type, key) }

        // Every overload reads the same way (the primitive ones are separate requirements, and
        // the defaults of `decodeIfPresent` would call `decode`, losing the optionality).
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type, key) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type, key) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(type, key) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decode(type, key) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type, key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(type, key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decode(type, key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(type, key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type, key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(type, key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decode(type, key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decode(type, key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decode(type, key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decode(type, key) }
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try decodeIfPresent(type, key) }
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try decodeIfPresent(type, key) }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try decodeIfPresent(type, key) }
        func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try decodeIfPresent(type, key) }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try decodeIfPresent(type, key) }
        func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try decodeIfPresent(type, key) }
        func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try decodeIfPresent(type, key) }
        func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try decodeIfPresent(type, key) }
        func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try decodeIfPresent(type, key) }
        func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try decodeIfPresent(type, key) }
        func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try decodeIfPresent(type, key) }
        func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try decodeIfPresent(type, key) }
        func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try decodeIfPresent(type, key) }
        func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try decodeIfPresent(type, key) }

        private func decode<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
            let (schema, value) = try recorder.registry.read(type)
            recorder.record(key, schema, optional: false)
            return value
        }

        private func decodeIfPresent<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
            recorder.record(key, try recorder.registry.read(type).schema, optional: true)
            return nil
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            throw SchemaReadingError(message: "nested containers are not read; give the property a type")
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
            throw SchemaReadingError(message: "nested containers are not read; give the property a type")
        }

        func superDecoder() throws -> Decoder { recorder }
        func superDecoder(forKey key: Key) throws -> Decoder { recorder }
    }
}

struct SchemaReadingError: Error {
    var message: String
}
