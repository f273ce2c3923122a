import EpsomCore
import HTTPTypes
import Hummingbird

/// The meta-analysis workbench: catalogue studies with arm-level data, or a pasted CSV in
/// `epsom meta`'s columns, through the same engine; forest and funnel plots, subgroups by route,
/// leave-one-out; downloads as CSV, JSON and SVG. Nothing is stored. Forms carry a CSRF token
/// (the session's when signed in, else a double-submit cookie) like every other form.
struct WorkbenchPage {
    let catalogue: EvidenceCatalogue
    let secureCookies: Bool

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("evidence/workbench") { request, context in try await show(request, context) }
        router.post("evidence/workbench") { request, context in try await analyse(request, context) }
    }

    func show(_ request: Request, _ context: AppRequestContext, form: FormData? = nil, result: HTML = "", error: String? = nil,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        // Keep the visitor's double-submit token across re-renders, so a second post still matches.
        let existing = request.cookies[Cookies.preSessionCSRF]?.value
        let token = context.identity?.session.csrfToken ?? existing.flatMap { $0.isEmpty ? nil : $0 } ?? Tokens.random()
        let eligible = catalogue.studies.filter(\.hasArmLevelData)
        let chosen = Set(form?.all("study") ?? eligible.map(\.id))
        let boxes: [HTML] = eligible.map { s in
            """
            <label style="font-weight:400"><input type="checkbox" name="study" value="\(text: s.id)"\(raw: chosen.contains(s.id) ? " checked" : "")> \
            \(text: s.firstAuthor) \(text: s.year.map(String.init) ?? "") · \(text: s.conditionGroup) · \(text: s.outcomeMeasure)\(s.verified ? "" : " (unverified)")</label>
            """
        }
        let measure = form?["measure"] ?? "SMD", method = form?["method"] ?? "REML", test = form?["test"] ?? "z"
        func options(_ values: [String], _ selected: String) -> [HTML] {
            values.map { "<option\(raw: $0 == selected ? " selected" : "")>\(text: $0)</option>" }
        }
        let body: HTML = """
            <h1>Meta-analysis workbench</h1>
            \(EvidencePage.nav)
            <p>The same engine as <code>epsom meta</code> (it matches R's metafor). Only \(eligible.count) catalogue entries report both
            arms' means, SDs and sizes, and they measure different outcomes: pooling them is for exploring, and the standardized
            mean difference (SMD) is the measure that allows it. Or paste your own table.</p>
            \(error.map { "<p class=\"notice warning\" role=\"alert\">\(text: $0)</p>" as HTML } ?? "")
            \(result)
            <form method="post" action="/evidence/workbench#result"><input type="hidden" name="csrf" value="\(text: token)">
            <fieldset style="border:0;padding:0;margin:0"><legend><strong>Catalogue studies with arm-level data</strong></legend>\(boxes)</fieldset>
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
            """
        var response = Response.html(Layout.page("Workbench", identity: context.identity, csrf: context.identity?.session.csrfToken, body),
                                     status: status)
        if context.identity == nil && existing != token { response.setCookie(Cookies.csrf(token, secure: secureCookies)) }
        return response
    }

    func analyse(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await FormData(request: request)
        if let identity = context.identity { try PageCSRF.check(form, identity) } else { try PageCSRF.checkPreSession(request, form) }
        func fail(_ message: String) async throws -> Response {
            try await show(request, context, form: form, error: message, status: .unprocessableContent)
        }
        guard let measure = EffectMeasure(rawValue: form["measure"] ?? "") else { return try await fail("measure: choose one of the list") }
        guard let method = TauSquaredEstimator(rawValue: form["method"] ?? "") else { return try await fail("method: choose one of the list") }
        guard let test = CoefficientTest(rawValue: form["test"] ?? "") else { return try await fail("test: choose one of the list") }
        let pasted = (form["csv"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let text: String
        if pasted.isEmpty {
            let ids = Set(form.all("study"))
            let chosen = catalogue.studies.filter { ids.contains($0.id) && $0.hasArmLevelData }
            guard chosen.count >= 2 else { return try await fail("study: choose at least two studies, or paste a table") }
            text = WorkbenchInput.csv(chosen)
        } else {
            text = pasted
        }
        let report: MetaAnalysisReport
        var notes: [String] = []
        do {
            let table = try CSVTable(parsing: text)
            let byRoute = table.column("route") != nil
            let input = try MetaAnalysisInput(table: table, measure: measure, groupColumn: byRoute ? "route" : nil)
            let options = MetaAnalysisOptions(method: method, test: test)
            // Leave-one-out needs three studies and subgroups two groups; without them the main model still runs.
            if let full = try? MetaAnalysisReport(input: input, options: options, extras: [.leaveOneOut]) {
                report = full
            } else {
                var plain = input
                plain.groups = nil
                plain.groupColumn = nil
                report = try MetaAnalysisReport(input: plain, options: options)
                notes.append("Leave-one-out and subgroups need more studies (or more than one route); only the main model is shown.")
            }
        } catch {
            return try await fail("The table: \(error)")
        }
        switch form["format"] ?? "html" {
        case "json": return Self.download(try report.jsonText(), type: "application/json", name: "epsom-meta.json")
        case "csv": return Self.download(Self.csv(report), type: "text/csv; charset=utf-8", name: "epsom-meta.csv")
        case "forest": return Self.download(ForestPlot(report: report).svg, type: "image/svg+xml", name: "epsom-forest.svg")
        case "funnel": return Self.download(FunnelPlot(report: report).svg, type: "image/svg+xml", name: "epsom-funnel.svg")
        default:
            let result: HTML = """
                <section id="result"><h2>Result</h2>
                \(notes.map { "<p class=\"notice\">\(text: $0)</p>" as HTML })
                <div class="chartbox">\(raw: ForestPlot(report: report).svg)</div>
                <div class="chartbox">\(raw: FunnelPlot(report: report).svg)</div>
                <pre style="white-space:pre;overflow-x:auto;font-size:.8rem">\(text: report.text)</pre></section>
                """
            return try await show(request, context, form: form, result: result)
        }
    }

    /// One row per study: its effect, variance and weight (the table behind the forest plot).
    static func csv(_ report: MetaAnalysisReport) -> String {
        var out = CSVWriter.line(["study", "yi", "vi", "weight_percent"])
        for s in report.json.studies {
            out += CSVWriter.line([CSVWriter.text(s.study), NumberFormatting.trimmed(s.yi), NumberFormatting.trimmed(s.vi),
                                   NumberFormatting.trimmed(s.weight)])
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
