/// The workbench's input from catalogue rows: metafor's mean-difference columns (magnesium arm
/// first), with the route as the subgroup column, so `epsom meta` and the web page run the same
/// engine on the same table.
public enum WorkbenchInput {
    public static let header = ["study", "m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i", "route"]

    /// Only rows with both arms' means, SDs and sizes can enter.
    public static func csv(_ studies: [EvidenceStudy]) -> String {
        var out = CSVWriter.line(header)
        for s in studies where s.hasArmLevelData {
            let label = "\(s.firstAuthor) \(s.year.map(String.init) ?? "n.d.") (\(s.id))"
            out += CSVWriter.line([CSVWriter.text(label), number(s.meanMagnesium!), number(s.sdMagnesium!),
                                   String(s.participantsMagnesium!), number(s.meanControl!), number(s.sdControl!),
                                   String(s.participantsControl!), s.routeGroup.label])
        }
        return out
    }

    static func number(_ x: Double) -> String { NumberFormatting.trimmed(x) }
}
