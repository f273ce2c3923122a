/// The model matrix X of a meta-regression: k rows (studies) by p columns, stored row-major.
///
/// The first column is the intercept. Memory is O(k·p); nothing k × k is ever formed.
public struct DesignMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public let columnNames: [String]
    /// Row-major values: row i is `values[i*columns ..< (i+1)*columns]`.
    public let values: [Double]

    public init(rows: Int, columnNames: [String], values: [Double]) {
        precondition(values.count == rows * columnNames.count, "values must hold rows × columns numbers")
        self.rows = rows
        self.columns = columnNames.count
        self.columnNames = columnNames
        self.values = values
    }

    /// The intercept-only design (a column of ones).
    public static func interceptOnly(rows: Int) -> DesignMatrix {
        DesignMatrix(rows: rows, columnNames: ["intrcpt"], values: Array(repeating: 1, count: rows))
    }

    public var isInterceptOnly: Bool { columns == 1 }

    @inline(__always) func row(_ i: Int) -> ArraySlice<Double> { values[(i * columns)..<((i + 1) * columns)] }

    /// The design restricted to the given rows, in that order.
    public func selecting(rows indices: [Int]) -> DesignMatrix {
        var out: [Double] = []
        out.reserveCapacity(indices.count * columns)
        for i in indices { out.append(contentsOf: row(i)) }
        return DesignMatrix(rows: indices.count, columnNames: columnNames, values: out)
    }

    /// A copy with one more column appended.
    public func appendingColumn(named name: String, _ column: [Double]) -> DesignMatrix {
        precondition(column.count == rows)
        var out: [Double] = []
        out.reserveCapacity(rows * (columns + 1))
        for i in 0..<rows {
            out.append(contentsOf: row(i))
            out.append(column[i])
        }
        return DesignMatrix(rows: rows, columnNames: columnNames + [name], values: out)
    }
}
