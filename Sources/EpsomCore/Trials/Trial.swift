/// A registered personal trial: its current design (after any amendments), its stored schedule,
/// the protocol frozen when it started, and how it ended.
public struct Trial: Sendable, Equatable {
    public var id: String
    public var design: TrialDesign
    public var schedule: TrialSchedule
    /// The protocol as frozen at registration (amendment 0).
    public var registeredProtocol: TrialProtocol
    public var registeredOn: CalendarDate
    public var amendments: [TrialAmendment]
    /// Set when the trial was stopped before its planned end.
    public var stoppedOn: CalendarDate?
    public var stopReason: String?
    /// The participant agreed to give a de-identified summary to the pooled evidence (off by default).
    public var consentToPool: Bool
    /// When the helper's allocation sheet was shown. It is shown once; after that the server
    /// conceals the allocation until the trial is over.
    public var allocationSheetShownOn: CalendarDate? = nil

    public init(id: String, design: TrialDesign, registeredOn: CalendarDate) {
        self.id = id
        self.design = design
        schedule = TrialSchedule(design: design)
        registeredProtocol = TrialProtocol(design: design, schedule: schedule, registeredOn: registeredOn)
        self.registeredOn = registeredOn
        amendments = []
        stoppedOn = nil
        stopReason = nil
        consentToPool = false
    }

    public init(
        id: String, design: TrialDesign, schedule: TrialSchedule, registeredProtocol: TrialProtocol,
        registeredOn: CalendarDate, amendments: [TrialAmendment], stoppedOn: CalendarDate?, stopReason: String?,
        consentToPool: Bool, allocationSheetShownOn: CalendarDate? = nil
    ) {
        self.id = id
        self.design = design
        self.schedule = schedule
        self.registeredProtocol = registeredProtocol
        self.registeredOn = registeredOn
        self.amendments = amendments
        self.stoppedOn = stoppedOn
        self.stopReason = stopReason
        self.consentToPool = consentToPool
        self.allocationSheetShownOn = allocationSheetShownOn
    }

    public enum Status: String, Sendable, Equatable, Codable, CaseIterable {
        case planned, running, finished, stopped
        public var label: String {
            switch self {
            case .planned: "Not started yet"
            case .running: "Running"
            case .finished: "Finished"
            case .stopped: "Stopped early"
            }
        }
    }

    /// The last day that belongs to the trial: the planned end, or the day it was stopped.
    public var lastDay: CalendarDate { min(stoppedOn ?? design.endDate, design.endDate) }

    public func status(today: CalendarDate) -> Status {
        if stoppedOn != nil { return .stopped }
        if today < design.startDate { return .planned }
        return today > design.endDate ? .finished : .running
    }

    public func isOver(today: CalendarDate) -> Bool {
        let s = status(today: today)
        return s == .finished || s == .stopped
    }

    /// A blinded trial hides which jar holds what from everyone until it is over.
    public func isConcealed(today: CalendarDate) -> Bool { design.blinded && !isOver(today: today) }

    /// What the participant sees as the arm's name: the jar while concealed.
    public func armLabel(_ arm: Int, today: CalendarDate) -> String {
        isConcealed(today: today) ? schedule.jarLabel(arm: arm) : design.arms[arm].name
    }

    /// The protocol now in force: the last amendment's, else the registered one.
    public var currentProtocolHash: String { amendments.last?.protocolHash ?? registeredProtocol.sha256 }

    /// Today's instruction, or nil outside the trial.
    public func instruction(on date: CalendarDate) -> (period: TrialPeriod, washout: Bool)? {
        guard date <= lastDay, let period = schedule.period(on: date) else { return nil }
        return (period, period.isWashout(date))
    }

    /// Stops the trial early for the participant's reason (required, at most 500 characters);
    /// `field` names the form or API field the reason came from.
    public func stopped(reason text: String, today: CalendarDate, field: String = "reason") throws(FieldErrors) -> Trial {
        let reason = text.trimmingSpaces()
        var errors = FieldErrors()
        if isOver(today: today) { errors.add(field, "the trial is already over") }
        if reason.isEmpty { errors.add(field, "say why the trial stops") }
        if reason.count > 500 { errors.add(field, "must be at most 500 characters") }
        try errors.check()
        return stopped(for: reason, today: today)
    }

    /// Stops the trial with a reason Epsom itself gives (a safety rule).
    public func stopped(for reason: String, today: CalendarDate) -> Trial {
        var trial = self
        trial.stoppedOn = min(today, design.endDate)
        trial.stopReason = reason
        return trial
    }

    // MARK: Amendments

    /// Changes the number of cycles or the MCID after registration. The reason is required; the
    /// schedule is re-drawn from the same seed, so periods already planned stay as they were.
    public func amended(fields: [String: String], today: CalendarDate) throws(FieldErrors) -> Trial {
        var errors = FieldErrors()
        let reason = (fields["reason"] ?? "").trimmingSpaces()
        if reason.isEmpty { errors.add("reason", "say why the protocol changes") }
        if reason.count > 500 { errors.add("reason", "must be at most 500 characters") }
        if isOver(today: today) { errors.add("reason", "the trial is over; it can no longer be amended") }
        var design = self.design
        var changes: [String] = []
        if let raw = fields["cycles"]?.trimmingSpaces(), !raw.isEmpty {
            let current = schedule.period(on: today)?.cycle ?? (today < design.startDate ? 0 : design.cycles)
            if let cycles = Int(raw), TrialDesign.cycleRange.contains(cycles) {
                if cycles < max(current, 1) {
                    errors.add("cycles", "cycle \(current) has started; the trial cannot end before it")
                } else if cycles * design.arms.count * design.periodDays > TrialDesign.maximumTotalDays {
                    errors.add("cycles", "the trial would last more than \(TrialDesign.maximumTotalDays) days")
                } else if cycles != design.cycles {
                    changes.append("cycles \(design.cycles) → \(cycles)")
                    design.cycles = cycles
                }
            } else {
                errors.add("cycles", "must be a whole number from 1 to 12")
            }
        }
        if let raw = fields["mcid"]?.trimmingSpaces(), !raw.isEmpty {
            if let mcid = NumberParsing.decimal(raw), mcid > 0, mcid <= 10 {
                if mcid != design.mcid {
                    changes.append("MCID \(NumberFormatting.trimmed(design.mcid)) → \(NumberFormatting.trimmed(mcid))")
                    design.mcid = mcid
                }
            } else {
                errors.add("mcid", "must be a number above 0 and at most 10")
            }
        }
        if errors.isEmpty && changes.isEmpty { errors.add("cycles", "nothing changes; give new cycles or a new MCID") }
        try errors.check()
        var trial = self
        trial.design = design
        trial.schedule = TrialSchedule(design: design)
        let number = amendments.count + 1
        let amendedProtocol = TrialProtocol(
            design: design, schedule: trial.schedule, registeredOn: registeredOn,
            amendment: number)
        trial.amendments.append(
            TrialAmendment(
                number: number, date: today, change: changes.joined(separator: "; "),
                reason: reason, protocolJSON: amendedProtocol.json,
                protocolHash: amendedProtocol.sha256))
        return trial
    }
}

/// A change to the protocol after registration, with its reason and the new protocol's hash.
public struct TrialAmendment: Sendable, Equatable {
    public var number: Int
    public var date: CalendarDate
    public var change: String
    public var reason: String
    public var protocolJSON: String
    public var protocolHash: String

    public init(number: Int, date: CalendarDate, change: String, reason: String, protocolJSON: String, protocolHash: String) {
        self.number = number
        self.date = date
        self.change = change
        self.reason = reason
        self.protocolJSON = protocolJSON
        self.protocolHash = protocolHash
    }
}
