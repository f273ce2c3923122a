/// A magnesium salt with its elemental magnesium content, as the research table gives it
/// (shared/research/magnesium-salts.csv, embedded verbatim with its sources and notes).
///
/// The percentages are for the salt named (mostly anhydrous, 1:1 forms). Hydrates and other
/// stoichiometries contain less or more magnesium per gram, which is why a label's own
/// "elemental magnesium" figure, when given, always wins over this table.
public struct MagnesiumSalt: Sendable, Equatable, Identifiable {
    /// A short stable key, e.g. "citrate", used in forms, the API and CSV files.
    public let id: String
    public let name: String
    public let formula: String?
    /// Percent elemental magnesium by mass.
    public let elementalPercent: Double
    /// True where the table computed the figure (lactate) rather than read it from a source table.
    public let isComputed: Bool
    public let sourceURL: String
    public let notes: String

    /// Milligrams of elemental magnesium in `milligrams` of the salt.
    public func elementalMagnesium(milligramsOfSalt milligrams: Double) -> Double {
        milligrams * elementalPercent / 100
    }

    /// All salts in the research table, in its order, then Epsom's own additions.
    public static let all: [MagnesiumSalt] = table(researchCSV) + table(additionsCSV)

    static func table(_ csv: String) -> [MagnesiumSalt] {
        guard let table = try? CSVTable(parsing: csv) else { return [] }
        return table.rows.compactMap { row -> MagnesiumSalt? in
            let f = row.fields
            guard f.count >= 5 else { return nil }
            let percentText = f[2].trimmingSpaces()
            let computed = percentText.contains("computed")
            guard let percent = NumberParsing.decimal(String(percentText.split(separator: " ")[0])) else { return nil }
            return MagnesiumSalt(
                id: key(for: f[0]), name: f[0], formula: f[1].isEmpty ? nil : f[1],
                elementalPercent: percent, isComputed: computed, sourceURL: f[3], notes: f[4])
        }
    }

    /// Salts the research table lacks, each with its source and how its figure was obtained.
    /// Epsom salt is the heptahydrate: reading "Epsom" as the anhydrous sulfate (20.1%) would
    /// double a bath's magnesium.
    static let additionsCSV = #"""
        salt,formula,elemental_mg_percent,source_url,notes
        magnesium sulfate heptahydrate (Epsom salt),MgSO4·7H2O,9.86 (computed),https://www.laboratorynotes.com/magnesium-sulfate-heptahydrate-epsom-salt-mgso4-7h2o-molecular-weight-calculation/,"Computed by Epsom, not in the research table: Mg 24.305 / MgSO4·7H2O 246.4764 g/mol (both from the cited page) = 9.86%. Epsom salt is this heptahydrate; the anhydrous sulfate row (20.1%) is not Epsom salt."
        """#

    /// "magnesium citrate (1:1, MW 214.41)" → "citrate"; "magnesium L-threonate" → "threonate".
    static func key(for name: String) -> String {
        let word = name.lowercased().replacingPrefix("magnesium ").split(separator: " ").first.map(String.init) ?? name
        let key = word.replacingPrefix("l-").filter(\.isLetter)
        return name.lowercased().contains("heptahydrate") ? key + "heptahydrate" : key
    }

}

extension String {
    func replacingPrefix(_ prefix: String) -> String { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self }
}
