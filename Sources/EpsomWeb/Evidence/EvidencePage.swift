import EpsomCore
import EpsomStorage
import Foundation
import HTTPTypes
import Hummingbird

/// The evidence pages: the cited catalogue (browse and filter, each entry with its design and
/// risk of bias), the search's PRISMA flow, the gap map of chronic-pain evidence, and what
/// Epsom's own users' trials add. Public: they hold published facts and pooled summaries only.
struct EvidencePage {
    let catalogue: EvidenceCatalogue
    let prisma: PrismaFlow?
    let trials: TrialService
    let cache: PooledEvidenceCache

    init(catalogue: EvidenceCatalogue, prisma: PrismaFlow? = PrismaFlow.bundled, trials: TrialService, cache: PooledEvidenceCache) {
        self.catalogue = catalogue
        self.prisma = prisma
        self.trials = trials
        self.cache = cache
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("evidence") { request, context in try await catalogue(request, context) }
        router.get("evidence/gaps") { request, context in try await gaps(request, context) }
    }

    static let nav: HTML = """
        <p class="noprint"><a href="/evidence">Catalogue</a> · <a href="/evidence/gaps">Gap map</a> · <a href="/evidence/workbench">Meta-analysis workbench</a></p>
        """

    // MARK: Catalogue

    struct Filter {
        var condition = "", scope = "", route = "", duration = "", design = "", risk = ""

        init(_ request: Request) {
            let q = request.uri.queryParameters
            condition = q.get("condition") ?? ""
            scope = q.get("scope") ?? ""
            route = q.get("route") ?? ""
            duration = q.get("duration") ?? ""
            design = q.get("design") ?? ""
            risk = q.get("risk") ?? ""
        }

        func keeps(_ s: EvidenceStudy) -> Bool {
            if design == Self.seriesDesign { return false }
            if !condition.isEmpty && s.conditionGroup != condition { return false }
            if !scope.isEmpty && s.scope.rawValue != scope { return false }
            if !route.isEmpty && s.routeGroup.rawValue != route { return false }
            if !design.isEmpty && s.design.rawValue != design { return false }
            if !risk.isEmpty && s.overallRisk.rawValue != risk { return false }
            if let band = GapMap.DurationBand(rawValue: duration), !band.contains(s.durationWeeks) { return false }
            return true
        }

        /// The design filter's value for Epsom's own series (they have no catalogue design).
        static let seriesDesign = "epsom-series"

        /// A published series: its scope is its condition group's in the catalogue; it has no
        /// risk-of-bias judgement, so a risk filter leaves it out.
        func keeps(_ p: StudyPublication, scopeOf groups: [String: EvidenceStudy.Scope]) -> Bool {
            if !design.isEmpty && design != Self.seriesDesign { return false }
            if !risk.isEmpty { return false }
            if !condition.isEmpty && p.conditionGroup != condition { return false }
            if !scope.isEmpty && groups[p.conditionGroup]?.rawValue != scope { return false }
            if !route.isEmpty && p.route != route { return false }
            if let band = GapMap.DurationBand(rawValue: duration), !band.contains(p.durationWeeks) { return false }
            return true
        }
    }

    static func options(_ values: [(String, String)], selected: String) -> [HTML] {
        [HTML("<option value=\"\">Any</option>")]
            + values.map { value, label in
                "<option value=\"\(text: value)\"\(value == selected ? " selected" : "" as HTML)>\(text: label)</option>"
            }
    }

    func catalogue(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let filter = Filter(request)
        let studies = catalogue.studies
        let shown = studies.filter(filter.keeps)
        var conditions: [String] = []
        var scopes: [String: EvidenceStudy.Scope] = [:]
        for s in studies where !conditions.contains(s.conditionGroup) {
            conditions.append(s.conditionGroup)
            scopes[s.conditionGroup] = s.scope
        }
        let series = try await trials.store.studyPublications()
        let shownSeries = series.filter { filter.keeps($0, scopeOf: scopes) }
        let designs =
            EvidenceStudy.Design.allCases.map { ($0.rawValue, $0.label) }
            + [(Filter.seriesDesign, "Epsom series of N-of-1 trials (not peer reviewed)")]
        let studyCount = Set(studies.map(\.study)).count
        let controlled = Set(studies.filter { $0.design.isControlled }.map(\.study)).count
        let bands: [GapMap.DurationBand] = [.underFour, .fourToTwelve, .twelveOrMore, .unknown]
        let durationLabels = ["under 4 weeks", "4 to under 12 weeks", "12 weeks or more", "not reported (e.g. single infusions)"]
        let body: HTML = """
            <h1>Evidence: magnesium for pain</h1>
            \(Self.nav)
            <p>\(studies.count) entries from \(studyCount) studies (\(controlled) with a control group), each with its source, its
            design and a risk-of-bias judgement. They come from a logged search (how it was done is below the list). Entries marked
            <span class="badge">unverified</span> hold a value read only in a secondary source. Only studies in people with chronic
            pain are chronic-pain evidence; muscle cramps, acute pain and absorption studies are listed with their scope.</p>
            \(founderAccount())
            <form method="get" action="/evidence" class="filters">
            <label for="condition">Condition</label><select id="condition" name="condition">\(Self.options(conditions.map { ($0, $0) }, selected: filter.condition))</select>
            <label for="scope">Scope</label><select id="scope" name="scope">\(Self.options(EvidenceStudy.Scope.allCases.map { ($0.rawValue, $0.label) }, selected: filter.scope))</select>
            <label for="route">Route</label><select id="route" name="route">\(Self.options(EvidenceStudy.RouteGroup.allCases.map { ($0.rawValue, $0.label) }, selected: filter.route))</select>
            <label for="design">Design</label><select id="design" name="design">\(Self.options(designs, selected: filter.design))</select>
            <label for="risk">Overall risk of bias</label><select id="risk" name="risk">\(Self.options(EvidenceStudy.Judgement.allCases.map { ($0.rawValue, $0.label) }, selected: filter.risk))</select>
            <label for="duration">Treatment duration</label><select id="duration" name="duration">\(Self.options(zip(bands.map(\.rawValue), durationLabels).map { ($0, $1) }, selected: filter.duration))</select>
            <button class="secondary">Filter</button>
            </form>
            <p class="source">Overall risk of bias is the worst of the four domains judged for the entry (randomisation, blinding,
            missing outcome data, selective reporting). Most judgements were made from abstracts: "some concerns" is the default where
            the abstract does not describe a domain, not a finding that the study was flawed.</p>
            <p role="status">\(shown.count) of \(studies.count) entries\(series.isEmpty ? "" : "; \(shownSeries.count) of \(series.count) Epsom series" as HTML).</p>
            \(shown.map(Self.card))
            \(Self.seriesSection(shownSeries, total: series.count))
            \(prisma.map(Self.prismaFlow) ?? "")
            \(try await pooled())
            <h2>Reviews and further reading</h2>
            <ul class="references">\(catalogue.references.map(Self.reference))</ul>
            <p class="source">The catalogue, its schema and the search protocol are published with Epsom's source code.
            Anyone can propose a study, with the page its values were read on; <code>epsom evidence add</code> checks it first.</p>
            """
        return .html(Layout.page("Evidence", identity: context.identity, csrf: context.identity?.session.csrfToken, body))
    }

    /// The seed physician's experience, as his own account (paraphrased), and what the catalogue's
    /// sources say about his two points. Every number here is computed from the catalogue.
    func founderAccount() -> HTML {
        let chronic = catalogue.studies.filter { $0.scope == .chronic && $0.design.isControlled }
        var longest: [String: Double] = [:]
        for s in chronic { if let w = s.durationWeeks { longest[s.study] = max(longest[s.study] ?? 0, w) } }
        let longestRow = chronic.filter { $0.durationWeeks != nil }.max { $0.durationWeeks! < $1.durationWeeks! }
        let studies = Set(chronic.map(\.study)).count
        let twelve = longest.values.filter { $0 >= 12 }.count
        let maxWeeks = longest.values.max()
        let skinRisks = Dictionary(grouping: chronic.filter { $0.routeGroup == .transdermal }, by: \.study)
            .mapValues { $0.map(\.overallRisk).max()! }
        let skin = skinRisks.count
        let risks = EvidenceStudy.Judgement.allCases.reversed().compactMap { j -> String? in
            let n = skinRisks.values.filter { $0 == j }.count
            return n == 0 ? nil : "\(n) \(j == .someConcerns ? "with some concerns" : "at \(j.rawValue) risk")"
        }.joined(separator: ", ")
        return """
            <section class="account" aria-labelledby="founder"><h2 id="founder">The founder's account, paraphrased</h2>
            <p>The physician who started Epsom describes, in his own account (paraphrased here, not quoted), taking magnesium by
            mouth and on the skin for seven years, and his pain coming back when he stops the cream. This is one person's account.
            It is why Epsom exists, and it is the kind of claim a personal trial (magnesium cream against placebo cream) can test for
            you. It is not evidence that magnesium cream works.</p>
            <p>He also reads the reviews as finding only short trials, none of them on the skin. What the sources in this catalogue
            say: the two reviews cited below (Park et al. 2020; Morel et al. 2021) found the evidence equivocal or modest, and their
            abstracts give neither the trials' durations nor each trial's route. Of the \(studies) controlled chronic-pain studies
            here, \(twelve) report 12 weeks of treatment or more\(maxWeeks.map { " (the longest, \(text: NumberFormatting.trimmed($0)) weeks\(longestRow?.verified == false ? ", in an entry marked unverified" : ""))" as HTML } ?? "").
            \((maxWeeks ?? 0) < 52 ? "None reports a year or more." : "" as HTML)
            \(skin) controlled chronic-pain studies put magnesium on the skin; by overall risk of bias, \(text: risks.isEmpty ? "none" : risks)
            (see the <a href="/evidence/gaps">gap map</a>). Whether magnesium crosses the skin is
            the question of the absorption entries (scope: absorption), and is discussed in the reviews under further reading.</p>
            </section>
            """
    }

    static func number(_ x: Double?) -> String { x.map(NumberFormatting.trimmed) ?? "not reported" }

    static func card(_ s: EvidenceStudy) -> HTML {
        let people: String
        switch (s.participantsMagnesium, s.participantsControl) {
        case let (m?, c?): people = s.design.isPaired ? "\(max(m, c)) people (each had both)" : "\(m) magnesium vs \(c) comparator"
        case let (m?, nil): people = s.design == .singleArm ? "\(m) people" : "\(m) on magnesium, comparator group size not reported"
        case let (nil, c?): people = "magnesium group size not reported, \(c) comparator"
        default: people = "group sizes not reported"
        }
        let numbers: HTML =
            s.meanMagnesium == nil && s.meanControl == nil
            ? ""
            : """
            <p>Magnesium \(text: number(s.meanMagnesium))\(s.sdMagnesium.map { " (SD \(text: NumberFormatting.trimmed($0)))" } ?? ""), \
            comparator \(text: number(s.meanControl))\(s.sdControl.map { " (SD \(text: NumberFormatting.trimmed($0)))" } ?? "")\
            \(s.timepoint.isEmpty ? "" : ", \(text: s.timepoint)") <a href="\(text: s.sourceURL)" rel="noopener">[source]</a></p>
            """
        let duration = s.durationLabel
        let rows: [HTML] = EvidenceStudy.Domain.allCases.map { d in
            let r = s.riskOfBias[d]
            return
                "<tr><th scope=\"row\">\(text: d.label)</th><td>\(Self.riskBadge(r?.judgement))</td><td>\(text: r?.reason ?? "not reported")</td></tr>"
        }
        let identifier = s.doiOrPMID ?? "no DOI, PMID or registry number reported"
        return """
            <article class="study" id="\(text: s.id)"><h3>\(text: s.citationLabel) · \(text: s.conditionGroup)\(s.verified ? "" : " <span class=\"badge\">unverified</span>" as HTML)</h3>
            <p><strong>\(text: s.design.label)</strong> · \(text: s.scope.label) · \(text: s.routeGroup.label)\(s.salt.isEmpty ? "" : " (\(text: s.salt))") · \(text: duration) · \(text: people)</p>
            <p><strong>Dose:</strong> \(text: s.dose.isEmpty ? "not reported" : s.dose). <strong>Comparator:</strong> \(text: s.comparator). <strong>Outcome:</strong> \(text: s.outcomeMeasure).</p>
            <p>\(text: s.resultSummary)</p>
            \(numbers)
            <table class="rob"><caption>Risk of bias: <strong>\(text: s.overallRisk.label.lowercased())</strong> overall (the worst domain)</caption>
            <tbody>\(rows)</tbody></table>
            <p class="source">Source: <a href="\(text: s.link)" rel="noopener">\(text: s.doiOrPMID ?? "page read")</a>\(s.doiOrPMID == nil ? " (\(text: identifier))" : "" as HTML); values read in: \(text: s.sourceLocation).</p>
            </article>
            """
    }

    static func riskBadge(_ j: EvidenceStudy.Judgement?) -> HTML {
        guard let j else { return "not reported" }
        let css = j == .low ? "rob-low" : j == .high ? "rob-high" : "rob-some"
        return "<span class=\"rob-mark \(text: css)\">\(text: j.label)</span>"
    }

    static func reference(_ r: EvidenceReference) -> HTML {
        let link: HTML =
            r.sourceURL.map { "<a href=\"\(text: $0)\" rel=\"noopener\">\(text: r.doiOrPMID ?? "link")</a>" }
            ?? "\(text: r.doiOrPMID ?? "no link recorded")"
        return
            "<li><strong>\(text: r.kind)</strong>: \(text: r.citation) \(link)\(r.verified ? "" : " <span class=\"badge\">unverified</span>" as HTML)<br><span class=\"source\">\(text: r.summary)</span></li>"
    }

    // MARK: PRISMA

    /// The PRISMA 2020 flow as accessible HTML boxes: each stage's count, and beside it what left the flow there.
    static func prismaFlow(_ p: PrismaFlow) -> HTML {
        func box(_ key: String, _ css: String = "") -> HTML {
            "<div class=\"prisma-box \(text: css)\"><strong>\(p.count(key))</strong> \(text: p.label(key))\(reasons(key))</div>"
        }
        func reasons(_ key: String) -> HTML {
            let list = p.reasons(key)
            guard !list.isEmpty else { return "" }
            let items: [HTML] = list.map { "<li>\(text: $0.label)\($0.count == 1 ? "" : " (\($0.count))" as HTML)</li>" }
            return "<ul>\(items)</ul>"
        }
        func stage(_ name: String, _ main: HTML, _ side: HTML) -> HTML {
            "<li class=\"prisma-stage\"><h3>\(text: name)</h3><div class=\"prisma-row\">\(main)\(side)</div></li>"
        }
        return """
            <section aria-labelledby="prisma"><h2 id="prisma">How the catalogue was found (PRISMA 2020 flow)</h2>
            <p>One reader searched a stored copy of public web pages (journal pages, PubMed records and mirrors, trial registries),
            not PubMed or Embase themselves, and logged every record (the screening log is published with Epsom's source code). Each stage's
            count comes from that log; what left the flow at a stage is beside it.</p>
            <ol class="prisma">
            \(stage("Identification", "\(box("identified_index"))\(box("identified_other", "prisma-other"))", box("duplicates", "prisma-out")))
            \(stage("Screening", box("screened"), "\(box("excluded_screening", "prisma-out"))\(box("reviews", "prisma-out"))"))
            \(stage("Eligibility", "\(box("assessed"))\(box("assessed_other", "prisma-other"))", "\(box("excluded_assessment", "prisma-out"))\(box("excluded_other", "prisma-out"))"))
            \(stage("Included", "\(box("included_reports"))\(box("included_studies"))", ""))
            </ol></section>
            """
    }

    // MARK: What users add

    /// Every consenting finished trial's contribution, pooled per comparison.
    static func compute(_ trials: TrialService) async throws -> [PooledEvidence.Comparison] {
        var contributions: [PooledEvidence.Contribution] = []
        let today = trials.clock.today()
        for (trial, owner) in try await trials.store.consentedTrials() where trial.isOver(today: today) {
            guard let loaded = try await trials.load(id: trial.id, ownerID: owner) else { continue }
            // The person is only a key for counting; it never leaves this function.
            contributions += PooledEvidence.contributions(
                loaded.trial, diary: loaded.diary, adherence: loaded.adherence,
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
                return
                    "<li>\(text: c.name): \(c.contributors) \(c.contributors == 1 ? "person" : "people") so far; shown from \(minimum).</li>"
            }
            return """
                <li><strong>\(text: c.name)</strong>, \(c.contributors) people: average effect \(text: NumberFormatting.fixed(r.muMean, 1)) points \
                (95% interval \(text: NumberFormatting.fixed(r.muCILower, 1)) to \(text: NumberFormatting.fixed(r.muCIUpper, 1))); spread between people \
                τ ≈ \(text: NumberFormatting.fixed(r.tauMean, 1)); chance a new person benefits: \(text: NOf1Report.chance(r.probabilityNewBenefit)).</li>
                """
        }
        return """
            <h2>What Epsom's users add</h2>
            <p>Finished personal trials whose owners consented, pooled per comparison with a normal-normal hierarchical
            model. A comparison is shown only once at least \(minimum) people contribute, and only as a summary.
            These are self-selected volunteers, not a random sample.</p>
            \(comparisons.isEmpty ? "<p>No consenting finished trials yet.</p>" : "<ul>\(rows)</ul>" as HTML)
            """
    }

    // MARK: Gap map

    static func bandClass(_ band: GapMap.DurationBand) -> String { "gap-" + band.rawValue }

    func gaps(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let map = GapMap(catalogue.studies, scope: .chronic)
        let header: [HTML] = map.routes.map {
            "<th scope=\"col\"\($0 == .transdermal ? " class=\"gap-skin\"" : "" as HTML)>\(text: $0.label)</th>"
        }
        let anchors = Dictionary(catalogue.studies.map { ($0.study, $0.id) }, uniquingKeysWith: { first, _ in first })
        let rows: [HTML] = map.conditions.map { condition in
            let cells: [HTML] = map.routes.map { route in
                let c = map.cell(condition, route)
                var lines: [HTML] = []
                if c.studies > 0 {
                    lines.append("\(c.studies) controlled (\(c.randomised) randomised)")
                    if c.participants > 0 {
                        lines.append(
                            "\(c.participants) people\(c.studiesWithoutSize > 0 ? " (+\(c.studiesWithoutSize) of unreported size)" : "" as HTML)"
                        )
                    } else {
                        lines.append("group sizes not reported")
                    }
                    lines.append(c.longestWeeks.map { "longest \(text: NumberFormatting.trimmed($0)) wk" } ?? "duration not reported")
                } else {
                    lines.append("no controlled study")
                }
                if !c.uncontrolled.isEmpty { lines.append("+\(c.uncontrolled.count) single-arm") }
                let href =
                    "/evidence?scope=chronic&condition=\(condition.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&route=\(route.rawValue)"
                var content: HTML = "<a href=\"\(text: href)\">\(lines.map { "\($0)<br>" as HTML })</a>"
                if route == .transdermal && !(c.controlled.isEmpty && c.uncontrolled.isEmpty) {
                    let items: [HTML] = (c.controlled + c.uncontrolled).map { e in
                        "<li><a href=\"/evidence#\(text: anchors[e.study] ?? e.study)\">\(text: e.label)</a>: \(text: e.design.label.lowercased()); risk of bias \(Self.riskBadge(e.overallRisk))</li>"
                    }
                    content = "\(content)<ul class=\"gap-trials\">\(items)</ul>"
                }
                return "<td class=\"\(text: Self.bandClass(c.band))\(route == .transdermal ? " gap-skin" : "")\">\(content)</td>"
            }
            return "<tr><th scope=\"row\">\(text: condition)</th>\(cells)</tr>"
        }
        let legend: [HTML] = GapMap.DurationBand.allCases.map { band in
            "<li><span class=\"legend \(text: Self.bandClass(band))\">\(text: Self.bandName(band))</span> \(text: band.label)</li>"
        }
        let body: HTML = """
            <h1>Evidence-gap map: chronic pain</h1>
            \(Self.nav)
            <p>Each cell counts the catalogue's <strong>controlled studies in chronic pain</strong> (scope chronic) for one condition
            and route: randomised parallel-group, randomised crossover and within-subject studies, controlled studies that were not
            randomised, and registered controlled trials without results. Single-arm studies (no control group) are not counted as
            trials; they are shown as "single-arm". People are summed over the studies that report their size (a crossover's people
            once). Muscle cramps, acute pain and absorption studies are not chronic-pain evidence and are listed below the map, not in it.</p>
            <p>A cell's colour is the longest treatment reported by any of its controlled studies, from the catalogue:</p>
            <ul class="gap-legend">\(legend)
            <li>Risk of bias in the transdermal column (the worst of four domains): \(Self.riskBadge(.low)) \(Self.riskBadge(.someConcerns)) \(Self.riskBadge(.high))</li></ul>
            <p class="scroll-hint" aria-hidden="true">Transdermal is the first route column; on a narrow screen, swipe the table sideways for the other routes →</p>
            <div class="scroll" role="region" aria-label="Gap map, scrolls sideways" tabindex="0"><table class="gapmap"><thead><tr><th scope="col">Condition</th>\(header)</tr></thead><tbody>\(rows)</tbody></table></div>
            \(otherScopes())
            """
        return .html(Layout.page("Gap map", identity: context.identity, csrf: context.identity?.session.csrfToken, body))
    }

    static func bandName(_ band: GapMap.DurationBand) -> String {
        switch band {
        case .empty: "Red"
        case .unknown: "Grey"
        case .underFour: "Yellow"
        case .fourToTwelve: "Light blue"
        case .twelveOrMore: "Dark blue"
        }
    }

    /// The studies outside the chronic-pain question, each scope apart and never counted on the map.
    func otherScopes() -> HTML {
        let sections: [HTML] = [EvidenceStudy.Scope.related, .acute, .absorption].compactMap { scope in
            let rows = catalogue.studies.filter { $0.scope == scope }
            guard !rows.isEmpty else { return nil }
            var seen: Set<String> = []
            let items: [HTML] = rows.compactMap { s in
                guard seen.insert(s.study).inserted else { return nil }
                let risk = rows.filter { $0.study == s.study }.map(\.overallRisk).max()!
                let weeks = s.durationLabel
                return """
                    <li><a href="/evidence#\(text: s.id)">\(text: s.citationLabel)</a>: \(text: s.conditionGroup); \(text: s.routeGroup.label.lowercased()); \
                    \(text: s.design.label.lowercased()); \(text: weeks); risk of bias \(Self.riskBadge(risk))</li>
                    """
            }
            return "<h3>\(text: scope.label) (\(items.count) \(items.count == 1 ? "study" : "studies"))</h3><ul>\(items)</ul>"
        }
        return """
            <section aria-labelledby="other-scopes"><h2 id="other-scopes">Not chronic-pain evidence</h2>
            <p>These studies are in the catalogue for context and are not counted on the map above: a related condition (muscle
            cramps), acute pain, and whether magnesium is absorbed (healthy volunteers).</p>
            \(sections)</section>
            """
    }
}
