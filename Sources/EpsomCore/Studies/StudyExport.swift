/// What a study's exports (`StudyFHIR`, `StudyCSV`) are made from, as the store reads it for the
/// study's investigator: the study, and each participant in order of enrolment with their trial
/// and records, or nothing but the enrolment when they withdrew their data.
///
/// It holds no name, email or account id; the enrolment and the trial carry their own ids, which
/// the exports never write.
public struct StudyExport: Sendable, Equatable {
    public var study: Study
    public var participants: [Participant]

    public init(study: Study, participants: [Participant]) {
        self.study = study
        self.participants = participants
    }

    /// Allocations and arms by day are exported only once the study is closed: while it runs the
    /// investigator is blind.
    public var revealsArms: Bool { study.status == .closed }

    public struct Participant: Sendable, Equatable {
        public var enrolment: Enrolment
        /// Nil when the participant withdrew their data: the store read nothing of it.
        public var kept: Kept?

        public init(enrolment: Enrolment, kept: Kept?) {
            self.enrolment = enrolment
            self.kept = kept
        }

        public var code: String { enrolment.participantCode }

        /// Every day of the trial up to `today`, its last day or the withdrawal, with what was logged.
        public func days(today: CalendarDate) -> [TrialAnalysis.Day] {
            guard let kept else { return [] }
            return TrialAnalysis.days(
                trial: kept.trial, diary: kept.diary, adherence: kept.adherence, through: min(today, enrolment.withdrawnOn ?? today))
        }
    }

    /// A participant's trial and, within its dates, their diary (without its free-text notes,
    /// which may name people or places) and adherence answers.
    public struct Kept: Sendable, Equatable {
        public var trial: Trial
        public var diary: [DiaryEntry]
        public var adherence: [TrialDay]
        /// Their diary in the `StudyBaseline.windowDays` days before their first day (no notes),
        /// for the baseline table alone: no export writes it, and the analysis keeps only the
        /// summary over participants.
        public var diaryBefore: [DiaryEntry]
        /// Whether the participant was told before consenting that those days may be read
        /// (`StudyBaseline.consentNotice`); if not, none is read and the baseline counts them apart.
        public var baselineAsked: Bool

        public init(
            trial: Trial, diary: [DiaryEntry], adherence: [TrialDay], diaryBefore: [DiaryEntry] = [], baselineAsked: Bool = true
        ) {
            self.trial = trial
            self.diary = diary
            self.adherence = adherence
            self.diaryBefore = diaryBefore
            self.baselineAsked = baselineAsked
        }
    }
}
