import RealModule

/// A small dense symmetric positive-definite matrix (p × p, p being the number of model
/// coefficients), stored row-major. Meta-analysis never forms k × k matrices: every quantity it
/// needs reduces to p × p cross-products accumulated in one pass over the studies.
public struct SymmetricMatrix: Sendable, Equatable {
    public let dimension: Int
    public private(set) var elements: [Double]

    public init(dimension: Int) {
        self.dimension = dimension
        elements = Array(repeating: 0, count: dimension * dimension)
    }

    public subscript(row: Int, column: Int) -> Double {
        get { elements[row * dimension + column] }
        set { elements[row * dimension + column] = newValue }
    }

    /// Adds weight · x xᵀ (the rank-one update used to accumulate Xᵀ W X).
    mutating func addOuterProduct(_ x: ArraySlice<Double>, weight: Double) {
        let base = x.startIndex
        for i in 0..<dimension {
            let wi = weight * x[base + i]
            for j in 0...i { elements[i * dimension + j] += wi * x[base + j] }
        }
    }

    /// Fills the upper triangle from the lower one after accumulation.
    mutating func symmetrize() {
        for i in 0..<dimension { for j in 0..<i { elements[j * dimension + i] = elements[i * dimension + j] } }
    }

    /// The lower Cholesky factor L with A = L Lᵀ, or nil when A is not positive definite.
    func choleskyFactor() -> [Double]? {
        let p = dimension
        var l = Array(repeating: 0.0, count: p * p)
        for j in 0..<p {
            var diagonal = self[j, j]
            for m in 0..<j { diagonal -= l[j * p + m] * l[j * p + m] }
            // Relative pivot check: a rank-deficient design gives a pivot at rounding level.
            guard diagonal > 1e-13 * abs(self[j, j]), diagonal > 0 else { return nil }
            let root = diagonal.squareRoot()
            l[j * p + j] = root
            for i in (j + 1)..<p {
                var value = self[i, j]
                for m in 0..<j { value -= l[i * p + m] * l[j * p + m] }
                l[i * p + j] = value / root
            }
        }
        return l
    }

    /// The inverse, or nil when the matrix is singular (a design that is not of full rank).
    public func inverse() -> SymmetricMatrix? {
        guard let l = choleskyFactor() else { return nil }
        let p = dimension
        // Invert L (lower triangular), then A⁻¹ = L⁻ᵀ L⁻¹.
        var inv = Array(repeating: 0.0, count: p * p)
        for i in 0..<p {
            inv[i * p + i] = 1 / l[i * p + i]
            for j in 0..<i {
                var sum = 0.0
                for m in j..<i { sum -= l[i * p + m] * inv[m * p + j] }
                inv[i * p + j] = sum / l[i * p + i]
            }
        }
        var result = SymmetricMatrix(dimension: p)
        for i in 0..<p {
            for j in 0...i {
                var sum = 0.0
                for m in i..<p { sum += inv[m * p + i] * inv[m * p + j] }
                result[i, j] = sum
                result[j, i] = sum
            }
        }
        return result
    }

    /// log det A, from the Cholesky factor.
    public func logDeterminant() -> Double? {
        guard let l = choleskyFactor() else { return nil }
        return (0..<dimension).reduce(0) { $0 + 2 * .log(l[$1 * dimension + $1]) }
    }

    /// A v.
    public func multiply(_ v: [Double]) -> [Double] {
        (0..<dimension).map { i in (0..<dimension).reduce(0) { $0 + self[i, $1] * v[$1] } }
    }

    /// tr(A B) for symmetric A and B: the sum of elementwise products.
    public func traceOfProduct(with other: SymmetricMatrix) -> Double {
        zip(elements, other.elements).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// A B as a general (not necessarily symmetric) row-major product.
    func product(with other: SymmetricMatrix) -> [Double] {
        let p = dimension
        var out = Array(repeating: 0.0, count: p * p)
        for i in 0..<p { for j in 0..<p { for m in 0..<p { out[i * p + j] += self[i, m] * other[m, j] } } }
        return out
    }

    /// The sub-matrix on the given indices.
    public func submatrix(_ indices: [Int]) -> SymmetricMatrix {
        var result = SymmetricMatrix(dimension: indices.count)
        for (a, i) in indices.enumerated() { for (b, j) in indices.enumerated() { result[a, b] = self[i, j] } }
        return result
    }
}
