import EpsomCore
import EpsomStorage

/// What a participant learns back on the study's page: their own trial's report once it has ended,
/// and once the study has closed, the study's result and their own estimate after pooling
/// ("borrowing strength" from the others), in plain words, from the analysis stored at the close
/// and found by their participant code. A participant who withdrew their data is told they are in
/// no analysis.
extension JoinPage {
    func feedback(_ enrolment: Enrolment, study: Study, results: StudyResults?, accountID: String) async throws -> HTML {
        let trial = try await store.trial(id: enrolment.trialID, accountID: accountID)
        return Self.feedback(enrolment, study: study, trial: trial, results: results, today: clock.today())
    }

    static func feedback(_ enrolment: Enrolment, study: Study, trial: Trial?, results: StudyResults?, today: CalendarDate) -> HTML {
        let own: HTML
        if let trial, trial.isOver(today: today) {
            own = """
                <p>Your own trial is over: <a href="/trials/\(text: trial.id)/report">your own result</a>, from your diary alone, is in
                its report.</p>
                """
        } else {
            own = "<p>When your own trial ends, your own result, from your diary alone, is in its report (linked here).</p>"
        }
        let studyPart: HTML
        if study.status != .closed {
            studyPart = """
                <p>When the study closes, its result across all the participants shows here, with your own estimate after taking
                the others' into account.</p>
                """
        } else if let results {
            studyPart = closedStudy(enrolment, results)
        } else {
            studyPart = "<p>The study closed on \(text: study.closedOn?.description ?? ""); its result is being prepared.</p>"
        }
        return """
            <h2 id="results">Results</h2>
            \(own)\(studyPart)
            """
    }

    static func closedStudy(_ enrolment: Enrolment, _ r: StudyResults) -> HTML {
        let found: [HTML] = r.pooled.flatMap { pool in
            pool.sentences(mcid: r.mcid, tauPrior: r.tauPrior).map { "<p>\(text: $0)</p>" as HTML }
        }
        let yours: HTML
        if enrolment.keepsData == false, !r.dataWithdrawnSince([enrolment]).isEmpty {
            // Withdrawn after the analysis was made: it stands with their data in it, and their own
            // estimate is no longer shown to them (`StudyDataWithdrawal`).
            yours = """
                <p class="notice">You withdrew your data on \(text: enrolment.withdrawnOn?.description ?? ""), after this analysis was
                made on \(text: r.computedOn.description). The analysis is not redone: it stands as it was reported, with your data in
                it, marked as made before you withdrew it. Your data is in no export of the study's data made since, and your own
                estimate is no longer shown here.</p>
                """
        } else if enrolment.keepsData == false {
            yours = """
                <p class="notice">You withdrew your data from the study, so you are not in this analysis: the result above comes
                from the other participants only.</p>
                """
        } else if let me = r.participant(enrolment.participantCode) {
            if let reason = me.excludedReason {
                yours = """
                    <p class="notice">Your own data could not be pooled with the others': \(text: reason). The result above comes
                    from the other participants.</p>
                    """
            } else {
                let others = max(0, (r.pooled.map(\.k).max() ?? 1) - 1)
                let items: [HTML] = me.contrasts.map { c in
                    var text =
                        "Your own trial alone: with \(c.arm), your \(r.outcome.rawValue) was \(size(c.mean)) on average than with "
                        + "\(c.reference) (95% interval: \(Verdict.range(c.ciLower, c.ciUpper)))."
                    if let shrunken = c.shrunken {
                        text +=
                            " Borrowing strength from the other \(others) participant\(others == 1 ? "" : "s"), the best estimate of your own "
                            + "effect is \(size(shrunken)) with \(c.arm)."
                    }
                    return "<li>\(text: text)</li>"
                }
                yours = """
                    <ul>\(items)</ul>
                    <p>What the second number means: a few weeks of diary carry day-to-day ups and downs, so anyone's own result is
                    partly chance. The study's analysis moves each person's estimate toward the group's average, the more so the less
                    certain their own result is. If you are like the other participants, it is a better guess of how much the treatment
                    does for you than your own trial alone.</p>
                    """
            }
        } else {
            yours = "<p class=\"notice\">There are no days of yours in the analysis.</p>"
        }
        return """
            <h3>What the study found</h3>
            \(found)
            <h3>Your own estimate</h3>
            <p class="source">You are participant \(text: enrolment.participantCode).</p>
            \(yours)
            <p class="source">The study's analysis was made when it closed, on
            \(text: r.computedOn.description). It has not been peer reviewed.</p>
            """
    }

    /// "1.4 points lower", "0.3 points higher".
    static func size(_ x: Double) -> String { "\(NumberFormatting.fixed(abs(x), 1)) points \(x < 0 ? "lower" : "higher")" }
}
