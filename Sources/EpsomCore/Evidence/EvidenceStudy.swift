/// One row of the evidence catalogue: a study (or one time point of it) with its source and its
/// risk-of-bias judgement. The columns and their rules are docs/evidence.md;
/// `EvidenceCatalogue.parse` enforces them.
public struct EvidenceStudy: Sendable, Equatable, Identifiable {
    /// The search question's scope (docs/evidence.md): only `chronic` is chronic-pain evidence.
    public enum Scope: String, Sendable, CaseIterable {
        case chronic, related, acute, absorption
        public var label: String {
            switch self {
            case .chronic: "Chronic pain"
            case .related: "Related condition (muscle cramps)"
            case .acute: "Acute pain"
            case .absorption: "Absorption in healthy volunteers"
            }
        }
    }

    public enum Design: String, Sendable, CaseIterable {
        case rctParallel = "rct-parallel", rctCrossover = "rct-crossover", withinSubject = "within-subject"
        case nonRandomisedControlled = "non-randomised-controlled", singleArm = "single-arm"
        case registeredNoResults = "registered-no-results"

        public var isRandomised: Bool { self == .rctParallel || self == .rctCrossover || self == .withinSubject }
        /// Every design except single-arm has a concurrent comparison (search-protocol.md §3, rule 4).
        public var isControlled: Bool { self != .singleArm }
        /// The same people receive magnesium and the comparator: the arms are not independent.
        public var isPaired: Bool { self == .rctCrossover || self == .withinSubject }
        public var label: String {
            switch self {
            case .rctParallel: "Randomised, parallel groups"
            case .rctCrossover: "Randomised crossover"
            case .withinSubject: "Within-subject, randomised order"
            case .nonRandomisedControlled: "Controlled, not randomised"
            case .singleArm: "Single-arm (no control group)"
            case .registeredNoResults: "Registered controlled trial, no results found"
            }
        }
    }

    public enum RouteGroup: String, Sendable, CaseIterable {
        case oral, intravenous, intravenousThenOral = "intravenous-then-oral", transdermal, bath
        public var label: String {
            switch self {
            case .oral: "Oral"
            case .intravenous: "Intravenous"
            case .intravenousThenOral: "IV then oral"
            case .transdermal: "Transdermal"
            case .bath: "Bath"
            }
        }
    }

    /// A risk-of-bias judgement, ordered from best to worst.
    public enum Judgement: String, Sendable, CaseIterable, Comparable {
        case low, someConcerns = "some concerns", high
        public var rank: Int { Self.allCases.firstIndex(of: self)! }
        public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
        public var label: String {
            switch self {
            case .low: "Low"
            case .someConcerns: "Some concerns"
            case .high: "High"
            }
        }
    }

    /// The four domains judged per row (RoB 2-style, search-protocol.md §3).
    public enum Domain: String, Sendable, CaseIterable {
        case randomisation, blinding, missing, reporting
        public var column: String { "rob_" + rawValue }
        public var label: String {
            switch self {
            case .randomisation: "Randomisation"
            case .blinding: "Blinding"
            case .missing: "Missing outcome data"
            case .reporting: "Selective reporting"
            }
        }
    }

    public struct RiskOfBias: Sendable, Equatable {
        public var judgement: Judgement
        /// One line, from the page read.
        public var reason: String
        public init(judgement: Judgement, reason: String) {
            self.judgement = judgement
            self.reason = reason
        }
    }

    public var id: String
    /// Rows of the same study (several time points) share it.
    public var study: String
    /// Empty when no page read names the first author.
    public var firstAuthor: String
    /// nil when the source read does not show it.
    public var year: Int?
    /// "doi:10.…", "PMID:…" or a registry number; nil when the file says `none assigned`.
    public var doiOrPMID: String?
    public var condition: String
    public var conditionGroup: String
    public var scope: Scope
    public var route: String
    public var routeGroup: RouteGroup
    public var design: Design
    public var salt: String
    public var dose: String
    public var durationWeeks: Double?
    public var participantsMagnesium: Int?
    public var participantsControl: Int?
    public var comparator: String
    public var outcomeMeasure: String
    public var resultSummary: String
    public var meanMagnesium: Double?
    public var sdMagnesium: Double?
    public var meanControl: Double?
    public var sdControl: Double?
    public var timepoint: String
    /// One judgement per domain, every domain present.
    public var riskOfBias: [Domain: RiskOfBias]
    public var sourceURL: String
    /// Where in the source the values were read.
    public var sourceLocation: String
    /// The research notes' mark: false when any value came from a secondary source.
    public var verified: Bool

    public init(
        id: String, study: String, firstAuthor: String, year: Int?, doiOrPMID: String?, condition: String,
        conditionGroup: String, scope: Scope, route: String, routeGroup: RouteGroup, design: Design, salt: String,
        dose: String, durationWeeks: Double?, participantsMagnesium: Int?, participantsControl: Int?, comparator: String,
        outcomeMeasure: String, resultSummary: String, meanMagnesium: Double?, sdMagnesium: Double?, meanControl: Double?,
        sdControl: Double?, timepoint: String, riskOfBias: [Domain: RiskOfBias], sourceURL: String, sourceLocation: String,
        verified: Bool
    ) {
        self.id = id; self.study = study; self.firstAuthor = firstAuthor; self.year = year; self.doiOrPMID = doiOrPMID
        self.condition = condition; self.conditionGroup = conditionGroup; self.scope = scope; self.route = route
        self.routeGroup = routeGroup; self.design = design; self.salt = salt; self.dose = dose; self.durationWeeks = durationWeeks
        self.participantsMagnesium = participantsMagnesium; self.participantsControl = participantsControl
        self.comparator = comparator; self.outcomeMeasure = outcomeMeasure; self.resultSummary = resultSummary
        self.meanMagnesium = meanMagnesium; self.sdMagnesium = sdMagnesium; self.meanControl = meanControl
        self.sdControl = sdControl; self.timepoint = timepoint; self.riskOfBias = riskOfBias; self.sourceURL = sourceURL
        self.sourceLocation = sourceLocation; self.verified = verified
    }

    /// The worst of the four domains (RoB 2's rule, simplified: no "several some concerns make high").
    public var overallRisk: Judgement {
        riskOfBias.values.map(\.judgement).max() ?? .high
    }

    /// "Pickering 2011". Without an author: a registry number names a registered trial, else
    /// "Author not reported"; without a year, "(year not reported)", in the field's own terms.
    public var citationLabel: String {
        let registry = doiOrPMID.flatMap { $0.hasPrefix("doi:") || $0.hasPrefix("PMID:") ? nil : $0 }
        let name = firstAuthor.isEmpty ? (registry.map { "Registered trial " + $0 } ?? "Author not reported") : firstAuthor
        return name + " " + (year.map(String.init) ?? "(year not reported)")
    }

    /// "1 week", "8.6 weeks", or "duration not reported".
    public var durationLabel: String {
        guard let w = durationWeeks else { return "duration not reported" }
        return NumberFormatting.trimmed(w) + (w == 1 ? " week" : " weeks")
    }

    /// Participants in the study: both arms of a parallel trial, the one group of a paired design.
    public var participants: Int? {
        switch (participantsMagnesium, participantsControl) {
        case let (m?, c?): design.isPaired ? max(m, c) : m + c
        case let (m?, nil): m
        case let (nil, c?): c
        default: nil
        }
    }

    /// Both arms' means, SDs and sizes: the row could enter a meta-analysis of mean differences
    /// (if its design allows it; see `WorkbenchInput`).
    public var hasArmLevelData: Bool {
        meanMagnesium != nil && sdMagnesium != nil && meanControl != nil && sdControl != nil
            && participantsMagnesium != nil && participantsControl != nil
    }

    /// Where to follow the source: the DOI or PubMed page when known, else the page read.
    public var link: String {
        if let id = doiOrPMID {
            if id.hasPrefix("doi:") { return "https://doi.org/" + id.dropFirst(4) }
            if id.hasPrefix("PMID:") { return "https://pubmed.ncbi.nlm.nih.gov/" + id.dropFirst(5) + "/" }
        }
        return sourceURL
    }
}

/// A review, protocol, book or web page the catalogue names for further reading.
public struct EvidenceReference: Sendable, Equatable, Identifiable {
    public var id: String
    public var kind: String
    public var citation: String
    public var doiOrPMID: String?
    public var sourceURL: String?
    public var summary: String
    public var verified: Bool
}
