/// Names as people write them, for salts, routes and units: one parser that the forms, the JSON
/// API and CSV import share (all three go through `Dose.validated` and `LabelStrength`). Case,
/// spaces, hyphens and underscores never matter; a name that is not recognised is refused with
/// the accepted values listed, never guessed.
enum Names {
    /// Lower case, hyphens and underscores as spaces, runs of spaces as one, trimmed.
    static func normalized(_ text: String) -> String {
        String(text.lowercased().map { $0 == "-" || $0 == "_" ? " " : $0 })
            .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// A chemical formula as written on labels, without spaces, dots or middle dots:
    /// "MgSO4·7H2O" and "mgso4.7h2o" both become "mgso47h2o".
    static func formula(_ text: String) -> String {
        text.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "(" || $0 == ")" }
    }
}

extension MagnesiumSalt {
    /// The salt a person means: its key ("citrate"), its name with or without "magnesium"
    /// ("magnesium oxide", "Mg oxide"), its formula ("MgO", "MgCl2") or a common spelling
    /// ("glycinate", "sulphate", "Epsom salt"). Nil when none matches.
    public static func named(_ text: String) -> MagnesiumSalt? {
        var name = Names.normalized(text)
        if let salt = all.first(where: { $0.formula.map(Names.formula) == Names.formula(text) }) { return salt }
        for prefix in ["magnesium ", "mg "] where name.hasPrefix(prefix) { name = String(name.dropFirst(prefix.count)) }
        let key = aliases[name] ?? name
        return all.first { $0.id == key || Names.normalized($0.name) == Names.normalized(text) }
    }

    /// Spellings that labels and people use for a salt in the table.
    static let aliases = [
        "glycinate": "bisglycinate", "glycine chelate": "bisglycinate", "diglycinate": "bisglycinate",
        "l threonate": "threonate", "sulphate": "sulfate",
        "epsom": "sulfateheptahydrate", "epsom salt": "sulfateheptahydrate", "epsom salts": "sulfateheptahydrate",
        "sulfate heptahydrate": "sulfateheptahydrate", "sulphate heptahydrate": "sulfateheptahydrate",
    ]

    /// The accepted keys, for a field message.
    public static var acceptedNames: String { all.map(\.id).joined(separator: ", ") }
}

extension Route {
    /// The route a person means: its key ("transdermal_cream"), or a plain word for it
    /// ("cream", "by mouth", "IV"). Nil when none matches; "transdermal" alone is ambiguous.
    public init?(name text: String) {
        let name = Names.normalized(text)
        if let route = Route(rawValue: name.replacingOccurrences(of: " ", with: "_")) {
            self = route
            return
        }
        guard let route = Self.aliases[name] else { return nil }
        self = route
    }

    static let aliases: [String: Route] = [
        "by mouth": .oral, "mouth": .oral, "oral supplement": .oral, "supplement": .oral, "po": .oral,
        "cream": .transdermalCream, "lotion": .transdermalCream, "gel": .transdermalCream, "balm": .transdermalCream,
        "butter": .transdermalCream, "topical cream": .transdermalCream,
        "oil": .transdermalOil, "topical oil": .transdermalOil,
        "spray": .transdermalSpray, "topical spray": .transdermalSpray,
        "soak": .bath, "foot bath": .bath, "foot soak": .bath, "epsom bath": .bath,
        "iv": .intravenous, "infusion": .intravenous, "im": .intramuscular,
    ]

    /// The accepted names, for a field message.
    public static var acceptedNames: String {
        allCases.map(\.rawValue).joined(separator: ", ") + " (or cream, oil, spray, by mouth, IV, IM)"
    }
}

extension DoseUnit {
    /// The unit a person means: "mg", "milligrams", "G", "mL", "tablets", "pumps"…
    public init?(name text: String) {
        let name = Names.normalized(text)
        if let unit = DoseUnit(rawValue: name) ?? Self.aliases[name] {
            self = unit
        } else if name.hasSuffix("s"), let unit = DoseUnit(rawValue: String(name.dropLast())) {
            self = unit  // plurals: "tablets", "pumps", "sprays"
        } else {
            return nil
        }
    }

    static let aliases: [String: DoseUnit] = [
        "milligram": .mg, "milligrams": .mg, "gram": .g, "grams": .g, "gm": .g,
        "millilitre": .ml, "millilitres": .ml, "milliliter": .ml, "milliliters": .ml, "tab": .tablet, "tabs": .tablet,
        "cap": .capsule, "caps": .capsule,
    ]

    public static var acceptedNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
