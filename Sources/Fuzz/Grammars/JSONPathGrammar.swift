import Determinism

/// Jayway-style JSONPath expressions and IPS conditions, with the shapes that stress a
/// recursive-descent parser and the writer (huge indexes, long paths, deep filters).
public enum JSONPathGrammar {
    static let keys = ["userName", "emails", "value", "groups", "members", "display", "name", "givenName", "meta", "id", "a", "b", "x y", "é", "*", ""]

    public static func path(_ random: inout SeededRandom, depth: Int = 0) -> String {
        switch random.int(0...19) {
        case 0: return "$" + Interesting.repeated(".a", random.size(max: 5000))
        case 1: return "$.a[\(random.numberText())]"
        case 2: return "$" + Interesting.repeated("[?(@.a", random.size(max: 3000)) + Interesting.repeated(")]", random.size(max: 3000))
        case 3: return Mutations.mutate(path(&random, depth: depth + 1), &random)
        default: break
        }
        var text = random.chance(0.9) ? "$" : "@"
        for _ in 0..<random.int(0...6) { text += segment(&random, depth: depth) }
        if random.chance(0.1) { text += random.pick([".length()", ".size()", ".min()", ".sum()", ".foo()"]) }
        return text
    }

    static func segment(_ random: inout SeededRandom, depth: Int) -> String {
        switch random.int(0...11) {
        case 0...3: return "." + random.pick(keys)
        case 4: return "[\(random.numberText())]"
        case 5: return "[\(random.int(-5...5)):\(random.int(-5...5))]"
        case 6: return "['\(random.pick(keys))'\(random.chance(0.3) ? ",'\(random.pick(keys))'" : "")]"
        case 7: return ".."
            + random.pick(keys)
        case 8: return "[*]"
        case 9 where depth < 3: return "[?(\(condition(&random, depth: depth + 1)))]"
        default: return "[\(random.int(0...3)),\(random.int(0...3))]"
        }
    }

    /// A filter or condition (`@.type == 'work' && !(@.primary)`), sometimes with IPS's functions.
    public static func condition(_ random: inout SeededRandom, depth: Int = 0) -> String {
        switch random.int(0...19) {
        case 0: return Interesting.repeated("!", random.size()) + "@.a"
        case 1: return Interesting.repeated("(", random.size()) + "@.a" + Interesting.repeated(")", random.size())
        case 2: return (0..<random.size()).map { _ in "@.a == \(random.int(0...9))" }.joined(separator: random.pick([" || ", " && "]))
        case 3: return "@.a in " + Interesting.repeated("[", random.size()) + "1" + Interesting.repeated("]", random.size())
        default: break
        }
        guard depth < 4 else { return comparison(&random, depth: depth) }
        switch random.int(0...7) {
        case 0: return "\(condition(&random, depth: depth + 1)) \(random.pick(["&&", "||", "&", "|"])) \(condition(&random, depth: depth + 1))"
        case 1: return "!(\(condition(&random, depth: depth + 1)))"
        case 2: return "(\(condition(&random, depth: depth + 1))\(random.chance(0.9) ? ")" : "")"
        default: return comparison(&random, depth: depth)
        }
    }

    static func comparison(_ random: inout SeededRandom, depth: Int) -> String {
        let left = random.chance(0.8) ? path(&random, depth: depth + 1) : operand(&random)
        if random.chance(0.2) { return left }
        let op = random.pick(["==", "!=", "<", "<=", ">", ">=", "=~", "in", "nin", "subsetof", "anyof", "noneof", "size", "empty", "contains", "=", "<>"])
        if op == "=~" { return "\(left) =~ /\(random.chance(0.8) ? random.word() : random.text())/\(random.pick(["", "i", "q"]))" }
        return "\(left) \(op) \(operand(&random))"
    }

    static func operand(_ random: inout SeededRandom) -> String {
        switch random.int(0...7) {
        case 0: return "'\(random.text())'"
        case 1: return random.numberText()
        case 2: return random.pick(["true", "false", "null"])
        case 3: return "[1, 'a', {\"k\": [true]}]"
        case 4: return random.pick(["isValidEmail($.emails[0].value)", "isRegularGroup()", "isApplicationSpecificGroup()",
                                     "isAttributeWithOptionalPrefix($.displayName, xsuaa.group.prefix)", "unknownFn(1)"])
        case 5: return "'${\(random.word())}'"
        default: return "@.\(random.pick(keys))"
        }
    }
}
