/// What a blinded study's allocation tables show of one participant (the investigator's study
/// page, the pharmacist's page): each arm of their trial with its jar's letter, and the trial's
/// first and last days. Read from the enrolment's plain copies of these, without the rest of the
/// trial (periods, protocol), so that a study of 1,000 participants decodes 1,000 short lists.
public struct StudyAllocation: Sendable, Equatable {
    public var participantCode: String
    /// The participant's trial's first and last days.
    public var startDate: CalendarDate
    public var endDate: CalendarDate
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

    public init(
        participantCode: String, startDate: CalendarDate, endDate: CalendarDate, withdrawnOn: CalendarDate?, keepsData: Bool?,
        arms: [Arm]
    ) {
        self.participantCode = participantCode
        self.startDate = startDate
        self.endDate = endDate
        self.withdrawnOn = withdrawnOn
        self.keepsData = keepsData
        self.arms = arms
    }

    /// A participant who withdrew their data: nothing of theirs is shown but their code.
    public var dataWithdrawn: Bool { withdrawnOn != nil && keepsData == false }
}
