import EpsomCore
import EpsomStorage
import HTTPTypes
import Hummingbird

/// The evidence pages: the cited catalogue (browse and filter), the gap map, and what Epsom's
/// own users' trials add. Public: they hold published facts and pooled summaries only.
struct EvidencePage {
    let catalogue: EvidenceCatalogue
    let trials: TrialService
    let cache: PooledEvidenceCache

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("evidence") { request, context in try await catalogue(request, context) }
        router.get("evidence/gaps") { request, context in try await gaps(request, context) }
    }

    static let nav: HTML = """
        <p class="noprint"><a href="/evidence">Catalogue</a> · <a href="/evidence/gaps">Gap map</a> · <a href="/evidence/workbench">Meta-analysis workbench</a></p>
        """

    // MARK: Catalogue

    struct Filter {
        var condition = "", route = "", duration = "", design = ""

        init(_ request: Request) {
            let q = request.uri.queryParameters
            condition = q.get("condition") ?? ""
            route = q.get("route") ?? ""
            duration = q.get("duration") ?? ""
            design = q.get("design") ?? ""
        }

        func keeps(_ s: EvidenceStudy) -> Bool {
            if !condition.isEmpty && s.conditionGroup != condition { return false }
            if !route.isEmpty && s.routeGroup.rawValue != route { return false }
            if !design.isEmpty && s.design.rawValue != design { return false }
            switch duration {
            case "short": return (s.durationWeeks ?? .infinity) <= GapMap.shortWeeks
            case "long": return (s.durationWeeks ?? 0) > GapMap.shortWeeks
            case "unknown": return s.durationWeeks == nil
            default: return true
            }
        }
    }

    func catalogue(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let filter = Filter(request)
        let shown = catalogue.studies.filter(filter.keeps)
        func options(_ values: [(String, String)], selected: String) -> [HTML] {
            [HTML("<option value=\"\">Any</option>")] + values.map { value, label in
                "<option value=\"\(text: value)\"\(raw: value == selected ? " selected" : "")>\(text: label)</option>"
            }
        }
        let conditions = GapMap(catalogue.studies).conditions.map { ($0, $0) }
        let body: HTML = """
            <h1>Evidence: magnesium for pain</h1>
            \(Self.nav)
            <p>\(catalogue.studies.count) entries from \(Set(catalogue.studies.map(\.study)).count) studies, each with its source.
            Entries marked <span class="badge">unverified</span> hold a value read only in a secondary source. The two reviews
            (Park et al. 2020; Morel et al. 2021) found the evidence equivocal or modest, every chronic-pain trial short, and
            none of the skin route.</p>
            <form method="get" action="/evidence" class="filters">
            <label for="condition">Condition</label><select id="condition" name="condition">\(options(conditions, selected: filter.condition))</select>
            <label for="route">Route</label><select id="route" name="route">\(options(EvidenceStudy.RouteGroup.allCases.map { ($0.rawValue, $0.label) }, selected: filter.route))</select>
            <label for="duration">Duration</label><select id="duration" name="duration">\(options([("short", "6 weeks or less"), ("long", "More than 6 weeks"), ("unknown", "Not reported (e.g. single infusions)")], selected: filter.duration))</select>
            <label for="design">Design</label><select id="design" name="design">\(options(EvidenceStudy.Design.allCases.map { ($0.rawValue, $0.label) }, selected: filter.design))</select>
            <button class="secondary">Filter</button>
            </form>
            <p role="status">\(shown.count) of \(catalogue.studies.count) entries.</p>
            \(shown.map(Self.card))
            \(try await pooled())
            <h2>Reviews and further reading</h2>
            <ul>\(catalogue.references.map(Self.reference))</ul>
            <p class="source">The catalogue is Sources/EpsomCore/Evidence/Catalogue (schema: docs/evidence.md); add a study by pull
            request after <code>epsom evidence add</code>.</p>
            """
        return .html(Layout.page("Evidence", identity: context.identity, csrf: context.identity?.session.csrfToken, body))
    }

    static func card(_ s: EvidenceStudy) -> HTML {
        func n(_ x: Double?) -> String { x.map(NumberFormatting.trimmed) ?? "–" }
        let size = (s.participantsMagnesium, s.participantsControl)
        let people: String
        switch size {
        case let (m?, c?): people = s.design == .rctCrossover ? "\(max(m, c)) people (crossover)" : "\(m) vs \(c) people"
        case let (m?, nil): people = "\(m) people"
        default: people = "size not reported"
        }
        let numbers: HTML = s.meanMagnesium == nil && s.meanControl == nil ? "" : """
            <p>Magnesium \(text: n(s.meanMagnesium))\(s.sdMagnesium.map { " (SD \(text: NumberFormatting.trimmed($0)))" } ?? ""), \
            comparator \(text: n(s.meanControl))\(s.sdControl.map { " (SD \(text: NumberFormatting.trimmed($0)))" } ?? "")\
            \(s.timepoint.isEmpty ? "" : ", \(text: s.timepoint)") <a href="\(text: s.sourceURL)" rel="noopener">[source]</a></p>
            """
        let year = s.year.map(String.init) ?? "year not shown"
        return """
            <article class="study" id="\(text: s.id)"><h3>\(text: s.firstAuthor) \(text: year) · \(text: s.conditionGroup)\(s.verified ? "" : " <span class=\"badge\">unverified</span>" as HTML)</h3>
            <p>\(text: s.design.label) · \(text: s.routeGroup.label)\(s.salt.isEmpty ? "" : " (\(text: s.salt))") · \(s.durationWeeks.map { "\(text: NumberFormatting.trimmed($0)) weeks" } ?? "duration not reported") · \(text: people)</p>
            <p><strong>Dose:</strong> \(text: s.dose.isEmpty ? "not reported" : s.dose). <strong>Comparator:</strong> \(text: s.comparator). <strong>Outcome:</strong> \(text: s.outcomeMeasure).</p>
            <p>\(text: s.resultSummary)</p>
            \(numbers)
            <p class="source">Source: <a href="\(text: s.link)" rel="noopener">\(text: s.doiOrPMID ?? "page read")</a>; values read in: \(text: s.sourceLocation).</p>
            </article>
            """
    }

    static func reference(_ r: EvidenceReference) -> HTML {
        let link: HTML = r.sourceURL.map { "<a href=\"\(text: $0)\" rel=\"noopener\">\(text: r.doiOrPMID ?? "link")</a>" } ?? HTML(raw: Markup.escape(r.doiOrPMID ?? "no link recorded"))
        return "<li><strong>\(text: r.kind)</strong>: \(text: r.citation) \(link)\(r.verified ? "" : " <span class=\"badge\">unverified</span>" as HTML)<br><span class=\"source\">\(text: r.summary)</span></li>"
    }

    // MARK: What users add

    /// Every consenting finished trial's contribution, pooled per comparison.
    static func compute(_ trials: TrialService) async throws -> [PooledEvidence.Comparison] {
        var contributions: [PooledEvidence.Contribution] = []
        let today = trials.clock.today()
        for (trial, owner) in try await trials.store.consentedTrials() where trial.isOver(today: today) {
            guard let loaded = try await trials.load(id: trial.id, ownerID: owner) else { continue }
            // The person is only a key for counting; it never leaves this function.
            contributions += PooledEvidence.contributions(loaded.trial, diary: loaded.diary, adherence: loaded.adherence,
                                                          today: today, person: owner)
        }
        return PooledEvidence.pool(contributions)
    }

    func pooled() async throws -> HTML {
        let trials = self.trials
        let comparisons = try await cache.comparisons(now: trials.clock.now()) { try await Self.compute(trials) }
        let minimum = PooledEvidence.minimumContributors
        let rows: [HTML] = comparisons.map { c in
            guard let r = c.result else {
                return "<li>\(text: c.name): \(c.contributors) \(c.contributors == 1 ? "person" : "people") so far; shown from \(minimum).</li>"
            }
            return """
                <li><strong>\(text: c.name)</strong>, \(c.contributors) people: average effect \(text: NumberFormatting.fixed(r.muMean, 1)) points \
                (95% interval \(text: NumberFormatting.fixed(r.muCILower, 1)) to \(text: NumberFormatting.fixed(r.muCIUpper, 1))); spread between people \
                τ ≈ \(text: NumberFormatting.fixed(r.tauMean, 1)); chance a new person benefits: \(text: NOf1Report.chance(r.probabilityNewBenefit)).</li>
                """
        }
        return """
            <h2>What Epsom's users add</h2>
            <p>Finished personal trials whose owners consented, pooled per comparison with the hierarchical model
            (docs/methods.md §4). A comparison is shown only once at least \(minimum) people contribute, and only as a summary.
            These are self-selected volunteers, not a random sample.</p>
            \(comparisons.isEmpty ? "<p>No consenting finished trials yet.</p>" : "<ul>\(rows)</ul>" as HTML)
            """
    }

    // MARK: Gap map

    func gaps(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let map = GapMap(catalogue.studies)
        let header: [HTML] = map.routes.map { "<th scope=\"col\">\(text: $0.label)</th>" }
        let rows: [HTML] = map.conditions.map { condition in
            let cells: [HTML] = map.routes.map { route in
                let c = map.cell(condition, route)
                let css: String
                switch c.flag {
                case .empty: css = "gap-empty"
                case .shortOnly: css = "gap-short"
                case .unknownDuration: css = "gap-unknown"
                case .none: css = "gap-ok"
                }
                var lines: [String] = []
                if c.trials > 0 {
                    lines.append("\(c.trials) RCT\(c.trials == 1 ? "" : "s")")
                    if c.participants > 0 {
                        lines.append("\(c.participants) people" + (c.trialsWithoutSize > 0 ? " (+\(c.trialsWithoutSize) trial\(c.trialsWithoutSize == 1 ? "" : "s") of unreported size)" : ""))
                    } else {
                        lines.append("size not reported")
                    }
                    lines.append(c.longestWeeks.map { "longest \(NumberFormatting.trimmed($0)) wk" } ?? "duration not reported")
                } else {
                    lines.append("no RCT")
                }
                if c.otherStudies > 0 { lines.append("+\(c.otherStudies) uncontrolled") }
                let href = "/evidence?condition=\(condition.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&route=\(route.rawValue)"
                return "<td class=\"\(text: css)\"><a href=\"\(text: href)\">\(HTML(raw: lines.map(Markup.escape).joined(separator: "<br>")))</a></td>"
            }
            return "<tr><th scope=\"row\">\(text: condition)</th>\(cells)</tr>"
        }
        let body: HTML = """
            <h1>Evidence-gap map</h1>
            \(Self.nav)
            <p>Randomised trials of magnesium by route and condition: how many, how many people, and the longest treatment.
            <span class="gap-empty legend">Red</span>: no randomised trial. <span class="gap-short legend">Amber</span>: every trial with a
            reported duration lasted \(text: NumberFormatting.trimmed(GapMap.shortWeeks)) weeks or less. <span class="gap-unknown legend">Grey</span>: no
            trial reports its duration (single infusions, or not given in the source read). Numbers are from the catalogue; trials that
            do not report their size are counted apart.</p>
            <div class="scroll"><table class="gapmap"><thead><tr><th>Condition</th>\(header)</tr></thead><tbody>\(rows)</tbody></table></div>
            """
        return .html(Layout.page("Gap map", identity: context.identity, csrf: context.identity?.session.csrfToken, body))
    }
}
