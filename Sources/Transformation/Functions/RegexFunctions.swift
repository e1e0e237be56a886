import JSON
import JSONPath

/// A regex parameter: compiled once, or per distinct text when it interpolates `${variables}`.
struct RegexParameter: Sendable {
    let template: StringTemplate
    let compiled: RegexPattern?

    init(_ template: StringTemplate, parameters: FunctionParameters) throws(CompileIssue) {
        self.template = template
        if template.isConstant {
            do throws(RegexPatternError) {
                compiled = try RegexPattern(template.source)
            } catch {
                throw parameters.issue("regex", error.reason)
            }
        } else {
            compiled = nil
        }
    }

    func pattern(_ variables: VariableBindings) throws(FunctionError) -> RegexPattern {
        if let compiled { return compiled }
        let text = template.render(variables)
        guard let p = RegexPattern.cached(text) else { throw FunctionError("invalid regular expression /\(text)/") }
        return p
    }
}

/// `getMatchedRegexGroup`: capture group `groupIndex` (0 = whole match) of the first match.
struct GetMatchedRegexGroup: MappingFunction {
    let regex: RegexParameter
    let groupIndex: Int

    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue? {
        let text = try value.scalarText(for: "getMatchedRegexGroup")
        let pattern = try regex.pattern(environment.variables)
        guard groupIndex <= pattern.groupCount else {
            throw FunctionError("groupIndex \(groupIndex) but /\(pattern.pattern)/ has \(pattern.groupCount) group(s)")
        }
        return pattern.firstMatchGroup(groupIndex, in: text).map(JSONValue.string)
    }
}

/// `matchRegex`: whether the whole value matches.
struct MatchRegex: MappingFunction {
    let regex: RegexParameter

    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue? {
        let text = try value.scalarText(for: "matchRegex")
        return .bool(try regex.pattern(environment.variables).matchesWhole(text))
    }
}

/// `replaceFirstString`, `replaceLastString`, `replaceAllString` (Java replacement syntax, `$1`).
struct ReplaceRegex: MappingFunction {
    let name: String
    let occurrence: RegexPattern.Occurrence
    let regex: RegexParameter
    let replacement: StringTemplate

    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue? {
        let text = try value.scalarText(for: name)
        let pattern = try regex.pattern(environment.variables)
        return .string(pattern.replace(occurrence, in: text, with: replacement.render(environment.variables)))
    }
}
