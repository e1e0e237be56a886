import Determinism
import JSON

/// IPS transformation documents: mapping rules with source and target paths, functions, scopes
/// and conditions, valid often enough to compile and reach the apply step.
public enum TransformationGrammar {
    static let functions = [
        "toUpperCaseString", "toLowerCaseString", "concatString", "replaceAllString", "replaceFirstString", "substring",
        "splitStringToArray", "manipulateDate", "randomPassword", "putIfAbsent", "putIfPresent", "getValueFromEntry",
        "encodeString", "resolveEntityIds", "unknown",
    ]

    public static func document(_ random: inout SeededRandom) -> String {
        if random.chance(0.15) { return JSONGrammar.text(&random) }
        var entity = JSONObject()
        if random.chance(0.4) { entity["condition"] = .string(JSONPathGrammar.condition(&random)) }
        entity["mappings"] = .array((0..<random.int(0...6)).map { _ in mapping(&random) })
        if random.chance(0.1) { entity["ignore"] = .bool(random.chance(0.5)) }
        let document: JSONValue = .object(JSONObject([(random.pick(["user", "group", "users", "x"]), .object(entity))]))
        let text = document.serialized()
        return random.chance(0.2) ? Mutations.mutate(text, &random) : text
    }

    static func mapping(_ random: inout SeededRandom) -> JSONValue {
        var rule = JSONObject()
        switch random.int(0...3) {
        case 0: rule["constant"] = JSONGrammar.value(&random, depth: 2)
        case 1: rule["sourceVariable"] = .string(random.pick(["entityIdTargetSystem", "entityBaseLocation", "x"]))
        default: rule["sourcePath"] = .string(JSONPathGrammar.path(&random))
        }
        rule["targetPath"] = .string(JSONPathGrammar.path(&random))
        if random.chance(0.3) { rule["optional"] = .bool(random.chance(0.5)) }
        if random.chance(0.2) { rule["scope"] = .string(random.pick(["createEntity", "updateEntity", "deleteEntity", "patchEntity", "x"])) }
        if random.chance(0.4) { rule["functions"] = .array((0..<random.int(1...3)).map { _ in function(&random) }) }
        if random.chance(0.1) { rule["condition"] = .string(JSONPathGrammar.condition(&random)) }
        return .object(rule)
    }

    static func function(_ random: inout SeededRandom) -> JSONValue {
        var f = JSONObject([("function", .string(random.pick(functions)))])
        let parameters = [
            "beginIndex", "endIndex", "separator", "regex", "replacement", "key", "defaultValue", "passwordLength",
            "minimumNumberOfLowercaseLetters", "minimumNumberOfUppercaseLetters", "minimumNumberOfDigits",
            "minimumNumberOfSpecialSymbols", "sourceDateFormat", "targetDateFormat", "years", "months", "days", "hours",
            "minutes", "seconds", "entityType", "applyOnElements", "applyOnAttribute", "assignToAttribute", "condition",
        ]
        for _ in 0..<random.int(0...5) {
            let name = random.pick(parameters)
            switch name {
            case "sourceDateFormat", "targetDateFormat":
                f[name] = .string(random.pick(["yyyy-MM-dd", "Date(milliseconds)", "yyyyyyyyyyyyyyyyyyMMdd", "DDDDDDDDDDDDDDDDDDDDD", "yyyy-MM-dd'T'HH:mm:ssX", "Q"]))
            case "regex": f[name] = .string(random.chance(0.5) ? "(a+)+$" : random.text())
            case "condition": f[name] = .string(JSONPathGrammar.condition(&random))
            default: f[name] = random.chance(0.6) ? (JSONNumber(text: random.numberText()).map(JSONValue.number) ?? .null) : JSONGrammar.value(&random, depth: 1)
            }
        }
        return .object(f)
    }

    /// An entity to transform: a SCIM user or group with random deviations.
    public static func entity(_ random: inout SeededRandom) -> JSONValue {
        var user: JSONValue = [
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "u1", "userName": "alice",
            "emails": [["value": "alice@example.com", "primary": true]], "name": ["givenName": "Alice", "familyName": "Doe"],
            "groups": [["value": "g1", "display": "Admins"]], "meta": ["created": "2024-01-01T00:00:00Z", "lastModified": "/Date(1519809649123-0240)/"],
        ]
        for _ in 0..<random.int(0...3) {
            user[random.pick(JSONGrammar.commonKeys)] = JSONGrammar.value(&random, depth: 3)
        }
        return user
    }
}
