/// Weighted least squares of y on X with diagonal weights w, and the traces of the projection
/// P = W - W X (Xᵀ W X)⁻¹ Xᵀ W that the τ² estimators need.
///
/// Every trace reduces to p × p algebra on cross-products accumulated in one pass:
/// - tr(P)   = Σ wᵢ - tr(A⁻¹ B),                     A = Xᵀ W X, B = Xᵀ W² X
/// - tr(P P) = Σ wᵢ² - 2 tr(A⁻¹ C) + tr(A⁻¹ B A⁻¹ B), C = Xᵀ W³ X
/// - yᵀ P y  = Σ wᵢ rᵢ², yᵀ P P y = Σ wᵢ² rᵢ², with r = y - X β̂.
/// So one fit costs O(k p²) time and O(p²) extra memory.
struct WeightedFit {
    let coefficients: [Double]
    /// (Xᵀ W X)⁻¹: the covariance of β̂ when w = 1/(v + τ²).
    let inverseInformation: SymmetricMatrix
    /// Σ wᵢ rᵢ² = yᵀ P y.
    let residualSumOfSquares: Double
    /// Σ wᵢ² rᵢ² = yᵀ P P y.
    let weightedSquaredResiduals: Double
    let sumOfWeights: Double
    let sumOfSquaredWeights: Double
    let traceP: Double
    let tracePP: Double

    /// The weights wᵢ: inverse variances 1/(vᵢ + τ²), or 1 (ordinary least squares). They are
    /// computed on the fly, so a fit allocates nothing of size k.
    enum Weights {
        case inverseVariance(v: [Double], tau2: Double)
        case unit

        @inline(__always) func callAsFunction(_ i: Int) -> Double {
            switch self {
            case .inverseVariance(let v, let tau2): 1 / (v[i] + tau2)
            case .unit: 1
            }
        }
    }

    /// Returns nil when Xᵀ W X is singular (the design is not of full rank).
    init?(y: [Double], design x: DesignMatrix, weights w: Weights) {
        if x.isInterceptOnly {
            self.init(interceptOnly: y, weights: w)
            return
        }
        let p = x.columns
        var a = SymmetricMatrix(dimension: p), b = SymmetricMatrix(dimension: p), c = SymmetricMatrix(dimension: p)
        var xwy = Array(repeating: 0.0, count: p)
        var sumW = 0.0, sumW2 = 0.0
        for i in 0..<x.rows {
            let row = x.row(i), wi = w(i)
            a.addOuterProduct(row, weight: wi)
            b.addOuterProduct(row, weight: wi * wi)
            c.addOuterProduct(row, weight: wi * wi * wi)
            for j in 0..<p { xwy[j] += wi * row[row.startIndex + j] * y[i] }
            sumW += wi
            sumW2 += wi * wi
        }
        a.symmetrize(); b.symmetrize(); c.symmetrize()
        guard let aInverse = a.inverse() else { return nil }
        let beta = aInverse.multiply(xwy)
        var rss = 0.0, rss2 = 0.0
        for i in 0..<x.rows {
            let row = x.row(i)
            var fitted = 0.0
            for j in 0..<p { fitted += row[row.startIndex + j] * beta[j] }
            let wi = w(i), r = y[i] - fitted, wr2 = wi * r * r
            rss += wr2
            rss2 += wi * wr2
        }
        let aInvB = aInverse.product(with: b)
        var traceAInvBAInvB = 0.0
        for i in 0..<p { for j in 0..<p { traceAInvBAInvB += aInvB[i * p + j] * aInvB[j * p + i] } }
        self.init(
            coefficients: beta, inverseInformation: aInverse, residualSumOfSquares: rss,
            weightedSquaredResiduals: rss2, sumOfWeights: sumW, sumOfSquaredWeights: sumW2,
            traceP: sumW - aInverse.traceOfProduct(with: b),
            tracePP: sumW2 - 2 * aInverse.traceOfProduct(with: c) + traceAInvBAInvB)
    }

    private init(
        coefficients: [Double], inverseInformation: SymmetricMatrix, residualSumOfSquares: Double,
        weightedSquaredResiduals: Double, sumOfWeights: Double, sumOfSquaredWeights: Double,
        traceP: Double, tracePP: Double
    ) {
        self.coefficients = coefficients
        self.inverseInformation = inverseInformation
        self.residualSumOfSquares = residualSumOfSquares
        self.weightedSquaredResiduals = weightedSquaredResiduals
        self.sumOfWeights = sumOfWeights
        self.sumOfSquaredWeights = sumOfSquaredWeights
        self.traceP = traceP
        self.tracePP = tracePP
    }

    /// The same quantities for X = 1 (p = 1) in two tight passes: A = Σw, B = Σw², C = Σw³.
    private init?(interceptOnly y: [Double], weights w: Weights) {
        var sumW = 0.0, sumW2 = 0.0, sumW3 = 0.0, sumWY = 0.0
        for i in y.indices {
            let wi = w(i), wi2 = wi * wi
            sumW += wi
            sumW2 += wi2
            sumW3 += wi2 * wi
            sumWY += wi * y[i]
        }
        guard sumW > 0, sumW.isFinite else { return nil }
        let beta = sumWY / sumW
        var rss = 0.0, rss2 = 0.0
        for i in y.indices {
            let wi = w(i), r = y[i] - beta, wr2 = wi * r * r
            rss += wr2
            rss2 += wi * wr2
        }
        var inverse = SymmetricMatrix(dimension: 1)
        inverse[0, 0] = 1 / sumW
        let ratio = sumW2 / sumW
        self.init(
            coefficients: [beta], inverseInformation: inverse, residualSumOfSquares: rss,
            weightedSquaredResiduals: rss2, sumOfWeights: sumW, sumOfSquaredWeights: sumW2,
            traceP: sumW - ratio, tracePP: sumW2 - 2 * sumW3 / sumW + ratio * ratio)
    }

    /// tr(P V) for V = diag(v): Σ wᵢ vᵢ - tr(A⁻¹ Xᵀ W V W X). Used by the Hedges (HE) estimator.
    static func traceOfProjectionTimesVariances(
        design x: DesignMatrix, weights w: Weights, variances v: [Double],
        inverseInformation aInverse: SymmetricMatrix
    ) -> Double {
        var d = SymmetricMatrix(dimension: x.columns)
        var sum = 0.0
        for i in 0..<x.rows {
            let wi = w(i)
            d.addOuterProduct(x.row(i), weight: wi * wi * v[i])
            sum += wi * v[i]
        }
        d.symmetrize()
        return sum - aInverse.traceOfProduct(with: d)
    }
}
