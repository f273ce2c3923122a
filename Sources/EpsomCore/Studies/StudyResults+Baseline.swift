extension StudyResults {
    /// CENT 2015 item 15, what the study knows of its participants as they entered it, over the
    /// participants whose data it keeps. Epsom asks for no age, sex or other demographics, so there
    /// are none here. What it has is three things: the screening questions each participant
    /// answered to enrol, the dates they started, and the scores their own diary held in the
    /// fortnight before their first day. Every number is a count or a summary over at least
    /// `StudyBaseline.minimumParticipants` participants, none linked to a person (a median or
    /// quartile of a few people's averages may equal one of them).
    public struct Baseline: Codable, Sendable, Equatable {
        /// The days before each participant's first day that their diary describes them over.
        public var windowDays: Int
        /// Participants described: those whose data the study keeps (a participant who withdrew
        /// theirs is not read).
        public var participants: Int
        /// The earliest and latest first day among them (CENT item 14a: the dates of recruitment).
        public var firstStart: CalendarDate?
        public var lastStart: CalendarDate?
        /// The screening questions, each with the answer every enrolled participant gave to it.
        /// Answers are not stored, but enrolment refuses any other answer.
        public var screening: [ScreeningAnswer]
        /// The diary's scores in the window, primary outcome first, then each secondary outcome.
        public var scores: [Score]
        /// The fewest participants with a score that a summary is shown for. Below it only the count
        /// is shown: a mean of one or two people's fortnight is close to their own diary.
        public var minimumParticipants: Int
        /// Participants who enrolled without being told that the days before their first day may
        /// be read: none of theirs is. Absent from analyses stored before it was counted.
        public var notAsked: Int?
    }

    /// A screening question and the answer each participant gave to enrol ("yes" is `true`).
    public struct ScreeningAnswer: Codable, Sendable, Equatable {
        public var question: String
        public var answer: Bool
    }

    /// One diary score before the first day. Each participant with any such day gives one
    /// value, the mean of their days, and the summary is over those values. So someone who
    /// logged every day weighs as much as someone who logged twice.
    public struct Score: Codable, Sendable, Equatable {
        public var outcome: TrialOutcome
        /// Participants with at least one day with this score in the window.
        public var participants: Int
        /// Over those participants' own means: nil when `participants` is below the minimum,
        /// and the standard deviation is also nil for a single participant.
        public var mean, standardDeviation, median, lowerQuartile, upperQuartile: Double?
        /// The median number of days with this score per participant with any (nil as above).
        public var medianDays: Double?
        /// Why no summary is shown, when it is not.
        public var reason: String?
    }
}
