import EpsomCore
import EpsomStorage

/// Computes a closed study's analysis once and stores it (`study_results`): the close handler
/// calls it right after closing, the demo study's seed after its close, and the report page only
/// when nothing is stored yet (a close whose computation failed, or a study closed before this
/// table existed). Pages then read the stored JSON and never recompute.
///
/// The cost is the study's size: the export's few queries, then each participant's exact model
/// four times (intention to treat, per protocol, with trend) plus once per secondary outcome, and
/// the pooling of each. That CPU work runs on `HeavyWork`'s thread, one participant after another,
/// so the other core keeps answering requests.
enum StudyResultsWork {
    /// The stored results of the investigator's closed study, computed and stored first if there
    /// are none yet; nil when the study is not theirs or not closed. A full heavy-work queue throws
    /// `HeavyWork.Busy`, unless `waitingWhileBusy` (the demo seed at start-up): then it asks again
    /// every half second, for up to two minutes.
    static func results(
        store: any Store, studyID: String, investigatorID: String, today: CalendarDate, waitingWhileBusy: Bool = false
    ) async throws -> StoredStudyResults? {
        if let stored = try await store.studyResults(studyID: studyID, investigatorID: investigatorID) { return stored }
        guard let export = try await store.studyExport(studyID: studyID, investigatorID: investigatorID),
            export.study.status == .closed
        else { return nil }
        let invitations = try await store.studyInvitationCounts(studyID: studyID, investigatorID: investigatorID)
        let screening = try await store.screeningCounts(studyID: studyID)
        let compute: @Sendable () throws -> StoredStudyResults = {
            let (results, svg) = StudyAnalysis.results(export, invitations: invitations, screening: screening, today: today)
            return StoredStudyResults(computedOn: today, json: try results.encoded(), forestSVG: svg)
        }
        let computed = try await onHeavyWork(compute, waitingWhileBusy: waitingWhileBusy)
        // Two computations may race (a close and a report): the first stored is the one kept.
        if try await store.saveStudyResults(studyID: studyID, investigatorID: investigatorID, computed) { return computed }
        return try await store.studyResults(studyID: studyID, investigatorID: investigatorID)
    }

    private static func onHeavyWork<T: Sendable>(
        _ body: @escaping @Sendable () throws -> T, waitingWhileBusy: Bool
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await HeavyWork.run(body)
            } catch is HeavyWork.Busy where waitingWhileBusy && attempt < 240 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }
}
