import Foundation

/// Writes RFC 4180 CSV. Text cells that a spreadsheet would run as a formula (starting with
/// =, +, -, @, tab or CR) are prefixed with an apostrophe (OWASP's advice for CSV exports).
public enum CSVWriter {
    public static func line(_ fields: [String]) -> String {
        fields.map(quote).joined(separator: ",") + "\n"
    }

    public static func quote(_ field: String) -> String {
        guard
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || field.hasPrefix(" ")
                || field.hasSuffix(" ")
        else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static let formulaStarts = "=+-@\t\r".unicodeScalars

    /// Free text for a cell: formula-like starts are neutralized with an apostrophe.
    public static func text(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, formulaStarts.contains(first) else { return value }
        return "'" + value
    }

    /// The inverse of `text`: removes only an apostrophe that `text` added.
    public static func untext(_ value: String) -> String {
        let scalars = value.unicodeScalars
        guard scalars.first == "'", let second = scalars.dropFirst().first, formulaStarts.contains(second) else { return value }
        return String(value.dropFirst())
    }
}
