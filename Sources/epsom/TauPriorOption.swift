import ArgumentParser
import EpsomCore

extension HierarchicalPooling.TauPrior {
    /// `--tau-prior` as `epsom pool` and `epsom series` take it: half-normal:SCALE or uniform.
    static func parse(_ text: String) throws -> Self {
        if text == "uniform" { return .uniform }
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0] == "half-normal", let scale = Double(parts[1]), scale > 0, scale.isFinite else {
            throw ValidationError("--tau-prior must be half-normal:SCALE (SCALE > 0) or uniform.")
        }
        return .halfNormal(scale: scale)
    }
}
