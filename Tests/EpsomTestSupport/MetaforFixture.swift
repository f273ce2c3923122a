/// The shape of Fixtures/metafor.json, written by scripts/fixtures/metafor.R.
public struct MetaforFixture: Decodable, Sendable {
    public struct EscalcCase: Decodable, Sendable { public var dataset, measure: String; public var yi, vi: [Double] }

    public struct Model: Decodable, Sendable {
        public var name: String
        public var method, test: String
        public var yi, vi: [Double]
        public var columns: [String]?
        public var x: [Double]?
        public var beta, se, zval, pval, ciLb, ciUb, weights: [Double]
        public var tau2, qe, qeP, i2, h2, qm, qmP: Double
        public var r2: Double?
        public var piLb, piUb, piRileyLb, piRileyUb: Double?
        public var tau2Ci: [Double]?
        public var tau2CiCapped: Bool?

        /// metafor's own capitalised names (QE, I2, …), as the fixture script writes them.
        enum CodingKeys: String, CodingKey {
            case name, method, test, yi, vi, columns, beta, se, zval, pval, ciLb, ciUb, weights, tau2, piLb, piUb, piRileyLb, piRileyUb
            case tau2Ci, tau2CiCapped
            case x = "X", qe = "QE", qeP = "QEp", i2 = "I2", h2 = "H2", qm = "QM", qmP = "QMp", r2 = "R2"
        }
    }

    public struct Bias: Decodable, Sendable {
        public struct Egger: Decodable, Sendable { public var statistic, p, limit, limitCiLb, limitCiUb: Double }
        public struct TrimFill: Decodable, Sendable {
            public var k0: Int; public var side: String
            public var beta, se, ciLb, ciUb: [Double]
            public var tau2: Double
            public var filledYi, filledVi: [Double]
        }
        public struct LeaveOneOut: Decodable, Sendable {
            public var estimate, se, statistic, pval, ciLb, ciUb, q, qP, tau2, i2, h2: [Double]

            enum CodingKeys: String, CodingKey {
                case estimate, se, statistic, pval, ciLb, ciUb, tau2
                case q = "Q", qP = "Qp", i2 = "I2", h2 = "H2"
            }
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
            public var estimate, se, ciLb, ciUb, tau2, qe, qeP: Double

            enum CodingKeys: String, CodingKey {
                case group, k, estimate, se, ciLb, ciUb, tau2
                case qe = "QE", qeP = "QEp"
            }
        }
        public var name, method: String
        public var yi, vi: [Double]
        public var by: [String]
        public var groups: [Group]
        public var qBetween: Double
        public var dfBetween: Int
        public var pBetween: Double

        enum CodingKeys: String, CodingKey {
            case name, method, yi, vi, by, groups, dfBetween, pBetween
            case qBetween
        }
    }

    public struct Data: Decodable, Sendable {
        public struct Counts: Decodable, Sendable { public var ai, ci: [Double]; public var bi, di, n1i, n2i: [Double]? }
        public struct Means: Decodable, Sendable { public var m1i, sd1i, n1i, m2i, sd2i, n2i: [Double] }
        public var bcg: Counts, nielweise2007: Counts, egger2001: Counts
        public var normand1999: Means
    }

    public var metaforVersion: String
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
