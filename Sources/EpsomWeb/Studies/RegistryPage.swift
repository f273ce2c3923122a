import EpsomCore
import EpsomStorage
import Hummingbird

/// A registered study's public page: what was fixed before the first participant, its hash,
/// and every amendment with its reason. Anyone may read it, signed in or not. It holds no
/// personal data: no investigator's or participant's name, and no allocation.
struct RegistryPage {
    let store: any Store

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("registry/:code") { request, context in try await show(request, context) }
    }

    func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let code = context.parameters.get("code"), let study = try await store.study(enrolmentCode: code),
            let registered = study.registeredProtocol, let registeredOn = study.registeredOn
        else { throw APIError(.notFound, "No registered study has this code.") }
        let d = study.design
        let screening: [HTML] = d.screening.map { q in
            "<li>\(text: q.text) <span class=\"source\">(“\(text: q.excludingAnswer ? "yes" : "no")” excludes)</span></li>"
        }
        let amendments: [HTML] = study.amendments.map { a in
            """
            <li>Amendment \(a.number), \(text: a.date.description): \(text: a.reason) <span class="source">SHA-256 <code>\(text: a.protocolHash)</code></span></li>
            """
        }
        let body: HTML = """
            <h1>\(text: d.title)</h1>
            <p class="source">A series of N-of-1 trials registered with Epsom on \(text: registeredOn.description). Protocol SHA-256
            <code>\(text: registered.sha256)</code>. Not peer reviewed.</p>
            <h2>Question</h2><p>\(text: d.question)</p>
            <p>Condition: \(text: d.condition).</p>
            <h2>Design</h2>
            <p>Each participant follows the arms \(text: d.arms.map(\.name).joined(separator: ", ")) in \(d.cycles) cycles of
            \(d.periodDays)-day periods, in their own random order within every cycle, with \(d.washoutDays) washout days at the start
            of each period: \(d.trialDays) days.\(d.blinded ? " Blinded: coded jars, filled by an unblinded pharmacist." : "")</p>
            <p>Primary outcome: \(text: d.primaryOutcome.label), daily; the smallest difference that matters is
            \(text: NumberFormatting.trimmed(d.mcid)) point\(text: d.mcid == 1 ? "" : "s").\(d.secondaryOutcomes.isEmpty ? "" : " Secondary outcomes: \(text: d.secondaryOutcomes.map(\.label).joined(separator: "; "))." as HTML)</p>
            <p>Target: \(d.targetParticipants) participants, starting from \(text: d.enrolmentOpens.description) to
            \(text: d.enrolmentCloses.description).</p>
            <h2>Eligibility</h2><p>\(text: d.eligibility)</p>
            \(screening.isEmpty ? "" : "<ul>\(screening)</ul>" as HTML)
            <h2>Amendments</h2>
            \(amendments.isEmpty ? "<p>None.</p>" : "<ul>\(amendments)</ul>" as HTML)
            <h2>The registered protocol</h2>
            <p>The text whose SHA-256 is given above (<code>sha256sum</code> of it gives the same hash):</p>
            <pre>\(text: registered.json)</pre>
            """
        return .html(Layout.page(d.title, identity: context.identity, csrf: context.identity?.session.csrfToken, body))
    }
}
