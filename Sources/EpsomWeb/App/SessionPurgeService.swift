import EpsomStorage
import Logging
import ServiceLifecycle

/// Runs beside the HTTP server and deletes expired and idle sessions every hour, so that a
/// stolen but abandoned token does not stay valid in the database. Several server processes may
/// each run it: the delete is idempotent.
struct SessionPurgeService: Service {
    let store: any Store
    let idleSeconds: Int
    let now: @Sendable () -> Int
    let logger: Logger
    var interval: Duration = .seconds(3600)

    func run() async throws {
        // Stops when the server shuts down: the sleep is cancelled and the loop ends.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await purgeOnce()
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One purge. Failures are logged (no health data is involved) and retried next time.
    func purgeOnce() async {
        let time = now()
        do {
            try await store.deleteExpiredSessions(now: time, idleSince: time - idleSeconds)
        } catch {
            logger.warning("session purge failed; it will be retried", metadata: ["error": "\(type(of: error))"])
        }
    }
}
