import EpsomStats

/// The finished demo study of `epsom serve --demo`: "Magnesium cream vs placebo cream for chronic
/// low back pain, 12 weeks", registered about five months ago, with 20 synthetic participants who
/// each ran 3 cycles of two 14-day periods (3 washout days at each period's start), blinded.
///
/// Each participant has their own true effect of the cream (drawn from a normal distribution
/// with mean -1 point and SD 0.8, so some gain much, some nothing, one or two get worse), their
/// own baseline pain and day-to-day AR(1) noise, and leaves about 7% of days empty; one leaves a
/// fortnight empty. Sixteen kept their diary in the fortnight before their first day. Two withdraw: one keeps their data in the study, one withdraws it. Invented
/// numbers for demonstration, not evidence.
public struct DemoStudy: Sendable {
    public var design: StudyDesign
    public var registeredOn: CalendarDate
    /// The day the investigator closed it, after every trial was over.
    public var closedOn: CalendarDate
    public var participants: [Participant]
    /// Screening answers as counted: eligible (every participant, plus some who did not consent)
    /// and not eligible.
    public var screenedEligible: Int
    public var screenedIneligible: Int
    /// Single-use invitation codes made; each participant used one.
    public var invitations: Int

    public struct Participant: Sendable {
        public var trial: Trial
        public var consentedOn: CalendarDate
        public var diary: [DiaryEntry]
        public var adherence: [TrialDay]
        /// Their diary in the fortnight before their first day (16 of the 20 kept one), which the
        /// report's baseline table describes.
        public var diaryBefore: [DiaryEntry]
        /// The day they left, and whether their data stays in the study.
        public var withdrawal: (date: CalendarDate, keepsData: Bool)?
        /// The simulated true effect of the cream on pain (points; negative is relief).
        public var trueEffect: Double
    }

    public static let title = "Magnesium cream vs placebo cream for chronic low back pain, 12 weeks"
    public static let participantCount = 20

    public static func generate(today: CalendarDate, seed: UInt64 = 20_261_130) -> DemoStudy {
        let registeredOn = today.adding(days: -150)
        let opens = registeredOn.adding(days: 5)
        let design = StudyDesign(
            title: title,
            question: "Does magnesium cream on the lower back, used daily, lower daily back pain compared with a placebo cream?",
            condition: "chronic low back pain",
            eligibility: "Adults (18 or older) with low back pain on most days for at least 3 months, without kidney disease.",
            screening: [
                .init(text: "Are you 18 or older?", excludingAnswer: false),
                .init(text: "Do you have kidney disease?", excludingAnswer: true),
                .init(text: "Have you had low back pain on most days for 3 months or more?", excludingAnswer: false),
            ],
            informationSheet: """
                This is a demonstration study with invented participants. Each participant uses two creams in turn, each for \
                two weeks at a time, three times over: one contains magnesium, one does not. Neither you nor the investigator \
                knows which jar is which until your trial ends.

                Each evening you record your pain from 0 to 10 and whether you used the cream as planned.
                """,
            consentText: "I have read the information. I agree to take part, and I know I can leave at any time.",
            arms: TrialTemplate.creamVsPlacebo.arms, periodDays: 14, cycles: 3, washoutDays: 3, blinded: true,
            primaryOutcome: .pain, mcid: 1, secondaryOutcomes: [.spasms, .activity], targetParticipants: 20,
            enrolmentOpens: opens, enrolmentCloses: opens.adding(days: 40))
        var rng = SplitMix64(seed: seed)
        // The days before the trials come from a stream of their own, so the trials' numbers stay
        // what they were before these days were added.
        var before = SplitMix64(seed: seed ^ 0x6261_7365_6c69_6e65)
        var participants: [Participant] = []
        for i in 0..<participantCount {
            let start = opens.adding(days: (i * 2) % 40)
            let trialSeed = rng.next()
            let trial = Trial(
                id: "demo-study-trial-\(i + 1)", design: design.trialDesign(startDate: start, seed: trialSeed),
                registeredOn: start.adding(days: -1))
            let effect = -1 + 0.8 * rng.nextGaussian()
            let baseline = 4.5 + 1.5 * rng.nextGaussian()
            let rho = 0.2 + 0.5 * uniform(&rng)
            let sd = 0.8 + 0.6 * uniform(&rng)
            // Participant 7 leaves on day 20 and keeps their data in; participant 15 leaves on
            // day 10 and withdraws theirs. Participant 11 leaves days 30 to 43 empty.
            let leavesAfter: Int? = i == 6 ? 20 : (i == 14 ? 10 : nil)
            var diary: [DiaryEntry] = [], adherence: [TrialDay] = []
            var diaryBefore: [DiaryEntry] = []
            // Every fifth participant started their diary with the trial; the others logged most of
            // the fortnight before it, at their own baseline.
            if i % 5 != 4 {
                for offset in (1...StudyBaseline.windowDays).reversed() where uniform(&before) >= 0.2 {
                    let score = Int(min(10, max(0, (baseline + sd * before.nextGaussian()).rounded())))
                    diaryBefore.append(
                        DiaryEntry(
                            date: start.adding(days: -offset), pain: score, enjoyment: min(10, score + 1), activity: score,
                            spasms: min(10, max(0, score + Int(before.nextGaussian().rounded())))))
                }
            }
            var noise = sd / (1 - rho * rho).squareRoot() * rng.nextGaussian()
            var daysOnCream = 0
            for (p, period) in trial.schedule.periods.enumerated() {
                for offset in 0..<design.periodDays {
                    let day = p * design.periodDays + offset
                    if let leavesAfter, day >= leavesAfter { break }
                    let date = period.startDate.adding(days: offset)
                    let cream = period.arm == 1
                    daysOnCream = cream ? daysOnCream + 1 : 0
                    noise = rho * noise + sd * rng.nextGaussian()
                    let skipped = uniform(&rng) < 0.07 || (i == 10 && (30..<44).contains(day))
                    if skipped { continue }
                    // The cream works up over three days (what the washout days allow for).
                    let pain = baseline + (cream ? effect * Double(min(daysOnCream, 3)) / 3 : 0) + noise
                    let score = Int(min(10, max(0, pain.rounded())))
                    var effects: Set<DiaryEntry.SideEffect> = []
                    if cream && uniform(&rng) < 0.03 { effects.insert(.skinIrritation) }
                    diary.append(
                        DiaryEntry(
                            date: date, pain: score, enjoyment: min(10, score + 1), activity: score,
                            spasms: min(10, max(0, score + Int(rng.nextGaussian().rounded()))), sideEffects: effects))
                    let u = uniform(&rng)
                    let answer: TrialDay.Adherence = u < 0.04 ? .no : (u < 0.12 ? .partly : .yes)
                    adherence.append(TrialDay(date: date, adherence: answer, amount: answer == .no ? 0 : (answer == .partly ? 1 : 2)))
                }
            }
            participants.append(
                Participant(
                    trial: trial, consentedOn: start.adding(days: -1), diary: diary, adherence: adherence, diaryBefore: diaryBefore,
                    withdrawal: leavesAfter.map { (start.adding(days: $0), i == 6) }, trueEffect: effect))
        }
        let lastDay = participants.map(\.trial.design.endDate).max() ?? today
        return DemoStudy(
            design: design, registeredOn: registeredOn, closedOn: max(lastDay.adding(days: 3), today.adding(days: -7)),
            participants: participants, screenedEligible: participantCount + 2, screenedIneligible: 4, invitations: 24)
    }

    /// A uniform draw in [0, 1) from the top 53 bits: the same on every platform.
    private static func uniform(_ rng: inout SplitMix64) -> Double { Double(rng.next() >> 11) * 0x1p-53 }
}
