import EpsomCore
import EpsomStorage
import HTTPTypes
import Hummingbird

/// The meta-analysis workbench: a pool of comparable catalogue studies (`WorkbenchInput.plan`:
/// one condition group, one outcome measure, parallel groups with arm-level data), or a pasted
/// CSV in `epsom meta`'s columns, through the same engine; the result said in words; forest and funnel plots, subgroups by route,
/// leave-one-out; downloads as CSV, JSON and SVG. Published Epsom series join the pools of their
/// condition group and outcome measure (as μ and its posterior SD). Nothing is stored. Forms carry a CSRF token
/// (the session's when signed in, else a double-submit cookie) like every other form.
struct WorkbenchPage {
    let catalogue: EvidenceCatalogue
    let store: any Store
    let secureCookies: Bool
    let limiter: WorkbenchLimiter

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("evidence/workbench") { request, context in try await show(request, context) }
        router.post("evidence/workbench") { request, context in try await analyse(request, context) }
    }

    func show(
        _ request: Request, _ context: AppRequestContext, form: FormData? = nil, result: HTML = "", error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        // Keep the visitor's double-submit token across re-renders, so a second post still matches.
        let existing = request.cookies[Cookies.preSessionCSRF]?.value
        let token = context.identity?.session.csrfToken ?? existing.flatMap { $0.isEmpty ? nil : $0 } ?? Tokens.random()
        let plan = WorkbenchInput.plan(catalogue.studies, series: try await store.studyPublications())
        let chosenPool = form?["pool"] ?? plan.pools.first?.id ?? ""
        let pools: [HTML] = plan.pools.map { pool in
            let rows: [HTML] = pool.rows.map {
                "<li>\(text: $0.citationLabel) (\(text: $0.id))\($0.verified ? "" : " <span class=\"badge\">unverified</span>" as HTML)</li>"
            }
            let series: [HTML] = pool.series.map {
                """
                <li>\(text: $0.citationLabel) <span class="badge">Epsom series, not peer reviewed</span>\
                \($0.synthetic ? " <span class=\"badge\">synthetic demo data</span>" : "" as HTML)</li>
                """
            }
            return """
                <label class="plain"><input type="radio" name="pool" value="\(text: pool.id)"\(pool.id == chosenPool ? " checked" : "" as HTML)> \
                \(text: pool.label) (\(pool.count) studies)</label><ul>\(rows)\(series)</ul>
                """
        }
        let leftOut: [HTML] =
            plan.leftOut.map {
                "<li>\(text: $0.row.citationLabel) (\(text: $0.row.id), \(text: $0.row.conditionGroup)): \(text: $0.reason)</li>"
            }
            + plan.leftOutSeries.map {
                "<li>\(text: $0.publication.citationLabel) (Epsom series, \(text: $0.publication.conditionGroup)): \(text: $0.reason)</li>"
            }
        let catalogueChoice: HTML =
            plan.pools.isEmpty
            ? """
            <p class="notice">No pool has two studies yet: no two parallel-group studies in one condition group report the same
            outcome measure with both arms' means, SDs and sizes. The catalogue therefore pools nothing today; paste a table to use
            the engine.</p>
            """ : "<fieldset class=\"bare\"><legend><strong>Catalogue pools</strong></legend>\(pools)</fieldset>"
        let measure = form?["measure"] ?? "SMD", method = form?["method"] ?? "REML", test = form?["test"] ?? "z"
        func options(_ values: [String], _ selected: String) -> [HTML] {
            values.map { "<option\(raw: $0 == selected ? " selected" : "")>\(text: $0)</option>" }
        }
        let body: HTML = """
            <h1>Meta-analysis workbench</h1>
            \(EvidencePage.nav)
            <p>The same engine as <code>epsom meta</code> (it matches R's metafor). From the catalogue it pools only rows that share a
            condition group and the same outcome measure (construct and scale), from parallel-group controlled studies with both arms'
            means, SDs and sizes, one row per study. Crossover and within-subject studies would need each person's difference between
            periods (paired data), which the catalogue does not hold, so they are left out rather than treated as two independent
            groups. In a pooled result group 1 is magnesium and group 2 the comparator; the result says in words which way benefit lies.
            A published Epsom series of N-of-1 trials (not peer reviewed) brings its average effect μ and posterior SD: a pool that
            holds one is analysed as mean differences (magnesium minus comparator, in the outcome's points) with their variances,
            each catalogue row's from its arms as metafor's <code>escalc(measure = "MD")</code> computes them.</p>
            \(error.map { "<p class=\"notice warning\" role=\"alert\">\(text: $0)</p>" as HTML } ?? "")
            \(result)
            <form method="post" action="/evidence/workbench#result"><input type="hidden" name="csrf" value="\(text: token)">
            \(catalogueChoice)
            <label for="csv">Or paste a CSV (columns as <code>epsom meta</code>: study, then m1i,sd1i,n1i,m2i,sd2i,n2i; or ai,bi,ci,di; or yi,vi; optional route column for subgroups)</label>
            <textarea id="csv" name="csv" rows="6">\(text: form?["csv"] ?? "")</textarea>
            <label for="measure">Measure</label><select id="measure" name="measure">\(options(EffectMeasure.allCases.map(\.rawValue), measure))</select>
            <label for="method">τ² estimator</label><select id="method" name="method">\(options(TauSquaredEstimator.allCases.map(\.rawValue), method))</select>
            <label for="test">Test</label><select id="test" name="test">\(options(CoefficientTest.allCases.map(\.rawValue), test))</select>
            <button name="format" value="html">Analyse</button>
            <div class="noprint">Download: <button class="secondary" name="format" value="json">JSON</button>
            <button class="secondary" name="format" value="csv">CSV</button> <button class="secondary" name="format" value="forest">Forest SVG</button>
            <button class="secondary" name="format" value="funnel">Funnel SVG</button></div>
            </form>
            <details><summary>Left out of every pool (\(plan.leftOut.count) of \(catalogue.studies.count) catalogue rows\
            \(plan.leftOutSeries.isEmpty ? "" : ", \(plan.leftOutSeries.count) Epsom series" as HTML)) and why</summary>
            <ul>\(leftOut)</ul></details>
            """
        var response = Response.html(
            Layout.page("Workbench", identity: context.identity, csrf: context.identity?.session.csrfToken, body),
            status: status)
        if context.identity == nil && existing != token { response.setCookie(Cookies.csrf(token, secure: secureCookies)) }
        return response
    }

    /// Above this many studies the page leaves leave-one-out out: it refits the model once per
    /// study, k fits of k - 1 studies, so its cost grows with k² (16,000 studies took 20 s) while
    /// everything else the page computes grows with k. `epsom meta --leave-one-out` still runs it
    /// at any size, for whoever asks for it on their own machine.
    static let leaveOneOutLimit = 500

    /// What the heavy part of an analysis produces, on the heavy-work thread.
    enum Outcome: Sendable {
        case failure(String)
        case download(String, type: String, name: String)
        case page(HTML)
    }

    func analyse(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let limits = WorkbenchLimits.of(context.identity)
        let signedIn = context.identity != nil
        let form: FormData
        do {
            form = try await FormData(request: request, maximumBytes: limits.formBytes)
        } catch let error as APIError where error.status == .contentTooLarge {
            // The form was not read, so there is nothing to re-fill: the empty form, with the limit.
            return try await show(
                request, context, error: limits.tooLarge(bytes: limits.formBytes / 3, signedIn: signedIn),
                status: .contentTooLarge)
        }
        if let identity = context.identity { try PageCSRF.check(form, identity) } else { try PageCSRF.checkPreSession(request, form) }
        func fail(_ message: String, status: HTTPResponse.Status = .unprocessableContent) async throws -> Response {
            try await show(request, context, form: form, error: message, status: status)
        }
        do {
            try await limiter.admit(context.identity, address: context.clientAddress)
        } catch let limit as TooManyAttempts {
            var response = try await fail(limit.message, status: .tooManyRequests)
            response.headers[.retryAfter] = String(limit.retryAfter)
            return response
        }
        guard let measure = EffectMeasure(rawValue: form["measure"] ?? "") else { return try await fail("measure: choose one of the list") }
        guard let method = TauSquaredEstimator(rawValue: form["method"] ?? "") else {
            return try await fail("method: choose one of the list")
        }
        guard let test = CoefficientTest(rawValue: form["test"] ?? "") else { return try await fail("test: choose one of the list") }
        let pasted = (form["csv"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let text: String
        var pool: WorkbenchInput.Pool?
        if pasted.isEmpty {
            // Only a whole pool enters: never rows chosen across condition groups, outcomes or paired designs.
            let plan = WorkbenchInput.plan(catalogue.studies, series: try await store.studyPublications())
            guard let chosen = plan.pools.first(where: { $0.id == form["pool"] }) else {
                return try await fail("pool: choose a pool of at least two comparable catalogue studies, or paste a table")
            }
            pool = chosen
            text = WorkbenchInput.csv(chosen)
        } else {
            guard pasted.utf8.count <= limits.bytes else {
                return try await fail(limits.tooLarge(bytes: pasted.utf8.count, signedIn: signedIn), status: .contentTooLarge)
            }
            text = pasted
        }
        let chosenPool = pool, format = form["format"] ?? "html"
        let outcome = try await HeavyWork.run {
            Self.compute(
                text: text, measure: measure, options: MetaAnalysisOptions(method: method, test: test), pool: chosenPool,
                format: format, limits: limits, signedIn: signedIn)
        }
        switch outcome {
        case .failure(let message): return try await fail(message)
        case .download(let body, let type, let name): return Self.download(body, type: type, name: name)
        case .page(let result): return try await show(request, context, form: form, result: result)
        }
    }

    /// Parses, checks the size, analyses and renders: everything whose cost grows with the table,
    /// and all of it linear in the number of studies.
    static func compute(
        text: String, measure: EffectMeasure, options: MetaAnalysisOptions, pool: WorkbenchInput.Pool?,
        format: String, limits: WorkbenchLimits, signedIn: Bool
    ) -> Outcome {
        let report: MetaAnalysisReport
        var notes: [String] = []
        // A pool with an Epsom series is a table of mean differences and their variances
        // (`WorkbenchInput.effectSizesCSV`): fitted as given, and read as mean differences.
        let effectSizes = pool?.usesEffectSizes == true
        let meaning: EffectMeasure = effectSizes ? .meanDifference : measure
        if effectSizes && measure != .meanDifference {
            notes.append(
                "This pool holds an Epsom series, which brings its average effect and SD rather than each arm's data: it is "
                    + "analysed as mean differences (magnesium minus comparator, in the outcome's points), not as \(measure.rawValue).")
        }
        do {
            let table = try CSVTable(parsing: text)
            guard table.rowCount <= limits.rows else { return .failure(limits.tooLarge(rows: table.rowCount, signedIn: signedIn)) }
            let byRoute = table.column("route") != nil
            let input = try MetaAnalysisInput(table: table, measure: effectSizes ? .generic : measure, groupColumn: byRoute ? "route" : nil)
            let leaveOneOut = input.studies.count <= leaveOneOutLimit
            // Leave-one-out needs three studies and subgroups two groups; without them the main model still runs.
            if let full = try? MetaAnalysisReport(input: input, options: options, extras: leaveOneOut ? [.leaveOneOut] : []) {
                report = full
                if !leaveOneOut {
                    notes.append(
                        "Leave-one-out is shown for up to \(WorkbenchLimits.grouped(leaveOneOutLimit)) studies: it refits the "
                            + "model once per study, so its cost grows with the square of their number. epsom meta --leave-one-out runs it at any size."
                    )
                }
            } else {
                var plain = input
                plain.groups = nil
                plain.groupColumn = nil
                report = try MetaAnalysisReport(input: plain, options: options)
                notes.append("Leave-one-out and subgroups need more studies (or more than one route); only the main model is shown.")
            }
        } catch {
            return .failure("The table: \(error)")
        }
        switch format {
        case "json":
            do { return .download(try report.jsonText(), type: "application/json", name: "epsom-meta.json") } catch {
                return .failure("The result could not be written as JSON: \(error)")
            }
        case "csv": return .download(csv(report), type: "text/csv; charset=utf-8", name: "epsom-meta.csv")
        case "forest": return .download(ForestPlot(report: report).svg, type: "image/svg+xml", name: "epsom-forest.svg")
        case "funnel": return .download(FunnelPlot(report: report).svg, type: "image/svg+xml", name: "epsom-funnel.svg")
        default:
            let json = report.json
            let meaning = WorkbenchInput.describe(
                estimate: json.estimate, lower: json.ciLower, upper: json.ciUpper,
                measure: meaning, lowerIsBetter: pool?.lowerIsBetter, catalogue: pool != nil)
            return .page(
                """
                <section id="result"><h2>Result</h2>
                \(pool.map { "<p>Pool: \(text: $0.label), \($0.count) studies.</p>" as HTML } ?? "")
                <p class="notice">\(text: meaning)</p>
                \(notes.map { "<p class=\"notice\">\(text: $0)</p>" as HTML })
                <div class="chartbox">\(raw: ForestPlot(report: report).svg)</div>
                <div class="chartbox">\(raw: FunnelPlot(report: report).svg)</div>
                <pre class="report-text">\(text: report.text)</pre></section>
                """)
        }
    }

    /// One row per study: its effect, variance and weight (the table behind the forest plot).
    static func csv(_ report: MetaAnalysisReport) -> String {
        var out = CSVWriter.line(["study", "yi", "vi", "weight_percent"])
        for s in report.json.studies {
            out += CSVWriter.line([
                CSVWriter.text(s.study), NumberFormatting.trimmed(s.yi), NumberFormatting.trimmed(s.vi),
                NumberFormatting.trimmed(s.weight),
            ])
        }
        return out
    }

    static func download(_ text: String, type: String, name: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
