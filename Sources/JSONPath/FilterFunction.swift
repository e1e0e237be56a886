import JSON

/// What a filter expression sees while it is evaluated.
public struct FilterScope: Sendable {
    /// The document (`$`): the entity, for IPS conditions.
    public var root: JSONValue
    /// The current element (`@`).
    public var current: JSONValue
    /// Values for `${name}` references.
    public var variables: VariableBindings

    public init(root: JSONValue, current: JSONValue? = nil, variables: VariableBindings = .empty) {
        self.root = root
        self.current = current ?? root
        self.variables = variables
    }
}

/// An argument written in a function call inside a filter.
public enum FilterArgument: Sendable {
    case path(JSONPath)
    case literal(JSONValue)
    /// A bare word, such as the property key in `isAttributeWithOptionalPrefix($.displayName, xsuaa.group.prefix)`.
    case word(String)
}

/// A compiled call to an extension function.
public struct FilterCall: Sendable {
    public let name: String
    let evaluate: @Sendable (FilterScope) -> Bool

    public init(name: String, evaluate: @escaping @Sendable (FilterScope) -> Bool) {
        self.name = name
        self.evaluate = evaluate
    }
}

/// Extension functions a filter may call, looked up by name while the expression is compiled.
/// Each entry checks its arguments then and returns the compiled call; a wrong argument is a
/// compile error with the column of the call.
public struct FilterFunctionTable: Sendable {
    public typealias Compile = @Sendable ([FilterArgument]) throws(FilterFunctionError) -> FilterCall

    private var entries: [String: Compile] = [:]

    public init() {}

    public static let none = FilterFunctionTable()

    public mutating func register(_ name: String, _ compile: @escaping Compile) {
        entries[name] = compile
    }

    func lookup(_ name: String) -> Compile? {
        entries[name]
    }

    public var names: [String] { entries.keys.sorted() }
}

/// Why a function call in a filter cannot be compiled.
public struct FilterFunctionError: Error, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}
