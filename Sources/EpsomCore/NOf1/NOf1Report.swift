import Foundation

/// The analysis of one diary, ready to print as text, JSON or a picture.
public struct NOf1Report: Sendable, Equatable {
    public var input: NOf1Input
    public var result: NOf1Result
    /// True for an everyday log (arm = on/off by choice), which is observational, not randomised.
    public var observational: Bool

    public init(input: NOf1Input, options: NOf1Options, observational: Bool = false) throws(InputError) {
        self.input = input
        self.observational = observational
        do {
            result = try NOf1Analysis.run(input.series, options: options)
        } catch let error as NOf1Error {
            throw InputError(message: error.message)
        } catch {
            throw InputError(message: "\(error)")
        }
    }

    /// A report over an analysis already run (a trial's, which builds its own input).
    public init(input: NOf1Input, result: NOf1Result, observational: Bool = false) {
        self.input = input
        self.result = result
        self.observational = observational
    }

    public static let observationalNote =
        "This compares days it happened to be used with days it was not. "
        + "It is observational, not randomised: anything else that changed at the same time could explain the difference."

    /// The verdict for one contrast (the wording module decides every word).
    public func verdict(_ c: NOf1Contrast, voice: Verdict.Voice = .person, outcome: Verdict.Outcome = .pain) -> Verdict {
        Verdict(
            contrast: c, mcid: result.options.mcid, level: result.options.level, adequacy: result.adequacy,
            outcome: outcome, voice: voice)
    }

    /// The verdict in plain words, for the person whose diary it is.
    public func plainSummary(_ c: NOf1Contrast) -> String { verdict(c).sentence }

    /// A percentage that never rounds a real possibility to 0% or 100%.
    public static func chance(_ p: Double) -> String {
        if p > 0.995 { return "more than 99%" }
        if p < 0.005 { return "less than 1%" }
        return NumberFormatting.fixed(p * 100, 0) + "%"
    }
}
