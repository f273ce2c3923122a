import EpsomCore

/// HTML text. Markup goes in as other `HTML` values; plain text goes in only as `\(text: s)`,
/// which escapes it; trusted markup of our own (SVG charts) as `\(raw: s)`.
///
/// There is deliberately no bare `\(someString)`: with one, a literal such as
/// `cond ? "" : "<ul>\(items)</ul>"` or a closure's `"<li>…</li>"` was typed `String`, escaped,
/// and shown to people as markup. Without it the compiler makes such a literal `HTML`, and a
/// `String` has to say what it is.
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
        /// Plain text (a name, a note, a formatted number): escaped.
        public mutating func appendInterpolation(text value: String) { text += HTML.escape(value) }
        @available(*, unavailable, message: "say what the String is: \\(text: s) for plain text, or build markup as HTML")
        public mutating func appendInterpolation(_ value: String) {}
        /// A date as YYYY-MM-DD.
        public mutating func appendInterpolation(_ date: CalendarDate) { text += date.description }
        public mutating func appendInterpolation(_ value: Int) { text += String(value) }
        public mutating func appendInterpolation(_ html: HTML) { text += html.text }
        public mutating func appendInterpolation(_ items: [HTML]) { for item in items { text += item.text } }
        /// Trusted markup produced by Epsom's own code (SVG charts).
        public mutating func appendInterpolation(raw: String) { text += raw }
    }

    static func escape(_ s: String) -> String { Markup.escape(s) }
}
