import JSON
import JSONPath

/// Walks a parsed document and compiles it, naming the field and line of anything wrong.
struct DocumentCompiler {
    let source: String?
    let locations: JSONLocations?
    let substitution: PropertySubstitution
    let conditionFunctions: FilterFunctionTable
    let usesCurrentDate: Bool
    let properties: [String: String]

    static let entityKeys: Set<String> = ["mappings", "condition", "ignore", "skipOperations", "scimEntityEndpoint"]
    static let mappingKeys: Set<String> = [
        "sourcePath", "sourcePaths", "targetPath", "sourceVariable", "targetVariable", "variablePath", "constant",
        "condition", "functions", "optional", "defaultValue", "preserveArrayWithSingleElement", "correlationAttribute",
        "scope", "ignore", "type", "valueMappings",
    ]

    init(source: String?, locations: JSONLocations?, properties: [String: String], usesCurrentDate: Bool) {
        self.source = source
        self.locations = locations
        self.properties = properties
        substitution = PropertySubstitution(properties: properties)
        conditionFunctions = ConditionFunctions.table(properties: properties)
        self.usesCurrentDate = usesCurrentDate
    }

    enum Step {
        case key(String)
        case index(Int)
    }

    func fail(_ path: [Step], _ message: String) -> TransformationCompileError {
        var field = ""
        var pointer = ""
        for step in path {
            switch step {
            case .key(let k):
                field += field.isEmpty ? k : "." + k
                pointer += "/" + JSONLocations.escape(k)
            case .index(let i):
                field += "[\(i)]"
                pointer += "/\(i)"
            }
        }
        // The line of the field itself, or of the nearest enclosing value that has one.
        var line: Int?
        var probe = pointer
        while line == nil, let locations {
            line = locations.line(of: probe)
            guard let slash = probe.lastIndex(of: "/") else { break }
            probe = String(probe[..<slash])
        }
        return TransformationCompileError(source: source, line: line, field: field, message: message)
    }

    /// Turns an issue raised below a mapping into a located error (its field is relative text).
    func fail(_ issue: CompileIssue, under base: [Step]) -> TransformationCompileError {
        var located = fail(base + Self.steps(issue.field), issue.message)
        located.field = issue.field
        return located
    }

    static func steps(_ field: String) -> [Step] {
        var steps: [Step] = []
        for part in field.split(separator: ".") {
            var text = Substring(part)
            if let bracket = text.firstIndex(of: "[") {
                steps.append(.key(String(text[..<bracket])))
                text = text[bracket...]
                while text.hasPrefix("["), let close = text.firstIndex(of: "]") {
                    if let i = Int(text[text.index(after: text.startIndex)..<close]) { steps.append(.index(i)) }
                    text = text[text.index(after: close)...]
                }
            } else {
                steps.append(.key(String(text)))
            }
        }
        return steps
    }

    mutating func compile(_ document: JSONValue) throws(TransformationCompileError) -> [EntityType: EntityPlan] {
        guard case .object(let root) = document else {
            throw fail([], "a transformation is a JSON object with \"user\", \"group\" and/or \"role\" blocks")
        }
        var dateFormat: JavaDateFormat?
        if usesCurrentDate {
            let pattern = properties["ips.date.variable.format"] ?? Transformation.defaultDateFormat
            do throws(EntityFailure) {
                dateFormat = try JavaDateFormat(pattern)
            } catch {
                throw TransformationCompileError(source: source, line: nil, field: "ips.date.variable.format", message: error.message)
            }
        }
        var plans: [EntityType: EntityPlan] = [:]
        for member in root {
            guard let type = EntityType(rawValue: member.key) else {
                throw fail([.key(member.key)], "unknown entity type '\(member.key)' (expected user, group or role)")
            }
            plans[type] = try compileEntity(type, member.value, dateFormat: dateFormat)
        }
        return plans
    }

    private func compileEntity(_ type: EntityType, _ value: JSONValue, dateFormat: JavaDateFormat?) throws(TransformationCompileError) -> EntityPlan {
        let base: [Step] = [.key(type.rawValue)]
        guard case .object(let block) = value else {
            throw fail(base, "an entity block must be an object with \"mappings\"")
        }
        for key in block.keys where !Self.entityKeys.contains(key) {
            throw fail(base + [.key(key)], "unknown key '\(key)' (known: \(Self.entityKeys.sorted().joined(separator: ", ")))")
        }
        let ignored = try bool(block["ignore"], base + [.key("ignore")]) ?? false
        var conditionText: String?
        var condition: FilterExpression?
        if let raw = block["condition"] {
            guard case .string(let text) = raw else { throw fail(base + [.key("condition")], "must be text") }
            conditionText = text
            condition = try compileCondition(text, base + [.key("condition")])
        }
        var skip: Set<String> = []
        if let raw = block["skipOperations"] {
            guard case .array(let list) = raw else { throw fail(base + [.key("skipOperations")], "must be a list such as [\"update\"]") }
            for (i, element) in list.enumerated() {
                guard case .string(let op) = element, ["create", "update", "delete"].contains(op) else {
                    throw fail(base + [.key("skipOperations"), .index(i)], "must be \"create\", \"update\" or \"delete\", not \(element)")
                }
                skip.insert(op)
            }
        }
        var endpoint: String?
        if let raw = block["scimEntityEndpoint"] {
            guard case .string(let text) = raw else { throw fail(base + [.key("scimEntityEndpoint")], "must be text such as \"Users\"") }
            endpoint = text
        }
        guard case .array(let mappings)? = block["mappings"] else {
            throw fail(base + [.key("mappings")], block["mappings"] == nil ? "missing \"mappings\" list" : "\"mappings\" must be a list")
        }
        var rules: [MappingRule] = []
        for (index, mapping) in mappings.enumerated() {
            if let rule = try compileMapping(mapping, base + [.key("mappings"), .index(index)], name: "\(type.rawValue).mappings[\(index)]") {
                rules.append(rule)
            }
        }
        return EntityPlan(
            entityType: type, isIgnored: ignored, conditionText: conditionText, condition: condition,
            skipOperations: skip, scimEntityEndpoint: endpoint, rules: rules, currentDateFormat: dateFormat)
    }

    private func compileMapping(_ raw: JSONValue, _ path: [Step], name: String) throws(TransformationCompileError) -> MappingRule? {
        guard case .object(let mapping) = substitution.apply(to: raw) else {
            throw fail(path, "a mapping must be an object")
        }
        for key in mapping.keys where !Self.mappingKeys.contains(key) {
            throw fail(path + [.key(key)], "unknown key '\(key)' in a mapping (known: \(Self.mappingKeys.sorted().joined(separator: ", ")))")
        }
        if try bool(mapping["ignore"], path + [.key("ignore")]) == true { return nil }

        let typeText = try text(mapping["type"], path + [.key("type")]) ?? "set"
        let sourceKeys = ["sourcePath", "sourceVariable", "constant"].filter { mapping[$0] != nil }
        if sourceKeys.count > 1 {
            throw fail(path + [.key(sourceKeys[1])], "a mapping takes one of sourcePath, sourceVariable and constant, not \(sourceKeys.joined(separator: " and "))")
        }
        var source = MappingRule.Source.none
        if let sp = try text(mapping["sourcePath"], path + [.key("sourcePath")]) {
            source = .path(try compilePath(sp, path + [.key("sourcePath")]))
        } else if let variable = try text(mapping["sourceVariable"], path + [.key("sourceVariable")]) {
            let variablePath = try text(mapping["variablePath"], path + [.key("variablePath")])
                .map { (p) throws(TransformationCompileError) -> JSONPath in try compilePath(p, path + [.key("variablePath")]) }
            source = .variable(variable, path: variablePath)
        } else if let constant = mapping["constant"] {
            source = .constant(constant)
        }
        if mapping["variablePath"] != nil, mapping["sourceVariable"] == nil {
            throw fail(path + [.key("variablePath")], "variablePath only works together with sourceVariable")
        }

        let targetPath = try text(mapping["targetPath"], path + [.key("targetPath")])
            .map { (p) throws(TransformationCompileError) -> JSONPath in try compilePath(p, path + [.key("targetPath")], writable: true) }
        let targetVariable = try text(mapping["targetVariable"], path + [.key("targetVariable")])
        // The condition is compiled from the text as written: compileCondition substitutes it once.
        let condition = try text(raw["condition"], path + [.key("condition")])
            .map { (c) throws(TransformationCompileError) -> FilterExpression in try compileCondition(c, path + [.key("condition")]) }
        var scope: MappingScope?
        if let s = try text(mapping["scope"], path + [.key("scope")]) {
            guard let parsed = MappingScope(rawValue: s) else {
                throw fail(path + [.key("scope")], "must be createEntity, patchEntity or deleteEntity, not '\(s)'")
            }
            scope = parsed
        }
        var functions: [FunctionStep] = []
        if let raw = mapping["functions"] {
            guard case .array(let list) = raw else { throw fail(path + [.key("functions")], "must be a list of function objects") }
            for (i, element) in list.enumerated() {
                let field = "\(name).functions[\(i)]"
                guard case .object(let object) = element else {
                    throw fail(path + [.key("functions"), .index(i)], "a function must be an object")
                }
                do throws(CompileIssue) {
                    functions.append(try FunctionCatalog.compile(object, field: field, conditions: conditionFunctions))
                } catch {
                    throw fail(error, under: [])
                }
            }
        }
        let correlation = try bool(mapping["correlationAttribute"], path + [.key("correlationAttribute")]) ?? false

        if mapping["sourcePaths"] != nil, typeText != "valueMapping" {
            throw fail(path + [.key("sourcePaths")], "sourcePaths only works with \"type\": \"valueMapping\"")
        }
        let action: MappingRule.Action
        switch typeText {
        case "set":
            if targetPath == nil && targetVariable == nil && !correlation {
                throw fail(path, "a mapping needs a targetPath or targetVariable")
            }
            if case .none = source, !functions.contains(where: { if case .generator = $0.function.shape { return true } else { return false } }),
               mapping["defaultValue"] == nil {
                throw fail(path, "a mapping needs sourcePath, sourceVariable, constant, defaultValue or a generating function such as randomPassword")
            }
            action = .set
        case "remove":
            guard targetPath != nil else { throw fail(path, "a remove mapping needs a targetPath") }
            if let key = sourceKeys.first { throw fail(path + [.key(key)], "a remove mapping takes no \(key)") }
            action = .remove
        case "rename":
            guard targetPath != nil else { throw fail(path, "a rename mapping needs a targetPath") }
            guard case .constant(.string(let newName)) = source else {
                throw fail(path + [.key("constant")], "a rename mapping needs the new name as a text constant")
            }
            action = .rename(to: newName)
            source = .none
        case "valueMapping":
            action = try compileValueMapping(mapping, path, sourcePathGiven: source)
            source = .none
        default:
            throw fail(path + [.key("type")], "must be set, remove, rename or valueMapping, not '\(typeText)'")
        }
        return MappingRule(
            name: name, source: source, action: action, targetPath: targetPath, targetVariable: targetVariable,
            condition: condition, functions: functions,
            optional: try bool(mapping["optional"], path + [.key("optional")]) ?? false,
            defaultValue: mapping["defaultValue"],
            preserveArrayWithSingleElement: try bool(mapping["preserveArrayWithSingleElement"], path + [.key("preserveArrayWithSingleElement")]) ?? false,
            correlationAttribute: correlation, scope: scope)
    }

    private func compileValueMapping(_ mapping: JSONObject, _ path: [Step], sourcePathGiven: MappingRule.Source) throws(TransformationCompileError) -> MappingRule.Action {
        var paths: [JSONPath] = []
        if let raw = mapping["sourcePaths"] {
            guard case .array(let list) = raw, !list.isEmpty else {
                throw fail(path + [.key("sourcePaths")], "must be a non-empty list of paths")
            }
            for (i, element) in list.enumerated() {
                guard case .string(let p) = element else { throw fail(path + [.key("sourcePaths"), .index(i)], "must be a path") }
                paths.append(try compilePath(p, path + [.key("sourcePaths"), .index(i)]))
            }
        } else if case .path(let p) = sourcePathGiven {
            paths = [p]
        } else {
            throw fail(path, "a valueMapping needs sourcePaths (or a sourcePath)")
        }
        guard case .array(let entries)? = mapping["valueMappings"] else {
            throw fail(path + [.key("valueMappings")], "a valueMapping needs a \"valueMappings\" list of {\"key\": [...], \"mappedValue\": ...}")
        }
        var table: [(key: [JSONValue], value: JSONValue)] = []
        for (i, entry) in entries.enumerated() {
            let at = path + [.key("valueMappings"), .index(i)]
            guard case .object(let object) = entry, let key = object["key"], let mapped = object["mappedValue"] else {
                throw fail(at, "each entry needs \"key\" and \"mappedValue\"")
            }
            let keyValues = key.arrayValue ?? [key]
            guard keyValues.count == paths.count else {
                throw fail(at + [.key("key")], "has \(keyValues.count) value(s) but there are \(paths.count) source path(s)")
            }
            table.append((keyValues, mapped))
        }
        return .valueMapping(paths: paths, table: table)
    }

    private func compilePath(_ text: String, _ path: [Step], writable: Bool = false) throws(TransformationCompileError) -> JSONPath {
        let compiled: JSONPath
        do throws(JSONPathError) {
            compiled = try JSONPath(text, functions: conditionFunctions)
        } catch {
            throw fail(path, "invalid JSONPath '\(text)' at \(error)")
        }
        if writable, let problem = compiled.writeProblem {
            throw fail(path, "cannot write to '\(text)': \(problem)")
        }
        return compiled
    }

    private func compileCondition(_ text: String, _ path: [Step]) throws(TransformationCompileError) -> FilterExpression {
        let substituted = substitution.replaceReferences(in: text)
        do throws(JSONPathError) {
            return try FilterExpression(parsing: substituted, functions: conditionFunctions)
        } catch {
            let shown = substituted == text ? "'\(text)'" : "'\(text)' (after property substitution: '\(substituted)')"
            throw fail(path, "invalid condition \(shown) at \(error)")
        }
    }

    private func text(_ value: JSONValue?, _ path: [Step]) throws(TransformationCompileError) -> String? {
        guard let value else { return nil }
        guard case .string(let s) = value else { throw fail(path, "must be text, not \(value.typeName)") }
        return s
    }

    private func bool(_ value: JSONValue?, _ path: [Step]) throws(TransformationCompileError) -> Bool? {
        guard let value else { return nil }
        switch value {
        case .bool(let b): return b
        case .string("true"): return true
        case .string("false"): return false
        default: throw fail(path, "must be true or false, not \(value.serialized())")
        }
    }
}
