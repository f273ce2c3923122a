/// What a blinded study's allocation table shows of one participant: each arm of their trial
/// with its jar's letter. Read for the study's page without the rest of the trial (dates,
/// periods, protocol), so that a study of 1,000 participants decodes 1,000 short lists.
public struct StudyAllocation: Sendable, Equatable {
    public var participantCode: String
    public var withdrawnOn: CalendarDate?
    public var keepsData: Bool?
    /// The trial's arms in the design's order (the first is the comparator).
    public var arms: [Arm]

    public struct Arm: Sendable, Equatable {
        public var name: String
        /// The letter on the arm's jars ("X"), drawn with the trial's schedule.
        public var jar: String

        public init(name: String, jar: String) {
            self.name = name
            self.jar = jar
        }

        /// "Jar X", as the trial's own pages and the labels say it.
        public var jarLabel: String { TrialSchedule.jarLabel(letter: jar) }
    }

    public init(participantCode: String, withdrawnOn: CalendarDate?, keepsData: Bool?, arms: [Arm]) {
        self.participantCode = participantCode
        self.withdrawnOn = withdrawnOn
        self.keepsData = keepsData
        self.arms = arms
    }

    /// A participant who withdrew their data: nothing of theirs is shown but their code.
    public var dataWithdrawn: Bool { withdrawnOn != nil && keepsData == false }
}
