import Foundation

/// Fixed-point formatting for reports: fixed decimals, "-0.0000" shown as "0.0000", and p-values
/// below 0.0001 shown as "< 0.0001" as journals print them.
public enum NumberFormatting {
    public static func fixed(_ x: Double, _ digits: Int = 4) -> String {
        var bytes: [UInt8] = []
        appendFixed(x, digits, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `fixed(x, digits)` appended as bytes: a report's table rows are built as bytes, without a
    /// `String` per number.
    public static func appendFixed(_ x: Double, _ digits: Int, into bytes: inout [UInt8]) {
        let start = bytes.count
        if !appendRounded(x, digits, into: &bytes) { bytes.append(contentsOf: printf(x, digits).utf8) }
        // "-0.0000" is shown as "0.0000".
        if bytes.count > start + 1, bytes[start] == 0x2D,
            bytes[(start + 1)...].allSatisfy({ $0 == 0x30 || $0 == 0x2E })
        {
            bytes.remove(at: start)
        }
    }

    /// C's "%.*f", exactly (rounding the binary value's exact decimal expansion, ties to even).
    static func printf(_ x: Double, _ digits: Int) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 352) { buffer -> String in
            let count = withVaList([Int32(digits), x]) { vsnprintf(buffer.baseAddress, buffer.count, "%.*f", $0) }
            let length = max(0, min(Int(count), buffer.count - 1))
            return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: length), as: UTF8.self)
        }
    }

    /// "%.*f" from the shortest decimal that reads back as `x` (Swift's `description`), without
    /// C's variadic call (a report prints k rows of these). The shortest decimal lies on the same
    /// side of every shorter rounding midpoint as the exact binary value does, so rounding it
    /// gives printf's answer, except when its digits past the rounding point are exactly "5":
    /// then (and for exponent forms, NaN and infinities) it writes nothing, answers false, and
    /// `printf` decides.
    static func appendRounded(_ x: Double, _ digits: Int, into bytes: inout [UInt8]) -> Bool {
        guard x.isFinite, digits >= 0, digits <= 20 else { return false }
        return ShortestDecimal.withBytes(x) { src -> Bool in
            var start = 0
            let negative = src.first == 0x2D
            if negative { start = 1 }
            var point = src.count
            for i in start..<src.count {
                if src[i] == 0x65 { return false }  // "1e-05": exponent form
                if src[i] == 0x2E { point = i }
            }
            let fractionStart = min(point + 1, src.count)
            let fractionCount = src.count - fractionStart
            var roundUp = false
            if fractionCount > digits {
                let first = src[fractionStart + digits]
                var tailNonZero = false
                for i in (fractionStart + digits + 1)..<src.count where src[i] != 0x30 { tailNonZero = true }
                if first > 0x35 || (first == 0x35 && tailNonZero) {
                    roundUp = true
                } else if first == 0x35 {
                    return false  // exactly half-way in the shortest form: the exact value decides
                }
            }
            // [sign][carry digit][integer][.][fraction], the carry digit dropped if unused.
            if negative { bytes.append(0x2D) }
            let carryAt = bytes.count
            bytes.append(0x30)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: src[start..<point]))
            let integerEnd = bytes.count
            if digits > 0 {
                bytes.append(0x2E)
                for k in 0..<digits { bytes.append(k < fractionCount ? src[fractionStart + k] : 0x30) }
            }
            var carry = roundUp
            var i = bytes.count - 1
            while carry, i > carryAt {
                if i == integerEnd {  // the point
                    i -= 1
                    continue
                }
                if bytes[i] == 0x39 {
                    bytes[i] = 0x30
                } else {
                    bytes[i] += 1
                    carry = false
                }
                i -= 1
            }
            if carry { bytes[carryAt] = 0x31 } else { bytes.remove(at: carryAt) }
            return true
        }
    }

    public static func pValue(_ p: Double) -> String { p < 0.0001 ? "< 0.0001" : fixed(p, 4) }

    /// "p < 0.0001" or "p = 0.0123".
    public static func pClause(_ p: Double) -> String { p < 0.0001 ? "p < 0.0001" : "p = " + fixed(p, 4) }

    public static func percent(_ x: Double, _ digits: Int = 2) -> String { fixed(x, digits) + "%" }

    /// Appends `text` padded or cut to `width` characters, as `column` gives it.
    public static func appendColumn(_ bytes: inout [UInt8], _ text: String, _ width: Int, right: Bool = false) {
        let utf8 = text.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }), utf8.count <= width else {
            bytes.append(contentsOf: column(text, width, right: right).utf8)
            return
        }
        let pad = width - utf8.count
        if right { bytes.append(contentsOf: repeatElement(0x20, count: pad)) }
        bytes.append(contentsOf: utf8)
        if !right { bytes.append(contentsOf: repeatElement(0x20, count: pad)) }
    }

    /// Appends `fixed(x, digits)` (with a "%" when `percent`) right-aligned in `width`.
    public static func appendFixedColumn(_ bytes: inout [UInt8], _ x: Double, _ digits: Int, _ width: Int, percent: Bool = false) {
        let start = bytes.count
        appendFixed(x, digits, into: &bytes)
        if percent { bytes.append(0x25) }
        let count = bytes.count - start
        if count < width { bytes.insert(contentsOf: repeatElement(0x20, count: width - count), at: start) }
    }

    /// Appends `text` as `column` would give it, without the intermediate strings.
    public static func appendColumn(_ line: inout String, _ text: String, _ width: Int, right: Bool = false) {
        let ascii = text.utf8.allSatisfy { $0 < 0x80 }
        let count = ascii ? text.utf8.count : text.count
        guard count <= width else {
            line += column(text, width, right: right)
            return
        }
        if !right { line += text }
        var pad = width - count
        while pad > 0 {
            let piece = min(pad, spaces.utf8.count)
            line.append(contentsOf: spaces.prefix(piece))
            pad -= piece
        }
        if right { line += text }
    }

    private static let spaces = String(repeating: " ", count: 64)

    /// Pads or truncates to a width (truncation marked with "…").
    public static func column(_ text: String, _ width: Int, right: Bool = false) -> String {
        var t = text
        if t.count > width { t = String(t.prefix(width - 1)) + "…" }
        let pad = String(repeating: " ", count: width - t.count)
        return right ? pad + t : t + pad
    }
}
