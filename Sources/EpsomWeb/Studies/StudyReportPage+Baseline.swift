import EpsomCore

/// The report's baseline table (CENT 2015 item 15): who the participants were at the start, as
/// far as Epsom knows, and plainly what it does not know.
extension StudyReportPage {
    static func baseline(_ study: Study, _ r: StudyResults) -> HTML {
        guard let b = r.baseline else {
            return """
                <p>Not available: this study's analysis was stored before Epsom computed a baseline table, and a stored analysis is
                never recomputed.</p>
                \(notCollected)
                """
        }
        let window = "\(b.windowDays) days"
        let rows: [HTML] = b.scores.map { s in
            let label = s.outcome.label + (s.outcome == r.outcome ? " (primary outcome)" : "")
            guard let mean = s.mean, let median = s.median, let q1 = s.lowerQuartile, let q3 = s.upperQuartile else {
                return """
                    <tr><td>\(text: label)</td><td>\(s.participants) of \(b.participants)</td>\
                    <td colspan="3">Not summarised: \(text: s.reason ?? "")</td></tr>
                    """
            }
            let sd = s.standardDeviation.map { NumberFormatting.fixed($0, 1) } ?? "–"
            return """
                <tr><td>\(text: label)</td><td>\(s.participants) of \(b.participants)</td>\
                <td>\(text: NumberFormatting.fixed(mean, 1)) (\(text: sd))</td>\
                <td>\(text: NumberFormatting.fixed(median, 1)) (\(text: NumberFormatting.fixed(q1, 1)) to \(text: NumberFormatting.fixed(q3, 1)))</td>\
                <td>\(text: s.medianDays.map { NumberFormatting.trimmed($0) } ?? "–")</td></tr>
                """
        }
        let answers: [HTML] = b.screening.map { "<li>\(text: $0.question) <strong>\($0.answer ? "Yes" : "No")</strong></li>" }
        let screening: HTML =
            answers.isEmpty
            ? "<p>The study asked no screening questions.</p>"
            : """
            <p>Every participant answered the study's screening questions so (self-reported at enrolment; enrolment takes no other
            answer, and the answers themselves are not stored)\(study.amendments.isEmpty ? "" : amended):</p><ul>\(answers)</ul>
            """
        let dates: HTML =
            if let first = b.firstStart, let last = b.lastStart {
                "<p>Their first days ran from \(text: first.description) to \(text: last.description).</p>"
            } else { "" }
        return """
            <p>The \(b.participants) participant\(b.participants == 1 ? "" : "s") whose data the study keeps, as they entered it.</p>
            \(screening)\(dates)
            <p>Scores from each participant's own diary in the \(text: window) before their first day, where they kept one: each
            participant's mean over those days, then the mean (SD) and median (interquartile range) over participants. No summary
            is shown for fewer than \(b.minimumParticipants) participants.\(Self.notAsked(b))</p>
            <div class="scroll"><table><thead><tr><th>Diary score before the first day</th><th>Participants with it</th>\
            <th>Mean (SD)</th><th>Median (IQR)</th><th>Days per participant (median)</th></tr></thead>\
            <tbody>\(rows)</tbody></table></div>
            \(notCollected)
            """
    }

    /// Participants not told before consenting that the days before their first day may be read
    /// (enrolled before the notice, or through an API client that did not show it): none of
    /// theirs is, so they are never among those with a score.
    static func notAsked(_ b: StudyResults.Baseline) -> HTML {
        guard let n = b.notAsked, n > 0 else { return "" }
        return """
             \(n) of the \(b.participants) were not told, before consenting, that these days may be read (they enrolled \
            before Epsom said so, or through an app that did not show it): none of their days is read, so they are not among \
            those with a score.
            """
    }

    /// The questions shown are the protocol's now; an amendment may have changed them.
    static let amended: HTML =
        ". The protocol was amended: a participant who enrolled before an amendment answered the questions then in force"

    /// What a baseline table usually holds and Epsom does not, said rather than left out silently.
    static let notCollected: HTML = """
        <p class="source">Not collected: Epsom asks no one's age, sex, ethnicity, weight, how long they have had the condition
        or what else they take for it, so none of these can be reported. The safety profile on a participant's account
        (kidney disease, interacting medicines) is not read by the study: it is the account's as it is now, not as it was at
        enrolment. A participant who withdrew their data is not described.</p>
        """
}
