/// The PRISMA 2020 flow of the systematic search behind the catalogue (Catalogue/prisma.csv,
/// computed from scripts/evidence/research/screening.csv by scripts/evidence/import_research.py).
/// Rows are `key,count,label`; a key with a dot (`excluded_screening.2`) is one reason within
/// the box before the dot.
public struct PrismaFlow: Sendable, Equatable {
    public struct Box: Sendable, Equatable {
        public var key: String
        public var count: Int
        public var label: String
    }

    public var boxes: [Box]

    /// The keys every flow must have.
    public static let requiredKeys = [
        "identified_index", "duplicates", "screened", "excluded_screening", "reviews", "assessed", "excluded_assessment",
        "identified_other", "assessed_other", "excluded_other", "included_reports", "included_studies",
    ]

    public static let bundled: PrismaFlow? = EvidenceCatalogue.resource("prisma").flatMap { try? PrismaFlow(csv: $0) }

    public init(csv text: String) throws(EvidenceErrors) {
        var errors: [InputError] = []
        var boxes: [Box] = []
        do {
            let table = try CSVTable(parsing: text)
            for column in ["key", "count", "label"] where table.column(column) == nil {
                errors.append(InputError(line: 1, message: "prisma: missing column \(column)"))
            }
            if errors.isEmpty {
                for row in table.rows {
                    var check = RowCheck(table: table, row: row)
                    let key = check.text("key"), count = check.integer("count", in: 0...1_000_000, required: true)
                    let label = check.text("label")
                    if let label, let phrase = PlaceholderWording.find(in: label) {
                        check.fail("label", "unfinished wording \"\(phrase)\" would be shown to users")
                    }
                    errors += check.errors
                    if let key, let count, let label, check.errors.isEmpty { boxes.append(Box(key: key, count: count, label: label)) }
                }
                let keys = Set(boxes.map(\.key))
                let missing = Self.requiredKeys.filter { !keys.contains($0) }
                if !missing.isEmpty {
                    errors.append(InputError(line: 1, message: "prisma: missing rows \(missing.joined(separator: ", "))"))
                }
            }
        } catch {
            errors.append(error)
        }
        if !errors.isEmpty { throw EvidenceErrors(errors: errors) }
        self.boxes = boxes
    }

    public func count(_ key: String) -> Int { boxes.first { $0.key == key }?.count ?? 0 }
    public func label(_ key: String) -> String { boxes.first { $0.key == key }?.label ?? key }
    /// The reasons listed under a box, in file order.
    public func reasons(_ key: String) -> [Box] { boxes.filter { $0.key.hasPrefix(key + ".") } }

    /// Every step of the flow that does not add up, in words; empty when the diagram is consistent.
    public var arithmeticProblems: [String] {
        var problems: [String] = []
        func expect(_ lhs: Int, _ rhs: Int, _ rule: String) { if lhs != rhs { problems.append("\(rule): \(lhs) ≠ \(rhs)") } }
        expect(count("identified_index") - count("duplicates"), count("screened"), "identified − duplicates = screened")
        expect(
            count("screened") - count("excluded_screening") - count("reviews"), count("assessed"),
            "screened − excluded − reviews set aside = assessed")
        expect(
            count("assessed") - count("excluded_assessment") + count("assessed_other") - count("excluded_other"),
            count("included_reports"), "assessed − excluded, plus other methods' assessed − excluded = included reports")
        expect(count("identified_other"), count("assessed_other"), "other methods: identified = assessed")
        for key in ["excluded_screening", "excluded_assessment", "excluded_other"] where !reasons(key).isEmpty {
            expect(reasons(key).map(\.count).reduce(0, +), count(key), "\(key): the reasons sum to the box")
        }
        if count("included_studies") > count("included_reports") { problems.append("more studies than reports") }
        return problems
    }
}
