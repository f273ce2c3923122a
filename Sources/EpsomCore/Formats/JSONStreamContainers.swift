/// The containers `JSONStreamOutput` hands to `encode(to:)`. Each primitive overload is a
/// protocol requirement of its own, so they are spelled out; all write through the output.

struct JSONStreamKeyedWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let out: JSONStreamOutput
    var codingPath: [CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws {
        out.key(key)
        out.bytes.append(contentsOf: "null".utf8)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        out.key(key)
        try out.value(value)
    }

    // Each primitive overload is a requirement of its own.
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        out.key(key)
        try out.value(value)
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        out.key(key)
        JSONStreamOutput.string(value, into: &out.bytes)
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        out.key(key)
        try out.number(value)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        out.key(key)
        try out.value(value)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        out.key(key)
        try out.value(value)
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        out.key(key)
        try out.value(value)
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        out.key(key)
        try out.value(value)
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        out.key(key)
        try out.value(value)
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        out.key(key)
        try out.value(value)
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        out.key(key)
        try out.value(value)
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        out.key(key)
        try out.value(value)
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        out.key(key)
        try out.value(value)
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        out.key(key)
        try out.value(value)
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        out.key(key)
        try out.value(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        preconditionFailure("JSONStream writes types whose encode(to:) encodes values, not nested containers")
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        preconditionFailure("JSONStream writes types whose encode(to:) encodes values, not nested containers")
    }

    mutating func superEncoder() -> Encoder { out }
    mutating func superEncoder(forKey key: Key) -> Encoder { out }
}

struct JSONStreamListWriter: UnkeyedEncodingContainer {
    let out: JSONStreamOutput
    var codingPath: [CodingKey] { [] }
    var count = 0

    mutating func encodeNil() throws {
        out.element()
        out.bytes.append(contentsOf: "null".utf8)
        count += 1
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        out.element()
        try out.value(value)
        count += 1
    }

    mutating func encode(_ value: Bool) throws {
        out.element()
        try out.value(value)
        count += 1
    }
    mutating func encode(_ value: String) throws {
        out.element()
        try out.value(value)
        count += 1
    }
    mutating func encode(_ value: Double) throws {
        out.element()
        try out.value(value)
        count += 1
    }
    mutating func encode(_ value: Float) throws {
        out.element()
        try out.value(value)
        count += 1
    }
    mutating func encode(_ value: Int) throws {
        out.element()
        try out.value(value)
        count += 1
    }
    mutating func encode(_ value: Int8) throws {
        out.element()
        try out.value(value)
        count += 1
    }
    mutating func encode(_ value: Int16) throws {
        out.element()
        try out.value(value)
        count += 1
    }
    mutating func encode(_ value: Int32) throws {
        out.element()
        try out.value(value)
        count += 1
    }
    mutating func encode(_ value: Int64) throws {
        out.element()
        try out.value(value)
        count += 1
    }
    mutating func encode(_ value: UInt) throws {
        out.element()
        try out.value(value)
        count += 1
    }
    mutating func encode(_ value: UInt8) throws {
        out.element()
        try out.value(value)
        count += 1
    }
    mutating func encode(_ value: UInt16) throws {
        out.element()
        try out.value(value)
        count += 1
    }
    mutating func encode(_ value: UInt32) throws {
        out.element()
        try out.value(value)
        count += 1
    }
    mutating func encode(_ value: UInt64) throws {
        out.element()
        try out.value(value)
        count += 1
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        preconditionFailure("JSONStream writes types whose encode(to:) encodes values, not nested containers")
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        preconditionFailure("JSONStream writes types whose encode(to:) encodes values, not nested containers")
    }

    mutating func superEncoder() -> Encoder { out }
}

struct JSONStreamSingleWriter: SingleValueEncodingContainer {
    let out: JSONStreamOutput
    var codingPath: [CodingKey] { [] }

    mutating func encodeNil() throws { out.bytes.append(contentsOf: "null".utf8) }
    mutating func encode<T: Encodable>(_ value: T) throws { try out.value(value) }
    mutating func encode(_ value: Bool) throws { try out.value(value) }
    mutating func encode(_ value: String) throws { try out.value(value) }
    mutating func encode(_ value: Double) throws { try out.value(value) }
    mutating func encode(_ value: Float) throws { try out.value(value) }
    mutating func encode(_ value: Int) throws { try out.value(value) }
    mutating func encode(_ value: Int8) throws { try out.value(value) }
    mutating func encode(_ value: Int16) throws { try out.value(value) }
    mutating func encode(_ value: Int32) throws { try out.value(value) }
    mutating func encode(_ value: Int64) throws { try out.value(value) }
    mutating func encode(_ value: UInt) throws { try out.value(value) }
    mutating func encode(_ value: UInt8) throws { try out.value(value) }
    mutating func encode(_ value: UInt16) throws { try out.value(value) }
    mutating func encode(_ value: UInt32) throws { try out.value(value) }
    mutating func encode(_ value: UInt64) throws { try out.value(value) }
}
