import Foundation

/// A closed study's analysis as it is stored and downloaded (`analysis.json`): computed once, when
/// the study closes (`StudyAnalysis.results`), and read by the study report and the participants'
/// pages, which never recompute it.
///
/// Its first keys are `epsom series --format json`'s for the primary analysis (intention to
/// treat, τ ~ half-normal(2), no trend), so a tool that reads the command's JSON reads this file;
/// the rest is what the CENT report adds: the per-protocol analysis, the sensitivity analyses,
/// secondary outcomes, the participant flow, adherence and harms by arm, the baseline table. Every number is finite
/// (what cannot be computed is absent, with a reason), and nothing names a person: participants
/// are their study codes.
public struct StudyResults: Codable, Sendable, Equatable {
    public static let currentFormat = "epsom-study-results/1"

    // The primary analysis, as `epsom series --format json` writes it.
    public var reference: String
    public var mcid: Double
    public var tauPrior: String
    public var trend: Bool
    public var participants: [SeriesJSON.Participant]
    public var pooled: [SeriesJSON.Pooled]

    // What the report adds.
    public var format: String
    /// The primary analysis's population.
    public var population: TrialAnalysis.Population
    /// The primary outcome (the CSV column `epsom series` reads with it).
    public var outcome: TrialOutcome
    /// The day the analysis was computed (the day the study closed).
    public var computedOn: CalendarDate
    /// SHA-256 of the study's CSV export (`StudyCSV`) as it was analysed: `epsom series` on that
    /// file gives the primary analysis above.
    public var dataSha256: String
    public var perProtocol: SeriesJSON
    public var sensitivity: [Sensitivity]
    public var secondaryOutcomes: [Secondary]
    public var flow: Flow
    /// Adherence and harms by arm, over the days of the participants whose data is kept.
    public var arms: [ArmSummary]
    /// The participants at the start (CENT item 15). Absent from analyses stored before it was
    /// computed: the report then says so rather than read the diaries again.
    public var baseline: Baseline?
    /// Never stored: set when the analysis is shown (`standing(_:)`) if participants withdrew
    /// their data after it was computed. The analysis is not recomputed for them (the rule is in
    /// `StudyDataWithdrawal`); this says so, beside the numbers it concerns.
    public var laterDataWithdrawals: LaterDataWithdrawals?

    /// The primary analysis alone, as `epsom series --format json` writes it.
    public var primary: SeriesJSON {
        SeriesJSON(reference: reference, mcid: mcid, tauPrior: tauPrior, trend: trend, participants: participants, pooled: pooled)
    }

    /// A participant's own entry in the primary analysis, by their study code.
    public func participant(_ code: String) -> SeriesJSON.Participant? { participants.first { $0.participant == code } }

    /// The primary analysis again under another assumption (pooled numbers only).
    public struct Sensitivity: Codable, Sendable, Equatable {
        /// "tau_half_normal_1", "tau_uniform", "trend".
        public var name: String
        public var tauPrior: String
        public var trend: Bool
        public var pooled: [SeriesJSON.Pooled]
    }

    /// A secondary outcome, intention to treat, with the primary analysis's options.
    public struct Secondary: Codable, Sendable, Equatable {
        public var outcome: TrialOutcome
        /// Participants with any analysable day of this outcome.
        public var participants: Int
        public var pooled: [SeriesJSON.Pooled]
    }

    /// CENT's participant flow: invited → screened → eligible → enrolled → completed → analysed.
    public struct Flow: Codable, Sendable, Equatable {
        /// Single-use invitation codes made (0 when the study enrolled by its link alone) and used.
        public var invitationCodes: Int
        public var invitationCodesUsed: Int
        /// Screening answers as counted (an invitee who answered twice counts twice).
        public var screened: Int
        public var eligible: Int
        public var enrolled: Int
        /// Enrolled and neither withdrawn nor stopped before their trial's end.
        public var completed: Int
        public var withdrawals: [Withdrawal]
        /// Trials stopped before their end other than by a withdrawal (a safety rule).
        public var stops: [Stop]
        /// Participants whose data the study may use (all but those who withdrew it).
        public var withData: Int
        /// Pooled in the primary (intention-to-treat) and the per-protocol analysis.
        public var analysed: Int
        public var analysedPerProtocol: Int
        /// Participants with data left out of the primary analysis's pooling, with the reason.
        public var excluded: [Exclusion]
    }

    /// How many participants withdrew their data after the analysis was computed, and what that
    /// means for it, in words.
    public struct LaterDataWithdrawals: Codable, Sendable, Equatable {
        public var participants: Int
        public var note: String
    }

    public struct Withdrawal: Codable, Sendable, Equatable {
        public var participant: String
        public var date: CalendarDate
        /// Day of their trial (1 = the first day).
        public var day: Int
        public var keepsData: Bool
    }

    public struct Stop: Codable, Sendable, Equatable {
        public var participant: String
        public var date: CalendarDate
        public var reason: String
        public var safety: Bool
    }

    public struct Exclusion: Codable, Sendable, Equatable {
        public var participant: String
        public var reason: String
    }

    /// One arm's days over the participants with data (washout included: the days were lived
    /// under that arm): adherence answers and side effects as reported.
    public struct ArmSummary: Codable, Sendable, Equatable {
        public var arm: String
        public var scheduledDays: Int
        public var diaryDays: Int
        public var followed: Int
        public var partly: Int
        public var notFollowed: Int
        /// Days with any side effect, and by kind (in `DiaryEntry.SideEffect` order, kinds reported).
        public var sideEffectDays: Int
        public var sideEffects: [SideEffectCount]
        public var severeSideEffectDays: Int

        public var answered: Int { followed + partly + notFollowed }
    }

    public struct SideEffectCount: Codable, Sendable, Equatable {
        public var effect: DiaryEntry.SideEffect
        public var days: Int
    }
}

extension StudyResults {
    /// Reads the stored (or downloaded) JSON.
    public static func decoded(_ json: String) throws -> StudyResults {
        try WireJSON.decoder().decode(StudyResults.self, from: Data(json.utf8))
    }

    /// The stored form: compact, keys in declaration order (the command's keys first).
    public func encoded() throws -> String { try JSONStream.text(self, pretty: false) }
}
