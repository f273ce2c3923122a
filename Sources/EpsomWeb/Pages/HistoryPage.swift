import EpsomCore
import EpsomStorage
import HTTPTypes
import Hummingbird

/// History over any window: the pain chart with the regimen underneath, gaps in use, and what
/// the N-of-1 model says about days with and without the main product (observational).
struct HistoryPage {
    let store: any Store
    let clock: AppClock

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("history") { request, context in try await show(request, context) }
    }

    func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let identity = context.identity else { return .seeOther("/signin") }
        // A clinician keeps no diary of their own: without a patient, their start page lists them.
        if identity.account.role == .clinician, request.uri.queryParameters.get("patient") == nil { return .seeOther("/") }
        let subject = try await Access.subject(request, context, store: store)
        guard let person = try await store.account(id: subject) else { throw APIError.notFound }
        let today = clock.today()
        let to = request.uri.queryParameters.get("to").flatMap(CalendarDate.init(iso:)) ?? today
        var from = request.uri.queryParameters.get("from").flatMap(CalendarDate.init(iso:)) ?? to.adding(days: -89)
        if from > to || to.dayNumber - from.dayNumber > 3660 { from = to.adding(days: -89) }
        let entries = try await store.diaryEntries(accountID: subject, from: from, to: to)
        let doses = try await store.doses(accountID: subject, from: from, to: to).map(\.dose)
        let products = try await store.products(accountID: subject)
        let patientQuery =
            subject == identity.account.id ? "" : "<input type=\"hidden\" name=\"patient\" value=\"\(HTML.escape(subject))\">"
        let trials = try await store.trials(accountID: subject).filter { $0.design.startDate <= min($0.lastDay, today) }
        let trialDays = trials.map { $0.design.startDate...min($0.lastDay, today) }
        let bands = trials.map { HistoryChart.Band(from: $0.design.startDate, to: min($0.lastDay, today), label: $0.design.title) }
        let chart = HistoryChart(from: from, to: to, entries: entries, doses: doses, trials: bands).svg
        let body: HTML = """
            <h1>History\(subject == identity.account.id ? "" : " of \(text: person.name)")</h1>
            <form method="get" action="/history" class="row">\(raw: patientQuery)
              <div><label for="from">From</label><input type="date" id="from" name="from" value="\(text: from.description)"></div>
              <div><label for="to">To</label><input type="date" id="to" name="to" value="\(text: to.description)"></div>
              <button class="secondary">Show</button>
            </form>
            <div class="chartbox">\(raw: chart)</div>
            \(Self.calendar(entries, to: to))
            \(Self.gaps(doses: doses, products: products, trialDays: trialDays))
            \(Self.interruption(entries: entries, doses: doses, products: products, trialDays: trialDays, own: subject == identity.account.id))
            \(Self.table(entries, own: subject == identity.account.id))
            """
        return .html(Layout.page("History", identity: identity, csrf: identity.session.csrfToken, body))
    }

    /// The last five weeks as a calendar (Monday first): each day's pain, shaded by its value.
    static func calendar(_ entries: [DiaryEntry], to: CalendarDate) -> HTML {
        let pain = Dictionary(entries.map { ($0.date.dayNumber, $0.pain) }, uniquingKeysWith: { a, _ in a })
        // 1970-01-01 was a Thursday: weekday 0 = Monday.
        let weekday = (to.dayNumber + 3) % 7
        let lastSunday = to.dayNumber + (6 - weekday)
        let start = lastSunday - 34
        var rows: [HTML] = []
        for week in 0..<5 {
            let cells: [HTML] = (0..<7).map { i in
                let day = start + week * 7 + i
                let date = CalendarDate(dayNumber: day)
                guard day <= to.dayNumber else { return "<td></td>" }
                guard let p = pain[day] else { return "<td title=\"\(text: date.description)\"><small>\(date.day)</small><br>–</td>" }
                return
                    "<td class=\"pain\(min(10, max(0, p)))\" title=\"\(text: date.description): pain \(p)\"><small>\(date.day)</small><br><strong>\(p)</strong></td>"
            }
            rows.append("<tr>\(cells)</tr>")
        }
        return """
            <h2>Last five weeks</h2>
            <table class="calendar"><tr><th>Mo</th><th>Tu</th><th>We</th><th>Th</th><th>Fr</th><th>Sa</th><th>Su</th></tr>\(rows)</table>
            """
    }

    static func gaps(doses: [Dose], products: [Product], trialDays: [ClosedRange<CalendarDate>] = []) -> HTML {
        let names = products.filter(\.isRegular).map(\.name)
        let items: [HTML] = names.flatMap { name in
            MissedUse.gaps(usedOn: doses.filter { $0.product == name }.map(\.takenAt.date), trialDays: trialDays).map { gap in
                "<li>\(text: name): none from \(text: gap.from.description) to \(text: gap.to.description) (\(gap.days) days)</li>"
            }
        }
        guard !items.isEmpty else { return "" }
        let note: HTML =
            trialDays.isEmpty
            ? "" : "<p class=\"source\">Trial days are not counted as gaps: the trial's schedule decided what was used then.</p>"
        return "<h2>Gaps in use</h2><ul>\(items)</ul>\(note)"
    }

    /// Days with and without the first regular product, through the exact N-of-1 model. Trial
    /// days are left out: what was used on them is the trial's allocation (concealed while a
    /// blinded trial runs), and the trial's own report analyses them.
    static func interruption(
        entries all: [DiaryEntry], doses: [Dose], products: [Product],
        trialDays: [ClosedRange<CalendarDate>] = [], own: Bool = true
    ) -> HTML {
        let entries = all.filter { e in !trialDays.contains { $0.contains(e.date) } }
        let leftOut = all.count - entries.count
        let trialNote: HTML =
            leftOut == 0
            ? ""
            : """
            <p class="source">\(leftOut) trial day\(text: leftOut == 1 ? " is" : "s are") left out here: the trial's own report analyses them.</p>
            """
        guard let product = products.first(where: \.isRegular), entries.count >= 8 else { return "" }
        let used = Set(doses.filter { $0.product == product.name }.map(\.takenAt.date.dayNumber))
        let start = entries[0].date.dayNumber
        let arms = entries.map { used.contains($0.date.dayNumber) ? 1 : 0 }
        var periods: [Int] = []
        for (i, arm) in arms.enumerated() { periods.append(i == 0 ? 0 : periods[i - 1] + (arm != arms[i - 1] ? 1 : 0)) }
        let without = "no \(product.name)"
        let series = NOf1Series(
            days: entries.map { $0.date.dayNumber - start }, outcomes: entries.map { Double($0.pain) },
            arms: arms, armNames: [without, product.name], periods: periods)
        guard let result = try? NOf1Analysis.run(series), let c = result.contrasts.first else {
            return
                "<h2>With and without \(text: product.name)</h2><p>Not enough days with and without it in this window to compare.</p>\(trialNote)"
        }
        // The one wording module decides the words, as everywhere else.
        let verdict = Verdict(
            contrast: c, mcid: result.options.mcid, level: result.options.level, adequacy: result.adequacy,
            voice: own ? .person : .clinician)
        return """
            <h2>With and without \(text: product.name)</h2>
            <p><strong>\(text: verdict.headline)</strong> \(text: verdict.estimate ?? "")</p>
            \(verdict.reasons.isEmpty ? "" : "<ul>\(verdict.reasons.map { "<li>\(text: Verdict.capitalized($0)).</li>" as HTML })</ul>")
            \(trialNote)
            <p class="notice">\(text: NOf1Report.observationalNote)</p>
            """
    }

    static func table(_ entries: [DiaryEntry], own: Bool) -> HTML {
        guard !entries.isEmpty else { return "<p>No diary entries in this window.</p>" }
        let rows: [HTML] = entries.reversed().prefix(60).map { e in
            let link: HTML =
                own ? "<a href=\"/?date=\(text: e.date.description)\">\(text: e.date.description)</a>" : "\(text: e.date.description)"
            return
                "<tr><td class=\"nowrap\">\(link)</td><td>\(e.pain)</td><td>\(text: e.spasms.map(String.init) ?? "–")</td><td>\(text: e.sleep.map(String.init) ?? "–")</td><td>\(text: e.note)</td></tr>"
        }
        return
            "<h2>Entries</h2><div class=\"scroll\"><table><tr><th>Date</th><th>Pain</th><th>Spasms</th><th>Sleep</th><th>Note</th></tr>\(rows)</table></div>"
    }
}
