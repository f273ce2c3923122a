import Foundation

/// The JSON form of an N-of-1 analysis (snake_case; effects are arm − reference).
public struct NOf1JSON: Codable, Sendable, Equatable {
    public struct Band: Codable, Sendable, Equatable {
        public var label: String
        /// nil for an open end.
        public var lower, upper: Double?
        public var probability: Double
    }
    public struct Contrast: Codable, Sendable, Equatable {
        public var arm, reference: String
        public var mean, median, ciLower, ciUpper, variance, pBenefit, pMcid: Double
        public var bands: [Band]
        /// The wording module's verdict: helps, helps_a_little, no_difference, worse, unclear, too_little_data.
        public var verdict: String
        public var summary: String
    }
    public struct Trend: Codable, Sendable, Equatable { public var mean, ciLower, ciUpper: Double }
    public struct Periods: Codable, Sendable, Equatable {
        public var arm, reference: String
        public var differences: [Double]
        public var mean: Double
        public var ciLower, ciUpper: Double?
    }
    public struct CarryOver: Codable, Sendable, Equatable {
        public var arm: String
        public var periods: Int
        public var meanDifference: Double
        public var ciLower, ciUpper: Double?
    }

    public var n: Int
    public var rhoMean, rhoSd: Double
    public var mcid: Double
    public var contrasts: [Contrast]
    public var trend: Trend?
    public var periodComparisons: [Periods]
    public var carryOver: [CarryOver]
    public var observational: Bool
    public var note: String?
    /// False when the data cannot support an answer (`reasons` says why); every verdict is then too_little_data.
    public var enoughData: Bool
    public var reasons: [String]
}

extension NOf1Report {
    public var json: NOf1JSON {
        let r = result, alpha = 1 - r.options.level
        return NOf1JSON(
            n: r.n, rhoMean: r.rhoMean, rhoSd: r.rhoStandardDeviation, mcid: r.options.mcid,
            contrasts: r.contrasts.map { c in
                .init(
                    arm: c.arm, reference: c.reference, mean: c.mean, median: c.median, ciLower: c.ciLower,
                    ciUpper: c.ciUpper, variance: c.variance, pBenefit: c.probabilityOfBenefit,
                    pMcid: c.probabilityBeyondMCID,
                    bands: c.bands.map {
                        .init(
                            label: $0.label, lower: $0.lower.isFinite ? $0.lower : nil,
                            upper: $0.upper.isFinite ? $0.upper : nil, probability: $0.probability)
                    },
                    verdict: verdict(c).kind.rawValue, summary: plainSummary(c))
            },
            trend: r.trend.map { .init(mean: $0.mean, ciLower: $0.quantile(alpha / 2), ciUpper: $0.quantile(1 - alpha / 2)) },
            periodComparisons: r.periodComparisons.map {
                .init(
                    arm: $0.arm, reference: $0.reference, differences: $0.differences, mean: $0.mean,
                    ciLower: $0.ciLower, ciUpper: $0.ciUpper)
            },
            carryOver: r.carryOver.map {
                .init(
                    arm: $0.arm, periods: $0.periods, meanDifference: $0.meanDifference, ciLower: $0.ciLower,
                    ciUpper: $0.ciUpper)
            },
            observational: observational, note: observational ? Self.observationalNote : nil,
            enoughData: r.adequacy.isEnough, reasons: r.adequacy.reasons)
    }

    public func jsonText() throws -> String {
        try JSONStream.text(json)
    }
}
