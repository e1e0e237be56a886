import Foundation
import JSON
import JSONPath

/// Compiles the function objects of a mapping's `functions` list.
enum FunctionCatalog {
    /// The documented functions that provsim does not implement yet; refused by name rather than
    /// silently ignored.
    static let notSupportedYet: Set<String> = [
        "convertCountryCode", "convertCountryRegion", "convertLocaleCode", "convertTimezoneCode",
    ]

    static let names: [String] = [
        "concatString", "compositeId", "copyMapEntry", "renameMapEntry", "decode", "encode", "toString",
        "elementAt", "getMatchedRegexGroup", "matchRegex", "manipulateDate", "putIfAbsent", "putIfPresent",
        "randomPassword", "replaceString", "replaceFirstString", "replaceLastString", "replaceAllString",
        "resolveEntityIds", "splitStringToArray", "substring", "toUpperCaseString", "toLowerCaseString",
    ]

    static func compile(_ object: JSONObject, field: String, conditions: FilterFunctionTable) throws(CompileIssue) -> FunctionStep {
        guard let nameValue = object["function"] ?? object["type"] else {
            throw CompileIssue(field: field, message: "a function needs \"function\" (or \"type\") naming it")
        }
        guard case .string(let name) = nameValue else {
            throw CompileIssue(field: field, message: "the function name must be text")
        }
        if notSupportedYet.contains(name) {
            throw CompileIssue(field: field, message: "\(name) is not supported yet by provsim")
        }
        var p = FunctionParameters(name: name, object: object, field: field)
        let function = try make(name, &p)

        var condition: FilterExpression?
        if let text = try p.text("condition") {
            do throws(JSONPathError) {
                condition = try FilterExpression(parsing: text.source, functions: conditions)
            } catch {
                throw CompileIssue(field: "\(field).condition", message: "\(name): invalid condition at \(error)")
            }
        }
        let applyOnElements = try p.bool("applyOnElements") ?? false
        let legacyApplyOn = try p.text("applyOnJsonAttribute")?.source  // the deprecated spelling
        let applyOnAttribute = try p.text("applyOnAttribute")?.source ?? legacyApplyOn
        let assignToAttribute = try p.text("assignToAttribute")?.source
        try p.rejectUnknown()
        return FunctionStep(
            name: name, field: field, function: function, condition: condition,
            applyOnElements: applyOnElements, applyOnAttribute: applyOnAttribute, assignToAttribute: assignToAttribute)
    }

    private static func make(_ name: String, _ p: inout FunctionParameters) throws(CompileIssue) -> any MappingFunction {
        switch name {
        case "concatString":
            return ConcatString(prefix: try p.text("prefix"), suffix: try p.text("suffix"))
        case "compositeId":
            let separator = try p.requiredText("separator")
            let sub = try p.requiredText("subId")
            if sub.source.hasPrefix("$") {
                do throws(JSONPathError) {
                    return CompositeId(separator: separator, subId: .path(try JSONPath(sub.source)))
                } catch {
                    throw p.issue("subId", "invalid JSONPath at \(error)")
                }
            }
            return CompositeId(separator: separator, subId: .text(sub))
        case "copyMapEntry", "renameMapEntry":
            let source = try p.requiredText("sourceKey").source
            let target = try p.requiredText("targetKey").source
            return name == "copyMapEntry"
                ? CopyMapEntry(sourceKey: source, targetKey: target) as any MappingFunction
                : RenameMapEntry(sourceKey: source, targetKey: target)
        case "decode", "encode":
            let text = try p.requiredText("algorithm").source
            guard let algorithm = EncodingAlgorithm(rawValue: text) else {
                throw p.issue("algorithm", "must be base32 or base64, not '\(text)'")
            }
            let skipPadding = try p.bool("skipPadding") ?? false
            return name == "encode" ? Encode(algorithm: algorithm, skipPadding: skipPadding) as any MappingFunction : Decode(algorithm: algorithm)
        case "toString":
            return ToString()
        case "elementAt":
            let index = try p.requiredInteger("index")
            guard index >= 0 else { throw p.issue("index", "must not be negative") }
            return ElementAt(index: index)
        case "getMatchedRegexGroup":
            let regex = try RegexParameter(try p.requiredText("regex"), parameters: p)
            let group = try p.requiredInteger("groupIndex")
            guard group >= 0 else { throw p.issue("groupIndex", "must not be negative") }
            if let compiled = regex.compiled, group > compiled.groupCount {
                throw p.issue("groupIndex", "is \(group) but /\(compiled.pattern)/ has \(compiled.groupCount) group(s)")
            }
            return GetMatchedRegexGroup(regex: regex, groupIndex: group)
        case "matchRegex":
            return MatchRegex(regex: try RegexParameter(try p.requiredText("regex"), parameters: p))
        case "replaceFirstString", "replaceLastString", "replaceAllString":
            let regex = try RegexParameter(try p.requiredText("regex"), parameters: p)
            let replacement = try p.requiredText("replacement")
            let occurrence: RegexPattern.Occurrence = name == "replaceFirstString" ? .first : name == "replaceLastString" ? .last : .all
            return ReplaceRegex(name: name, occurrence: occurrence, regex: regex, replacement: replacement)
        case "replaceString":
            return ReplaceString(target: try p.requiredText("target"), replacement: try p.requiredText("replacement"))
        case "manipulateDate":
            return try compileManipulateDate(&p)
        case "putIfAbsent", "putIfPresent":
            let key = try p.requiredText("key").source
            let value = try p.requiredValue("defaultValue")
            return name == "putIfAbsent" ? PutIfAbsent(key: key, defaultValue: value) as any MappingFunction : PutIfPresent(key: key, defaultValue: value)
        case "randomPassword":
            return try compileRandomPassword(&p)
        case "resolveEntityIds":
            let typeText = try p.text("entityType")?.source ?? "user"
            guard let type = EntityType(rawValue: typeText) else {
                throw p.issue("entityType", "must be user or group, not '\(typeText)'")
            }
            return ResolveEntityIds(
                entityType: type,
                sourceSystemName: try p.text("sourceSystemName")?.source,
                targetSystemName: try p.text("targetSystemName")?.source)
        case "splitStringToArray":
            return SplitStringToArray(separator: try p.requiredText("separator"))
        case "substring":
            let begin = try p.requiredInteger("beginIndex")
            let end = try p.integer("endIndex")
            guard begin >= 0, end.map({ $0 >= begin }) ?? true else {
                throw p.issue("endIndex", "beginIndex \(begin) and endIndex \(end.map(String.init) ?? "-") do not form a range")
            }
            return SubstringFunction(beginIndex: begin, endIndex: end)
        case "toUpperCaseString", "toLowerCaseString":
            let locale = try p.text("locale")?.source ?? "en_EN"
            return ChangeCase(upper: name == "toUpperCaseString", locale: Locale(identifier: locale))
        default:
            throw p.issue(nil, "unknown function (known: \(names.joined(separator: ", ")))")
        }
    }

    private static func compileManipulateDate(_ p: inout FunctionParameters) throws(CompileIssue) -> ManipulateDate {
        func format(_ key: String) throws(CompileIssue) -> JavaDateFormat? {
            guard let text = try p.text(key)?.source else { return nil }
            do throws(EntityFailure) {
                return try JavaDateFormat(text)
            } catch {
                throw p.issue(key, error.message)
            }
        }
        let sourceText = try p.text("sourceDateFormat")?.source
        let source: ManipulateDate.Input
        var sourceFormat: JavaDateFormat?
        if sourceText == "Date(milliseconds)" {
            source = .epochMilliseconds
        } else if sourceText != nil {
            sourceFormat = try format("sourceDateFormat")
            source = .pattern(sourceFormat!)
        } else {
            source = .iso8601
        }
        let target = try format("targetDateFormat") ?? sourceFormat ?? ManipulateDate.isoOutput
        return ManipulateDate(
            source: source, target: target,
            years: try p.integer("years") ?? 0, months: try p.integer("months") ?? 0, days: try p.integer("days") ?? 0,
            hours: try p.integer("hours") ?? 0, minutes: try p.integer("minutes") ?? 0, seconds: try p.integer("seconds") ?? 0)
    }

    private static func compileRandomPassword(_ p: inout FunctionParameters) throws(CompileIssue) -> RandomPassword {
        let length = try p.requiredInteger("passwordLength")
        let lower = try p.requiredInteger("minimumNumberOfLowercaseLetters")
        let upper = try p.requiredInteger("minimumNumberOfUppercaseLetters")
        let digits = try p.requiredInteger("minimumNumberOfDigits")
        let special = try p.requiredInteger("minimumNumberOfSpecialSymbols")
        let symbolsGiven = try p.text("specialSymbols")?.source
        let symbols = Array(symbolsGiven ?? RandomPassword.defaultSymbols)
        guard [length, lower, upper, digits, special].allSatisfy({ $0 >= 0 }) else {
            throw p.issue(nil, "lengths and minimums must not be negative")
        }
        // Every entity gets a password this long: a bound keeps a typo from exhausting memory.
        guard [length, lower, upper, digits, special].allSatisfy({ $0 <= RandomPassword.maximumLength }) else {
            throw p.issue(nil, "lengths and minimums must be at most \(RandomPassword.maximumLength)")
        }
        // Minimums adding up to more than the length are not a configuration error: IPS loads the
        // transformation and the function fails when it runs (docs/fidelity.md, “Transformation language”), see RandomPassword.
        if symbolsGiven != nil && special == 0 {
            throw p.issue("minimumNumberOfSpecialSymbols", "must not be 0 when specialSymbols is given")
        }
        guard !symbols.isEmpty || special == 0 else { throw p.issue("specialSymbols", "is empty") }
        let classes = [(RandomPassword.lowercase, lower), (RandomPassword.uppercase, upper), (RandomPassword.digits, digits), (symbols, special)]
            .filter { $0.1 > 0 }
        guard !classes.isEmpty else {
            throw p.issue(nil, "every minimum is 0, so no character class is enabled")
        }
        return RandomPassword(length: length, classes: classes.map { (characters: $0.0, minimum: $0.1) })
    }
}
