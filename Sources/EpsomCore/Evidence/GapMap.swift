/// The evidence-gap map: routes × conditions. Each cell counts the randomised trials (distinct
/// studies), their participants where reported, and the longest duration; cells with no trial,
/// or only trials of 6 weeks or less, are flagged.
public struct GapMap: Sendable, Equatable {
    public struct Cell: Sendable, Equatable {
        public var trials: Int
        /// Sum over trials that report their size.
        public var participants: Int
        /// Trials whose size is not reported.
        public var trialsWithoutSize: Int
        /// nil when no trial reports its duration (single infusions).
        public var longestWeeks: Double?
        /// Non-randomised studies (single-arm, dose-finding) in the cell, shown apart.
        public var otherStudies: Int

        public enum Flag: String, Sendable { case empty, shortOnly = "short-only", unknownDuration = "unknown-duration", none }
        /// Empty: no randomised trial. Short only: every trial with a reported duration ran 6 weeks
        /// or less. Unknown: no trial reports a duration (single infusions, or not given in the source).
        public var flag: Flag {
            if trials == 0 { return .empty }
            guard let longestWeeks else { return .unknownDuration }
            return longestWeeks <= GapMap.shortWeeks ? .shortOnly : .none
        }
    }

    /// Every trial in Park et al. 2020 lasted 6 weeks or less: the line the map draws.
    public static let shortWeeks = 6.0

    public var conditions: [String]
    public var routes: [EvidenceStudy.RouteGroup]
    /// cells[condition][route]
    public var cells: [String: [EvidenceStudy.RouteGroup: Cell]]

    public init(_ studies: [EvidenceStudy]) {
        routes = EvidenceStudy.RouteGroup.allCases
        var order: [String] = []
        for s in studies where !order.contains(s.conditionGroup) { order.append(s.conditionGroup) }
        conditions = order
        var cells: [String: [EvidenceStudy.RouteGroup: Cell]] = [:]
        for condition in order {
            for route in routes {
                // One entry per study: its first row gives size and design, its longest time point the duration.
                let rows = studies.filter { $0.conditionGroup == condition && $0.routeGroup == route }
                var byStudy: [String: [EvidenceStudy]] = [:]
                for row in rows { byStudy[row.study, default: []].append(row) }
                var cell = Cell(trials: 0, participants: 0, trialsWithoutSize: 0, longestWeeks: nil, otherStudies: 0)
                for (_, group) in byStudy {
                    let first = group[0]
                    guard first.design.isRandomised else { cell.otherStudies += 1; continue }
                    cell.trials += 1
                    if let n = first.participants { cell.participants += n } else { cell.trialsWithoutSize += 1 }
                    if let weeks = group.compactMap(\.durationWeeks).max() {
                        cell.longestWeeks = max(cell.longestWeeks ?? 0, weeks)
                    }
                }
                cells[condition, default: [:]][route] = cell
            }
        }
        self.cells = cells
    }

    public func cell(_ condition: String, _ route: EvidenceStudy.RouteGroup) -> Cell {
        cells[condition]?[route] ?? Cell(trials: 0, participants: 0, trialsWithoutSize: 0, longestWeeks: nil, otherStudies: 0)
    }
}
