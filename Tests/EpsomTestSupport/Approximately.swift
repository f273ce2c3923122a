import RealModule
import Testing

/// Expects `actual` within `relative` (of the larger magnitude) or `absolute` of `expected`, through
/// swift-numerics' `isApproximatelyEqual`. NaN and infinities are never close to a finite value.
public func expectClose(
    _ actual: Double, _ expected: Double, relative: Double = 0, absolute: Double = 0,
    _ what: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        isClose(actual, expected, relative: relative, absolute: absolute),
        "\(what()): got \(actual), expected \(expected)", sourceLocation: sourceLocation)
}

/// Whether `actual` lies within `relative` or `absolute` of `expected` (swift-numerics' rule).
public func isClose(_ actual: Double, _ expected: Double, relative: Double = 0, absolute: Double = 0) -> Bool {
    actual.isApproximatelyEqual(to: expected, absoluteTolerance: absolute, relativeTolerance: relative)
}

/// Expects two arrays of the same length whose elements are pairwise close: a shorter result fails.
public func expectClose(
    _ actual: [Double], _ expected: [Double], relative: Double = 0, absolute: Double = 0,
    _ what: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        actual.count == expected.count, "\(what()): \(actual.count) values, expected \(expected.count)",
        sourceLocation: sourceLocation)
    for (i, (a, e)) in zip(actual, expected).enumerated() {
        expectClose(a, e, relative: relative, absolute: absolute, "\(what())[\(i)]", sourceLocation: sourceLocation)
    }
}
