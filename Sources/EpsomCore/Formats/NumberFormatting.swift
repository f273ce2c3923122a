import Foundation

/// Fixed-point formatting for reports: fixed decimals, "-0.0000" shown as "0.0000", and p-values
/// below 0.0001 shown as "< 0.0001" as journals print them.
public enum NumberFormatting {
    public static func fixed(_ x: Double, _ digits: Int = 4) -> String {
        let text = rounded(x, digits) ?? printf(x, digits)
        // "-0.0000" is shown as "0.0000".
        if text.hasPrefix("-"), text.utf8.dropFirst().allSatisfy({ $0 == 0x30 || $0 == 0x2E }) { return String(text.dropFirst()) }
        return text
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
    /// then (and for exponent forms, NaN and infinities) it answers nil and `printf` decides.
    static func rounded(_ x: Double, _ digits: Int) -> String? {
        guard x.isFinite, digits >= 0, digits <= 20 else { return nil }
        var text = x.description
        return text.withUTF8 { src -> String? in
            var start = 0
            let negative = src.first == 0x2D
            if negative { start = 1 }
            var point = src.count
            for i in start..<src.count {
                if src[i] == 0x65 { return nil }  // "1e-05": exponent form
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
                    return nil  // exactly half-way in the shortest form: the exact value decides
                }
            }
            // [carry digit][sign][integer][.][fraction]
            let capacity = 2 + (point - start) + 1 + digits
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { out -> String in
                var n = 1
                for i in start..<point {
                    out[n] = src[i]
                    n += 1
                }
                let integerEnd = n
                if digits > 0 {
                    out[n] = 0x2E
                    n += 1
                    for k in 0..<digits {
                        out[n] = k < fractionCount ? src[fractionStart + k] : 0x30
                        n += 1
                    }
                }
                var first = 1
                if roundUp {
                    var carry = true
                    var i = n - 1
                    while carry, i >= 1 {
                        if i == integerEnd {  // the point
                            i -= 1
                            continue
                        }
                        if out[i] == 0x39 {
                            out[i] = 0x30
                        } else {
                            out[i] += 1
                            carry = false
                        }
                        i -= 1
                    }
                    if carry {
                        out[0] = 0x31
                        first = 0
                    }
                }
                let digitsText = String(decoding: UnsafeBufferPointer(rebasing: out[first..<n]), as: UTF8.self)
                return negative ? "-" + digitsText : digitsText
            }
        }
    }

    public static func pValue(_ p: Double) -> String { p < 0.0001 ? "< 0.0001" : fixed(p, 4) }

    /// "p < 0.0001" or "p = 0.0123".
    public static func pClause(_ p: Double) -> String { p < 0.0001 ? "p < 0.0001" : "p = " + fixed(p, 4) }

    public static func percent(_ x: Double, _ digits: Int = 2) -> String { fixed(x, digits) + "%" }

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
