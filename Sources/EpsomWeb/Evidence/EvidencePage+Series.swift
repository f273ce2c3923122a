import EpsomCore
import Hummingbird

/// The published Epsom series on the evidence page: their section after the catalogue's entries,
/// and one series' card (also shown on its study's page when published).
extension EvidencePage {
    /// The published Epsom series, after the catalogue's entries and apart from them: they were
    /// found by no search and judged by no reader, so they are counted and filtered separately.
    static func seriesSection(_ shown: [StudyPublication], total: Int) -> HTML {
        guard total > 0 else { return "" }
        return """
            <section aria-labelledby="epsom-series"><h2 id="epsom-series">Epsom series of N-of-1 trials (not peer reviewed)</h2>
            <p>Studies run with Epsom: each participant followed the study's registered protocol (as amended when they enrolled) in
            their own randomised order, and the study pooled their answers. Each was published by its investigator after it closed. They are not peer reviewed, and the
            catalogue's readers have not judged their risk of bias; their registration, protocol hash and amendments are public.</p>
            \(shown.isEmpty ? "<p>None matches the filters.</p>" : "" as HTML)
            \(shown.map(seriesCard))
            </section>
            """
    }

    /// One published series, in the words of its stored analysis. Effects are arm − reference on a
    /// 0–10 score where lower is better, so a negative average is a benefit.
    static func seriesCard(_ p: StudyPublication) -> HTML {
        let f = { (x: Double) in NumberFormatting.fixed(x, 2) }
        let design = "Series of randomised N-of-1 trials" + (p.blinded ? ", blinded (coded jars)" : ", open")
        let predictive: HTML =
            if let lower = p.piLower, let upper = p.piUpper {
                "; a new patient's effect: 95% predictive interval \(text: f(lower)) to \(text: f(upper))"
            } else { "" }
        let direction =
            p.muCiUpper < 0
            ? "the 95% interval lies entirely on the side of benefit (less \(p.outcomeNoun))"
            : p.muCiLower > 0
                ? "the 95% interval lies entirely on the side of harm (more \(p.outcomeNoun))"
                : "the 95% interval includes no difference"
        return """
            <article class="study series" id="\(text: p.rowID)"><h3>\(text: p.citationLabel) · \(text: p.conditionGroup) \
            <span class="badge">not peer reviewed</span>\(p.synthetic ? " <span class=\"badge\">synthetic demo data</span>" : "" as HTML)</h3>
            <p><strong>\(text: design)</strong> · \(text: p.routeGroup.label)\(p.salt.isEmpty ? "" : " (\(text: p.salt))") · \
            \(text: NumberFormatting.trimmed((p.durationWeeks * 10).rounded() / 10)) weeks per participant (every arm and washout) · \(p.analysed) analysed of \(p.enrolled) enrolled</p>
            <p><strong>Dose:</strong> \(text: p.dose). <strong>Comparator:</strong> \(text: p.reference). <strong>Outcome:</strong>
            \(text: p.outcome.label), daily diary; lower is better. <strong>Condition</strong> (as registered): \(text: p.condition).</p>
            <p>Average effect of \(text: p.arm) against \(text: p.reference), μ = \(text: f(p.muMean)) points (95% interval
            \(text: f(p.muCiLower)) to \(text: f(p.muCiUpper)); posterior SD \(text: f(p.muSd))): \(text: direction).
            Spread between people τ ≈ \(text: f(p.tauMedian)) (posterior median)\(predictive). Smallest difference that matters:
            \(text: NumberFormatting.trimmed(p.mcid)) point\(p.mcid == 1 ? "" : "s"). Primary analysis: intention to treat, τ prior
            \(text: p.tauPrior).</p>
            <p class="source">Registered with Epsom on \(text: p.registeredOn.description) (protocol SHA-256
            <code>\(text: p.protocolSha256)</code>): <a href="/registry/\(text: p.registryCode)">registration and amendments</a>.
            Closed on \(text: p.closedOn.description); published by its investigator on \(text: p.publishedOn.description).
            Not peer reviewed.\(p.synthetic ? " The participants are synthetic: this is Epsom's demo study, not evidence." : "")</p>
            \(p.laterDataWithdrawals == 0 ? "" : """
                <p class="notice">\(p.laterDataWithdrawals) participant\(p.laterDataWithdrawals == 1 ? "" : "s") withdrew their data after \
                this analysis was made. It stands as made at the close, with their data in it; the study's exports no longer hold \
                it.</p>
                """ as HTML)
            </article>
            """
    }
}
