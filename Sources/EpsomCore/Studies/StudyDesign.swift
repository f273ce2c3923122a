/// A study: a series of N-of-1 trials that an investigator runs with many participants, each
/// getting the same protocol with their own randomisation (issue 16). This is what the
/// investigator writes while the study is a draft; `StudyProtocol` freezes it at registration.
///
/// The trial part (arms, period, cycles, washout, blinding, primary outcome, MCID) is a
/// `TrialDesign` without a start date or seed: each participant's personal trial is made from it
/// at enrolment (`trialDesign(startDate:seed:)`), so a participant's trial is checked by the
/// same rules as one they design themselves.
public struct StudyDesign: Sendable, Equatable, Codable {
    public var title: String
    /// The question the study answers, in one or two sentences.
    public var question: String
    /// The condition studied, e.g. "chronic low back pain".
    public var condition: String
    /// The eligibility criteria in words, shown before the screening questions.
    public var eligibility: String
    public var screening: [ScreeningQuestion]
    /// Shown to an invitee before consent; versioned with the consent text (`consentSha256`).
    public var informationSheet: String
    public var consentText: String
    /// Comparator first, as in a personal trial.
    public var arms: [TrialArm]
    public var periodDays: Int
    public var cycles: Int
    public var washoutDays: Int
    public var blinded: Bool
    public var primaryOutcome: TrialOutcome
    public var mcid: Double
    public var secondaryOutcomes: [TrialOutcome]
    public var targetParticipants: Int
    /// Participants choose their start date within this window (both days included).
    public var enrolmentOpens: CalendarDate
    public var enrolmentCloses: CalendarDate

    /// A yes/no question asked before consent; `excludingAnswer` ends the enrolment politely.
    public struct ScreeningQuestion: Sendable, Equatable, Codable {
        public var text: String
        public var excludingAnswer: Bool

        public init(text: String, excludingAnswer: Bool) {
            self.text = text
            self.excludingAnswer = excludingAnswer
        }
    }

    /// A participant's personal trial, as the protocol fixes it, from their chosen start date and
    /// their own seed.
    public func trialDesign(startDate: CalendarDate, seed: UInt64) -> TrialDesign {
        TrialDesign(
            title: title, arms: arms, periodDays: periodDays, cycles: cycles, washoutDays: washoutDays,
            startDate: startDate, outcome: primaryOutcome, mcid: mcid, blinded: blinded, seed: seed)
    }

    /// The days one participant's trial lasts.
    public var trialDays: Int { periodDays * cycles * arms.count }

    /// Whether `date` may be a participant's first day.
    public func acceptsStart(on date: CalendarDate) -> Bool { date >= enrolmentOpens && date <= enrolmentCloses }

    public static let participantRange = 2...10_000
    public static let maximumScreeningQuestions = 20
    /// The longest an enrolment window may stay open.
    public static let maximumEnrolmentDays = 3 * 366
}
