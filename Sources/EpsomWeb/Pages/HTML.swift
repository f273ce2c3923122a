import EpsomCore

/// HTML text in which every interpolated `String` is escaped. Only other `HTML` values (and
/// explicit `raw:` interpolations of trusted markup such as our own SVG) go in unescaped, so user
/// text can never become markup.
public struct HTML: ExpressibleByStringInterpolation, Sendable, CustomStringConvertible {
    public private(set) var text: String

    public init(stringLiteral value: String) { text = value }
    public init(stringInterpolation: Interpolation) { text = stringInterpolation.text }
    init(raw: String) { text = raw }

    public var description: String { text }

    public struct Interpolation: StringInterpolationProtocol {
        var text = ""
        public init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity * 2) }
        public mutating func appendLiteral(_ literal: String) { text += literal }
        public mutating func appendInterpolation(_ value: String) { text += HTML.escape(value) }
        public mutating func appendInterpolation(_ value: Int) { text += String(value) }
        public mutating func appendInterpolation(_ html: HTML) { text += html.text }
        public mutating func appendInterpolation(_ items: [HTML]) { for item in items { text += item.text } }
        /// Trusted markup produced by Epsom's own code (SVG charts).
        public mutating func appendInterpolation(raw: String) { text += raw }
    }

    static func escape(_ s: String) -> String { Markup.escape(s) }
}
