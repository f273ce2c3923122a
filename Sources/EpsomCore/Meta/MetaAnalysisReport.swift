import EpsomStats
import Foundation

/// Everything one `epsom meta` run (or the web workbench) computes from one input.
public struct MetaAnalysisReport: Sendable, Equatable {
    /// Optional analyses beside the main model.
    public struct Extras: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let egger = Extras(rawValue: 1)
        public static let trimAndFill = Extras(rawValue: 2)
        public static let leaveOneOut = Extras(rawValue: 4)
    }

    public var input: MetaAnalysisInput
    public var model: MetaAnalysisResult
    /// Q-profile interval for τ² (random-effects models with at least one residual df).
    public var tauSquaredInterval: QProfile.Interval?
    public var egger: EggerTest.Result?
    public var trimAndFill: TrimAndFill.Result?
    public var leaveOneOut: [LeaveOneOut.Row]?
    public var subgroups: Subgroups.Result?

    public init(input: MetaAnalysisInput, options: MetaAnalysisOptions, extras: Extras = []) throws(InputError) {
        self.input = input
        let y = input.effects.yi, v = input.effects.vi
        do {
            let design = input.moderators.isEmpty ? nil : DesignMatrix.build(rows: y.count, moderators: input.moderators)
            model = try MetaAnalysis.fit(y: y, v: v, design: design, options: options)
            if options.method.isRandomEffects, model.heterogeneity.degreesOfFreedom >= 1 {
                tauSquaredInterval = try QProfile.tauSquaredInterval(y: y, v: v, design: design, level: options.level)
            }
            let interceptOnly = design == nil
            if extras.contains(.egger) {
                guard interceptOnly else { throw InputError(message: "Egger's test is for models without moderators (drop --mods)") }
                egger = try EggerTest.run(y: y, v: v, options: options)
            }
            if extras.contains(.trimAndFill) {
                guard interceptOnly else { throw InputError(message: "trim-and-fill is for models without moderators (drop --mods)") }
                trimAndFill = try TrimAndFill.run(y: y, v: v, options: options)
            }
            if extras.contains(.leaveOneOut) {
                guard interceptOnly else { throw InputError(message: "leave-one-out is for models without moderators (drop --mods)") }
                leaveOneOut = try LeaveOneOut.run(y: y, v: v, options: options)
            }
            if let groups = input.groups {
                subgroups = try Subgroups.run(y: y, v: v, groups: groups, options: options)
            }
        } catch let error as InputError {
            throw error
        } catch let error as MetaAnalysisError {
            if case .invalidStudy(let index, let field) = error.kind, index < input.lines.count {
                throw InputError(line: input.lines[index], column: field, message: error.message)
            }
            throw InputError(message: error.message)
        } catch {
            throw InputError(message: "\(error)")
        }
    }

    /// Values on the analysis scale are shown exponentiated for ratio measures.
    public func display(_ value: Double) -> Double { input.measure.isRatio ? exp(value) : value }
}
