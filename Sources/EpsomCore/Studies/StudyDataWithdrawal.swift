/// The rule for a participant who withdraws their data from a study, and the words that state it,
/// in one place: the participant's page (before they confirm), the API's description, the
/// investigator's report and the analysis JSON all read them from here, so they cannot disagree.
///
/// The rule (docs/methods.md §7.8):
/// - Before the study closes, withdrawn data is in no analysis and no export.
/// - After the study closes, a participant may still withdraw their data (a participant who left
///   keeping it may withdraw it later, too). It leaves every export made from then on (the CSV and
///   the FHIR bundle list them as withdrawn, with nothing else) and their own feedback. The
///   analysis computed at the close is not recomputed: it is the study's reported result, and a
///   reported result that moved whenever someone withdrew could be moved on purpose. It stands as
///   computed, and the report and the analysis JSON say how many participants withdrew their data
///   after it, so nobody mistakes it for an analysis of today's exports.
public enum StudyDataWithdrawal {
    /// What the participant reads before withdrawing their data while the study runs.
    public static let beforeClose =
        "If you withdraw your data now, the study uses none of it: it is left out of the analysis made when the study closes "
        + "and out of every export of the study's data."

    /// What the participant reads before withdrawing their data from a closed study.
    public static func afterClose(computedOn: CalendarDate?) -> String {
        let when = computedOn.map { "on \($0)" } ?? "when the study closed"
        return
            "The study has closed and its analysis was made \(when), with your data in it. If you withdraw your data now, it is "
            + "removed from every export of the study's data made from now on, and your own estimate is no longer shown to you. "
            + "The analysis already made is not redone: it stays as it was reported, marked as made before you withdrew your data."
    }

    /// The note on an analysis computed before `count` participants withdrew their data.
    public static func note(count: Int, computedOn: CalendarDate) -> String {
        "Computed on \(computedOn) before \(count) participant\(count == 1 ? "" : "s") withdrew their data. The analysis stands "
            + "as computed and reported at the close; their data has been removed from every export since, so the study's "
            + "exports no longer reproduce it (epsom series on today's CSV gives other numbers)."
    }
}

extension StudyResults {
    /// The participants (by code, in order) whose data this analysis holds but who have withdrawn
    /// it since: those who withdrew their data (`enrolments`, as stored now) and were not listed
    /// as having withdrawn it when the analysis was computed. Read from the analysis itself, so a
    /// withdrawal on the very day of the close is placed on the right side of it.
    public func dataWithdrawnSince(_ enrolments: [Enrolment]) -> [String] {
        let withdrawnBefore = Set(flow.withdrawals.filter { !$0.keepsData }.map(\.participant))
        return enrolments.filter { $0.withdrawnOn != nil && $0.keepsData == false && !withdrawnBefore.contains($0.participantCode) }
            .map(\.participantCode).sorted()
    }

    /// This analysis as it is shown today: the stored analysis, flagged when participants have
    /// withdrawn their data since it was computed (`laterDataWithdrawals`).
    public func standing(_ enrolments: [Enrolment]) -> StudyResults {
        let since = dataWithdrawnSince(enrolments)
        var shown = self
        if !since.isEmpty {
            let note = StudyDataWithdrawal.note(count: since.count, computedOn: computedOn)
            shown.laterDataWithdrawals = LaterDataWithdrawals(participants: since.count, note: note)
        }
        return shown
    }
}
