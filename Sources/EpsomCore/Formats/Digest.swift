import Crypto
import Foundation

/// SHA-256 as lower-case hex: the fingerprint of a frozen protocol, and the form in which
/// session and feed tokens are stored.
public enum Digest {
    public static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
