import Determinism

/// SCIM filters (RFC 7644 §3.4.2.2) as clients write them, valid and slightly broken, plus the
/// shapes that break recursive parsers: deep nesting, long chains, unclosed groups.
public enum SCIMFilterGrammar {
    static let attributes = [
        "userName", "id", "externalId", "displayName", "active", "emails", "emails.value", "emails.type", "name.givenName",
        "name.familyName", "meta.lastModified", "meta.created", "meta.version", "members", "members.value", "groups.value",
        "origin", "zoneId", "urn:ietf:params:scim:schemas:core:2.0:User:userName", "urn:ietf:params:scim:schemas:extension:sap:2.0:User:userUuid",
        "phoneNumbers", "x", "Emails.VALUE", "meta", "a.b.c", "", "emails[", "1abc",
    ]
    static let operators = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "EQ", "pr", "xx", ""]

    public static func filter(_ random: inout SeededRandom) -> String {
        switch random.int(0...19) {
        case 0: return Interesting.repeated("(", random.size()) + term(&random) + Interesting.repeated(")", random.size())
        case 1: return Interesting.repeated("not (", random.size()) + term(&random) + Interesting.repeated(")", random.size())
        case 2: return Interesting.repeated("emails[", random.size()) + "value eq \"a\"" + Interesting.repeated("]", random.size())
        case 3: return (0..<random.size()).map { _ in term(&random) }.joined(separator: random.pick([" or ", " and ", " OR "]))
        case 4: return Mutations.mutate(expression(&random, depth: 0), &random)
        default: return expression(&random, depth: 0)
        }
    }

    static func expression(_ random: inout SeededRandom, depth: Int) -> String {
        guard depth < 6 else { return term(&random) }
        switch random.int(0...9) {
        case 0, 1: return "\(expression(&random, depth: depth + 1)) \(random.pick(["and", "or", "AND", "xor"])) \(expression(&random, depth: depth + 1))"
        case 2: return "(\(expression(&random, depth: depth + 1))\(random.chance(0.9) ? ")" : "")"
        case 3: return "not (\(expression(&random, depth: depth + 1)))"
        case 4: return "\(random.pick(["emails", "members", "groups", "phoneNumbers", "addresses"]))[\(expression(&random, depth: depth + 1))]"
        default: return term(&random)
        }
    }

    static func term(_ random: inout SeededRandom) -> String {
        let attribute = random.pick(attributes)
        let op = random.pick(operators)
        if op == "pr" { return "\(attribute) pr" }
        return "\(attribute) \(op) \(value(&random))"
    }

    static func value(_ random: inout SeededRandom) -> String {
        switch random.int(0...9) {
        case 0...4: return "\"\(random.chance(0.9) ? random.word() : random.text())\""
        case 5: return random.numberText()
        case 6: return random.pick(["true", "false", "null", "True"])
        case 7: return "\"2024-01-01T00:00:00Z\""
        case 8: return "\"\(random.text())"  // unterminated
        default: return random.text()
        }
    }
}
