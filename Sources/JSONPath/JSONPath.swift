import JSON

/// A compiled JSONPath in the Jayway dialect used by IPS. Compile once, evaluate many times.
///
/// Supported: `$` (document) and `@` (current element), `.name`, `['name']` (needed for URN keys),
/// `.'name'` and `.['name']`, `['a','b']` (as the last step: one object of the names found), `[n]`
/// (negative from the end), `[1,2]`, `[start:end]` (a step is read and ignored), `[*]`/`.*`, `..`, filters
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
        // Jayway: a union of names as the last step merges them into one object, so it is definite.
        isDefinite = segments.indices.allSatisfy { i in
            if case .keys = segments[i], i == segments.count - 1 { return true }
            return segments[i].isDefinite
        }
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

    /// `name` for `$.name`: a path that reads or writes one attribute of the root object, nothing else.
    public var rootKey: String? {
        guard !isRelative, function == nil, segments.count == 1, case .key(let key) = segments[0] else { return nil }
        return key
    }

    /// `["a", "b"]` for `$.a.b`: a path of names only, from the root.
    public var rootKeys: [String]? {
        guard !isRelative, function == nil, !segments.isEmpty else { return nil }
        var keys: [String] = []
        for segment in segments {
            guard case .key(let key) = segment else { return nil }
            keys.append(key)
        }
        return keys
    }

    /// `name` for `$.name…`: the root attribute a path writes under, whatever follows it.
    public var leadingRootKey: String? {
        guard !isRelative, function == nil, case .key(let key)? = segments.first else { return nil }
        return key
    }

    /// Compiles `expression`. `functions` are the extension functions filters may call.
    public convenience init(_ expression: String, functions: FilterFunctionTable = .none) throws(JSONPathError) {
        var parser = ExpressionParser(expression, functions: functions)
        parser.scanner.skipSpaces()
        // Jayway reads a path that starts with neither `$` nor `@` as `$.` followed by it:
        // `key` is `$.key`, `.key` is `$..key`, `[0]` is `$.[0]`, that is `$[0]`.
        var written: String?
        var shift = 0  // columns in errors refer to the text as written
        if let first = parser.scanner.current, first != UInt8(ascii: "$"), first != UInt8(ascii: "@") {
            let rest = parser.scanner.slice(parser.scanner.position, parser.scanner.bytes.count)
            written = rest
            shift = 2 - parser.scanner.position
            parser = ExpressionParser("$." + rest, functions: functions)
        }
        let path: JSONPath
        do throws(JSONPathError) {
            path = try parser.parsePath()
            parser.scanner.skipSpaces()
            guard parser.scanner.isAtEnd else {
                throw parser.scanner.error("unexpected \(parser.scanner.describeCurrent) after the path")
            }
        } catch {
            throw JSONPathError(message: error.message, column: max(1, error.column - shift))
        }
        self.init(expression: written.map { String($0.reversed().drop { $0 == " " || $0 == "\t" }.reversed()) } ?? path.expression,
                  isRelative: path.isRelative, segments: path.segments, function: path.function)
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
            // Jayway: a step that cannot apply before anything indefinite is "path not found",
            // for lists too (`$.missing[*]` finds nothing, not an empty list); nothing to collect.
            guard definiteStartHolds(root: document, current: current) else { return .notFound }
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
            guard case .object(let object) = node else { break }
            if next == segments.count {
                // Jayway merges the names found into one object (missing ones left out, a
                // repeated one once), where a last step of several names yields one result.
                var merged = JSONObject()
                for key in keys { if let child = object[key] { merged[key] = child } }
                results.append(.object(merged))
            } else {
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
                for j in Self.sliceIndexes(start: start, end: end, count: array.count) {
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
        // Jayway's scan offers each node to the next step only where that step applies: a name
        // (or all names of a union) to objects that have it; a filter to objects (tested
        // themselves) and to arrays the filter holds for as a whole; the rest to every node.
        switch (segments[index], node) {
        case (.key(let key), .object(let object)):
            if object[key] != nil { collect(node, from: index, context: context, into: &results) }
        case (.keys(let keys), .object(let object)):
            // Only a last step of several names must find them all (Jayway's merge case).
            if index + 1 < segments.count || keys.allSatisfy({ object[$0] != nil }) { collect(node, from: index, context: context, into: &results) }
        case (.key, _), (.keys, _):
            break
        case (.filter(let expression), .array):
            if expression.evaluate(FilterScope(root: context.root, current: node, variables: context.variables)) {
                collect(node, from: index, context: context, into: &results)
            }
        default:
            collect(node, from: index, context: context, into: &results)
        }
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

    /// The elements `[start:end]` selects, in Jayway's order. `[n:]` and `[:n]` count a negative
    /// bound from the end; with both bounds Jayway walks from `start` to `end` as written and
    /// resolves each index on its own, so a negative start with a positive end wraps around
    /// (`[-4:2]` on six elements is 2, 3, 4, 5, 0, 1) and a negative end after a positive start
    /// selects nothing. Bounds are 32-bit (the parser checks), so nothing here overflows.
    static func sliceIndexes(start: Int?, end: Int?, count: Int) -> [Int] {
        switch (start, end) {
        case (let from?, nil):
            let lower = Swift.max(from < 0 ? count + from : from, 0)
            return lower < count ? Array(lower..<count) : []
        case (nil, let to?):
            let upper = Swift.min(to < 0 ? count + to : to, count)
            return upper > 0 ? Array(0..<upper) : []
        case (let from?, let to?):
            let upper = Swift.min(to, count)
            guard from < upper else { return [] }
            // Only the indexes that resolve to an element: the negative ones, then the others.
            var indexes: [Int] = []
            let (negativeLower, negativeUpper) = (Swift.max(from, -count), Swift.min(upper, 0))
            if negativeLower < negativeUpper { indexes += (negativeLower..<negativeUpper).map { count + $0 } }
            let positiveLower = Swift.max(from, 0)
            if positiveLower < upper { indexes += positiveLower..<upper }
            return indexes
        case (nil, nil):
            return Array(0..<count)
        }
    }
}
