/// A transformation document that cannot be compiled, located by file, line and field.
public struct TransformationCompileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (or other source name) the document came from, if known.
    public var source: String?
    public var line: Int?
    /// The field, e.g. `user.mappings[3].sourcePath`.
    public var field: String
    public var message: String

    public init(source: String? = nil, line: Int? = nil, field: String, message: String) {
        self.source = source
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var where_ = ""
        if let source { where_ += source }
        if let line { where_ += (where_.isEmpty ? "line " : ":") + String(line) }
        if !where_.isEmpty { where_ += ": " }
        return field.isEmpty ? where_ + message : where_ + field + ": " + message
    }
}

/// Why one entity could not be transformed. The rule is named the way the document counts it
/// (`user.mappings[3]`), so the line in the file is easy to find.
public struct EntityFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public let rule: String
    public let message: String

    public init(rule: String, message: String) {
        self.rule = rule
        self.message = message
    }

    public var description: String { "\(rule): \(message)" }
}
