import EpsomCore

extension Wire {
    struct TrialInput: WireModel {
        var template: TrialTemplate?
        var arms: [String]?
        var title: String?
        var periodDays: Int?
        var cycles: Int?
        var washoutDays: Int?
        var startDate: CalendarDate?
        var outcome: TrialOutcome?
        var mcid: Double?
        var seed: Int?
        var blinded: Bool?
        var reminderTime: String?

        static let summary = "A trial's design: a template or arms, and the schedule's lengths. Registering freezes it."
        static let notes: [String: FieldNote] = [
            "template": FieldNote("A ready design; `arms` overrides its arms."),
            "arms": FieldNote("Arm names, comparator first, 2 to \(TrialDesign.maximumArms), each at most 60 characters."),
            "title": FieldNote("Default: the template's title or the arms'.", maxLength: 200),
            "periodDays": FieldNote("Days per period (default 7).", minimum: 1, maximum: 56),
            "cycles": FieldNote("Cycles, each giving every arm one period (default 4).", minimum: 1, maximum: 12),
            "washoutDays": FieldNote(
                "Days at the start of each period left out of the analysis; less than periodDays (default 2).", minimum: 0, maximum: 55),
            "startDate": FieldNote("Today or later, within a year (default today)."),
            "outcome": FieldNote("The diary rating the trial compares (default pain)."),
            "mcid": FieldNote("The smallest difference that matters, on the 0-10 scale (default 1).", minimum: 0, maximum: 10),
            "seed": FieldNote(
                "The randomisation seed (default random), so that anyone can rebuild the allocation.", minimum: 0,
                maximum: 9_007_199_254_740_991),
            "blinded": FieldNote("Jar codes instead of arm names until the end (default from the template)."),
            "reminderTime": FieldNote("HH:MM for the calendar's daily alarm (default 20:00).", minLength: 5, maxLength: 5),
        ]
        static let example = TrialInput(
            template: .creamVsPlacebo, arms: nil, title: nil, periodDays: 14, cycles: 3, washoutDays: 3, startDate: nil, outcome: .pain,
            mcid: 1, seed: nil, blinded: true, reminderTime: "21:00")
    }

    struct Amendment: WireModel {
        var number: Int
        var date: CalendarDate
        var change: String
        var reason: String
        var protocolSha256: String

        static let summary = "A change to a registered protocol, with its reason and the new protocol's hash."
        static let example = Amendment(
            number: 1, date: Wire.exampleDay, change: "cycles 3 → 4", reason: "More time to see a difference",
            protocolSha256: String(repeating: "ab", count: 32))
    }

    struct Trial: WireModel {
        var id: String
        var title: String
        var status: EpsomCore.Trial.Status
        /// Arm names, or jar codes while a blinded trial runs.
        var arms: [String]
        var periodDays: Int
        var cycles: Int
        var washoutDays: Int
        var startDate: CalendarDate
        var endDate: CalendarDate
        var outcome: TrialOutcome
        var mcid: Double
        var blinded: Bool
        var seed: String?
        var protocolSha256: String
        var protocolJson: String?
        var amendments: [Amendment]
        var stoppedOn: CalendarDate?
        var stopReason: String?
        var consentToPool: Bool

        static let summary = "A personal trial: design, status, the frozen protocol's SHA-256 and its amendments."
        static let notes: [String: FieldNote] = [
            "arms": FieldNote("Arm names, comparator first; jar codes while a blinded trial runs."),
            "seed": FieldNote("The randomisation seed; revealed with the allocation once a blinded trial is over."),
            "protocolJson": FieldNote("The frozen protocol's JSON text; withheld while a blinded trial runs."),
        ]
        static let example = Trial(
            id: "t9f8e7d6c5b4", title: "Magnesium cream vs placebo cream", status: .running, arms: ["Jar A", "Jar B"], periodDays: 14,
            cycles: 3, washoutDays: 3, startDate: Wire.exampleDay, endDate: Wire.exampleDay.adding(days: 83), outcome: .pain, mcid: 1,
            blinded: true, seed: nil, protocolSha256: String(repeating: "ab", count: 32), protocolJson: nil, amendments: [],
            stoppedOn: nil, stopReason: nil, consentToPool: false)
    }

    struct TrialPage: WireModel {
        var trials: [Trial]
        var nextCursor: String?

        static let summary = "The account's trials, newest first, one page at a time."
        static let notes: [String: FieldNote] = [
            "nextCursor": FieldNote("Pass back as `cursor` for the next page; absent on the last page.")
        ]
        static let example = TrialPage(trials: [Trial.example], nextCursor: nil)
    }

    struct SchedulePeriod: WireModel {
        var cycle: Int
        /// The arm's name, or its jar code while a blinded trial runs.
        var arm: String
        var startDate: CalendarDate
        var endDate: CalendarDate
        var washoutDays: Int

        static let summary = "One period of the schedule."
        static let example = SchedulePeriod(
            cycle: 1, arm: "Jar A", startDate: Wire.exampleDay, endDate: Wire.exampleDay.adding(days: 13), washoutDays: 3)
    }

    struct Schedule: WireModel {
        var trialId: String
        var concealed: Bool
        var periods: [SchedulePeriod]

        static let summary = "The periods in order; an arm is its jar code while a blinded trial runs."
        static let example = Schedule(trialId: "t9f8e7d6c5b4", concealed: true, periods: [SchedulePeriod.example])
    }

    struct TrialDayInput: WireModel {
        var adherence: TrialDay.Adherence
        var amount: Double?
        var severeSideEffect: Bool?

        static let summary = "Whether the day's product was used as planned."
        static let notes: [String: FieldNote] = [
            "amount": FieldNote("How much was used (g of cream or tablets).", minimum: 0, maximum: 1000),
            "severeSideEffect": FieldNote("True stops the trial, with advice to stop and seek care."),
        ]
        static let example = TrialDayInput(adherence: .yes, amount: 2, severeSideEffect: false)
    }

    struct TrialDayRecord: WireModel {
        var date: CalendarDate
        var adherence: TrialDay.Adherence
        var amount: Double?
        var severeSideEffect: Bool
        var trialStopped: Bool
        var message: String?

        static let summary = "A day's adherence as recorded; a severe side effect stops the trial and says what to do."
        static let example = TrialDayRecord(
            date: Wire.exampleDay, adherence: .yes, amount: 2, severeSideEffect: false, trialStopped: false, message: nil)
    }

    struct AmendmentInput: WireModel {
        var cycles: Int?
        var mcid: Double?
        var reason: String

        static let summary = "A change of cycles or MCID, with the reason for it."
        static let notes: [String: FieldNote] = [
            "cycles": FieldNote("The new number of cycles.", minimum: 1, maximum: 12),
            "mcid": FieldNote("The new smallest difference that matters.", minimum: 0, maximum: 10),
            "reason": FieldNote("Why the protocol changes.", minLength: 1, maxLength: 500),
        ]
        static let example = AmendmentInput(cycles: 4, mcid: nil, reason: "More time to see a difference")
    }

    struct StopInput: WireModel {
        var reason: String

        static let summary = "Why the trial stops early."
        static let notes: [String: FieldNote] = ["reason": FieldNote("Why the trial stops.", minLength: 1, maxLength: 500)]
        static let example = StopInput(reason: "Moved abroad")
    }

    struct TrialAnalysis: WireModel {
        var trialId: String
        var interim: Bool
        var intentionToTreat: NOf1JSON?
        var intentionToTreatError: String?
        var perProtocol: NOf1JSON?
        var perProtocolError: String?

        static let summary = "The N-of-1 model's answer, intention-to-treat and per-protocol; an error says why one has none."
        static let example = TrialAnalysis(
            trialId: "t9f8e7d6c5b4", interim: false, intentionToTreat: nil, intentionToTreatError: nil, perProtocol: nil,
            perProtocolError: nil)
    }
}

extension Wire.Trial {
    init(_ t: EpsomCore.Trial, today: CalendarDate) {
        let concealed = t.isConcealed(today: today)
        self.init(
            id: t.id, title: t.design.title, status: t.status(today: today),
            arms: t.design.arms.indices.map { t.armLabel($0, today: today) },
            periodDays: t.design.periodDays, cycles: t.design.cycles, washoutDays: t.design.washoutDays, startDate: t.design.startDate,
            endDate: t.design.endDate, outcome: t.design.outcome, mcid: t.design.mcid, blinded: t.design.blinded,
            seed: concealed ? nil : String(t.design.seed), protocolSha256: t.registeredProtocol.sha256,
            protocolJson: concealed ? nil : t.registeredProtocol.json,
            amendments: t.amendments.map {
                Wire.Amendment(number: $0.number, date: $0.date, change: $0.change, reason: $0.reason, protocolSha256: $0.protocolHash)
            },
            stoppedOn: t.stoppedOn, stopReason: t.stopReason, consentToPool: t.consentToPool)
    }
}
