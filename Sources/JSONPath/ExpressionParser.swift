import JSON

/// Recursive-descent parser for JSONPath (Jayway dialect) and filter expressions.
///
/// Grammar of filters, loosest binding first (Jayway's own compiler has no clear precedence and
/// ignores `!` before a parenthesis; IPS documents `!( … )` as negation, so we follow the usual rules):
///
///     or         := and ( "||" and )*
///     and        := unary ( "&&" unary )*
///     unary      := "!" unary | "(" or ")" | comparison
///     comparison := operand ( operator operand )?      -- a lone path means "exists"
///     operand    := path | 'string' | "string" | number | true | false | null
///                 | [json] | {json} | /regex/flags | name(arguments)
struct ExpressionParser {
    var scanner: ExpressionScanner
    let functions: FilterFunctionTable
    /// Open parentheses, negations, filters and JSON literal containers around the position.
    private var nesting = 0
    /// Filters of paths (`[?( … )]`) around the position: there Jayway refuses a lone `true` or
    /// `false`, which IPS conditions outside paths may use.
    private var pathFilterDepth = 0
    /// Filters and conditions around the position, where names end at operators.
    private var expressionDepth = 0

    /// How deeply an expression may nest (`!`, parentheses, filters inside paths inside filters,
    /// JSON literals): each level is a frame of this recursive-descent parser and of every walk
    /// over the result, so unbounded nesting could overflow the stack.
    static let maximumNesting = 100
    /// How many segments one path may have (reading and writing recurse once per segment).
    static let maximumSegments = 256

    init(_ text: String, functions: FilterFunctionTable) {
        scanner = ExpressionScanner(text)
        self.functions = functions
    }

    // MARK: Paths

    /// Parses a path starting at `$` or `@`, stopping before anything that cannot continue it.
    mutating func parsePath() throws(JSONPathError) -> JSONPath {
        let start = scanner.position
        guard let first = scanner.current, first == UInt8(ascii: "$") || first == UInt8(ascii: "@") else {
            throw scanner.error("a path must start with '$' or '@'")
        }
        scanner.position += 1
        var segments: [PathSegment] = []
        var function: PathFunction?
        while let b = scanner.current {
            guard segments.count < Self.maximumSegments else {
                throw scanner.error("a path may have at most \(Self.maximumSegments) segments")
            }
            if function != nil, b == UInt8(ascii: ".") || b == UInt8(ascii: "[") {
                throw scanner.error("nothing may follow the function call \(function!.rawValue)()")
            }
            if b == UInt8(ascii: ".") {
                if scanner.peek(1) == UInt8(ascii: ".") {
                    scanner.position += 2
                    segments.append(.recursiveDescent)
                    if scanner.current == UInt8(ascii: "[") { continue }
                    guard let c = scanner.current, c == UInt8(ascii: "*") || !endsName(c) else {
                        throw scanner.error("'..' must be followed by a name, '*' or a bracket")
                    }
                } else {
                    scanner.position += 1
                    // Jayway also reads `$.['key']` and `$.[0]` as if the dot were not there.
                    if scanner.current == UInt8(ascii: "[") { continue }
                }
                if scanner.current == UInt8(ascii: "*") {
                    scanner.position += 1
                    segments.append(.wildcard)
                    continue
                }
                let nameStart = scanner.position
                while let c = scanner.current, !endsName(c) { scanner.position += 1 }
                guard scanner.position > nameStart else {
                    throw scanner.error("expected a property name after '.', found \(scanner.describeCurrent)")
                }
                let name = scanner.slice(nameStart, scanner.position)
                if scanner.current == UInt8(ascii: "(") {
                    guard let f = PathFunction(rawValue: name) else {
                        throw scanner.error("unknown path function '\(name)()'", at: nameStart)
                    }
                    scanner.position += 1
                    scanner.skipSpaces()
                    guard scanner.current == UInt8(ascii: ")") else {
                        throw scanner.error("path function \(name)() takes no arguments")
                    }
                    scanner.position += 1
                    function = f
                } else {
                    segments.append(.key(name))
                }
            } else if b == UInt8(ascii: "[") {
                segments.append(try parseBracket())
            } else {
                break
            }
        }
        if case .recursiveDescent? = segments.last {
            throw scanner.error("'..' must be followed by a name, '*' or a bracket")
        }
        return JSONPath(
            expression: scanner.slice(start, scanner.position),
            isRelative: first == UInt8(ascii: "@"),
            segments: segments,
            function: function)
    }

    /// Where a name after `.` ends. In a path on its own Jayway reads up to the next `.`, `[`,
    /// `(` or blank, so quotes belong to the name (`$.'key'` is the member `'key'`); inside a
    /// filter or condition operators, quotes and `/` end it too (`@.key/10` is an invalid path,
    /// as Jayway has no arithmetic).
    private func endsName(_ c: UInt8) -> Bool {
        if expressionDepth == 0 {
            switch c {
            case UInt8(ascii: "."), UInt8(ascii: "["), UInt8(ascii: "("), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                return true
            default:
                return false
            }
        }
        switch c {
        case UInt8(ascii: "/"):
            return true
        case UInt8(ascii: "."), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
             UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "~"),
             UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: ","), UInt8(ascii: "'"), UInt8(ascii: "\""):
            return true
        default:
            return false
        }
    }

    private mutating func parseBracket() throws(JSONPathError) -> PathSegment {
        let open = scanner.position
        scanner.position += 1
        scanner.skipSpaces()
        guard let b = scanner.current else { throw scanner.error("unclosed '['", at: open) }
        let segment: PathSegment
        switch b {
        case UInt8(ascii: "*"):
            scanner.position += 1
            segment = .wildcard
        case UInt8(ascii: "?"):
            scanner.position += 1
            scanner.skipSpaces()
            guard scanner.current == UInt8(ascii: "(") else {
                throw scanner.error("expected '(' after '[?'")
            }
            scanner.position += 1
            try enterNested()
            pathFilterDepth += 1
            let expression = try parseOr()
            pathFilterDepth -= 1
            nesting -= 1
            scanner.skipSpaces()
            guard scanner.current == UInt8(ascii: ")") else {
                throw scanner.error("expected ')' to close the filter, found \(scanner.describeCurrent)")
            }
            scanner.position += 1
            segment = .filter(expression)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            var keys = [try scanner.readQuoted()]
            scanner.skipSpaces()
            while scanner.current == UInt8(ascii: ",") {
                scanner.position += 1
                scanner.skipSpaces()
                guard let q = scanner.current, q == UInt8(ascii: "'") || q == UInt8(ascii: "\"") else {
                    throw scanner.error("expected a quoted name after ','")
                }
                keys.append(try scanner.readQuoted())
                scanner.skipSpaces()
            }
            segment = keys.count == 1 ? .key(keys[0]) : .keys(keys)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: ":"):
            segment = try parseIndexOrSlice()
        default:
            throw scanner.error("unexpected \(scanner.describeCurrent) in brackets")
        }
        scanner.skipSpaces()
        guard scanner.current == UInt8(ascii: "]") else {
            throw scanner.error("expected ']', found \(scanner.describeCurrent)")
        }
        scanner.position += 1
        return segment
    }

    private mutating func parseIndexOrSlice() throws(JSONPathError) -> PathSegment {
        let open = scanner.position
        let first = try readOptionalInteger()
        scanner.skipSpaces()
        if scanner.current == UInt8(ascii: ":") {
            scanner.position += 1
            scanner.skipSpaces()
            let end = try readOptionalInteger()
            scanner.skipSpaces()
            // Jayway accepts a step and ignores it: `[0:3:2]` is `[0:3]`, `[3::-1]` is `[3:]`.
            if scanner.current == UInt8(ascii: ":") {
                scanner.position += 1
                scanner.skipSpaces()
                _ = try readOptionalInteger()
            }
            guard first != nil || end != nil else {
                throw scanner.error("a slice needs a start or an end ('[:]' is not valid in Jayway)", at: open)
            }
            return .slice(start: first, end: end)
        }
        guard let first else { throw scanner.error("expected an index") }
        var indexes = [first]
        while scanner.current == UInt8(ascii: ",") {
            scanner.position += 1
            scanner.skipSpaces()
            guard let next = try readOptionalInteger() else { throw scanner.error("expected an index after ','") }
            indexes.append(next)
            scanner.skipSpaces()
        }
        return indexes.count == 1 ? .index(first) : .indexes(indexes)
    }

    private mutating func readOptionalInteger() throws(JSONPathError) -> Int? {
        let start = scanner.position
        if scanner.current == UInt8(ascii: "-") { scanner.position += 1 }
        while let c = scanner.current, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") { scanner.position += 1 }
        if scanner.position == start { return nil }
        // Jayway reads indexes as Java ints: anything beyond 32 bits is an invalid path.
        guard let value = Int32(scanner.slice(start, scanner.position)) else {
            throw scanner.error("invalid index '\(scanner.slice(start, scanner.position))' (indexes are 32-bit integers)", at: start)
        }
        return Int(value)
    }

    // MARK: Filters

    /// Counts one more level of nesting, refusing more than `maximumNesting`; the caller
    /// decrements `nesting` when the level closes.
    private mutating func enterNested() throws(JSONPathError) {
        guard nesting < Self.maximumNesting else {
            throw scanner.error("the expression nests deeper than \(Self.maximumNesting) levels")
        }
        nesting += 1
    }

    mutating func parseOr() throws(JSONPathError) -> FilterExpression {
        expressionDepth += 1
        defer { expressionDepth -= 1 }
        var terms = [try parseAnd()]
        while true {
            scanner.skipSpaces()
            // `&&` and `||` are associative and side-effect free: a balanced tree keeps a long
            // chain log2(n) deep, so evaluating it cannot overflow the stack.
            guard scanner.consume("||") else { return terms.balancedFold(FilterExpression.or) ?? terms[0] }
            terms.append(try parseAnd())
        }
    }

    private mutating func parseAnd() throws(JSONPathError) -> FilterExpression {
        var terms = [try parseUnary()]
        while true {
            scanner.skipSpaces()
            guard scanner.consume("&&") else { return terms.balancedFold(FilterExpression.and) ?? terms[0] }
            terms.append(try parseUnary())
        }
    }

    private mutating func parseUnary() throws(JSONPathError) -> FilterExpression {
        scanner.skipSpaces()
        guard let b = scanner.current else { throw scanner.error("expected a condition, found end of expression") }
        if b == UInt8(ascii: "!") && scanner.peek(1) != UInt8(ascii: "=") {
            scanner.position += 1
            try enterNested()
            defer { nesting -= 1 }
            return .not(try parseUnary())
        }
        if b == UInt8(ascii: "(") {
            let open = scanner.position
            scanner.position += 1
            try enterNested()
            defer { nesting -= 1 }
            let inner = try parseOr()
            scanner.skipSpaces()
            guard scanner.current == UInt8(ascii: ")") else {
                throw scanner.error("expected ')' to match the '(' at column \(scanner.column(of: open)), found \(scanner.describeCurrent)")
            }
            scanner.position += 1
            return inner
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(JSONPathError) -> FilterExpression {
        let start = scanner.position
        let left = try parseOperand()
        scanner.skipSpaces()
        guard let op = try parseOperatorIfPresent() else {
            switch left {
            case .path: return .exists(left.asOperand)
            case .literal(.bool(let b)):
                guard pathFilterDepth == 0 else {
                    throw scanner.error("'\(b)' alone is not a filter: compare a value or test a path (as Jayway requires)", at: start)
                }
                return .constant(b)
            case .call(let call): return .call(call)
            default:
                throw scanner.error("expected a comparison operator after the value at column \(scanner.column(of: start)), found \(scanner.describeCurrent)")
            }
        }
        scanner.skipSpaces()
        let rightStart = scanner.position
        let right = try parseOperand()
        try validate(left, op, right, at: rightStart)
        return .compare(left.asOperand, op, right.asOperand)
    }

    /// What may stand on either side of an operator; calls are kept apart until we know whether
    /// they stand alone.
    private enum ParsedOperand {
        case path(JSONPath)
        case literal(JSONValue)
        case template(StringTemplate)
        case regex(RegexLiteral)
        case call(FilterCall)

        var asOperand: FilterOperand {
            switch self {
            case .path(let p): return .path(p)
            case .literal(let v): return .literal(v)
            case .template(let t): return .template(t)
            case .regex(let r): return .regex(r)
            case .call(let c): return .call(c)
            }
        }

        var isRegex: Bool {
            if case .regex = self { return true }
            return false
        }
    }

    private func validate(_ left: ParsedOperand, _ op: RelationalOperator, _ right: ParsedOperand, at offset: Int) throws(JSONPathError) {
        switch op {
        case .matches:
            guard left.isRegex != right.isRegex else {
                throw scanner.error("'=~' needs exactly one /regex/ operand", at: offset)
            }
        case .empty:
            guard case .literal(.bool) = right else {
                throw scanner.error("'empty' must be followed by true or false", at: offset)
            }
        case .size:
            guard case .literal(.number) = right else {
                throw scanner.error("'size' must be followed by a number", at: offset)
            }
        default:
            if left.isRegex || right.isRegex {
                throw scanner.error("a /regex/ can only be used with '=~'", at: offset)
            }
        }
    }

    private mutating func parseOperatorIfPresent() throws(JSONPathError) -> RelationalOperator? {
        guard let b = scanner.current else { return nil }
        for op in RelationalOperator.symbolic where scanner.consume(op.rawValue) {
            return op
        }
        if b == UInt8(ascii: "=") {
            throw scanner.error("'=' is not an operator; use '==' to compare")
        }
        guard Self.isLetter(b) else { return nil }
        let start = scanner.position
        while let c = scanner.current, Self.isLetter(c) { scanner.position += 1 }
        let word = scanner.slice(start, scanner.position).lowercased()
        guard let op = RelationalOperator.words.first(where: { $0.rawValue == word }) else {
            throw scanner.error("unknown operator '\(scanner.slice(start, scanner.position))'", at: start)
        }
        return op
    }

    private static func isLetter(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }

    private static func isWordCharacter(_ b: UInt8) -> Bool {
        isLetter(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
            || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
    }

    private mutating func parseOperand() throws(JSONPathError) -> ParsedOperand {
        scanner.skipSpaces()
        guard let b = scanner.current else { throw scanner.error("expected a value, found end of expression") }
        switch b {
        case UInt8(ascii: "$") where scanner.peek(1) == UInt8(ascii: "{"):
            let start = scanner.position
            guard let close = scanner.bytes[start...].firstIndex(of: UInt8(ascii: "}")) else {
                throw scanner.error("unclosed '${'")
            }
            scanner.position = close + 1
            return .template(StringTemplate(scanner.slice(start, close + 1)))
        case UInt8(ascii: "$"), UInt8(ascii: "@"):
            return .path(try parsePath())
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            let text = try scanner.readQuoted()
            let template = StringTemplate(text)
            return template.isConstant ? .literal(.string(text)) : .template(template)
        case UInt8(ascii: "/"):
            return .regex(try parseRegex())
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            return .literal(try parseJSONLiteral())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .literal(try parseNumber())
        default:
            let start = scanner.position
            while let c = scanner.current, Self.isWordCharacter(c) { scanner.position += 1 }
            let word = scanner.slice(start, scanner.position)
            switch word {
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            case "null": return .literal(.null)
            case "": throw scanner.error("expected a value, found \(scanner.describeCurrent)")
            default:
                scanner.skipSpaces()
                guard scanner.current == UInt8(ascii: "(") else {
                    throw scanner.error("unexpected word '\(word)': string values need quotes", at: start)
                }
                return .call(try parseCall(named: word, at: start))
            }
        }
    }

    private mutating func parseCall(named name: String, at start: Int) throws(JSONPathError) -> FilterCall {
        guard let compile = functions.lookup(name) else {
            let known = functions.names
            let hint = known.isEmpty ? "" : " (known: \(known.joined(separator: ", ")))"
            throw scanner.error("unknown function '\(name)'\(hint)", at: start)
        }
        scanner.position += 1  // "("
        var arguments: [FilterArgument] = []
        scanner.skipSpaces()
        if scanner.current == UInt8(ascii: ")") {
            scanner.position += 1
        } else {
            while true {
                scanner.skipSpaces()
                guard let b = scanner.current else { throw scanner.error("unclosed '(' of \(name)(", at: start) }
                switch b {
                case UInt8(ascii: "$"), UInt8(ascii: "@"):
                    arguments.append(.path(try parsePath()))
                case UInt8(ascii: "'"), UInt8(ascii: "\""):
                    arguments.append(.literal(.string(try scanner.readQuoted())))
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    arguments.append(.literal(try parseNumber()))
                default:
                    let wordStart = scanner.position
                    while let c = scanner.current, Self.isWordCharacter(c) { scanner.position += 1 }
                    guard scanner.position > wordStart else {
                        throw scanner.error("unexpected \(scanner.describeCurrent) in the arguments of \(name)")
                    }
                    arguments.append(.word(scanner.slice(wordStart, scanner.position)))
                }
                scanner.skipSpaces()
                if scanner.current == UInt8(ascii: ",") {
                    scanner.position += 1
                    continue
                }
                guard scanner.current == UInt8(ascii: ")") else {
                    throw scanner.error("expected ',' or ')' in the arguments of \(name), found \(scanner.describeCurrent)")
                }
                scanner.position += 1
                break
            }
        }
        do throws(FilterFunctionError) {
            return try compile(arguments)
        } catch {
            throw scanner.error("\(name): \(error.message)", at: start)
        }
    }

    private mutating func parseRegex() throws(JSONPathError) -> RegexLiteral {
        let start = scanner.position
        scanner.position += 1
        var escaped = false
        while let c = scanner.current {
            if escaped {
                escaped = false
            } else if c == UInt8(ascii: "\\") {
                escaped = true
            } else if c == UInt8(ascii: "/") {
                break
            }
            scanner.position += 1
        }
        guard scanner.current == UInt8(ascii: "/") else {
            throw scanner.error("unterminated /regex/", at: start)
        }
        let pattern = scanner.slice(start + 1, scanner.position)
        scanner.position += 1
        let flagsStart = scanner.position
        while let c = scanner.current, Self.isLetter(c) { scanner.position += 1 }
        guard let flags = RegexPattern.Flags(letters: scanner.slice(flagsStart, scanner.position)) else {
            throw scanner.error("unknown regex flag in '\(scanner.slice(flagsStart, scanner.position))' (use i, m, s or x)", at: flagsStart)
        }
        let template = StringTemplate(pattern)
        var compiled: RegexPattern?
        if template.isConstant {
            do throws(RegexPatternError) {
                compiled = try RegexPattern(pattern, flags: flags)
            } catch {
                throw scanner.error(error.reason, at: start)
            }
        }
        return RegexLiteral(template: template, flags: flags, compiled: compiled)
    }

    private mutating func parseNumber() throws(JSONPathError) -> JSONValue {
        let start = scanner.position
        if scanner.current == UInt8(ascii: "-") { scanner.position += 1 }
        while let c = scanner.current,
              (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: ".")
                || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
            scanner.position += 1
        }
        // Jayway reads numbers as Java's BigDecimal does, leading zeros included (`010` is 10).
        var text = scanner.slice(start, scanner.position)
        let negative = text.hasPrefix("-")
        var digits = Substring(negative ? text.dropFirst() : Substring(text))
        while digits.count > 1, digits.first == "0", let second = digits.dropFirst().first, second.isNumber { digits = digits.dropFirst() }
        text = (negative ? "-" : "") + digits
        guard let number = JSONNumber(text: text) else {
            throw scanner.error("invalid number '\(scanner.slice(start, scanner.position))'", at: start)
        }
        return .number(number)
    }

    /// A JSON array or object literal; like Jayway (json-smart, permissive) strings may use single quotes.
    private mutating func parseJSONLiteral() throws(JSONPathError) -> JSONValue {
        scanner.skipSpaces()
        guard let b = scanner.current else { throw scanner.error("unexpected end of a JSON literal") }
        if b == UInt8(ascii: "[") || b == UInt8(ascii: "{") { try enterNested() }
        defer { if b == UInt8(ascii: "[") || b == UInt8(ascii: "{") { nesting -= 1 } }
        switch b {
        case UInt8(ascii: "["):
            scanner.position += 1
            var elements: [JSONValue] = []
            scanner.skipSpaces()
            if scanner.current == UInt8(ascii: "]") {
                scanner.position += 1
                return .array(elements)
            }
            while true {
                elements.append(try parseJSONLiteral())
                scanner.skipSpaces()
                if scanner.current == UInt8(ascii: ",") { scanner.position += 1; continue }
                guard scanner.current == UInt8(ascii: "]") else {
                    throw scanner.error("expected ',' or ']' in the list, found \(scanner.describeCurrent)")
                }
                scanner.position += 1
                return .array(elements)
            }
        case UInt8(ascii: "{"):
            scanner.position += 1
            var object = JSONObject()
            scanner.skipSpaces()
            if scanner.current == UInt8(ascii: "}") {
                scanner.position += 1
                return .object(object)
            }
            while true {
                scanner.skipSpaces()
                guard let q = scanner.current, q == UInt8(ascii: "'") || q == UInt8(ascii: "\"") else {
                    throw scanner.error("expected a quoted member name, found \(scanner.describeCurrent)")
                }
                let key = try scanner.readQuoted()
                scanner.skipSpaces()
                guard scanner.current == UInt8(ascii: ":") else { throw scanner.error("expected ':' after '\(key)'") }
                scanner.position += 1
                object[key] = try parseJSONLiteral()
                scanner.skipSpaces()
                if scanner.current == UInt8(ascii: ",") { scanner.position += 1; continue }
                guard scanner.current == UInt8(ascii: "}") else {
                    throw scanner.error("expected ',' or '}' in the object, found \(scanner.describeCurrent)")
                }
                scanner.position += 1
                return .object(object)
            }
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return .string(try scanner.readQuoted())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            let start = scanner.position
            while let c = scanner.current, Self.isLetter(c) { scanner.position += 1 }
            switch scanner.slice(start, scanner.position) {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .null
            default: throw scanner.error("unexpected \(scanner.describeCurrent) in a JSON literal", at: start)
            }
        }
    }
}
