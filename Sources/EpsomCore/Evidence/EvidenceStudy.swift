/// One row of the evidence catalogue: a study (or one time point of it) with its source. The
/// columns and their rules are docs/evidence.md; `EvidenceCatalogue.parse` enforces them.
public struct EvidenceStudy: Sendable, Equatable, Identifiable {
    public enum Design: String, Sendable, CaseIterable {
        case rctParallel = "rct-parallel", rctCrossover = "rct-crossover", singleArm = "single-arm", doseFinding = "dose-finding"
        public var isRandomised: Bool { self == .rctParallel || self == .rctCrossover }
        public var label: String {
            switch self {
            case .rctParallel: "RCT, parallel groups"
            case .rctCrossover: "RCT, crossover"
            case .singleArm: "Single-arm study"
            case .doseFinding: "Open dose-finding"
            }
        }
    }

    public enum RouteGroup: String, Sendable, CaseIterable {
        case oral, intravenous, intravenousThenOral = "intravenous-then-oral", transdermal
        public var label: String {
            switch self {
            case .oral: "Oral"
            case .intravenous: "Intravenous"
            case .intravenousThenOral: "IV then oral"
            case .transdermal: "Transdermal"
            }
        }
    }

    public var id: String
    /// Rows of the same study (several time points) share it.
    public var study: String
    public var firstAuthor: String
    /// nil when the source read does not show it.
    public var year: Int?
    /// "doi:10.…" or "PMID:…"; nil when the source has neither.
    public var doiOrPMID: String?
    public var condition: String
    public var conditionGroup: String
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
    public var sourceURL: String
    /// Where in the source the values were read.
    public var sourceLocation: String
    /// The research notes' mark: false when any value came from a secondary source.
    public var verified: Bool

    /// Participants in the study: both arms of a parallel trial, the one group of a crossover.
    public var participants: Int? {
        switch (participantsMagnesium, participantsControl) {
        case let (m?, c?): design == .rctCrossover ? max(m, c) : m + c
        case let (m?, nil): m
        case let (nil, c?): c
        default: nil
        }
    }

    /// Both arms' means, SDs and sizes: the row can enter a meta-analysis of mean differences.
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
