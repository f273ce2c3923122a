/// The shape of Fixtures/metafor.json, written by scripts/fixtures/metafor.R.
public struct MetaforFixture: Decodable, Sendable {
    public struct EscalcCase: Decodable, Sendable { public var dataset, measure: String; public var yi, vi: [Double] }

    public struct Model: Decodable, Sendable {
        public var name: String
        public var method, test: String
        public var yi, vi: [Double]
        public var columns: [String]?
        public var X: [Double]?
        public var beta, se, zval, pval, ci_lb, ci_ub, weights: [Double]
        public var tau2, QE, QEp, I2, H2, QM, QMp: Double
        public var R2: Double?
        public var pi_lb, pi_ub, pi_riley_lb, pi_riley_ub: Double?
        public var tau2_ci: [Double]?
        public var tau2_ci_capped: Bool?
    }

    public struct Bias: Decodable, Sendable {
        public struct Egger: Decodable, Sendable { public var statistic, p, limit, limit_ci_lb, limit_ci_ub: Double }
        public struct TrimFill: Decodable, Sendable {
            public var k0: Int; public var side: String
            public var beta, se, ci_lb, ci_ub: [Double]
            public var tau2: Double
            public var filled_yi, filled_vi: [Double]
        }
        public struct LeaveOneOut: Decodable, Sendable {
            public var estimate, se, statistic, pval, ci_lb, ci_ub, Q, Qp, tau2, I2, H2: [Double]
        }
        public var name, method, test: String
        public var yi, vi: [Double]
        public var egger: Egger
        public var trimfill: TrimFill
        public var leave1out: LeaveOneOut
    }

    public struct Subgroups: Decodable, Sendable {
        public struct Group: Decodable, Sendable {
            public var group: String; public var k: Int
            public var estimate, se, ci_lb, ci_ub, tau2, QE, QEp: Double
        }
        public var name, method: String
        public var yi, vi: [Double]
        public var by: [String]
        public var groups: [Group]
        public var Q_between: Double; public var df_between: Int; public var p_between: Double
    }

    public struct Data: Decodable, Sendable {
        public struct Counts: Decodable, Sendable { public var ai, ci: [Double]; public var bi, di, n1i, n2i: [Double]? }
        public struct Means: Decodable, Sendable { public var m1i, sd1i, n1i, m2i, sd2i, n2i: [Double] }
        public var bcg: Counts, nielweise2007: Counts, egger2001: Counts
        public var normand1999: Means
    }

    public var metafor_version: String
    public var data: Data
    public var escalc: [EscalcCase]
    public var models: [Model]
    public var metaregression: [Model]
    public var bias: [Bias]
    public var subgroups: [Subgroups]

    /// Decoded once; a missing or malformed fixture is a failed test, not a crash.
    private static let loaded = Result { try TestFiles.decode("EpsomStatsTests/Fixtures/metafor.json", as: MetaforFixture.self) }
    public static var shared: MetaforFixture { get throws { try loaded.get() } }
}
