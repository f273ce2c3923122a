/// Validation failures keyed by field name (snake_case, as in forms and the API). Web forms show
/// each message beside its field; the API answers 422 with them; the CLI prints them.
public struct FieldErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public private(set) var messages: [String: String] = [:]

    public init(_ messages: [String: String] = [:]) { self.messages = messages }

    public var isEmpty: Bool { messages.isEmpty }

    public mutating func add(_ field: String, _ message: String) {
        if messages[field] == nil { messages[field] = message }
    }

    public subscript(field: String) -> String? { messages[field] }

    public var description: String {
        messages.keys.sorted().map { "\($0): \(messages[$0]!)" }.joined(separator: "; ")
    }

    /// Throws self when any field failed.
    public func check() throws(FieldErrors) { if !isEmpty { throw self } }
}
