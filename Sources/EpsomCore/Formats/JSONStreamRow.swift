/// A value of the large arrays (a study row of a report) that writes its own members, so that
/// a million rows skip the `Encodable` machinery: an array of them is written in one loop into a
/// local buffer. Its keys must be the wire names its `Encodable` conformance gives
/// (`FastIOTests` compares the two).
public protocol JSONStreamRow: Encodable {
    func writeMembers(_ members: inout JSONMembers) throws
}

/// Writes the members of a `JSONStreamRow` into a buffer of its own.
public struct JSONMembers {
    var bytes: [UInt8]
    let pretty: Bool
    var depth: Int
    var first = true

    mutating func indent() {
        guard pretty else { return }
        JSONStreamOutput.indent(depth, into: &bytes)
    }

    mutating func key(_ name: StaticString) {
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
        JSONStreamOutput.string(value, into: &bytes)
    }

    public mutating func number(_ key: StaticString, _ value: Double) throws {
        self.key(key)
        try JSONStreamOutput.number(value, into: &bytes)
    }

    /// Leaves the member out when nil, as `encodeIfPresent` does.
    public mutating func number(_ key: StaticString, _ value: Double?) throws {
        guard let value else { return }
        try number(key, value)
    }
}

/// Arrays of rows, recognised once per array.
protocol JSONStreamRows {
    func writeRows(_ out: JSONStreamOutput) throws
}

extension Array: JSONStreamRows where Element: JSONStreamRow {
    func writeRows(_ out: JSONStreamOutput) throws {
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
