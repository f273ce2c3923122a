import HummingbirdBcrypt
import NIOPosix

/// bcrypt password hashing, run on the thread pool so that a slow hash never blocks an event loop.
struct Passwords: Sendable {
    let cost: UInt8
    static let minimumLength = 10
    static let maximumLength = 72  // bcrypt uses at most 72 bytes

    func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A real hash, made at start-up, to check against when the email is unknown: sign-in then
    /// takes as long for an unknown email as for a wrong password, and reveals nothing.
    func decoyHash() async throws -> String { try await hash(Tokens.random()) }
}
