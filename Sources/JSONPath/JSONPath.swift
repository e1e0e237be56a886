import JSON

/// A compiled JSONPath in the Jayway dialect used by IPS. Compile once, evaluate many times.
///
/// Supported: `$` (document) and `@` (current element), `.name`, `['name']` (needed for URN keys),
/// `['a','b']`, `[n]` (negative from the end), `[1,2]`, `[start:end]`, `[*]`/`.*`, `..`, filters
/// `[?( … )]`, and a final `.length()`, `.min()`, `.max()`, `.avg()`, `.sum()`, `.stddev()`,
/// `.keys()`, `.first()` or `.last()`.
///
/// Result shape follows Jayway: a *definite* path (only names and single indexes) yields one value
/// or nothing; any other path yields a list, possibly empty.
///
/// A class rather than a struct: a compiled path is immutable, and copying one reference is much
/// cheaper than copying the arrays and strings inside (paths are passed around per entity).
public final class JSONPath: Sendable, CustomStringConvertible {
    /// The expression as written.
    public let expression: String
    /// Starts with `@` rather than `$`.
    public let isRelative: Bool
    let segments: [PathSegment]
    let function: PathFunction?
    /// Whether the path selects at most one value.
    public let isDefinite: Bool
    /// Why values cannot be written through this path, or `nil` when they can.
    public let writeProblem: String?
    /// When every segment is a name or a single index: the common case, read and written by a
    /// direct walk instead of the general machinery.
    let definiteSteps: [DefiniteStep]?

    enum DefiniteStep: Sendable {
        case key(String)
        case index(Int)
    }

    init(expression: String, isRelative: Bool, segments: [PathSegment], function: PathFunction?) {
        self.expression = expression
        self.isRelative = isRelative
        self.segments = segments
        self.function = function
        isDefinite = segments.allSatisfy(\.isDefinite)
        writeProblem = Self.writeProblem(isRelative: isRelative, function: function, segments: segments)
        var steps: [DefiniteStep] = []
        for segment in segments {
            switch segment {
            case .key(let k): steps.append(.key(k))
            case .index(let i): steps.append(.index(i))
            default: break
            }
        }
        definiteSteps = steps.count == segments.count ? steps : nil
    }

    /// Compiles `expression`. `functions` are the extension functions filters may call.
    public convenience init(_ expression: String, functions: FilterFunctionTable = .none) throws(JSONPathError) {
        var parser = ExpressionParser(expression, functions: functions)
        parser.scanner.skipSpaces()
        let path = try parser.parsePath()
        parser.scanner.skipSpaces()
        guard parser.scanner.isAtEnd else {
            throw parser.scanner.error("unexpected \(parser.scanner.describeCurrent) after the path")
        }
        self.init(expression: path.expression, isRelative: path.isRelative, segments: path.segments, function: path.function)
    }

    public var description: String { expression }

    /// What a path found.
    public enum Selection: Sendable, Equatable {
        /// A definite path found nothing.
        case notFound
        /// A definite path found this value.
        case value(JSONValue)
        /// An indefinite path found these values (possibly none).
        case list([JSONValue])

        /// Jayway's result: the value, the list as an array, or `nil` when a definite path found nothing.
        public var jaywayResult: JSONValue? {
            switch self {
            case .notFound: return nil
            case .value(let v): return v
            case .list(let l): return .array(l)
            }
        }
    }

    /// Evaluates the path against `document` (`$`); `current` is `@` for relative paths.
    public func select(
        in document: JSONValue,
        current: JSONValue? = nil,
        variables: VariableBindings = .empty
    ) -> Selection {
        let start = isRelative ? (current ?? document) : document
        var selection: Selection
        if let definiteSteps {
            var node = start
            for step in definiteSteps {
                switch step {
                case .key(let key):
                    guard case .object(let object) = node, let next = object[key] else { return .notFound }
                    node = next
                case .index(let i):
                    guard case .array(let array) = node, let j = Self.resolve(i, count: array.count) else { return .notFound }
                    node = array[j]
                }
            }
            selection = .value(node)
        } else {
            var results: [JSONValue] = []
            let context = EvaluationContext(root: document, variables: variables)
            collect(start, from: 0, context: context, into: &results)
            if isDefinite {
                selection = results.first.map(Selection.value) ?? .notFound
            } else {
                selection = .list(results)
            }
        }
        if let function {
            switch selection {
            case .notFound: return .notFound
            case .value(let v): return function.apply(to: v).map(Selection.value) ?? .notFound
            case .list(let l): return function.apply(to: .array(l)).map(Selection.value) ?? .notFound
            }
        }
        return selection
    }

    /// Jayway-shaped read: the value of a definite path (or `nil`), the list of an indefinite one.
    public func read(_ document: JSONValue, variables: VariableBindings = .empty) -> JSONValue? {
        select(in: document, variables: variables).jaywayResult
    }

    struct EvaluationContext {
        let root: JSONValue
        let variables: VariableBindings
    }

    private func collect(_ node: JSONValue, from index: Int, context: EvaluationContext, into results: inout [JSONValue]) {
        guard index < segments.count else {
            results.append(node)
            return
        }
        let next = index + 1
        switch segments[index] {
        case .key(let key):
            if case .object(let object) = node, let child = object[key] {
                collect(child, from: next, context: context, into: &results)
            }
        case .keys(let keys):
            if case .object(let object) = node {
                for key in keys {
                    if let child = object[key] { collect(child, from: next, context: context, into: &results) }
                }
            }
        case .index(let i):
            if case .array(let array) = node, let j = Self.resolve(i, count: array.count) {
                collect(array[j], from: next, context: context, into: &results)
            }
        case .indexes(let indexes):
            if case .array(let array) = node {
                for i in indexes {
                    if let j = Self.resolve(i, count: array.count) {
                        collect(array[j], from: next, context: context, into: &results)
                    }
                }
            }
        case .slice(let start, let end):
            if case .array(let array) = node {
                for j in Self.sliceRange(start: start, end: end, count: array.count) {
                    collect(array[j], from: next, context: context, into: &results)
                }
            }
        case .wildcard:
            switch node {
            case .array(let array):
                for element in array { collect(element, from: next, context: context, into: &results) }
            case .object(let object):
                for member in object { collect(member.value, from: next, context: context, into: &results) }
            default:
                break
            }
        case .recursiveDescent:
            collectDescendants(node, from: next, context: context, into: &results)
        case .filter(let expression):
            switch node {
            case .array(let array):
                for element in array {
                    let scope = FilterScope(root: context.root, current: element, variables: context.variables)
                    if expression.evaluate(scope) {
                        collect(element, from: next, context: context, into: &results)
                    }
                }
            case .object:
                // Jayway applies a filter on an object to the object itself.
                let scope = FilterScope(root: context.root, current: node, variables: context.variables)
                if expression.evaluate(scope) {
                    collect(node, from: next, context: context, into: &results)
                }
            default:
                break
            }
        }
    }

    private func collectDescendants(_ node: JSONValue, from index: Int, context: EvaluationContext, into results: inout [JSONValue]) {
        collect(node, from: index, context: context, into: &results)
        switch node {
        case .array(let array):
            for element in array { collectDescendants(element, from: index, context: context, into: &results) }
        case .object(let object):
            for member in object { collectDescendants(member.value, from: index, context: context, into: &results) }
        default:
            break
        }
    }

    /// An index as written (negative from the end) resolved against `count`, if in range.
    static func resolve(_ index: Int, count: Int) -> Int? {
        let j = index < 0 ? count + index : index
        return j >= 0 && j < count ? j : nil
    }

    static func sliceRange(start: Int?, end: Int?, count: Int) -> Range<Int> {
        func clamp(_ v: Int) -> Int { Swift.min(Swift.max(v < 0 ? count + v : v, 0), count) }
        let lower = start.map(clamp) ?? 0
        let upper = end.map(clamp) ?? count
        return lower < upper ? lower..<upper : 0..<0
    }
}
