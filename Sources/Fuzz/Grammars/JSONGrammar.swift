import Determinism
import JSON

/// JSON documents: random values, the SCIM shapes fakes expect with wrong types and sizes, and
/// text that is almost JSON.
public enum JSONGrammar {
    /// A random value of at most `depth` levels.
    public static func value(_ random: inout SeededRandom, depth: Int = 4) -> JSONValue {
        let kind = depth <= 0 ? random.int(0...4) : random.int(0...7)
        switch kind {
        case 0: return .null
        case 1: return .bool(random.chance(0.5))
        case 2: return JSONNumber(text: random.numberText()).map(JSONValue.number) ?? .number(JSONNumber(random.int(-1000...1000)))
        case 3, 4: return .string(random.chance(0.7) ? random.word() : random.text())
        case 5: return .array((0..<random.int(0...4)).map { _ in value(&random, depth: depth - 1) })
        default:
            var object = JSONObject()
            for _ in 0..<random.int(0...5) { object[random.chance(0.8) ? random.pick(commonKeys) : random.word()] = value(&random, depth: depth - 1) }
            return .object(object)
        }
    }

    static let commonKeys = [
        "schemas", "id", "userName", "displayName", "emails", "value", "type", "primary", "members", "name", "givenName",
        "familyName", "active", "meta", "groups", "origin", "externalId", "Operations", "op", "path", "seconds", "status",
        "users", "roles", "organizations", "spaces", "guid", "relationships", "data", "user", "organization", "space",
        "username", "password", "filter", "startIndex", "count", "attributes", "excludedAttributes", "sortBy", "sortOrder",
    ]

    /// Text that is JSON, a mutant of JSON, or deeply nested JSON.
    public static func text(_ random: inout SeededRandom) -> String {
        switch random.int(0...9) {
        case 0: return Interesting.repeated("[", random.size()) + Interesting.repeated("]", random.size())
        case 1: return "{\"a\":" + Interesting.repeated("{\"a\":", random.size()) + "1" + Interesting.repeated("}", random.size())
        case 2, 3: return Mutations.mutate(value(&random).serialized(), &random)
        default: return value(&random).serialized()
        }
    }
}
