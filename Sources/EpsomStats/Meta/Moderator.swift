/// A study-level covariate for meta-regression.
public enum Moderator: Sendable, Equatable {
    /// A numeric covariate entered as one column.
    case continuous(name: String, values: [Double])
    /// A factor, dummy-coded against its first level in sorted (code-point) order, as R's
    /// treatment contrasts do; the columns are named name+level, as in R ("allocrandom").
    case categorical(name: String, values: [String])

    public var name: String {
        switch self {
        case .continuous(let name, _), .categorical(let name, _): name
        }
    }
}

extension DesignMatrix {
    /// The model matrix with an intercept followed by the moderators' columns.
    public static func build(rows: Int, moderators: [Moderator]) -> DesignMatrix {
        var names = ["intrcpt"]
        var columns: [[Double]] = [Array(repeating: 1, count: rows)]
        for moderator in moderators {
            switch moderator {
            case .continuous(let name, let values):
                precondition(values.count == rows)
                names.append(name)
                columns.append(values)
            case .categorical(let name, let values):
                precondition(values.count == rows)
                for level in Set(values).sorted().dropFirst() {
                    names.append(name + level)
                    columns.append(values.map { $0 == level ? 1 : 0 })
                }
            }
        }
        var flat: [Double] = []
        flat.reserveCapacity(rows * names.count)
        for i in 0..<rows { for column in columns { flat.append(column[i]) } }
        return DesignMatrix(rows: rows, columnNames: names, values: flat)
    }
}
