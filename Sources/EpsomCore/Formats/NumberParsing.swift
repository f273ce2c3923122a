/// Strict decimal parsing for data files: a plain decimal number with an optional exponent.
/// "NaN", "inf", hexadecimal and empty cells are refused, so they can never reach a result.
enum NumberParsing {
    static func decimal(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { decimal($0) }
    }

    /// The same rule, read from a cell's bytes: no string is made unless the cell is a number,
    /// and then one short enough to live inline (up to 15 bytes) allocates nothing.
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        guard start < end else { return nil }
        for i in start..<end {
            let b = bytes[i]
            // 0-9 + - . e E
            guard (b >= 0x30 && b <= 0x39) || b == 0x2B || b == 0x2D || b == 0x2E || b == 0x65 || b == 0x45 else { return nil }
        }
        guard let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)), value.isFinite
        else { return nil }
        return value
    }
}
