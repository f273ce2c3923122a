#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Strict decimal parsing for data files: a plain decimal number with an optional exponent.
/// "NaN", "inf", hexadecimal and empty cells are refused, so they can never reach a result.
enum NumberParsing {
    static func decimal(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { decimal($0) }
    }

    /// The same rule, read from a cell's bytes with C's correctly rounded `strtod` (what
    /// `Double(String)` calls, in the C locale) without making a string first. Should the
    /// process's locale not use "." as the decimal point, `strtod` stops early and the cell is
    /// read by `Double(String)` instead, which ignores the locale.
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        let length = end - start
        guard length > 0, length < 400 else { return nil }
        for i in start..<end {
            let b = bytes[i]
            // 0-9 + - . e E
            guard (b >= 0x30 && b <= 0x39) || b == 0x2B || b == 0x2D || b == 0x2E || b == 0x65 || b == 0x45 else { return nil }
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer -> Double? in
            guard let base = buffer.baseAddress, let bytesBase = bytes.baseAddress else { return nil }
            UnsafeMutableRawPointer(base).copyMemory(from: bytesBase + start, byteCount: length)
            base[length] = 0
            var stop: UnsafeMutablePointer<CChar>?
            var value = strtod(base, &stop)
            if stop != base + length {
                guard let parsed = Double(String(cString: base)) else { return nil }
                value = parsed
            }
            return value.isFinite ? value : nil
        }
    }
}
