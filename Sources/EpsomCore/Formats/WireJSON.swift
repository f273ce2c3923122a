import Foundation

/// The one JSON configuration of everything Epsom writes or reads as JSON (API bodies, CLI
/// reports, the frozen trial protocol): camelCase in Swift, snake_case on the wire, keys sorted so
/// that equal values give equal bytes (the protocol hash depends on it), slashes unescaped.
///
/// Property names must survive the round trip `camelCase → snake_case → camelCase`: write
/// acronyms as words (`protocolSha256`, `mcid`, not `protocolSHA256`), or decoding will not find
/// them. `WireJSONTests` checks every API type both ways.
///
/// Types with hand-written `CodingKeys` (the account archive, a documented file format) keep
/// their own keys: encoding leaves snake_case keys as they are, but decode those with a plain
/// `JSONDecoder`.
public enum WireJSON {
    /// Compact, sorted keys.
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting =
            pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    /// A value's wire form as text.
    public static func text<T: Encodable>(_ value: T, pretty: Bool = false) throws -> String {
        String(decoding: try encoder(pretty: pretty).encode(value), as: UTF8.self)
    }

    /// The wire name of a Swift property name, as `encoder()` writes it ("protocolSha256" →
    /// "protocol_sha256"). Foundation's rule: a word starts at each capital letter after a
    /// lowercase letter or digit, and at the last capital of a run followed by a lowercase
    /// letter.
    public static func wireName(_ name: String) -> String {
        let chars = Array(name)
        var out = ""
        for (i, c) in chars.enumerated() {
            if c.isUppercase, i > 0 {
                let previous = chars[i - 1]
                let nextIsLower = i + 1 < chars.count && chars[i + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) { out.append("_") }
            }
            out.append(contentsOf: c.lowercased())
        }
        return out
    }
}
