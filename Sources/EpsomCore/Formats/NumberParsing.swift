/// Strict decimal parsing for data files: a plain decimal number with an optional exponent.
/// "NaN", "inf", hexadecimal and empty cells are refused, so they can never reach a result.
enum NumberParsing {
    static func decimal(_ text: String) -> Double? {
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty,
            trimmed.unicodeScalars.allSatisfy({ "0123456789+-.eE".unicodeScalars.contains($0) }),
            let value = Double(trimmed), value.isFinite
        else { return nil }
        return value
    }
}
