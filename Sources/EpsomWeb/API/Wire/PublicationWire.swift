import EpsomCore

// A closed study's result published into the evidence pages: what its investigator chooses, and
// the publication everyone reads (the card's numbers, from the analysis stored at the close).

extension Wire {
    struct PublicationInput: WireModel {
        var conditionGroup: String
        var route: String
        var salt: String?
        var dose: String
        var arm: String

        static let summary =
            "What the investigator chooses when publishing a closed study: everything else comes from its stored analysis."
        static let notes: [String: FieldNote] = [
            "conditionGroup": FieldNote("One of the evidence catalogue's condition groups.", choices: StudyService.conditionGroups),
            "route": FieldNote("The route.", choices: EvidenceStudy.RouteGroup.allCases.map(\.rawValue)),
            "salt": FieldNote("The magnesium salt, e.g. magnesium chloride.", maxLength: StudyPublication.maximumTextLength),
            "dose": FieldNote(
                "The dose each participant used, e.g. 2 g of 20% cream a day.", minLength: 1,
                maxLength: StudyPublication.maximumTextLength),
            "arm": FieldNote("The contrast: an arm compared with the primary analysis's reference arm."),
        ]
        static let example = PublicationInput(
            conditionGroup: "chronic low back pain", route: "transdermal", salt: "magnesium chloride",
            dose: "2 g of 20% cream a day", arm: "Magnesium cream")
    }

    struct Publication: WireModel {
        var studyId: String
        var title: String
        var condition: String
        var conditionGroup: String
        var route: String
        var salt: String
        var dose: String
        var arm: String
        var reference: String
        var outcome: TrialOutcome
        var outcomeMeasure: String
        var blinded: Bool
        var durationWeeks: Double
        var enrolled: Int
        var analysed: Int
        var muMean: Double
        var muSd: Double
        var muCiLower: Double
        var muCiUpper: Double
        var tauMedian: Double
        var piLower: Double?
        var piUpper: Double?
        var mcid: Double
        var tauPrior: String
        var registryCode: String
        var protocolSha256: String
        var registeredOn: CalendarDate
        var closedOn: CalendarDate
        var publishedOn: CalendarDate
        var synthetic: Bool
        var peerReviewed: Bool
        var laterDataWithdrawals: Int

        static let summary =
            "A series of N-of-1 trials run with Epsom and published by its investigator after it closed: not peer reviewed. "
            + "Effects are arm − reference in the outcome's points (lower is better); mu_sd is μ's posterior SD, with which the "
            + "series enters a meta-analysis (docs/methods.md §6.5)."
        static let notes: [String: FieldNote] = [
            "muMean": FieldNote("The average effect μ (posterior mean)."),
            "muSd": FieldNote("μ's posterior SD: the standard error of a meta-analysis row.", minimum: 0),
            "synthetic": FieldNote("The demo study's invented participants: not evidence."),
            "peerReviewed": FieldNote("Always false: an Epsom series is not peer reviewed."),
            "laterDataWithdrawals": FieldNote(
                "Participants who withdrew their data after the analysis was made: it stands as made at the close, with their data "
                    + "in it (docs/methods.md §7.8).", minimum: 0),
        ]

        static let example = Publication(
            studyId: "s1a2b3c4d5e6", title: "Magnesium cream vs placebo cream for chronic low back pain, 12 weeks",
            condition: "chronic low back pain", conditionGroup: "chronic low back pain", route: "transdermal",
            salt: "magnesium chloride", dose: "2 g of 20% cream a day", arm: "Magnesium cream", reference: "Placebo cream",
            outcome: .pain, outcomeMeasure: "pain NRS 0-10", blinded: true, durationWeeks: 12, enrolled: 20, analysed: 18,
            muMean: -0.91, muSd: 0.24, muCiLower: -1.39, muCiUpper: -0.44, tauMedian: 0.71, piLower: -2.5, piUpper: 0.7, mcid: 1,
            tauPrior: "half-normal:2", registryCode: "3f9a1c2b7d4e", protocolSha256: String(repeating: "cd", count: 32),
            registeredOn: Wire.exampleDay.adding(days: -150), closedOn: Wire.exampleDay, publishedOn: Wire.exampleDay,
            synthetic: false, peerReviewed: false, laterDataWithdrawals: 0)
    }

    struct PublicationList: WireModel {
        var series: [Publication]

        static let summary = "Every published Epsom series, the earliest published first (public, as on /evidence)."
        static let example = PublicationList(series: [Publication.example])
    }
}

extension Wire.Publication {
    init(_ p: StudyPublication) {
        studyId = p.studyID
        title = p.title
        condition = p.condition
        conditionGroup = p.conditionGroup
        route = p.route
        salt = p.salt
        dose = p.dose
        arm = p.arm
        reference = p.reference
        outcome = p.outcome
        outcomeMeasure = p.outcomeMeasure
        blinded = p.blinded
        durationWeeks = p.durationWeeks
        enrolled = p.enrolled
        analysed = p.analysed
        muMean = p.muMean
        muSd = p.muSd
        muCiLower = p.muCiLower
        muCiUpper = p.muCiUpper
        tauMedian = p.tauMedian
        piLower = p.piLower
        piUpper = p.piUpper
        mcid = p.mcid
        tauPrior = p.tauPrior
        registryCode = p.registryCode
        protocolSha256 = p.protocolSha256
        registeredOn = p.registeredOn
        closedOn = p.closedOn
        publishedOn = p.publishedOn
        synthetic = p.synthetic
        peerReviewed = false
        laterDataWithdrawals = p.laterDataWithdrawals
    }
}
