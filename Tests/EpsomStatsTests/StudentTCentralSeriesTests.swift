import EpsomTestSupport
import Testing

@testable import EpsomStats

/// The finite series for Student's t near the centre against the incomplete beta's continued
/// fraction, which it replaces there inside `StudentTMixture`.
@Suite struct StudentTCentralSeriesTests {
    @Test(arguments: [1, 2, 3, 4, 5, 9, 10, 30, 53, 56, 57, 120, 199, 200])
    func agreesWithTheContinuedFraction(nu: Int) throws {
        let series = try #require(StudentTCentralSeries(degreesOfFreedom: Double(nu)))
        var served = 0
        for step in 0...400 {
            let t = -8 + 16 * Double(step) / 400
            let reference = StudentT.tailBothSides(t, Double(nu))
            guard let tail = series.tailBothSides(t) else {
                // Outside the centre the caller keeps the continued fraction.
                #expect(abs(t) > StudentTCentralSeries.maximumAbsoluteT)
                continue
            }
            served += 1
            expectClose(tail, reference, relative: 1e-11, absolute: 1e-14, "ν = \(nu), t = \(t)")
        }
        #expect(served > 0)
    }

    @Test func onlyIntegerDegreesOfFreedomInRange() {
        #expect(StudentTCentralSeries(degreesOfFreedom: 2.5) == nil)
        #expect(StudentTCentralSeries(degreesOfFreedom: 0) == nil)
        #expect(StudentTCentralSeries(degreesOfFreedom: 201) == nil)
        #expect(StudentTCentralSeries(degreesOfFreedom: .infinity) == nil)
        #expect(StudentTCentralSeries(degreesOfFreedom: .nan) == nil)
        #expect(StudentTCentralSeries(degreesOfFreedom: 7)?.tailBothSides(.nan) == nil)
        #expect(StudentTCentralSeries(degreesOfFreedom: 7)?.tailBothSides(0) == 1)
    }
}
