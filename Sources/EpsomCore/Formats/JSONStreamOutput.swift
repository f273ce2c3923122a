/// The byte buffer and state behind `JSONStream`; its containers are in
/// JSONStreamContainers.swift.
final class JSONStreamOutput: Encoder {
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
        Self.indent(depth, into: &bytes)
    }

    /// A line break and the indentation of `depth` (two spaces a level), copied from one
    /// prepared run of spaces rather than appended a space at a time.
    static func indent(_ depth: Int, into bytes: inout [UInt8]) {
        let count = 1 + 2 * depth
        if count <= newlineAndSpaces.count {
            newlineAndSpaces.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<count])) }
        } else {
            bytes.append(10)
            bytes.append(contentsOf: repeatElement(0x20, count: 2 * depth))
        }
    }

    private static let newlineAndSpaces: [UInt8] = [10] + Array(repeating: 0x20, count: 64)

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
        // Concrete integer types, not `any BinaryInteger`: a cast to a protocol makes the runtime
        // search every conformance in the process the first time it meets each type.
        case let i as Int64: bytes.append(contentsOf: String(i).utf8)
        case let i as Int32: bytes.append(contentsOf: String(i).utf8)
        case let i as UInt64: bytes.append(contentsOf: String(i).utf8)
        case let i as UInt32: bytes.append(contentsOf: String(i).utf8)
        case let i as UInt: bytes.append(contentsOf: String(i).utf8)
        case let i as Int16: bytes.append(contentsOf: String(i).utf8)
        case let i as Int8: bytes.append(contentsOf: String(i).utf8)
        case let i as UInt16: bytes.append(contentsOf: String(i).utf8)
        case let i as UInt8: bytes.append(contentsOf: String(i).utf8)
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
            ShortestDecimal.withBytes(d) { bytes.append(contentsOf: $0) }
        }
    }

    static func string(_ s: String, into bytes: inout [UInt8]) {
        bytes.append(0x22)
        // Most strings (study names, words) need no escapes: copied in one go.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C }) {
            bytes.append(contentsOf: s.utf8)
            bytes.append(0x22)
            return
        }
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
        return KeyedEncodingContainer(JSONStreamKeyedWriter(out: self))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        open(.array)
        return JSONStreamListWriter(out: self)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { JSONStreamSingleWriter(out: self) }
}
