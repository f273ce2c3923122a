import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// CPU-heavy request work (the workbench's meta-analysis, parsing a large CSV import) on one
/// thread of its own, with a bounded queue.
///
/// Why not in the handler, or in `Task.detached`: Hummingbird's handlers run on Swift's global
/// cooperative pool, which has one thread per core (two here). A 64,000-row analysis there holds
/// one of the two threads that every other request's handler needs; two such requests stop the
/// server. `Task.detached` runs on that same pool, so it moves nothing. A dedicated `NIOThreadPool`
/// (as `Passwords` does for bcrypt) takes the work off both the event loops and the cooperative
/// pool: with one thread, heavy work uses at most one of the two cores, and requests that only
/// read the diary keep the other. The queue is bounded: past `maximumQueued` waiting jobs the
/// caller gets 503 with Retry-After at once, instead of a wait that grows without limit.
enum HeavyWork {
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        return pool
    }()

    /// Jobs running or waiting, at most this many; the rest are refused.
    static let maximumQueued = 8
    private static let queued = NIOLockedValueBox(0)

    /// Runs `body` on the heavy-work thread, or throws 503 when the queue is full.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let admitted = queued.withLockedValue { count in
            guard count < maximumQueued else { return false }
            count += 1
            return true
        }
        guard admitted else { throw Busy() }
        defer { queued.withLockedValue { $0 -= 1 } }
        return try await pool.runIfActive {
            BackgroundPriority.lowerCurrentThread()
            return try body()
        }
    }

    /// 503 with Retry-After: the heavy-work queue is full.
    struct Busy: HTTPResponseError {
        static let message = "The server is busy with other large analyses or imports; try again in a few seconds."
        static let retryAfter = "5"
        var status: HTTPResponse.Status { .serviceUnavailable }
        func response(from request: Request, context: some RequestContext) throws -> Response {
            var response = try APIError(status, Self.message).response(from: request, context: context)
            response.headers[.retryAfter] = Self.retryAfter
            return response
        }
    }
}

/// Lower CPU priority for the threads that do long CPU work (heavy work, bcrypt). On two cores,
/// two bcrypt threads and an import's parsing thread can take every core; at nice 10 the kernel
/// still gives them all the CPU nobody else wants, but a request that only reads a diary entry
/// gets a core at once instead of waiting for a time slice behind them.
enum BackgroundPriority {
    static func lowerCurrentThread() {
        #if os(Linux)
            // On Linux, nice is per thread, and PRIO_PROCESS with 0 means the calling thread.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }
}
