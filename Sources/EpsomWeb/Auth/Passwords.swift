import HummingbirdBcrypt
import NIOPosix

/// bcrypt password hashing on a thread pool of its own: a slow hash never blocks an event loop,
/// and a flood of sign-ins can never occupy the shared pool that SQLite's connection runs on
/// (it once pushed other people's diary reads to 3-5 s). Two threads: at most two hashes at once.
struct Passwords: Sendable {
    let cost: UInt8
    static let minimumLength = 10
    static let maximumLength = 72  // bcrypt uses at most 72 bytes

    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        return pool
    }()

    func hash(_ password: String) async throws -> String {
        try await Self.pool.runIfActive {
            BackgroundPriority.lowerCurrentThread()
            return Bcrypt.hash(password, cost: cost)
        }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await Self.pool.runIfActive {
            BackgroundPriority.lowerCurrentThread()
            return Bcrypt.verify(password, hash: hash)
        }
    }

    /// A real hash, made at start-up, to check against when the email is unknown: sign-in then
    /// takes as long for an unknown email as for a wrong password, and reveals nothing.
    func decoyHash() async throws -> String { try await hash(Tokens.random()) }
}
