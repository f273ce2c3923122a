/// The shape of Fixtures/metafor.json, written by scripts/fixtures/metafor.R.
struct MetaforFixture: Decodable {
    struct EscalcCase: Decodable { var dataset, measure: String; var yi, vi: [Double] }

    struct Model: Decodable {
        var name: String
        var method, test: String
        var yi, vi: [Double]
        var columns: [String]?
        var X: [Double]?
        var beta, se, zval, pval, ci_lb, ci_ub, weights: [Double]
        var tau2, QE, QEp, I2, H2, QM, QMp: Double
        var R2: Double?
        var pi_lb, pi_ub, pi_riley_lb, pi_riley_ub: Double?
        var tau2_ci: [Double]?
        var tau2_ci_capped: Bool?
    }

    struct Bias: Decodable {
        struct Egger: Decodable { var statistic, p, limit, limit_ci_lb, limit_ci_ub: Double }
        struct TrimFill: Decodable {
            var k0: Int; var side: String
            var beta, se, ci_lb, ci_ub: [Double]
            var tau2: Double
            var filled_yi, filled_vi: [Double]
        }
        struct LeaveOneOut: Decodable { var estimate, se, statistic, pval, ci_lb, ci_ub, Q, Qp, tau2, I2, H2: [Double] }
        var name, method, test: String
        var yi, vi: [Double]
        var egger: Egger
        var trimfill: TrimFill
        var leave1out: LeaveOneOut
    }

    struct Subgroups: Decodable {
        struct Group: Decodable {
            var group: String; var k: Int
            var estimate, se, ci_lb, ci_ub, tau2, QE, QEp: Double
        }
        var name, method: String
        var yi, vi: [Double]
        var by: [String]
        var groups: [Group]
        var Q_between: Double; var df_between: Int; var p_between: Double
    }

    struct Data: Decodable {
        struct Counts: Decodable { var ai, ci: [Double]; var bi, di, n1i, n2i: [Double]? }
        struct Means: Decodable { var m1i, sd1i, n1i, m2i, sd2i, n2i: [Double] }
        var bcg: Counts, nielweise2007: Counts, egger2001: Counts
        var normand1999: Means
    }

    var metafor_version: String
    var data: Data
    var escalc: [EscalcCase]
    var models: [Model]
    var metaregression: [Model]
    var bias: [Bias]
    var subgroups: [Subgroups]

    static let shared: MetaforFixture = try! fixture("metafor", as: MetaforFixture.self)
}
