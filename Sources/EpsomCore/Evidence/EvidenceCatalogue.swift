import Foundation

/// The cited catalogue of magnesium-for-pain studies, bundled as CSV (Catalogue/studies.csv and
/// Catalogue/references.csv, schema in docs/evidence.md). `parse` checks every row and reports
/// every problem with its line and column, so that `epsom evidence check` can review a pull
/// request's additions in one pass.
public struct EvidenceCatalogue: Sendable, Equatable {
    public var studies: [EvidenceStudy]
    public var references: [EvidenceReference]

    public static let studyColumns = [
        "id", "first_author", "year", "doi_or_pmid", "condition", "route", "salt", "dose", "duration_weeks", "n_mg",
        "n_control", "comparator", "outcome_measure", "result_summary", "mean_mg", "sd_mg", "mean_ctrl", "sd_ctrl",
        "timepoint", "source_url", "source_location", "verified", "study", "design", "condition_group", "route_group",
    ]
    public static let referenceColumns = ["id", "kind", "citation", "doi_or_pmid", "source_url", "summary", "verified"]

    /// The catalogue shipped with Epsom.
    public static let bundled: EvidenceCatalogue = {
        guard let studies = resource("studies"), let references = resource("references"),
              let catalogue = try? EvidenceCatalogue(studiesCSV: studies, referencesCSV: references) else {
            // The schema test keeps this from happening in a release.
            return EvidenceCatalogue(studies: [], references: [])
        }
        return catalogue
    }()

    /// The bundled file's text ("studies" or "references").
    public static func resource(_ name: String) -> String? {
        guard let url = Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "Catalogue")
            ?? Bundle.module.url(forResource: name, withExtension: "csv") else { return nil }
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
            let study = EvidenceStudy(
                id: id ?? "", study: check.slug("study") ?? "", firstAuthor: check.text("first_author") ?? "",
                year: check.integer("year", in: 1900...2100), doiOrPMID: check.identifier("doi_or_pmid"),
                condition: check.text("condition") ?? "", conditionGroup: check.text("condition_group") ?? "",
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
                timepoint: check.text("timepoint", required: false) ?? "", sourceURL: check.url("source_url") ?? "",
                sourceLocation: check.text("source_location") ?? "", verified: check.yesNo("verified") ?? false)
            if study.sdMagnesium != nil && study.meanMagnesium == nil { check.fail("mean_mg", "an SD needs its mean") }
            if study.sdControl != nil && study.meanControl == nil { check.fail("mean_ctrl", "an SD needs its mean") }
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
            fail(column, "must be \(unit) from \(NumberFormatting.trimmed(range.lowerBound)) "
                 + "to \(NumberFormatting.trimmed(range.upperBound))")
            return nil
        }
        return n
    }

    mutating func identifier(_ column: String) -> String? {
        let value = raw(column)
        if value.isEmpty { return nil }
        let doi = value.hasPrefix("doi:10.") && value.contains("/") && !value.contains(" ")
        let pmid = value.hasPrefix("PMID:") && value.dropFirst(5).allSatisfy(\.isNumber) && value.count > 5
        // Another registry's number, e.g. "DTIC AD1012239" or "NCT02467517".
        let words = value.split(separator: " ")
        let registry = !value.hasPrefix("doi") && !value.hasPrefix("PMID") && value.count <= 40 && words.count <= 2
            && words.first!.allSatisfy { $0.isUppercase || $0.isNumber } && value.allSatisfy { $0.isLetter || $0.isNumber || $0 == " " }
        guard doi || pmid || registry else { fail(column, "must be doi:10.…, PMID:digits or a registry number such as NCT02467517"); return nil }
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
