import Foundation
import Testing

/// Relative closeness with a floor for values that are zero in the reference.
func isClose(_ a: Double, _ b: Double, relative: Double, absolute: Double = 1e-300) -> Bool {
    if a == b { return true }
    if !a.isFinite || !b.isFinite { return false }
    return abs(a - b) <= max(relative * max(abs(a), abs(b)), absolute)
}

func expectClose(
    _ actual: Double, _ expected: Double, relative: Double, absolute: Double = 1e-300,
    _ what: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(isClose(actual, expected, relative: relative, absolute: absolute),
        "\(what()): got \(actual), expected \(expected)", sourceLocation: sourceLocation)
}

/// Loads a JSON fixture committed under Tests/EpsomStatsTests/Fixtures.
func fixture<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
    return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
}
