import Foundation

/// A closed study's primary result, published by its investigator into the evidence pages beside
/// the published trials: one contrast (an arm against the reference), as the population's average
/// effect μ with its 95% interval and posterior SD.
///
/// It is marked everywhere as an Epsom series of N-of-1 trials, not peer reviewed, with its
/// registration. It names no person: the study's title, its registered design and its pooled
/// numbers only. The investigator supplies what the study's record does not hold and the
/// catalogue needs to compare it with other studies: the catalogue's condition group, the route,
/// the salt and the dose. Everything else is copied from the stored analysis, never typed.
public struct StudyPublication: Codable, Sendable, Equatable {
    public var studyID: String
    public var title: String
    /// The study's condition, in its registered words.
    public var condition: String
    /// One of the catalogue's condition groups, chosen by the investigator: what the workbench
    /// pools by.
    public var conditionGroup: String
    /// An `EvidenceStudy.RouteGroup` raw value.
    public var route: String
    public var salt: String
    public var dose: String
    public var arm: String
    public var reference: String
    public var outcome: TrialOutcome
    public var blinded: Bool
    /// The days of one participant's trial, in weeks (washout days included).
    public var durationWeeks: Double
    public var enrolled: Int
    /// Participants pooled for this contrast (`k` of the primary analysis).
    public var analysed: Int
    public var muMean: Double
    public var muSd: Double
    public var muCiLower: Double
    public var muCiUpper: Double
    public var tauMedian: Double
    public var piLower: Double?
    public var piUpper: Double?
    public var mcid: Double
    /// The τ prior of the primary analysis, as the command line writes it.
    public var tauPrior: String
    /// The code of the study's public registry page (`/registry/<code>`).
    public var registryCode: String
    public var protocolSha256: String
    public var registeredOn: CalendarDate
    public var closedOn: CalendarDate
    public var publishedOn: CalendarDate
    /// The demo study's synthetic participants: said on every card.
    public var synthetic: Bool
    /// Participants who had withdrawn their data when the analysis was made (they are in none of
    /// its numbers).
    public var dataWithdrawalsAtAnalysis: Int?
    /// Participants who have withdrawn their data by now: the store counts them each time it
    /// reads the publication (the JSON keeps the count at publication).
    public var dataWithdrawalsNow: Int?

    /// Participants who withdrew their data after the analysis was made. Their data is still in
    /// its numbers: the analysis stands as made at the close (docs/methods.md §7.8), and the card
    /// says so.
    public var laterDataWithdrawals: Int {
        guard let then = dataWithdrawalsAtAnalysis, let now = dataWithdrawalsNow else { return 0 }
        return max(0, now - then)
    }

    /// The outcome as a sentence holds it: "less pain", "less pain's interference with general
    /// activity" (the scores of interference are pain's, lower is better).
    public var outcomeNoun: String {
        switch outcome {
        case .pain: "pain"
        case .spasms: "spasms"
        case .stiffness: "stiffness"
        case .enjoyment: "pain's interference with enjoyment of life"
        case .activity: "pain's interference with general activity"
        }
    }

    /// The catalogue's words for the outcome measure, which the workbench pools by: a daily 0–10
    /// diary score is the catalogue's "NRS 0-10" of that construct.
    public var outcomeMeasure: String {
        switch outcome {
        case .pain: "pain NRS 0-10"
        case .spasms: "spasms NRS 0-10"
        case .stiffness: "stiffness NRS 0-10"
        case .enjoyment: "pain interference with enjoyment of life NRS 0-10"
        case .activity: "pain interference with general activity NRS 0-10"
        }
    }

    public var routeGroup: EvidenceStudy.RouteGroup { EvidenceStudy.RouteGroup(rawValue: route) ?? .transdermal }

    /// How the workbench and the catalogue name it.
    public var citationLabel: String { "Epsom series: \(title) (\(closedOn.year))" }

    /// The workbench's stable id for the row.
    public var rowID: String { "epsom-series-" + studyID }

    /// What the investigator chooses at publication.
    public struct Choice: Sendable, Equatable {
        public var conditionGroup: String
        public var route: String
        public var salt: String
        public var dose: String
        /// The contrast's arm (against the primary analysis's reference).
        public var arm: String

        public init(conditionGroup: String, route: String, salt: String, dose: String, arm: String) {
            self.conditionGroup = conditionGroup
            self.route = route
            self.salt = salt
            self.dose = dose
            self.arm = arm
        }
    }

    /// Why a study cannot be published as chosen: each message names its field.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public var field: String
        public var message: String
        public var description: String { "\(field): \(message)" }
    }

    public static let maximumTextLength = 200

    /// The publication of `study` (closed, registered) from its stored results, or the first
    /// refusal. `conditionGroups` are the catalogue's; the choice must name one of them.
    public static func make(
        study: Study, results: StudyResults, choice: Choice, conditionGroups: [String], synthetic: Bool,
        today: CalendarDate
    ) throws(Refusal) -> StudyPublication {
        guard study.status == .closed, let closedOn = study.closedOn else {
            throw Refusal(field: "study", message: "only a closed study, with its analysis, can be published")
        }
        guard let registered = study.registeredProtocol, let registeredOn = study.registeredOn, let code = study.enrolmentCode else {
            throw Refusal(field: "study", message: "only a registered study can be published")
        }
        guard conditionGroups.contains(choice.conditionGroup) else {
            throw Refusal(field: "condition_group", message: "choose one of the catalogue's condition groups")
        }
        guard EvidenceStudy.RouteGroup(rawValue: choice.route) != nil else {
            throw Refusal(field: "route", message: "choose one of the routes")
        }
        let salt = choice.salt.trimmingCharacters(in: .whitespacesAndNewlines)
        let dose = choice.dose.trimmingCharacters(in: .whitespacesAndNewlines)
        for (field, value) in [("salt", salt), ("dose", dose)] where value.count > maximumTextLength {
            throw Refusal(field: field, message: "at most \(maximumTextLength) characters")
        }
        guard dose.isEmpty == false else {
            throw Refusal(field: "dose", message: "say the dose of magnesium each participant used, e.g. \"2 g of 20% MgCl₂ cream a day\"")
        }
        guard let pooled = results.pooled.first(where: { $0.arm == choice.arm && $0.reference == results.reference }) else {
            throw Refusal(field: "arm", message: "choose one of the study's arms compared with \(results.reference)")
        }
        if pooled.muMean != nil && pooled.muSd == nil {
            throw Refusal(
                field: "arm",
                message: "this study's analysis was stored before μ's posterior SD was kept, which a meta-analysis needs; "
                    + "stored analyses are never rewritten, so it cannot be published")
        }
        guard let mu = pooled.muMean, let sd = pooled.muSd, let lower = pooled.muCiLower, let upper = pooled.muCiUpper,
            let tau = pooled.tauMedian, sd > 0
        else {
            throw Refusal(
                field: "arm",
                message: "this contrast has no pooled result to publish\(pooled.reason.map { " (\($0))" } ?? "")")
        }
        return StudyPublication(
            studyID: study.id, title: study.design.title, condition: study.design.condition,
            conditionGroup: choice.conditionGroup, route: choice.route, salt: salt, dose: dose,
            arm: choice.arm, reference: results.reference, outcome: results.outcome, blinded: study.design.blinded,
            durationWeeks: Double(study.design.trialDays) / 7, enrolled: results.flow.enrolled, analysed: pooled.k,
            muMean: mu, muSd: sd, muCiLower: lower, muCiUpper: upper, tauMedian: tau, piLower: pooled.piLower,
            piUpper: pooled.piUpper, mcid: results.mcid, tauPrior: results.tauPrior, registryCode: code,
            protocolSha256: study.currentProtocolHash ?? registered.sha256, registeredOn: registeredOn, closedOn: closedOn,
            publishedOn: today, synthetic: synthetic,
            dataWithdrawalsAtAnalysis: results.flow.enrolled - results.flow.withData,
            dataWithdrawalsNow: results.flow.enrolled - results.flow.withData)
    }
}
