import JSON

/// A compiled filter expression: the inside of `[?( … )]`, and also the IPS condition language,
/// which is the same grammar evaluated against the entity (`$`) or the current element (`@`).
public indirect enum FilterExpression: Sendable {
    case or(FilterExpression, FilterExpression)
    case and(FilterExpression, FilterExpression)
    case not(FilterExpression)
    /// A bare path: true when it finds something.
    case exists(FilterOperand)
    case compare(FilterOperand, RelationalOperator, FilterOperand)
    /// A bare `true` or `false`.
    case constant(Bool)
    /// An extension function such as IPS's `isValidEmail($.emails[0].value)`.
    case call(FilterCall)
}

/// An operand of a comparison.
public enum FilterOperand: Sendable {
    /// `@…` or `$…`
    case path(JSONPath)
    /// A string, number, boolean, `null`, or a JSON array/object literal.
    case literal(JSONValue)
    /// A string literal containing `${variable}` references.
    case template(StringTemplate)
    /// A `/regex/flags` literal.
    case regex(RegexLiteral)
    /// An extension function call used as a boolean value (`isValidEmail($.x) == false`).
    case call(FilterCall)
}

/// A regex literal; compiled once, or per distinct text when it interpolates variables.
public struct RegexLiteral: Sendable {
    let template: StringTemplate
    let flags: RegexPattern.Flags
    /// Set when the pattern has no `${}` references.
    let compiled: RegexPattern?
}

/// The comparison operators of Jayway filters (word operators are case-insensitive: `NIN`, `EMPTY`).
public enum RelationalOperator: String, Sendable, CaseIterable {
    case equal = "=="
    case notEqual = "!="
    case strictEqual = "==="
    case strictNotEqual = "!=="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case matches = "=~"
    case `in` = "in"
    case notIn = "nin"
    case contains = "contains"
    case size = "size"
    case empty = "empty"
    case subsetOf = "subsetof"
    case anyOf = "anyof"
    case noneOf = "noneof"

    static let symbolic: [RelationalOperator] = [.strictEqual, .strictNotEqual, .equal, .notEqual, .matches, .lessOrEqual, .greaterOrEqual, .less, .greater]
    static let words: [RelationalOperator] = [.notIn, .in, .contains, .size, .empty, .subsetOf, .anyOf, .noneOf]
}

extension FilterExpression {
    /// Compiles a condition such as `$.emails[?(@.primary == true)].value == [] && isValidEmail($.emails[0].value)`.
    public init(parsing text: String, functions: FilterFunctionTable = .none) throws(JSONPathError) {
        var parser = ExpressionParser(text, functions: functions)
        let expression = try parser.parseOr()
        parser.scanner.skipSpaces()
        guard parser.scanner.isAtEnd else {
            throw parser.scanner.error("unexpected \(parser.scanner.describeCurrent) after the condition")
        }
        self = expression
    }
}
