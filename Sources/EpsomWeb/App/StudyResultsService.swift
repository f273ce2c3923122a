import EpsomStorage
import Logging
import ServiceLifecycle

/// Runs beside the HTTP server and computes the analysis of any closed study that has none yet:
/// one whose close could not compute it (the heavy-work queue was full, or the process stopped in
/// between), or one closed before the analysis was stored. The close computes it at once, so this
/// finds nothing most of the time. It runs at start and every few minutes, a few studies at a
/// time, through the same heavy-work thread as the close. Several server processes may each run
/// it: the first stored analysis is the one kept.
struct StudyResultsService: Service {
    let store: any Store
    let clock: AppClock
    let logger: Logger
    var interval: Duration = .seconds(300)
    /// Studies computed per round; more wait for the next.
    var batch = 4

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await computeOnce()
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One round. A failure (a full heavy-work queue) is logged and retried next round.
    func computeOnce() async {
        do {
            for study in try await store.studiesAwaitingResults(limit: batch) {
                _ = try await StudyResultsWork.results(
                    store: store, studyID: study.studyID, investigatorID: study.investigatorID, today: clock.today())
            }
        } catch {
            logger.warning("a closed study's analysis was not computed; it will be retried", metadata: ["error": "\(type(of: error))"])
        }
    }
}
