/// Bad input found while reading a file: where it is (line, column) and what rule it breaks.
/// The message never repeats health data beyond the offending cell's own text.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line in the file, when the error belongs to one line.
    public var line: Int?
    /// The column's header name, when the error belongs to one cell.
    public var column: String?
    public var message: String

    public init(line: Int? = nil, column: String? = nil, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        switch (line, column) {
        case let (line?, column?): "line \(line), column \(column): \(message)"
        case let (line?, nil): "line \(line): \(message)"
        case let (nil, column?): "column \(column): \(message)"
        case (nil, nil): message
        }
    }
}
