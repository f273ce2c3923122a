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

    public static let observationalNote = "This compares days you happened to use it with days you did not. "
        + "It is observational, not randomised: anything else that changed at the same time could explain the difference."

    /// One plain sentence per contrast, for the person whose diary it is.
    public func plainSummary(_ c: NOf1Contrast) -> String {
        let level = NumberFormatting.fixed(result.options.level * 100, 0)
        let size = NumberFormatting.fixed(abs(c.mean), 1)
        let name = c.arm.prefix(1).uppercased() + c.arm.dropFirst()
        var sentence: String
        if c.ciUpper < 0 {
            sentence = "\(name) lowered your pain by \(size) points (\(level)% interval \(NumberFormatting.fixed(-c.ciUpper, 1)) "
                + "to \(NumberFormatting.fixed(-c.ciLower, 1)))."
        } else if c.ciLower > 0 {
            sentence = "\(name) raised your pain by \(size) points (\(level)% interval \(NumberFormatting.fixed(c.ciLower, 1)) "
                + "to \(NumberFormatting.fixed(c.ciUpper, 1)))."
        } else {
            let direction = c.mean < 0 ? "lower" : "higher"
            sentence = "With \(c.arm) your pain was \(size) points \(direction) on average, but the \(level)% interval runs "
                + "from \(NumberFormatting.fixed(abs(c.ciLower), 1)) lower to \(NumberFormatting.fixed(abs(c.ciUpper), 1)) higher, "
                + "so the data cannot tell whether it helps."
        }
        sentence += " Chance that it helps you: \(Self.chance(c.probabilityOfBenefit))."
        sentence += " Chance that it helps by at least \(NumberFormatting.trimmed(result.options.mcid)) "
            + "point\(result.options.mcid == 1 ? "" : "s"): \(Self.chance(c.probabilityBeyondMCID))."
        return sentence
    }

    /// A percentage that never rounds a real possibility to 0% or 100%.
    public static func chance(_ p: Double) -> String {
        if p > 0.995 { return "more than 99%" }
        if p < 0.005 { return "less than 1%" }
        return NumberFormatting.fixed(p * 100, 0) + "%"
    }
}
