import Foundation

/// The analysis of a series of N-of-1 trials (docs/methods.md §6): every participant's exact
/// N-of-1 posterior, as `epsom analyze` computes it, then for each contrast (arm − reference) the
/// two-stage normal–normal pooling of the participants' posterior means and variances, as
/// `epsom pool` computes it.
///
/// A participant is pooled only when their own analysis can answer (§3.7: every arm of the series
/// analysed in at least 2 periods and on at least 6 days, no exact fit). Anyone else is listed
/// with the reason and left out, never an error: a withdrawal in the first period is an ordinary
/// event in a series.
public struct SeriesReport: Sendable {
    public struct Options: Sendable, Equatable {
        public var trend: Bool
        /// In outcome points, as a reduction (≥ 0).
        public var mcid: Double
        public var tauPrior: HierarchicalPooling.TauPrior
        public var level: Double

        public init(
            trend: Bool = false, mcid: Double = 1, tauPrior: HierarchicalPooling.TauPrior = .halfNormal(scale: 2),
            level: Double = 0.95
        ) {
            self.trend = trend
            self.mcid = mcid
            self.tauPrior = tauPrior
            self.level = level
        }

        /// The per-participant options: `epsom analyze`'s, with this MCID and trend.
        public var nof1: NOf1Options { NOf1Options(trend: trend, mcid: mcid, level: level) }
    }

    /// One participant: their own analysis, and whether it entered the pooling.
    public struct Participant: Sendable {
        public var name: String
        /// The participant's own analysis, as `epsom analyze` gives it; nil when the model could not
        /// run on their rows.
        public var report: NOf1Report?
        /// Why the participant is left out of the pooling; nil when pooled.
        public var exclusion: String?
        /// Shrunken estimates, one per contrast of the series (`SeriesReport.contrasts`); nil for
        /// a participant left out or a contrast that could not be pooled.
        public var shrunken: [Double?]

        public var isPooled: Bool { exclusion == nil }

        /// The participant's posterior of `arm` − reference.
        public func contrast(_ arm: String) -> NOf1Contrast? { report?.result.contrasts.first { $0.arm == arm } }
    }

    /// One contrast pooled over the participants who can answer.
    public struct Pooled: Sendable {
        public var arm: String
        public var reference: String
        /// The pooled participants' indices in `participants`, in order.
        public var members: [Int]
        /// nil when the contrast could not be pooled (`reason`).
        public var result: HierarchicalPooling.Result?
        public var reason: String?
        /// The expected share of the population whose true effect is a benefit of at least the
        /// MCID (equal to P(a new person benefits by the MCID), see `expectedShare(below:)`).
        public var shareBeyondMCID: Double?
        /// The expected share of the pooled participants themselves whose true effect is a
        /// benefit of at least the MCID.
        public var participantShareBeyondMCID: Double?
        /// The predictive interval of a new person's effect at the options' level.
        public var predictiveLower, predictiveUpper: Double?
        public var k: Int { members.count }
    }

    public var options: Options
    /// Every arm, the reference first: contrast c is arms[c + 1] − arms[0].
    public var arms: [String]
    public var participants: [Participant]
    public var pooled: [Pooled]

    public var reference: String { arms[0] }
    public var contrasts: [String] { Array(arms.dropFirst()) }

    /// The analysis, one participant after another.
    public init(input: SeriesInput, options: Options = .init()) {
        let reference = input.reference
        self.init(
            input: input, options: options,
            analysed: input.participants.map { Self.analyse($0, reference: reference, arms: input.arms, options: options) })
    }

    /// The same analysis with the participants shared out over the machine's cores: each one's
    /// analysis is independent and lands in its own slot, so the answer is the same, bit for bit,
    /// as `init(input:options:)`'s. Participants are dealt out in turn (0, 2, 4… and 1, 3, 5…),
    /// so long and short diaries are spread evenly.
    public static func analysedInParallel(_ input: SeriesInput, options: Options = .init()) -> SeriesReport {
        let people = input.participants, arms = input.arms, reference = input.reference
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, people.count / 16))
        var slots = [Participant?](repeating: nil, count: people.count)
        slots.withUnsafeMutableBufferPointer { buffer in
            // Each index is written by exactly one worker, and read only after all have finished.
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for i in stride(from: worker, to: people.count, by: workers) {
                    out[i] = Self.analyse(people[i], reference: reference, arms: arms, options: options)
                }
            }
        }
        return SeriesReport(input: input, options: options, analysed: slots.compactMap { $0 })
    }

    /// The same participants' analyses pooled under another prior on τ: stage one does not
    /// depend on the prior, so only stage two runs again (a sensitivity analysis costs the pooling,
    /// not every participant's model). Equal to `init(input:options:)` with that prior.
    public func repooled(tauPrior: HierarchicalPooling.TauPrior) -> SeriesReport {
        var options = self.options
        options.tauPrior = tauPrior
        let analysed = participants.map { person in
            var person = person
            person.shrunken = Array(repeating: nil, count: arms.count - 1)
            return person
        }
        return SeriesReport(arms: arms, options: options, analysed: analysed)
    }

    private init(input: SeriesInput, options: Options, analysed: [Participant]) {
        self.init(arms: input.arms, options: options, analysed: analysed)
    }

    /// Pools analyses already made (internal: `repooled` and the tests that pool a thousand copies).
    init(arms: [String], options: Options, analysed: [Participant]) {
        self.options = options
        self.arms = arms
        participants = analysed
        pooled = arms.dropFirst().map { arm in
            Self.pool(arm: arm, reference: arms[0], participants: analysed, options: options)
        }
        for (c, pool) in pooled.enumerated() {
            guard let result = pool.result else { continue }
            for (position, index) in pool.members.enumerated() {
                participants[index].shrunken[c] = result.participants[position].shrunken
            }
        }
    }

    /// One participant's analysis, exactly `epsom analyze --reference REF` on their rows.
    static func analyse(_ person: SeriesInput.Participant, reference: String, arms: [String], options: Options) -> Participant {
        var result = Participant(name: person.name, report: nil, exclusion: nil, shrunken: Array(repeating: nil, count: arms.count - 1))
        var present = Set<String>()
        for entry in person.entries { present.insert(entry.arm) }
        let missing = arms.filter { !present.contains($0) }
        if !missing.isEmpty {
            let only = present.count == 1 ? "only one arm (\(arms.filter(present.contains).joined())); " : ""
            result.exclusion =
                "\(only)no days of \(missing.map { "\"\($0)\"" }.joined(separator: ", "))"
                + (missing.contains(reference) ? " (the reference arm)" : "")
            return result
        }
        do throws(InputError) {
            let input = try NOf1Input(entries: person.entries, reference: reference)
            let report = try NOf1Report(input: input, options: options.nof1)
            result.report = report
            if !report.result.adequacy.isEnough {
                result.exclusion = "Too little data to tell: " + report.result.adequacy.reasons.joined(separator: "; ")
            }
        } catch {
            result.exclusion = error.message
        }
        return result
    }

    static func pool(arm: String, reference: String, participants: [Participant], options: Options) -> Pooled {
        var members: [Int] = [], estimates: [Double] = [], variances: [Double] = []
        for (i, person) in participants.enumerated() where person.isPooled {
            guard let c = person.contrast(arm) else { continue }
            members.append(i)
            estimates.append(c.mean)
            variances.append(c.variance)
        }
        var pooled = Pooled(arm: arm, reference: reference, members: members, result: nil, reason: nil)
        guard !members.isEmpty else {
            pooled.reason = "no participant has enough data on \(arm) and \(reference) to be pooled"
            return pooled
        }
        if options.tauPrior == .uniform, members.count < 4 {
            pooled.reason =
                "a uniform prior on tau needs at least 4 pooled participants (there \(members.count == 1 ? "is" : "are") "
                + "\(members.count)); use --tau-prior half-normal:SCALE"
            return pooled
        }
        do {
            let result = try HierarchicalPooling.pool(
                estimates: estimates, variances: variances, mcid: options.mcid, tauPrior: options.tauPrior, level: options.level)
            pooled.result = result
            pooled.shareBeyondMCID = result.expectedShare(below: -options.mcid)
            pooled.participantShareBeyondMCID = result.expectedShareOfParticipants(below: -options.mcid, variances: variances)
            let predictive = result.predictive, alpha = 1 - options.level
            pooled.predictiveLower = predictive.quantile(alpha / 2)
            pooled.predictiveUpper = predictive.quantile(1 - alpha / 2)
        } catch {
            pooled.reason = "\(error)"
        }
        return pooled
    }
}
