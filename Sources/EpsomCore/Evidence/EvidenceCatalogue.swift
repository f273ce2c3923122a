import Foundation

/// The cited catalogue of magnesium-for-pain studies, bundled as CSV (Catalogue/studies.csv,
/// Catalogue/references.csv and the search's Catalogue/prisma.csv; schema in docs/evidence.md; built
/// from scripts/evidence/research by scripts/evidence/import_research.py). `parse` checks every row and reports
/// every problem with its line and column, so that `epsom evidence check` can review a pull
/// request's additions in one pass.
public struct EvidenceCatalogue: Sendable, Equatable {
    public var studies: [EvidenceStudy]
    public var references: [EvidenceReference]

    /// The research file's columns, in its order (scripts/evidence/research/studies-v2.csv).
    public static let studyColumns = [
        "id", "study", "first_author", "year", "doi_or_pmid", "condition", "condition_group", "scope", "route", "route_group",
        "salt", "dose", "duration_weeks", "design", "n_mg", "n_control", "comparator", "outcome_measure", "result_summary",
        "mean_mg", "sd_mg", "mean_ctrl", "sd_ctrl", "timepoint",
        "rob_randomisation", "rob_randomisation_reason", "rob_blinding", "rob_blinding_reason", "rob_missing", "rob_missing_reason",
        "rob_reporting", "rob_reporting_reason", "source_url", "source_location", "verified",
    ]
    /// The text columns the pages show (the placeholder-wording test reads every one of them).
    public static let shownTextColumns = [
        "first_author", "condition", "condition_group", "route", "salt", "dose", "comparator", "outcome_measure",
        "result_summary", "timepoint", "rob_randomisation_reason", "rob_blinding_reason", "rob_missing_reason",
        "rob_reporting_reason", "source_location",
    ]
    public static let referenceColumns = ["id", "kind", "citation", "doi_or_pmid", "source_url", "summary", "verified"]

    /// The catalogue shipped with Epsom.
    public static let bundled: EvidenceCatalogue = {
        guard let studies = resource("studies"), let references = resource("references"),
            let catalogue = try? EvidenceCatalogue(studiesCSV: studies, referencesCSV: references)
        else {
            // The schema test keeps this from happening in a release.
            return EvidenceCatalogue(studies: [], references: [])
        }
        return catalogue
    }()

    /// The bundled file's text ("studies" or "references").
    public static func resource(_ name: String) -> String? {
        guard
            let url = Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "Catalogue")
                ?? Bundle.module.url(forResource: name, withExtension: "csv")
        else { return nil }
        return try? String(contentsOf: url, encoding: .utf8)
    }

    public init(studies: [EvidenceStudy], references: [EvidenceReference]) {
        self.studies = studies
        self.references = references
    }

    /// Throws every problem found, not only the first.
    public init(studiesCSV: String, referencesCSV: String) throws(EvidenceErrors) {
        var errors: [InputError] = []
        let studies = Self.parseStudies(studiesCSV, errors: &errors)
        let references = Self.parseReferences(referencesCSV, errors: &errors)
        if !errors.isEmpty { throw EvidenceErrors(errors: errors) }
        self.init(studies: studies, references: references)
    }

    public static func parseStudies(_ text: String, errors: inout [InputError], existingIDs: Set<String> = []) -> [EvidenceStudy] {
        let table: CSVTable
        do { table = try CSVTable(parsing: text) } catch { errors.append(error); return [] }
        let missing = studyColumns.filter { table.column($0) == nil }
        if !missing.isEmpty {
            errors.append(InputError(line: 1, message: "missing columns: \(missing.joined(separator: ", "))"))
            return []
        }
        let unknown = table.header.filter { !studyColumns.contains($0) }
        if !unknown.isEmpty { errors.append(InputError(line: 1, message: "unknown columns: \(unknown.joined(separator: ", "))")) }
        var seen = existingIDs
        var studies: [EvidenceStudy] = []
        for row in table.rows {
            var check = RowCheck(table: table, row: row)
            let id = check.slug("id")
            if let id, seen.contains(id) { check.fail("id", "\"\(id)\" is already in the catalogue") }
            if let id { seen.insert(id) }
            var risk: [EvidenceStudy.Domain: EvidenceStudy.RiskOfBias] = [:]
            for domain in EvidenceStudy.Domain.allCases {
                let judgement = check.choice(domain.column, EvidenceStudy.Judgement.self)
                let reason = check.oneLine(domain.column + "_reason")
                if let judgement, let reason { risk[domain] = .init(judgement: judgement, reason: reason) }
            }
            let study = EvidenceStudy(
                id: id ?? "", study: check.slug("study") ?? "", firstAuthor: check.text("first_author", required: false) ?? "",
                year: check.integer("year", in: 1900...2100), doiOrPMID: check.identifier("doi_or_pmid", required: true),
                condition: check.text("condition") ?? "", conditionGroup: check.text("condition_group") ?? "",
                scope: check.choice("scope", EvidenceStudy.Scope.self) ?? .chronic,
                route: check.text("route") ?? "", routeGroup: check.choice("route_group", EvidenceStudy.RouteGroup.self) ?? .oral,
                design: check.choice("design", EvidenceStudy.Design.self) ?? .rctParallel,
                salt: check.text("salt", required: false) ?? "", dose: check.text("dose", required: false) ?? "",
                durationWeeks: check.number("duration_weeks", in: 0...520, unit: "a number of weeks"),
                participantsMagnesium: check.integer("n_mg", in: 1...1_000_000),
                participantsControl: check.integer("n_control", in: 1...1_000_000),
                comparator: check.text("comparator") ?? "", outcomeMeasure: check.text("outcome_measure") ?? "",
                resultSummary: check.text("result_summary") ?? "",
                meanMagnesium: check.number("mean_mg"), sdMagnesium: check.number("sd_mg", in: 0...1e9, unit: "a standard deviation"),
                meanControl: check.number("mean_ctrl"), sdControl: check.number("sd_ctrl", in: 0...1e9, unit: "a standard deviation"),
                timepoint: check.text("timepoint", required: false) ?? "", riskOfBias: risk, sourceURL: check.url("source_url") ?? "",
                sourceLocation: check.text("source_location") ?? "", verified: check.yesNo("verified") ?? false)
            if study.sdMagnesium != nil && study.meanMagnesium == nil { check.fail("mean_mg", "an SD needs its mean") }
            if study.sdControl != nil && study.meanControl == nil { check.fail("mean_ctrl", "an SD needs its mean") }
            if study.design.isPaired, let m = study.participantsMagnesium, let c = study.participantsControl, m != c {
                check.fail("n_control", "a crossover or within-subject study lists the same people in both arms (n_mg = n_control)")
            }
            if study.design == .singleArm && study.participantsControl != nil {
                check.fail("n_control", "a single-arm study has no control group; leave it empty")
            }
            for column in shownTextColumns {
                if let phrase = PlaceholderWording.find(in: check.raw(column)) {
                    check.fail(
                        column,
                        "unfinished wording \"\(phrase)\" would be shown to users; write what the source reports "
                            + "(an unknown value is \"not reported\")")
                }
            }
            errors += check.errors
            if check.errors.isEmpty { studies.append(study) }
        }
        return studies
    }

    static func parseReferences(_ text: String, errors: inout [InputError]) -> [EvidenceReference] {
        let table: CSVTable
        do { table = try CSVTable(parsing: text) } catch { errors.append(error); return [] }
        let missing = referenceColumns.filter { table.column($0) == nil }
        if !missing.isEmpty {
            errors.append(InputError(line: 1, message: "references: missing columns: \(missing.joined(separator: ", "))"))
            return []
        }
        return table.rows.compactMap { row in
            var check = RowCheck(table: table, row: row)
            let reference = EvidenceReference(
                id: check.slug("id") ?? "", kind: check.text("kind") ?? "", citation: check.text("citation") ?? "",
                doiOrPMID: check.identifier("doi_or_pmid"), sourceURL: check.optionalURL("source_url"),
                summary: check.text("summary") ?? "", verified: check.yesNo("verified") ?? false)
            for column in ["citation", "summary"] {
                if let phrase = PlaceholderWording.find(in: check.raw(column)) {
                    check.fail(column, "unfinished wording \"\(phrase)\" would be shown to users")
                }
            }
            errors += check.errors.map { InputError(line: $0.line, column: $0.column.map { "references." + $0 }, message: $0.message) }
            return check.errors.isEmpty ? reference : nil
        }
    }
}

/// Every problem in a catalogue file, each naming its line and column.
public struct EvidenceErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [InputError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// The checks of one CSV row; each failure is recorded with the row's line and the column.
struct RowCheck {
    let table: CSVTable
    let row: CSVTable.Row
    var errors: [InputError] = []

    mutating func fail(_ column: String, _ message: String) {
        errors.append(InputError(line: row.line, column: column, message: message))
    }

    func raw(_ column: String) -> String {
        guard let index = table.column(column), index < row.fields.count else { return "" }
        return row.fields[index].trimmingSpaces()
    }

    mutating func text(_ column: String, required: Bool = true) -> String? {
        let value = raw(column)
        if value.isEmpty { if required { fail(column, "is required") }; return nil }
        if value.count > 4000 { fail(column, "must be at most 4000 characters"); return nil }
        return value
    }

    /// A required one-line reason (a risk-of-bias judgement's).
    mutating func oneLine(_ column: String) -> String? {
        guard let value = text(column) else { return nil }
        guard !value.contains("\n"), value.count <= 300 else { fail(column, "must be one line of at most 300 characters"); return nil }
        return value
    }

    mutating func slug(_ column: String) -> String? {
        guard let value = text(column) else { return nil }
        guard value.count <= 80, value.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        else { fail(column, "use lower-case letters, digits and hyphens (at most 80)"); return nil }
        return value
    }

    mutating func integer(_ column: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        let value = raw(column)
        if value.isEmpty { if required { fail(column, "is required") }; return nil }
        guard let n = Int(value), range.contains(n) else {
            fail(column, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return n
    }

    mutating func number(_ column: String, in range: ClosedRange<Double> = -1e9...1e9, unit: String = "a number") -> Double? {
        let value = raw(column)
        if value.isEmpty { return nil }
        guard let n = NumberParsing.decimal(value), range.contains(n) else {
            fail(
                column,
                "must be \(unit) from \(NumberFormatting.trimmed(range.lowerBound)) "
                    + "to \(NumberFormatting.trimmed(range.upperBound))")
            return nil
        }
        return n
    }

    /// The catalogue's spelling of "no DOI, PMID or registry number on any page read".
    static let noneAssigned = "none assigned"

    /// `required`: the cell must hold an identifier or `none assigned` (read as nil).
    mutating func identifier(_ column: String, required: Bool = false) -> String? {
        let value = raw(column)
        if value.isEmpty {
            if required { fail(column, "is required: a DOI, PMID or registry number, or \"none assigned\"") }
            return nil
        }
        if value == Self.noneAssigned { return nil }
        let doi = value.hasPrefix("doi:10.") && value.contains("/") && !value.contains(" ")
        let pmid = value.hasPrefix("PMID:") && value.dropFirst(5).allSatisfy(\.isNumber) && value.count > 5
        // Another registry's number, e.g. "DTIC AD1012239" or "NCT02467517".
        let words = value.split(separator: " ")
        let registry =
            !value.hasPrefix("doi") && !value.hasPrefix("PMID") && value.count <= 40 && words.count <= 2
            && words.first!.allSatisfy { $0.isUppercase || $0.isNumber } && value.allSatisfy { $0.isLetter || $0.isNumber || $0 == " " }
        guard doi || pmid || registry else {
            fail(column, "must be doi:10.…, PMID:digits, a registry number such as NCT02467517, or \"none assigned\"")
            return nil
        }
        return value
    }

    mutating func url(_ column: String) -> String? {
        guard let value = text(column) else { return nil }
        guard value.hasPrefix("https://") || value.hasPrefix("http://"), !value.contains(" ") else {
            fail(column, "must be a web address (http:// or https://)")
            return nil
        }
        return value
    }

    mutating func optionalURL(_ column: String) -> String? { raw(column).isEmpty ? nil : url(column) }

    mutating func yesNo(_ column: String) -> Bool? {
        switch raw(column) {
        case "yes": return true
        case "no": return false
        default: fail(column, "must be yes or no"); return nil
        }
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ column: String, _ type: T.Type) -> T? where T.RawValue == String {
        let value = raw(column)
        guard let choice = T(rawValue: value) else {
            fail(column, value.isEmpty ? "is required" : "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return choice
    }
}
