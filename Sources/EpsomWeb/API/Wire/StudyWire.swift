import EpsomCore

// Studies: what the investigator writes and reads, and what an invitee reads and sends. The
// design's keys are the investigator's form fields, so an error names the same field in both.

extension Wire {
    struct ScreeningQuestion: WireModel {
        var text: String
        var excludingAnswer: Bool

        static let summary = "A yes/no question asked before consent, and the answer that excludes."
        static let notes: [String: FieldNote] = [
            "text": FieldNote("The question, on one line.", minLength: 1, maxLength: 300),
            "excludingAnswer": FieldNote("true: answering yes excludes; false: answering no excludes."),
        ]
        static let example = ScreeningQuestion(text: "Do you have kidney disease?", excludingAnswer: true)
    }

    struct StudyInput: WireModel {
        var title: String
        var question: String
        var condition: String
        var eligibility: String
        var screening: [ScreeningQuestion]?
        var informationSheet: String
        var consentText: String
        var template: TrialTemplate?
        var arms: [String]?
        var periodDays: Int?
        var cycles: Int?
        var washoutDays: Int?
        var blinded: Bool?
        var outcome: TrialOutcome?
        var mcid: Double?
        var secondaryOutcomes: [TrialOutcome]?
        var targetParticipants: Int?
        var enrolmentOpens: CalendarDate
        var enrolmentCloses: CalendarDate

        static let summary =
            "A study's protocol: the question, who may take part, what they read and consent to, each participant's trial, and the "
            + "enrolment window. Every field is checked as the investigator's form checks it."
        static let notes: [String: FieldNote] = [
            "title": FieldNote("The study's title.", minLength: 1, maxLength: 120),
            "question": FieldNote("The question the study answers.", minLength: 1, maxLength: 1_000),
            "condition": FieldNote("The condition studied, e.g. chronic low back pain.", minLength: 1, maxLength: 120),
            "eligibility": FieldNote("The eligibility criteria, in words.", minLength: 1, maxLength: 4_000),
            "screening": FieldNote(
                "At most \(StudyDesign.maximumScreeningQuestions) questions, asked in this order; an error's \"line N\" is question N."),
            "informationSheet": FieldNote("Shown to an invitee before consent.", minLength: 1, maxLength: 20_000),
            "consentText": FieldNote("The consent statement.", minLength: 1, maxLength: 4_000),
            "template": FieldNote("A ready trial design; `arms` overrides its arms."),
            "arms": FieldNote(
                "Arm names, the comparator first (placebo, none, no cream, control, usual care or sham, by name): 2 to "
                    + "\(TrialDesign.maximumArms), each at most 60 characters."),
            "periodDays": FieldNote("Days per period (default 7).", minimum: 1, maximum: 56),
            "cycles": FieldNote("Cycles, each giving every arm one period (default 4).", minimum: 1, maximum: 12),
            "washoutDays": FieldNote(
                "Days at the start of each period left out of the analysis; less than periodDays.", minimum: 0, maximum: 55),
            "blinded": FieldNote("Arms in coded jars filled by the study's pharmacist (default from the template)."),
            "outcome": FieldNote("The primary outcome (default pain)."),
            "mcid": FieldNote("The smallest difference that matters, on the 0-10 scale (default 1).", minimum: 0, maximum: 10),
            "secondaryOutcomes": FieldNote("Other outcomes reported, not the primary one."),
            "targetParticipants": FieldNote(
                "The target number of participants (default 20).", minimum: Double(StudyDesign.participantRange.lowerBound),
                maximum: Double(StudyDesign.participantRange.upperBound)),
            "enrolmentOpens": FieldNote(
                "The first day a participant may start; not in the past (an amendment may also leave it as it was)."),
            "enrolmentCloses": FieldNote(
                "The last day a participant may start; on or after enrolmentOpens, at most \(StudyDesign.maximumEnrolmentDays) days later."),
        ]
        static let example = StudyInput(
            title: "Magnesium cream vs placebo cream for chronic low back pain",
            question: "Does magnesium cream lower daily back pain compared with a placebo cream?", condition: "chronic low back pain",
            eligibility: "Adults with low back pain for at least 3 months.",
            screening: [
                ScreeningQuestion(text: "Are you 18 or older?", excludingAnswer: false),
                ScreeningQuestion(text: "Do you have kidney disease?", excludingAnswer: true),
            ],
            informationSheet: "You will use two creams in turn for 12 weeks.", consentText: "I agree to take part.",
            template: .creamVsPlacebo, arms: nil, periodDays: 14, cycles: 3, washoutDays: 3, blinded: true, outcome: .pain, mcid: 1,
            secondaryOutcomes: [.spasms], targetParticipants: 20, enrolmentOpens: Wire.exampleDay.adding(days: 7),
            enrolmentCloses: Wire.exampleDay.adding(days: 97))
    }

    /// An amendment: the reason, and the whole new protocol as `StudyInput` (one type, so the
    /// draft's keys, rules and notes cannot drift apart from the amendment's). Errors in the
    /// protocol are named under `design` ("design.title"), as the schema names them.
    struct StudyAmendmentInput: WireModel {
        var reason: String
        var design: StudyInput

        static let summary =
            "A registered study's amended protocol, whole (as a draft's StudyInput), with the reason published beside it. "
            + "Participants already enrolled keep the trial they consented to."
        static let notes: [String: FieldNote] = [
            "reason": FieldNote("Why the protocol changes (published).", minLength: 1, maxLength: 2_000),
            "design": FieldNote("The whole amended protocol, every field as a draft takes it; at least one must change."),
        ]
        static let example = StudyAmendmentInput(
            reason: "Slower enrolment than planned",
            design: {
                var design = StudyInput.example
                design.targetParticipants = 30
                return design
            }())
    }

    struct StudyAmendment: WireModel {
        var number: Int
        var date: CalendarDate
        var reason: String
        var protocolSha256: String

        static let summary = "An amendment of a study's protocol: its number, date, reason and the new protocol's SHA-256."
        static let example = StudyAmendment(
            number: 1, date: Wire.exampleDay, reason: "Slower enrolment than planned", protocolSha256: String(repeating: "cd", count: 32))
    }

    struct Study: WireModel {
        var id: String
        var status: EpsomCore.Study.Status
        var title: String
        var question: String
        var condition: String
        var eligibility: String
        var screening: [ScreeningQuestion]
        var informationSheet: String
        var consentText: String
        var arms: [String]
        var periodDays: Int
        var cycles: Int
        var washoutDays: Int
        var blinded: Bool
        var outcome: TrialOutcome
        var mcid: Double
        var secondaryOutcomes: [TrialOutcome]
        var targetParticipants: Int
        var enrolmentOpens: CalendarDate
        var enrolmentCloses: CalendarDate
        var trialDays: Int
        var consentSha256: String
        var registeredOn: CalendarDate?
        var protocolSha256: String?
        var currentProtocolSha256: String?
        var enrolmentCode: String?
        var amendments: [StudyAmendment]

        static let summary =
            "An investigator's study: its design (the keys StudyInput takes), status, and once registered the protocol's SHA-256, "
            + "amendments and enrolment code."
        static let notes: [String: FieldNote] = [
            "trialDays": FieldNote("Days of each participant's trial."),
            "consentSha256": FieldNote("The consent version: SHA-256 of the information sheet, a blank line, and the consent text."),
            "protocolSha256": FieldNote("The protocol registered (amendment 0); absent for a draft."),
            "currentProtocolSha256": FieldNote("The protocol in force: the latest amendment's, else the registered one."),
            "enrolmentCode": FieldNote(
                "The code of the study's public pages: /registry/CODE, the invitation link /join/CODE and /api/v1/join/CODE."),
        ]
        static let example = Study(
            id: "s1a2b3c4d5e6", status: .registered, title: StudyInput.example.title, question: StudyInput.example.question,
            condition: StudyInput.example.condition, eligibility: StudyInput.example.eligibility,
            screening: StudyInput.example.screening ?? [], informationSheet: StudyInput.example.informationSheet,
            consentText: StudyInput.example.consentText, arms: ["Placebo cream", "Magnesium cream"], periodDays: 14, cycles: 3,
            washoutDays: 3, blinded: true, outcome: .pain, mcid: 1, secondaryOutcomes: [.spasms], targetParticipants: 20,
            enrolmentOpens: StudyInput.example.enrolmentOpens, enrolmentCloses: StudyInput.example.enrolmentCloses, trialDays: 84,
            consentSha256: String(repeating: "ef", count: 32), registeredOn: Wire.exampleDay,
            protocolSha256: String(repeating: "ab", count: 32), currentProtocolSha256: String(repeating: "ab", count: 32),
            enrolmentCode: "4f2a9c1be07d", amendments: [])
    }

    struct StudyPage: WireModel {
        var studies: [Study]
        var nextCursor: String?

        static let summary = "The investigator's studies, newest first, one page at a time."
        static let notes: [String: FieldNote] = [
            "nextCursor": FieldNote("Pass back as `cursor` for the next page; absent on the last page.")
        ]
        static let example = StudyPage(studies: [Study.example], nextCursor: nil)
    }

    struct InvitationsInput: WireModel {
        var count: Int

        static let summary = "How many single-use invitation codes to make."
        static let notes: [String: FieldNote] = [
            "count": FieldNote(
                "From \(StudyService.codeCount.lowerBound) to \(StudyService.codeCount.upperBound).",
                minimum: Double(StudyService.codeCount.lowerBound), maximum: Double(StudyService.codeCount.upperBound))
        ]
        static let example = InvitationsInput(count: 2)
    }

    struct Invitations: WireModel {
        var studyId: String
        var codes: [String]

        static let summary =
            "New single-use codes, answered this once: they are stored only as hashes. Once a study has any, every participant "
            + "enrols with one."
        static let example = Invitations(studyId: "s1a2b3c4d5e6", codes: ["3f9a0c2e7b", "a81d4be063"])
    }

    struct StudyFlow: WireModel {
        var screened: Int
        var notEligible: Int
        var enrolled: Int
        var planned: Int
        var active: Int
        var quiet: Int
        var withdrawn: Int
        var stopped: Int
        var completed: Int

        static let summary =
            "The study's flow: screenings (eligible or not), enrolments, and the participants in each status today."
        static let notes: [String: FieldNote] = [
            "quiet": FieldNote("Running, with no diary for \(ParticipantSummary.quietDays) days.")
        ]
        static let example = StudyFlow(
            screened: 12, notEligible: 2, enrolled: 9, planned: 1, active: 6, quiet: 1, withdrawn: 1, stopped: 0, completed: 0)
    }

    struct ParticipantActivity: WireModel {
        var diaryDays: Int
        var lastDiaryDate: CalendarDate?
        var adherenceDays: Int
        var adherentDays: Int
        var sideEffectDays: Int
        var severeSideEffectDays: Int

        static let summary = "A participant's diary completion, adherence and harms within their trial's dates."
        static let notes: [String: FieldNote] = [
            "adherenceDays": FieldNote("Days with an adherence answer."),
            "adherentDays": FieldNote("Of those, the days used as planned."),
        ]
        static let example = ParticipantActivity(
            diaryDays: 20, lastDiaryDate: Wire.exampleDay, adherenceDays: 19, adherentDays: 18, sideEffectDays: 1,
            severeSideEffectDays: 0)
    }

    struct StudyParticipant: WireModel {
        var participantCode: String
        var status: ParticipantSummary.Status
        var startDate: CalendarDate
        var endDate: CalendarDate
        var daysSoFar: Int
        var withdrawnOn: CalendarDate?
        var keepsData: Bool?
        var stoppedOn: CalendarDate?
        var stopReason: String?
        var safetyStop: Bool
        var dataWithdrawn: Bool
        var activity: ParticipantActivity?

        static let summary = "One participant, by code: progress, diary completion, adherence and harms; never an outcome by arm."
        static let notes: [String: FieldNote] = [
            "safetyStop": FieldNote("True when a safety rule stopped the trial (a severe side effect, kidney disease): flag it."),
            "dataWithdrawn": FieldNote("True when the participant withdrew their data: then the study reads none of it (no activity)."),
            "activity": FieldNote("Absent when the participant withdrew their data."),
        ]
        static let example = StudyParticipant(
            participantCode: "P-001", status: .active, startDate: Wire.exampleDay.adding(days: -21),
            endDate: Wire.exampleDay.adding(days: 62), daysSoFar: 22, withdrawnOn: nil, keepsData: nil, stoppedOn: nil, stopReason: nil,
            safetyStop: false, dataWithdrawn: false, activity: ParticipantActivity.example)
    }

    struct StudyMonitoring: WireModel {
        var studyId: String
        var flow: StudyFlow
        var participants: [StudyParticipant]

        static let summary =
            "What the investigator follows while the study runs: the flow and each participant by code. Outcomes by arm are not "
            + "shown, so that nobody is unblinded by the data."
        static let example = StudyMonitoring(studyId: "s1a2b3c4d5e6", flow: StudyFlow.example, participants: [StudyParticipant.example])
    }

    struct StudyInformation: WireModel {
        var title: String
        var question: String
        var condition: String
        var eligibility: String
        var informationSheet: String
        var consentText: String
        var consentSha256: String
        /// Shown with the consent statement: the study reads the diary's scores of the fortnight
        /// before the first day for its baseline table (never the notes, never one person's alone).
        var baselineNotice: String
        var screening: [String]
        var arms: [String]
        var periodDays: Int
        var cycles: Int
        var washoutDays: Int
        var trialDays: Int
        var blinded: Bool
        var outcome: TrialOutcome
        var enrolmentOpens: CalendarDate
        var enrolmentCloses: CalendarDate
        var registeredOn: CalendarDate
        var protocolSha256: String
        var enrolling: Bool
        var closedReason: String?
        var invitationCodeRequired: Bool

        static let summary =
            "A registered study as an invitee reads it before taking part: the information sheet, who may take part, the screening "
            + "questions and the consent statement. No names, no allocation."
        static let notes: [String: FieldNote] = [
            "screening": FieldNote("The questions, in order: answer each yes (true) or no (false)."),
            "consentSha256": FieldNote("The consent version recorded with a participant's consent."),
            "protocolSha256": FieldNote("The protocol in force; the whole protocol is on /registry/CODE."),
            "closedReason": FieldNote("Why nobody can enrol now, when enrolling is false."),
            "invitationCodeRequired": FieldNote("Whether enrolment needs a single-use invitation code."),
        ]
        static let example = StudyInformation(
            title: StudyInput.example.title, question: StudyInput.example.question, condition: StudyInput.example.condition,
            eligibility: StudyInput.example.eligibility, informationSheet: StudyInput.example.informationSheet,
            consentText: StudyInput.example.consentText, consentSha256: String(repeating: "ef", count: 32),
            baselineNotice: StudyBaseline.consentNotice,
            screening: ["Are you 18 or older?", "Do you have kidney disease?"], arms: ["Placebo cream", "Magnesium cream"],
            periodDays: 14, cycles: 3, washoutDays: 3, trialDays: 84, blinded: true, outcome: .pain,
            enrolmentOpens: StudyInput.example.enrolmentOpens, enrolmentCloses: StudyInput.example.enrolmentCloses,
            registeredOn: Wire.exampleDay, protocolSha256: String(repeating: "ab", count: 32), enrolling: true, closedReason: nil,
            invitationCodeRequired: true)
    }

    struct ScreeningInput: WireModel {
        var answers: [Bool]

        static let summary = "The answers to the screening questions, in order. They are not stored; the study counts only the result."
        static let notes: [String: FieldNote] = ["answers": FieldNote("One per question: true for yes, false for no.")]
        static let example = ScreeningInput(answers: [true, false])
    }

    struct ScreeningResult: WireModel {
        var eligible: Bool
        var message: String

        static let summary = "Whether the answers let the invitee take part."
        static let example = ScreeningResult(eligible: true, message: StudiesAPI.eligibleMessage)
    }

    struct EnrolmentInput: WireModel {
        var answers: [Bool]
        var consent: Bool
        var startDate: CalendarDate
        var invitationCode: String?
        /// True when the client showed the study information's `baseline_notice` beside the consent.
        var baselineNoticeShown: Bool?

        static let summary =
            "Consent to take part: the screening answers again (checked, not counted twice), consent, the first day in the enrolment "
            + "window, and the single-use code if the study uses them."
        static let notes: [String: FieldNote] = [
            "answers": FieldNote("The screening answers, in order: true for yes, false for no."),
            "consent": FieldNote("Must be true: I have read the information and I consent to take part; I can leave at any time."),
            "startDate": FieldNote("The participant's first day: today or later, within the enrolment window."),
            "invitationCode": FieldNote("The single-use code the investigator gave, if the study uses them.", maxLength: 100),
            "baselineNoticeShown": FieldNote(
                "True if the participant was shown the study information's baseline_notice beside the consent statement; only "
                    + "then may the study read their diary's scores in the fortnight before their first day (default false)."),
        ]
        static let example = EnrolmentInput(
            answers: [true, false], consent: true, startDate: StudyInput.example.enrolmentOpens, invitationCode: "3f9a0c2e7b",
            baselineNoticeShown: true)
    }

    enum EnrolmentStatus: String, Codable, Sendable, CaseIterable, SchemaEnum {
        case takingPart = "taking_part"
        case withdrawn
    }

    struct Enrolment: WireModel {
        var participantCode: String
        var status: EnrolmentStatus
        var trialId: String
        var startDate: CalendarDate
        var consentSha256: String
        var consentedAt: Int
        var withdrawnOn: CalendarDate?
        var keepsData: Bool?

        static let summary =
            "The caller's part in a study: their participant code (all the investigator sees of them), their trial (/api/v1/trials/ID), "
            + "the consent version agreed to, and how their part ended."
        static let notes: [String: FieldNote] = [
            "consentedAt": FieldNote("When consent was given, in seconds since 1970 (UTC)."),
            "keepsData": FieldNote("On withdrawal: whether the data given so far stays in the study."),
        ]
        static let example = Enrolment(
            participantCode: "P-001", status: .takingPart, trialId: "t9f8e7d6c5b4", startDate: StudyInput.example.enrolmentOpens,
            consentSha256: String(repeating: "ef", count: 32), consentedAt: 1_794_096_000, withdrawnOn: nil, keepsData: nil)
    }

    enum WithdrawalData: String, Codable, Sendable, CaseIterable, SchemaEnum {
        case keep, erase
    }

    struct WithdrawalInput: WireModel {
        var data: WithdrawalData

        static let summary =
            "Leaving the study, at any time and without a reason (the participant's trial stops today, if it still runs), or "
            + "withdrawing the data given later. While the study runs: \(StudyDataWithdrawal.beforeClose) After it closes, only "
            + "erase is accepted (keep: 422 naming data): \(StudyDataWithdrawal.afterClose(computedOn: nil)) A participant who left "
            + "keeping their data may withdraw it later with erase; leaving twice answers 409."
        static let notes: [String: FieldNote] = [
            "data": FieldNote(
                "keep: the data given so far stays in the study; erase: it is withdrawn, and no export of the study's data holds it from "
                    + "then on (a closed study's analysis, made at the close, stands as reported, flagged).")
        ]
        static let example = WithdrawalInput(data: .keep)
    }
}

extension ParticipantSummary.Status: SchemaEnum {}

extension Wire.Study {
    init(_ s: EpsomCore.Study) {
        let d = s.design
        self.init(
            id: s.id, status: s.status, title: d.title, question: d.question, condition: d.condition, eligibility: d.eligibility,
            screening: d.screening.map { Wire.ScreeningQuestion(text: $0.text, excludingAnswer: $0.excludingAnswer) },
            informationSheet: d.informationSheet, consentText: d.consentText, arms: d.arms.map(\.name), periodDays: d.periodDays,
            cycles: d.cycles, washoutDays: d.washoutDays, blinded: d.blinded, outcome: d.primaryOutcome, mcid: d.mcid,
            secondaryOutcomes: d.secondaryOutcomes, targetParticipants: d.targetParticipants, enrolmentOpens: d.enrolmentOpens,
            enrolmentCloses: d.enrolmentCloses, trialDays: d.trialDays, consentSha256: StudyProtocol.consentHash(d),
            registeredOn: s.registeredOn, protocolSha256: s.registeredProtocol?.sha256, currentProtocolSha256: s.currentProtocolHash,
            enrolmentCode: s.enrolmentCode,
            amendments: s.amendments.map {
                Wire.StudyAmendment(number: $0.number, date: $0.date, reason: $0.reason, protocolSha256: $0.protocolHash)
            })
    }
}

extension Wire.StudyParticipant {
    init(_ p: ParticipantSummary, today: CalendarDate) {
        self.init(
            participantCode: p.participantCode, status: p.status(today: today), startDate: p.startDate, endDate: p.endDate,
            daysSoFar: p.daysSoFar(today: today), withdrawnOn: p.withdrawnOn, keepsData: p.keepsData, stoppedOn: p.stoppedOn,
            stopReason: p.stopReason, safetyStop: p.isSafetyStop, dataWithdrawn: p.activity == nil,
            activity: p.activity.map {
                Wire.ParticipantActivity(
                    diaryDays: $0.diaryDays, lastDiaryDate: $0.lastDiaryDate, adherenceDays: $0.adherenceDays,
                    adherentDays: $0.adherentDays, sideEffectDays: $0.sideEffectDays, severeSideEffectDays: $0.severeSideEffectDays)
            })
    }
}

extension Wire.Enrolment {
    init(_ e: EpsomCore.Enrolment) {
        self.init(
            participantCode: e.participantCode, status: e.withdrawnOn == nil ? .takingPart : .withdrawn, trialId: e.trialID,
            startDate: e.startDate, consentSha256: e.consentSha256, consentedAt: e.consentedAt, withdrawnOn: e.withdrawnOn,
            keepsData: e.keepsData)
    }
}
