/// The JSON form of a series (snake_case through `JSONStream`; effects are arm − reference, lower
/// pain is benefit). Keys follow `epsom analyze` (`mean`, `ci_lower`, `p_mcid`…) and `epsom pool`
/// (`mu_mean`, `tau_median`, `p_new_mcid`…). Every number is finite: what cannot be computed is
/// left out, and a reason says why.
public struct SeriesJSON: Codable, Sendable, Equatable {
    public struct Contrast: Codable, Sendable, Equatable {
        public var arm, reference: String
        public var mean, median, variance, ciLower, ciUpper, pBenefit, pMcid: Double
        /// The estimate after pooling; absent for a participant left out.
        public var shrunken: Double?
    }
    public struct Participant: Codable, Sendable, Equatable {
        public var participant: String
        /// Analysed days (0 when none could be read as analysable).
        public var n: Int
        /// Absent when the model could not run on the participant's rows.
        public var rhoMean: Double?
        /// The participant's own posterior per contrast, as `epsom analyze` reports it (for
        /// checking only when the participant is left out).
        public var contrasts: [Contrast]
        /// Why the participant is left out of the pooling; absent when pooled.
        public var excludedReason: String?
    }
    public struct Pooled: Codable, Sendable, Equatable {
        public var arm, reference: String
        public var k: Int
        public var muMean, muCiLower, muCiUpper, tauMean, tauMedian, pNewBenefit, pNewMcid: Double?
        /// The posterior SD of μ: the standard error with which the series enters a meta-analysis.
        public var muSd: Double?
        /// P(μ < 0): the chance that the average effect is a benefit (the plain words' headline).
        public var pMuBenefit: Double?
        /// The expected share of people whose true effect is a benefit of at least the MCID
        /// (equals `p_new_mcid`: docs/methods.md §6.3).
        public var shareBeyondMcid: Double?
        /// The same share among the pooled participants themselves.
        public var participantShareBeyondMcid: Double?
        /// The 95% predictive interval of a new person's effect.
        public var piLower, piUpper: Double?
        /// Why there are no pooled numbers (no participant to pool, or a uniform prior on τ with
        /// fewer than 4).
        public var reason: String?
    }

    public var reference: String
    public var mcid: Double
    /// "half-normal:S" or "uniform".
    public var tauPrior: String
    public var trend: Bool
    public var participants: [Participant]
    public var pooled: [Pooled]
}

extension SeriesReport {
    public var json: SeriesJSON {
        SeriesJSON(
            reference: reference, mcid: options.mcid, tauPrior: Self.priorName(options.tauPrior), trend: options.trend,
            participants: participants.map { person in
                let result = person.report?.result
                return SeriesJSON.Participant(
                    participant: person.name, n: result?.n ?? 0, rhoMean: result?.rhoMean,
                    contrasts: contrasts.enumerated().compactMap { index, arm in
                        person.contrast(arm).map { c in
                            SeriesJSON.Contrast(
                                arm: c.arm, reference: c.reference, mean: c.mean, median: c.median, variance: c.variance,
                                ciLower: c.ciLower, ciUpper: c.ciUpper, pBenefit: c.probabilityOfBenefit,
                                pMcid: c.probabilityBeyondMCID, shrunken: person.shrunken[index])
                        }
                    },
                    excludedReason: person.exclusion)
            },
            pooled: pooled.map(Self.json))
    }

    /// One contrast's pooled numbers as the JSON holds them (and as the plain words read them).
    static func json(_ p: Pooled) -> SeriesJSON.Pooled {
        var out = SeriesJSON.Pooled(arm: p.arm, reference: p.reference, k: p.k, reason: p.reason)
        if let r = p.result {
            out.muMean = r.muMean
            out.muCiLower = r.muCILower
            out.muCiUpper = r.muCIUpper
            out.muSd = r.muSD
            out.tauMean = r.tauMean
            out.tauMedian = r.tauMedian
            out.pNewBenefit = r.probabilityNewBenefit
            out.pNewMcid = r.probabilityNewBeyondMCID
            out.pMuBenefit = r.muPosterior.cdf(0)
            out.shareBeyondMcid = p.shareBeyondMCID
            out.participantShareBeyondMcid = p.participantShareBeyondMCID
            out.piLower = p.predictiveLower
            out.piUpper = p.predictiveUpper
        }
        return out
    }

    /// The prior as the command line writes it.
    public static func priorName(_ prior: HierarchicalPooling.TauPrior) -> String {
        switch prior {
        case .uniform: "uniform"
        case .halfNormal(let scale): "half-normal:\(NumberFormatting.trimmed(scale))"
        }
    }
}

extension SeriesJSON.Pooled {
    init(arm: String, reference: String, k: Int, reason: String?) {
        self.arm = arm
        self.reference = reference
        self.k = k
        self.reason = reason
    }
}
