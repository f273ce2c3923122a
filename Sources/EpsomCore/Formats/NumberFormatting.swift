import Foundation

/// Fixed-point formatting for reports: fixed decimals, "-0.0000" shown as "0.0000", and p-values
/// below 0.0001 shown as "< 0.0001" as journals print them.
public enum NumberFormatting {
    public static func fixed(_ x: Double, _ digits: Int = 4) -> String {
        let text = String(format: "%.\(digits)f", x)
        let zero = "-" + String(format: "%.\(digits)f", 0.0)
        return text == zero ? String(text.dropFirst()) : text
    }

    public static func pValue(_ p: Double) -> String { p < 0.0001 ? "< 0.0001" : fixed(p, 4) }

    /// "p < 0.0001" or "p = 0.0123".
    public static func pClause(_ p: Double) -> String { p < 0.0001 ? "p < 0.0001" : "p = " + fixed(p, 4) }

    public static func percent(_ x: Double, _ digits: Int = 2) -> String { fixed(x, digits) + "%" }

    /// Pads or truncates to a width (truncation marked with "…").
    public static func column(_ text: String, _ width: Int, right: Bool = false) -> String {
        var t = text
        if t.count > width { t = String(t.prefix(width - 1)) + "…" }
        let pad = String(repeating: " ", count: width - t.count)
        return right ? pad + t : t + pad
    }
}
