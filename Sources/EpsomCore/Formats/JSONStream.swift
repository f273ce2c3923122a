/// JSON written straight into bytes: an `Encoder` that emits each value as it is encoded, with
/// the wire configuration's snake_case keys (`WireJSON.wireName`), shortest round-trip numbers
/// (Swift's `description`, which parses back to the same `Double`), and a flush of every full
/// megabyte to `sink`, so that a report with a million studies streams out instead of being
/// built as a tree first (as Foundation's `JSONEncoder` does).
///
/// Keys come in declaration order, not sorted: this writer serves large reports (`epsom meta`,
/// `analyze`, `pool`). What must be byte-stable (a trial's frozen protocol) is written by
/// `WireJSON.encoder()` with sorted keys.
public enum JSONStream {
    /// Encodes `value`, handing the bytes to `sink` in chunks; pretty output indents by two
    /// spaces. Throws `EncodingError.invalidValue` for a non-finite number.
    public static func write<T: Encodable>(_ value: T, pretty: Bool = true, sink: (ArraySlice<UInt8>) -> Void) throws {
        try withoutActuallyEscaping(sink) { sink in
            let out = Output(pretty: pretty, sink: sink)
            try out.value(value)
            out.newline()
            out.flush()
        }
    }

    /// The whole text (for tests and small values).
    public static func text<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
        var bytes: [UInt8] = []
        try write(value, pretty: pretty) { bytes.append(contentsOf: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A value of the large arrays (a study row of a report) that writes its own members, so that
/// a million rows skip the `Encodable` machinery: an array of them is written in one loop into a
/// local buffer. Its keys must be the wire names its `Encodable` conformance gives
/// (`FastIOTests` compares the two).
public protocol JSONStreamRow: Encodable {
    func writeMembers(_ members: inout JSONMembers) throws
}

/// Writes the members of a `JSONStreamRow` into a buffer of its own.
public struct JSONMembers {
    fileprivate var bytes: [UInt8]
    fileprivate let pretty: Bool
    fileprivate var depth: Int
    fileprivate var first = true

    fileprivate mutating func indent() {
        guard pretty else { return }
        bytes.append(10)
        bytes.append(contentsOf: repeatElement(0x20, count: 2 * depth))
    }

    fileprivate mutating func key(_ name: StaticString) {
        if first { first = false } else { bytes.append(0x2C) }
        indent()
        bytes.append(0x22)
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(0x22)
        bytes.append(0x3A)
        if pretty { bytes.append(0x20) }
    }

    public mutating func string(_ key: StaticString, _ value: String) {
        self.key(key)
        Output.string(value, into: &bytes)
    }

    public mutating func number(_ key: StaticString, _ value: Double) throws {
        self.key(key)
        try Output.number(value, into: &bytes)
    }

    /// Leaves the member out when nil, as `encodeIfPresent` does.
    public mutating func number(_ key: StaticString, _ value: Double?) throws {
        guard let value else { return }
        try number(key, value)
    }
}

/// Arrays of rows, recognised once per array.
private protocol JSONStreamRows {
    func writeRows(_ out: Output) throws
}

extension Array: JSONStreamRows where Element: JSONStreamRow {
    fileprivate func writeRows(_ out: Output) throws {
        out.open(.array)
        var members = JSONMembers(bytes: [], pretty: out.pretty, depth: out.depth)
        swap(&members.bytes, &out.bytes)
        defer { swap(&members.bytes, &out.bytes) }
        for (i, row) in enumerated() {
            if i > 0 { members.bytes.append(0x2C) }
            members.indent()
            members.bytes.append(0x7B)
            members.depth += 1
            members.first = true
            try row.writeMembers(&members)
            members.depth -= 1
            members.indent()
            members.bytes.append(0x7D)
            if members.bytes.count >= 1 << 20 {
                out.sink(members.bytes[...])
                members.bytes.removeAll(keepingCapacity: true)
            }
        }
        out.hasElements[out.hasElements.count - 1] = !isEmpty
        swap(&members.bytes, &out.bytes)
        out.close(.array)
        swap(&members.bytes, &out.bytes)
    }
}

/// The byte buffer and the encoder state shared by the containers.
private final class Output: Encoder {
    enum Opened { case object, array }

    var bytes: [UInt8] = []
    let pretty: Bool
    let sink: (ArraySlice<UInt8>) -> Void
    var depth = 0
    /// The container the running `encode(to:)` opened, closed by the caller when it returns.
    var opened: Opened?
    /// Whether the open container has had an element yet.
    var hasElements: [Bool] = []
    var keys: [String: [UInt8]] = [:]
    var codingPath: [CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    init(pretty: Bool, sink: @escaping (ArraySlice<UInt8>) -> Void) {
        self.pretty = pretty
        self.sink = sink
        bytes.reserveCapacity(1 << 20)
    }

    func flush() {
        sink(bytes[...])
        bytes.removeAll(keepingCapacity: true)
    }

    func newline() {
        if pretty { bytes.append(10) }
    }

    private func indent() {
        guard pretty else { return }
        bytes.append(10)
        bytes.append(contentsOf: repeatElement(0x20, count: 2 * depth))
    }

    /// Before an element of the open container: a comma after the first, and a new line.
    func element() {
        if hasElements[hasElements.count - 1] { bytes.append(0x2C) } else { hasElements[hasElements.count - 1] = true }
        indent()
    }

    func key(_ key: CodingKey) {
        element()
        let name = key.stringValue
        if let cached = keys[name] {
            bytes.append(contentsOf: cached)
        } else {
            var written: [UInt8] = []
            Self.string(WireJSON.wireName(name), into: &written)
            written.append(0x3A)
            if pretty { written.append(0x20) }
            keys[name] = written
            bytes.append(contentsOf: written)
        }
    }

    func open(_ kind: Opened) {
        bytes.append(kind == .object ? 0x7B : 0x5B)
        opened = kind
        depth += 1
        hasElements.append(false)
    }

    func close(_ kind: Opened) {
        depth -= 1
        if hasElements.removeLast() { indent() }
        bytes.append(kind == .object ? 0x7D : 0x5D)
        if bytes.count >= 1 << 20 { flush() }
    }

    /// Writes any value: numbers, strings and booleans directly, anything else through its
    /// `encode(to:)`, closing the container it opens.
    func value<T: Encodable>(_ value: T) throws {
        switch value {
        case let d as Double: try number(d)
        case let s as String: Self.string(s, into: &bytes)
        case let i as Int: bytes.append(contentsOf: String(i).utf8)
        case let b as Bool: bytes.append(contentsOf: (b ? "true" : "false").utf8)
        case let f as Float: try number(Double(f))
        case let i as any BinaryInteger: bytes.append(contentsOf: "\(i)".utf8)
        case let rows as JSONStreamRows:
            let outer = opened
            try rows.writeRows(self)
            opened = outer
        default:
            let outer = opened
            opened = nil
            try value.encode(to: self)
            if let kind = opened { close(kind) }
            opened = outer
        }
    }

    func number(_ d: Double) throws { try Self.number(d, into: &bytes) }

    static func number(_ d: Double, into bytes: inout [UInt8]) throws {
        guard d.isFinite else {
            throw EncodingError.invalidValue(d, .init(codingPath: [], debugDescription: "\(d) is not a JSON number"))
        }
        // Swift's description is the shortest text that reads back as the same Double ("0.1",
        // "1e-05"); an integral value is written without ".0".
        if d == d.rounded(), abs(d) < 1e15 {
            bytes.append(contentsOf: String(Int64(d)).utf8)
        } else {
            bytes.append(contentsOf: d.description.utf8)
        }
    }

    static func string(_ s: String, into bytes: inout [UInt8]) {
        bytes.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
            case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: bytes.append(b)
            }
        }
        bytes.append(0x22)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        open(.object)
        return KeyedEncodingContainer(KeyedWriter(out: self))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        open(.array)
        return ListWriter(out: self)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { SingleWriter(out: self) }
}

private struct KeyedWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let out: Output
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
        Output.string(value, into: &out.bytes)
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

private struct ListWriter: UnkeyedEncodingContainer {
    let out: Output
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

private struct SingleWriter: SingleValueEncodingContainer {
    let out: Output
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
