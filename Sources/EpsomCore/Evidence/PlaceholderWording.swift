/// Wording that marks an unfinished note rather than a finding ("TODO", "not confirmed",
/// "(memory, …)"). Nothing shown to users may contain it: the catalogue check rejects it in every
/// displayed column, and the page tests search the rendered evidence pages for it. An unknown
/// value is written "not reported", in the field's own terms.
public enum PlaceholderWording {
    /// Matched without regard to case.
    public static let phrases = [
        "not shown in", "not confirmed", "not captured", "(memory", "??", "check this", "first author not",
        "fixme", "placeholder", "to be checked", "to be confirmed", "lorem ipsum",
    ]
    /// Matched as whole words in capitals only ("etodolac" contains "todo").
    public static let capitalWords = ["TODO", "TBD", "XXX"]

    /// The first placeholder found in the text, or nil.
    public static func find(in text: String) -> String? {
        let lower = text.lowercased()
        if let phrase = phrases.first(where: { lower.contains($0) }) { return phrase }
        let words = text.split { !($0.isLetter || $0.isNumber) }
        return capitalWords.first { word in words.contains { $0 == word } }
    }
}
