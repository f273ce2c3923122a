/// What the investigator's dashboard shows of one participant while the study runs: progress,
/// diary completion, adherence and harms, and never an outcome by arm (that would unblind).
public struct ParticipantSummary: Sendable, Equatable {
    public var participantCode: String
    public var startDate: CalendarDate
    public var endDate: CalendarDate
    public var withdrawnOn: CalendarDate?
    public var keepsData: Bool?
    /// The trial's stop (withdrawal or a safety rule), if any.
    public var stoppedOn: CalendarDate?
    public var stopReason: String?
    /// Nil when the participant withdrew their data: the study does not read it.
    public var activity: Activity?

    /// Counts from the participant's diary and adherence records within their trial's dates.
    public struct Activity: Sendable, Equatable {
        public var diaryDays: Int
        public var lastDiaryDate: CalendarDate?
        public var sideEffectDays: Int
        /// Days with an adherence answer, and of those the days "as planned".
        public var adherenceDays: Int
        public var adherentDays: Int
        public var severeSideEffectDays: Int

        public init(
            diaryDays: Int, lastDiaryDate: CalendarDate?, sideEffectDays: Int, adherenceDays: Int, adherentDays: Int,
            severeSideEffectDays: Int
        ) {
            self.diaryDays = diaryDays
            self.lastDiaryDate = lastDiaryDate
            self.sideEffectDays = sideEffectDays
            self.adherenceDays = adherenceDays
            self.adherentDays = adherentDays
            self.severeSideEffectDays = severeSideEffectDays
        }
    }

    public init(
        participantCode: String, startDate: CalendarDate, endDate: CalendarDate, withdrawnOn: CalendarDate?, keepsData: Bool?,
        stoppedOn: CalendarDate?, stopReason: String?, activity: Activity?
    ) {
        self.participantCode = participantCode
        self.startDate = startDate
        self.endDate = endDate
        self.withdrawnOn = withdrawnOn
        self.keepsData = keepsData
        self.stoppedOn = stoppedOn
        self.stopReason = stopReason
        self.activity = activity
    }

    /// Whether a safety rule stopped the trial (a severe side effect, kidney disease), which the
    /// dashboard flags; a participant who withdrew their data shows no such flag.
    public var isSafetyStop: Bool { activity != nil && stoppedOn != nil && TrialSafety.isSafetyStop(reason: stopReason) }

    public enum Status: String, Sendable, CaseIterable, Codable {
        case planned, active, quiet, withdrawn, stopped, completed

        public var label: String {
            switch self {
            case .planned: "Not started"
            case .active: "Active"
            case .quiet: "Quiet (no diary for 3 days)"
            case .withdrawn: "Withdrawn"
            case .stopped: "Stopped"
            case .completed: "Completed"
            }
        }
    }

    /// Quiet: the latest diary day (or the day before the start, without one) is more than
    /// `quietDays` days before today, so the last `quietDays` days have no entry.
    public static let quietDays = 3

    public func status(today: CalendarDate) -> Status {
        if withdrawnOn != nil { return .withdrawn }
        if let stoppedOn, stoppedOn < endDate { return .stopped }
        if today < startDate { return .planned }
        if today > endDate { return .completed }
        let lastSeen = activity?.lastDiaryDate ?? startDate.adding(days: -1)
        return today.dayNumber - lastSeen.dayNumber > Self.quietDays ? .quiet : .active
    }

    /// Days of the trial so far (up to today, its end or its stop).
    public func daysSoFar(today: CalendarDate) -> Int {
        let last = min(today, endDate, stoppedOn ?? endDate, withdrawnOn ?? endDate)
        return max(0, last.dayNumber - startDate.dayNumber + 1)
    }
}
