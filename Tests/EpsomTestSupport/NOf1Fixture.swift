/// The shape of Fixtures/nof1.json (below Tests/EpsomStatsTests), written by
/// scripts/fixtures/nof1_bruteforce.py: N-of-1 diaries and pooling cases with their brute-force numbers.
public struct NOf1Fixture: Decodable, Sendable {
    public struct Case: Decodable, Sendable {
        public struct Expected: Decodable, Sendable {
            public struct Summary: Decodable, Sendable {
                public var mean, median, ciLower, ciUpper, variance: Double
                public var pBenefit, pMcid: Double
                public var bands: [Double]
            }
            public var n: Int
            public var rhoMean, rhoSd: Double
            public var contrasts: [Summary]
            public var trend: Summary?
        }
        public var name: String
        public var days: [Int]
        public var outcomes: [Double]
        public var arms: [Int]
        public var armNames: [String]
        public var periods: [Int]
        public var trend: Bool
        public var mcid: Double
        public var expected: Expected
    }
    public struct Pool: Decodable, Sendable {
        public struct Expected: Decodable, Sendable {
            public var k: Int
            public var muMean, muCiLower, muCiUpper, tauMean, tauMedian, pNewBenefit, pNewMcid: Double
            public var shrunken: [Double]
        }
        public var name: String
        public var estimates, variances: [Double]
        public var mcid: Double
        public var prior: [PriorPart]
        public var expected: Expected
    }
    public enum PriorPart: Decodable, Sendable {
        case name(String), number(Double)
        public init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) { self = .name(s) } else { self = .number(try c.decode(Double.self)) }
        }
    }
    public var nof1: [Case]
    public var pooling: [Pool]

    /// The case or pool of that name; nil when the fixture has none.
    public func named(_ name: String) -> Case? { nof1.first { $0.name == name } }

    /// Decoded once; a missing or malformed fixture is a failed test, not a crash.
    private static let loaded = Result { try TestFiles.decode("EpsomStatsTests/Fixtures/nof1.json", as: NOf1Fixture.self) }
    public static var shared: NOf1Fixture { get throws { try loaded.get() } }
}
