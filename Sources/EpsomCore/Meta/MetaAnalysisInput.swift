import EpsomStats

/// Studies read from a table with metafor's column names, ready for the engine.
///
/// Columns: `study`, then `ai,bi,ci,di` or `ai,n1i,ci,n2i` for RR/OR/RD; `m1i,sd1i,n1i,m2i,sd2i,n2i`
/// for MD/SMD/ROM; `yi,vi` for generic (GEN) data. Every cell is checked; an error names its
/// line and column.
public struct MetaAnalysisInput: Sendable, Equatable {
    public var measure: EffectMeasure
    /// Study labels, in file order (only the studies kept: see `ZeroCellCorrection.dropDoubleZero`).
    public var studies: [String]
    /// The line of each kept study in the file.
    public var lines: [Int]
    public var effects: EffectSizes
    public var moderators: [Moderator]
    /// Subgroup label of each kept study, when a subgroup column was named.
    public var groups: [String]?
    public var groupColumn: String?

    public static func requiredColumns(for measure: EffectMeasure) -> String {
        switch measure {
        case .riskRatio, .oddsRatio, .riskDifference: "study, ai, ci and either bi, di or n1i, n2i"
        case .meanDifference, .standardizedMeanDifference, .ratioOfMeans: "study, m1i, sd1i, n1i, m2i, sd2i, n2i"
        case .generic: "study, yi, vi"
        }
    }

    public init(
        table: CSVTable, measure: EffectMeasure, moderatorColumns: [String] = [], groupColumn: String? = nil,
        correction: ZeroCellCorrection = .metaforDefault
    ) throws(InputError) {
        guard table.rowCount > 0 else { throw InputError(message: "the file has a header but no studies") }
        let reader = ColumnReader(table: table)
        let labels = try reader.uniqueLabels("study")
        let effects: EffectSizes
        do {
            effects = try Self.effectSizes(measure, reader: reader, correction: correction)
        } catch let error as MetaAnalysisError {
            guard case .invalidStudy(let index, let field) = error.kind else { throw InputError(message: error.message) }
            throw InputError(line: table.line(index), column: field, message: Self.lowercasedFirst(error.message))
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(message: "\(error)")
        }
        self.measure = measure
        let kept = effects.kept
        studies = kept.map { labels[$0] }
        lines = kept.map { table.line($0) }
        self.effects = effects
        moderators = try moderatorColumns.map { name throws(InputError) in try reader.moderator(name, rows: kept) }
        self.groupColumn = groupColumn
        if let groupColumn {
            let all = try reader.labels(groupColumn)
            groups = kept.map { all[$0] }
        }
    }

    private static func effectSizes(_ measure: EffectMeasure, reader: ColumnReader, correction: ZeroCellCorrection)
        throws -> EffectSizes
    {
        switch measure {
        case .generic:
            let yi = try reader.numbers("yi"), vi = try reader.numbers("vi")
            for (i, v) in vi.enumerated() where v <= 0 {
                throw InputError(line: reader.table.line(i), column: "vi", message: "must be a positive variance")
            }
            return EffectSizes(yi: yi, vi: vi)
        case .meanDifference, .standardizedMeanDifference, .ratioOfMeans:
            let means = EffectSizes.Means(
                m1i: try reader.numbers("m1i"), sd1i: try reader.numbers("sd1i"), n1i: try reader.numbers("n1i"),
                m2i: try reader.numbers("m2i"), sd2i: try reader.numbers("sd2i"), n2i: try reader.numbers("n2i"))
            return try EffectSizes.compute(measure, means: means)
        case .riskRatio, .oddsRatio, .riskDifference:
            let ai = try reader.numbers("ai"), ci = try reader.numbers("ci")
            let bi: [Double], di: [Double]
            if reader.table.column("bi") != nil || reader.table.column("n1i") == nil {
                bi = try reader.numbers("bi")
                di = try reader.numbers("di")
            } else {
                bi = try reader.remainder(total: "n1i", events: ai, eventsColumn: "ai")
                di = try reader.remainder(total: "n2i", events: ci, eventsColumn: "ci")
            }
            return try EffectSizes.compute(measure, counts: .init(ai: ai, bi: bi, ci: ci, di: di), correction: correction)
        }
    }

    private static func lowercasedFirst(_ s: String) -> String {
        guard let first = s.first else { return s }
        return first.lowercased() + s.dropFirst()
    }
}
