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
            let out = JSONStreamOutput(pretty: pretty, sink: sink)
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
