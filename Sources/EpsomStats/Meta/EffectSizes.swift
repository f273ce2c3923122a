import RealModule

/// Per-study effect sizes yᵢ and sampling variances vᵢ, computed as metafor's `escalc`.
public struct EffectSizes: Sendable, Equatable {
    public var yi: [Double]
    public var vi: [Double]
    /// Indices (into the input) of studies kept; a study is dropped only by `dropDoubleZero`.
    public var kept: [Int]

    public init(yi: [Double], vi: [Double], kept: [Int]? = nil) {
        self.yi = yi
        self.vi = vi
        self.kept = kept ?? Array(yi.indices)
    }

    /// Two-group summary data, one array per column (metafor's names).
    public struct Means: Sendable {
        public var m1i, sd1i, n1i, m2i, sd2i, n2i: [Double]
        public init(m1i: [Double], sd1i: [Double], n1i: [Double], m2i: [Double], sd2i: [Double], n2i: [Double]) {
            (self.m1i, self.sd1i, self.n1i, self.m2i, self.sd2i, self.n2i) = (m1i, sd1i, n1i, m2i, sd2i, n2i)
        }
    }

    /// 2×2 tables: events ai / non-events bi in group 1, ci / di in group 2.
    public struct Counts: Sendable {
        public var ai, bi, ci, di: [Double]
        public init(ai: [Double], bi: [Double], ci: [Double], di: [Double]) {
            (self.ai, self.bi, self.ci, self.di) = (ai, bi, ci, di)
        }
    }

    /// MD, SMD or ROM from means, standard deviations and group sizes.
    ///
    /// SMD is Hedges' g: g = c(m) (m1 - m2)/s_p with m = n1 + n2 - 2, the pooled SD
    /// s_p = √(((n1-1) sd1² + (n2-1) sd2²)/m) and the exact correction
    /// c(m) = Γ(m/2) / (√(m/2) Γ((m-1)/2)); v = 1/n1 + 1/n2 + g²/(2(n1+n2)) (metafor's default).
    public static func compute(_ measure: EffectMeasure, means d: Means) throws -> EffectSizes {
        let k = d.m1i.count
        var y = [Double](repeating: 0, count: k), v = [Double](repeating: 0, count: k)
        for i in 0..<k {
            let (m1, s1, n1, m2, s2, n2) = (d.m1i[i], d.sd1i[i], d.n1i[i], d.m2i[i], d.sd2i[i], d.n2i[i])
            // One cheap test per row; the detailed checks name the field only when it fails.
            if !(m1.isFinite && m2.isFinite && s1 >= 0 && s2 >= 0 && s1.isFinite && s2.isFinite
                && n1 >= 1 && n2 >= 1 && n1.isFinite && n2.isFinite)
            {
                try requireFinite(i, ("m1i", m1), ("m2i", m2))
                try requireNonNegative(i, ("sd1i", s1), ("sd2i", s2))
                try requireGroupSize(i, ("n1i", n1), ("n2i", n2))
            }
            switch measure {
            case .meanDifference:
                y[i] = m1 - m2
                v[i] = s1 * s1 / n1 + s2 * s2 / n2
            case .standardizedMeanDifference:
                let m = n1 + n2 - 2
                guard m > 1 else {
                    throw MetaAnalysisError(
                        .invalidStudy(index: i, field: "n1i"),
                        "SMD needs n1i + n2i of at least 4 (the bias correction is undefined below).")
                }
                let pooled = (((n1 - 1) * s1 * s1 + (n2 - 1) * s2 * s2) / m).squareRoot()
                guard pooled > 0 else {
                    throw MetaAnalysisError(
                        .invalidStudy(index: i, field: "sd1i"),
                        "SMD needs a positive pooled standard deviation (sd1i and sd2i are both zero).")
                }
                let g = hedgesCorrection(m) * (m1 - m2) / pooled
                y[i] = g
                v[i] = 1 / n1 + 1 / n2 + g * g / (2 * (n1 + n2))
            case .ratioOfMeans:
                guard m1 > 0 else {
                    throw MetaAnalysisError(.invalidStudy(index: i, field: "m1i"), "ROM needs positive means (m1i).")
                }
                guard m2 > 0 else {
                    throw MetaAnalysisError(.invalidStudy(index: i, field: "m2i"), "ROM needs positive means (m2i).")
                }
                y[i] = .log(m1 / m2)
                v[i] = s1 * s1 / (n1 * m1 * m1) + s2 * s2 / (n2 * m2 * m2)
            default:
                preconditionFailure("\(measure) is not computed from means")
            }
        }
        return EffectSizes(yi: y, vi: v)
    }

    /// RR, OR or RD from 2×2 tables, with the zero-cell correction applied to all three (as
    /// metafor does). RR: log((a/n1)/(c/n2)), v = 1/a - 1/n1 + 1/c - 1/n2; OR: log(ad/(bc)),
    /// v = 1/a + 1/b + 1/c + 1/d; RD: a/n1 - c/n2, v = p1(1-p1)/n1 + p2(1-p2)/n2.
    public static func compute(
        _ measure: EffectMeasure, counts t: Counts,
        correction: ZeroCellCorrection = .metaforDefault
    ) throws -> EffectSizes {
        let k = t.ai.count
        for i in 0..<k {
            try requireNonNegative(i, ("ai", t.ai[i]), ("bi", t.bi[i]), ("ci", t.ci[i]), ("di", t.di[i]))
            guard t.ai[i] + t.bi[i] > 0 else {
                throw MetaAnalysisError(.invalidStudy(index: i, field: "n1i"), "Group 1 has no participants.")
            }
            guard t.ci[i] + t.di[i] > 0 else {
                throw MetaAnalysisError(.invalidStudy(index: i, field: "n2i"), "Group 2 has no participants.")
            }
        }
        let hasZero = (0..<k).map { t.ai[$0] == 0 || t.bi[$0] == 0 || t.ci[$0] == 0 || t.di[$0] == 0 }
        let anyZero = hasZero.contains(true)
        var y: [Double] = [], v: [Double] = [], kept: [Int] = []
        for i in 0..<k {
            var (a, b, c, d) = (t.ai[i], t.bi[i], t.ci[i], t.di[i])
            if correction.dropDoubleZero, (a == 0 && c == 0) || (b == 0 && d == 0) { continue }
            let add: Bool
            switch correction.scope {
            case .onlyZero: add = hasZero[i]
            case .all: add = true
            case .ifAnyZero: add = anyZero
            case .none: add = false
            }
            if add { a += correction.add; b += correction.add; c += correction.add; d += correction.add }
            let n1 = a + b, n2 = c + d, p1 = a / n1, p2 = c / n2
            let yi: Double, vi: Double
            switch measure {
            case .riskRatio:
                yi = .log(p1) - .log(p2)
                vi = 1 / a - 1 / n1 + 1 / c - 1 / n2
            case .oddsRatio:
                yi = .log(p1 / (1 - p1)) - .log(p2 / (1 - p2))
                vi = 1 / a + 1 / b + 1 / c + 1 / d
            case .riskDifference:
                yi = p1 - p2
                vi = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2
            default:
                preconditionFailure("\(measure) is not computed from counts")
            }
            guard yi.isFinite, vi.isFinite, vi > 0 else {
                throw MetaAnalysisError(
                    .invalidStudy(index: i, field: "ai"),
                    "A zero cell makes the \(measure.rawValue) undefined; use a zero-cell correction.")
            }
            y.append(yi); v.append(vi); kept.append(i)
        }
        return EffectSizes(yi: y, vi: v, kept: kept)
    }

    /// c(m) = Γ(m/2) / (√(m/2) Γ((m-1)/2)), exact (metafor's `.cmicalc`).
    public static func hedgesCorrection(_ m: Double) -> Double {
        .exp(.logGamma(m / 2) - .log((m / 2).squareRoot()) - .logGamma((m - 1) / 2))
    }

    private static func requireFinite(_ i: Int, _ fields: (String, Double)...) throws {
        for (name, value) in fields where !value.isFinite {
            throw MetaAnalysisError(.invalidStudy(index: i, field: name), "\(name) is not a finite number.")
        }
    }

    private static func requireNonNegative(_ i: Int, _ fields: (String, Double)...) throws {
        for (name, value) in fields where !(value.isFinite && value >= 0) {
            throw MetaAnalysisError(.invalidStudy(index: i, field: name), "\(name) must be a number of at least 0.")
        }
    }

    private static func requireGroupSize(_ i: Int, _ fields: (String, Double)...) throws {
        for (name, value) in fields where !(value.isFinite && value >= 1) {
            throw MetaAnalysisError(.invalidStudy(index: i, field: name), "\(name) must be at least 1.")
        }
    }
}
