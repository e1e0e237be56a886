/// A JSONPath or filter expression that cannot be compiled, with the 1-based column (in characters)
/// where the problem was found.
public struct JSONPathError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public let column: Int

    public init(message: String, column: Int) {
        self.message = message
        self.column = column
    }

    public var description: String { "column \(column): \(message)" }
}

/// A value that cannot be written at a path (for example a key into a string).
public struct JSONPathWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
