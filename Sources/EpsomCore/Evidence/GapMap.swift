/// The evidence-gap map: routes × condition groups, for one scope (the page draws `chronic`).
/// A cell counts the controlled studies (distinct studies of every design except single-arm:
/// randomised parallel, randomised crossover, within-subject, controlled but not randomised, and
/// registered controlled trials without results), their participants where reported, and the
/// longest reported treatment duration; single-arm studies are counted apart. The cell's colour is
/// its longest reported duration, in the bands of `DurationBand`: the catalogue's own numbers, not
/// a claim about any review.
public struct GapMap: Sendable, Equatable {
    /// The colour bands of a cell, from its longest reported treatment duration among controlled studies.
    public enum DurationBand: String, Sendable, CaseIterable {
        case empty, unknown, underFour = "under-4", fourToTwelve = "4-to-12", twelveOrMore = "12-plus"

        public static func of(_ weeks: Double?, studies: Int) -> DurationBand {
            guard studies > 0 else { return .empty }
            guard let weeks else { return .unknown }
            return weeks < 4 ? .underFour : weeks < 12 ? .fourToTwelve : .twelveOrMore
        }

        /// Also the catalogue's duration filter.
        public func contains(_ weeks: Double?) -> Bool {
            switch self {
            case .empty: false
            case .unknown: weeks == nil
            case .underFour: weeks.map { $0 < 4 } ?? false
            case .fourToTwelve: weeks.map { $0 >= 4 && $0 < 12 } ?? false
            case .twelveOrMore: weeks.map { $0 >= 12 } ?? false
            }
        }

        public var label: String {
            switch self {
            case .empty: "no controlled study"
            case .unknown: "no controlled study reports its duration"
            case .underFour: "longest treatment under 4 weeks"
            case .fourToTwelve: "longest treatment 4 to under 12 weeks"
            case .twelveOrMore: "longest treatment 12 weeks or more"
            }
        }
    }

    /// One study as the map lists it (the transdermal column names each one).
    public struct Entry: Sendable, Equatable {
        public var study: String
        public var label: String
        public var design: EvidenceStudy.Design
        /// Worst domain over the study's rows.
        public var overallRisk: EvidenceStudy.Judgement
        public var longestWeeks: Double?
        public var participants: Int?
    }

    public struct Cell: Sendable, Equatable {
        public var controlled: [Entry] = []
        public var uncontrolled: [Entry] = []

        public var studies: Int { controlled.count }
        public var randomised: Int { controlled.filter { $0.design.isRandomised }.count }
        /// Sum over controlled studies that report their size.
        public var participants: Int { controlled.compactMap(\.participants).reduce(0, +) }
        public var studiesWithoutSize: Int { controlled.filter { $0.participants == nil }.count }
        /// nil when no controlled study reports its duration.
        public var longestWeeks: Double? { controlled.compactMap(\.longestWeeks).max() }
        public var band: DurationBand { .of(longestWeeks, studies: studies) }
    }

    public var scope: EvidenceStudy.Scope
    public var conditions: [String]
    /// Transdermal first: the route the project asks about stays on screen on a phone.
    public var routes: [EvidenceStudy.RouteGroup]
    /// cells[condition][route]
    public var cells: [String: [EvidenceStudy.RouteGroup: Cell]]

    public init(_ allStudies: [EvidenceStudy], scope: EvidenceStudy.Scope = .chronic) {
        self.scope = scope
        let studies = allStudies.filter { $0.scope == scope }
        let present = Set(studies.map(\.routeGroup))
        routes = [.transdermal] + EvidenceStudy.RouteGroup.allCases.filter { $0 != .transdermal && present.contains($0) }
        var order: [String] = []
        for s in studies where !order.contains(s.conditionGroup) { order.append(s.conditionGroup) }
        conditions = order
        var cells: [String: [EvidenceStudy.RouteGroup: Cell]] = [:]
        for condition in order {
            for route in routes {
                // One entry per study: its first row gives size and design, its longest time point the duration.
                let rows = studies.filter { $0.conditionGroup == condition && $0.routeGroup == route }
                var studyOrder: [String] = []
                for row in rows where !studyOrder.contains(row.study) { studyOrder.append(row.study) }
                var cell = Cell()
                for study in studyOrder {
                    let group = rows.filter { $0.study == study }
                    let first = group[0]
                    let entry = Entry(
                        study: study, label: first.citationLabel, design: first.design,
                        overallRisk: group.map(\.overallRisk).max()!, longestWeeks: group.compactMap(\.durationWeeks).max(),
                        participants: first.participants)
                    if first.design.isControlled { cell.controlled.append(entry) } else { cell.uncontrolled.append(entry) }
                }
                cells[condition, default: [:]][route] = cell
            }
        }
        self.cells = cells
    }

    public func cell(_ condition: String, _ route: EvidenceStudy.RouteGroup) -> Cell {
        cells[condition]?[route] ?? Cell()
    }
}
