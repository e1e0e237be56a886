import JSON
import Synchronization

extension FilterExpression {
    /// Evaluates the expression. Never throws: a path that finds nothing is *undefined*, which
    /// compares unequal to everything (so `!=` is true and `==`, `<`, `in` … are false).
    public func evaluate(_ scope: FilterScope) -> Bool {
        switch self {
        case .or(let a, let b): return a.evaluate(scope) || b.evaluate(scope)
        case .and(let a, let b): return a.evaluate(scope) && b.evaluate(scope)
        case .not(let e): return !e.evaluate(scope)
        case .constant(let b): return b
        case .call(let call): return call.evaluate(scope)
        case .exists(let operand):
            if case .path(let path) = operand, !path.isDefinite, path.function == nil {
                return path.definiteStartHolds(root: scope.root, current: scope.current)
            }
            switch operand.resolve(scope) {
            case .undefined: return false
            default: return true
            }
        case .compare(let left, let op, let right):
            return FilterComparison.evaluate(left.resolve(scope), op, right.resolve(scope))
        }
    }
}

/// The value of an operand during evaluation.
enum OperandValue {
    /// A path that found nothing.
    case undefined
    case value(JSONValue)
    /// A regex literal, `nil` when an interpolated pattern does not compile.
    case pattern(RegexPattern?)
}

extension FilterOperand {
    func resolve(_ scope: FilterScope) -> OperandValue {
        switch self {
        case .literal(let v):
            return .value(v)
        case .template(let t):
            return .value(.string(t.render(scope.variables)))
        case .call(let call):
            return .value(.bool(call.evaluate(scope)))
        case .regex(let literal):
            if let compiled = literal.compiled { return .pattern(compiled) }
            return .pattern(RegexCache.shared.pattern(literal.template.render(scope.variables), flags: literal.flags))
        case .path(let path):
            switch path.select(in: scope.root, current: scope.current, variables: scope.variables) {
            case .notFound: return .undefined
            case .value(let v): return .value(v)
            case .list(let l): return .value(.array(l))
            }
        }
    }

}

extension JSONPath {
    /// Whether the steps up to the first that may select several values apply (names present,
    /// containers of the right kind). Jayway reports "path not found" when one of them does not,
    /// and nothing after them can: so a filter's existence test of such a path (`[?(@.a.*)]`,
    /// `[?(@..b)]`, `[?(@.a[?(…)])]`) is true whatever the rest finds, even nothing.
    func definiteStartHolds(root: JSONValue, current: JSONValue?) -> Bool {
        var node = isRelative ? (current ?? root) : root
        for segment in segments {
            switch segment {
            case .key(let key):
                guard case .object(let object) = node, let child = object[key] else { return false }
                node = child
            case .index(let i):
                guard case .array(let array) = node else { return false }
                guard let j = Self.resolve(i, count: array.count) else { return true }  // Jayway skips a missing index silently
                node = array[j]
            case .keys:
                if case .object = node { return true }
                return false
            case .indexes, .slice:
                if case .array = node { return true }
                return false
            case .filter:
                switch node {
                case .array, .object: return true
                default: return false
                }
            case .wildcard, .recursiveDescent:
                return true
            }
        }
        return true
    }
}

/// Operator semantics, following Jayway's (2.10) evaluators:
/// - `==` compares containers structurally and scalars by value. A number and a string meet as
///   Jayway's value nodes do, led by the left operand: a number on the left reads the string as a
///   number; a string on the left compares with the number's canonical text (Java's
///   `BigDecimal.toString`: `42` equals `"42"`, `-0.123e2` is `"-12.3"`). `===` requires the same type.
/// - `<` `<=` `>` `>=` compare numbers numerically and strings by UTF-16 code units (Java's
///   `compareTo`); any other pair, a number and a string included, is false.
/// - `=~` matches the whole text (Java `matches()`); against an array, any element may match.
/// - `empty`: IPS documents that null, missing, `""` and `[]` count as empty (Jayway itself says
///   false for null); we follow the IPS documentation.
enum FilterComparison {
    static func evaluate(_ left: OperandValue, _ op: RelationalOperator, _ right: OperandValue) -> Bool {
        switch op {
        case .equal: return equal(left, right, strict: false)
        case .notEqual: return !equal(left, right, strict: false)
        case .strictEqual: return equal(left, right, strict: true)
        case .strictNotEqual: return !equal(left, right, strict: true)
        case .less: return compare(left, right).map { $0 < 0 } ?? false
        case .lessOrEqual: return compare(left, right).map { $0 <= 0 } ?? false
        case .greater: return compare(left, right).map { $0 > 0 } ?? false
        case .greaterOrEqual: return compare(left, right).map { $0 >= 0 } ?? false
        case .matches: return matches(left, right)
        case .in: return isIn(left, right)
        case .notIn: return !isIn(left, right)
        case .contains: return contains(left, right)
        case .size: return size(left, right)
        case .empty: return empty(left, right)
        case .subsetOf, .anyOf, .noneOf: return setRelation(left, op, right)
        }
    }

    static func equal(_ left: OperandValue, _ right: OperandValue, strict: Bool) -> Bool {
        guard case .value(let a) = left, case .value(let b) = right else { return false }
        return valuesEqual(a, b, strict: strict)
    }

    static func valuesEqual(_ a: JSONValue, _ b: JSONValue, strict: Bool) -> Bool {
        switch (a, b) {
        case (.number(let x), .string(let s)):
            guard !strict, let y = JSONNumber(text: s) else { return false }
            return x == y
        case (.string(let s), .number(let y)):
            return !strict && s == y.javaBigDecimalText
        default:
            return a == b
        }
    }

    /// The loose equality of IPS's value mappings: a number equals a string spelling the same
    /// number, in either order.
    static func looselyEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .string(let s)), (.string(let s), .number(let x)):
            guard let y = JSONNumber(text: s) else { return false }
            return x == y
        default:
            return a == b
        }
    }

    /// Three-way comparison, `nil` when the operands are not comparable.
    static func compare(_ left: OperandValue, _ right: OperandValue) -> Int? {
        guard case .value(let a) = left, case .value(let b) = right else { return nil }
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return x < y ? -1 : (x == y ? 0 : 1)
        case (.string(let x), .string(let y)):
            return compareUTF16(x, y)
        default:
            return nil
        }
    }

    static func compareUTF16(_ x: String, _ y: String) -> Int {
        if x == y { return 0 }
        return x.utf16.lexicographicallyPrecedes(y.utf16) ? -1 : 1
    }

    static func matches(_ left: OperandValue, _ right: OperandValue) -> Bool {
        let (pattern, subject): (RegexPattern?, OperandValue)
        if case .pattern(let p) = left {
            (pattern, subject) = (p, right)
        } else if case .pattern(let p) = right {
            (pattern, subject) = (p, left)
        } else {
            return false
        }
        guard let pattern else { return false }
        if case .value(.array(let elements)) = subject {
            return elements.contains { pattern.matchesWhole(matchText($0)) }
        }
        if case .value(let v) = subject { return pattern.matchesWhole(matchText(v)) }
        return pattern.matchesWhole("")  // Jayway matches undefined as the empty string
    }

    private static func matchText(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .number(let n): return n.text
        case .bool(let b): return b ? "true" : "false"
        default: return ""
        }
    }

    static func isIn(_ left: OperandValue, _ right: OperandValue) -> Bool {
        guard case .value(let needle) = left, case .value(.array(let haystack)) = right else { return false }
        return haystack.contains { valuesEqual(needle, $0, strict: false) }
    }

    static func contains(_ left: OperandValue, _ right: OperandValue) -> Bool {
        guard case .value(let container) = left, case .value(let needle) = right else { return false }
        switch (container, needle) {
        case (.string(let s), .string(let t)):
            return t.isEmpty || s.contains(t)
        case (.array(let elements), _):
            return elements.contains { valuesEqual($0, needle, strict: false) }
        default:
            return false
        }
    }

    static func size(_ left: OperandValue, _ right: OperandValue) -> Bool {
        guard case .value(.number(let expected)) = right, let n = expected.int64Value else { return false }
        switch left {
        case .value(.string(let s)): return Int64(s.utf16.count) == n
        case .value(.array(let a)): return Int64(a.count) == n
        default: return false
        }
    }

    static func empty(_ left: OperandValue, _ right: OperandValue) -> Bool {
        guard case .value(.bool(let expected)) = right else { return false }
        switch left {
        case .undefined: return expected
        case .value(let v): return v.isEmptyValue == expected
        case .pattern: return false
        }
    }

    static func setRelation(_ left: OperandValue, _ op: RelationalOperator, _ right: OperandValue) -> Bool {
        guard case .value(.array(let a)) = left, case .value(.array(let b)) = right else { return false }
        func member(_ x: JSONValue, _ list: [JSONValue]) -> Bool { list.contains { valuesEqual(x, $0, strict: false) } }
        switch op {
        case .subsetOf: return a.allSatisfy { member($0, b) }
        case .anyOf: return a.contains { member($0, b) }
        default: return !a.contains { member($0, b) }
        }
    }
}

/// Compiled patterns for regex literals that interpolate `${variables}`, keyed by final text, so a
/// pattern is compiled once per distinct value rather than once per evaluation.
final class RegexCache: Sendable {
    static let shared = RegexCache()

    private struct Key: Hashable {
        let pattern: String
        let flags: RegexPattern.Flags
    }

    private let cache = Mutex<[Key: RegexPattern?]>([:])

    func pattern(_ text: String, flags: RegexPattern.Flags) -> RegexPattern? {
        let key = Key(pattern: text, flags: flags)
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let compiled = try? RegexPattern(text, flags: flags)
        cache.withLock { cache in
            if cache.count > 1024 { cache.removeAll() }
            cache[key] = compiled
        }
        return compiled
    }
}

extension RegexPattern {
    /// A compiled pattern from a process-wide cache, for patterns only known at run time
    /// (interpolated `${variables}`); `nil` when the text is not a valid pattern.
    public static func cached(_ pattern: String, flags: Flags = []) -> RegexPattern? {
        RegexCache.shared.pattern(pattern, flags: flags)
    }
}

extension JSONValue {
    /// Equality as IPS's value mappings see it: structural, except that a number equals a string
    /// spelling the same number.
    public func looselyEquals(_ other: JSONValue) -> Bool {
        FilterComparison.looselyEqual(self, other)
    }
}
