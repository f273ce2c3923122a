import Testing
@testable import EpsomCore
@Test func coreBuilds() { #expect(Normal.cdf(0) == 0.5) }
