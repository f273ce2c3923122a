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
        if let exact = clinger(UnsafeBufferPointer(rebasing: bytes[start..<end])) { return exact }
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

    /// The exact fast path for the numbers data files mostly hold ("0.23", "-1.5e-3"): with at
    /// most 2^53 as the integer of its digits and a power of ten from 10^-22 to 10^22, both are
    /// exact doubles and one IEEE multiplication or division rounds correctly (Clinger 1990), so
    /// the answer is `strtod`'s. Anything else, malformed text included, answers nil and goes
    /// to `strtod`, which decides.
    static func clinger(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        let n = text.count
        var negative = false
        if i < n, text[i] == 0x2B || text[i] == 0x2D {
            negative = text[i] == 0x2D
            i += 1
        }
        var mantissa: UInt64 = 0, digits = 0, exponent = 0
        var sawDigit = false
        while i < n, text[i] >= 0x30, text[i] <= 0x39 {
            sawDigit = true
            if mantissa > 0 || text[i] != 0x30 { digits += 1 }
            guard digits <= 16 else { return nil }
            mantissa = mantissa * 10 + UInt64(text[i] - 0x30)
            i += 1
        }
        if i < n, text[i] == 0x2E {
            i += 1
            while i < n, text[i] >= 0x30, text[i] <= 0x39 {
                sawDigit = true
                if mantissa > 0 || text[i] != 0x30 { digits += 1 }
                guard digits <= 16 else { return nil }
                mantissa = mantissa * 10 + UInt64(text[i] - 0x30)
                exponent -= 1
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < n, text[i] == 0x65 || text[i] == 0x45 {
            i += 1
            var exponentNegative = false
            if i < n, text[i] == 0x2B || text[i] == 0x2D {
                exponentNegative = text[i] == 0x2D
                i += 1
            }
            var written = 0, exponentDigits = 0
            while i < n, text[i] >= 0x30, text[i] <= 0x39 {
                written = written * 10 + Int(text[i] - 0x30)
                exponentDigits += 1
                guard written < 1000 else { return nil }
                i += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard i == n, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 else { return nil }
        var value = Double(mantissa)
        if exponent > 0 { value *= powersOfTen[exponent] } else if exponent < 0 { value /= powersOfTen[-exponent] }
        return negative ? -value : value
    }

    /// 10^0 … 10^22, every one exact in a `Double`.
    private static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { x, _ in x * 10 } }
}
