import EpsomCore
import Foundation

/// Random session and CSRF tokens, and the hashes under which sessions are stored.
enum Tokens {
    /// 32 random bytes from the system's CSPRNG, hex-encoded (64 characters).
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// SHA-256 of the token, hex: the database never holds a usable token.
    static func hash(_ token: String) -> String {
        Digest.sha256Hex(token)
    }

    /// Constant-time comparison, so that response timing reveals nothing about a CSRF token.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
