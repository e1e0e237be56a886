import Determinism
import JSON
import JSONPath

/// One compiled mapping of an entity block. A class: rules are immutable and visited for every
/// entity, and copying one reference is cheaper than copying a dozen fields.
final class MappingRule: Sendable {
    enum Source: Sendable {
        case path(JSONPath)
        case variable(String, path: JSONPath?)
        case constant(JSONValue)
        case none
    }

    enum Action: Sendable {
        case set
        case remove
        case rename(to: String)
        case valueMapping(paths: [JSONPath], table: [(key: [JSONValue], value: JSONValue)])
    }

    /// `user.mappings[3]`, as errors name it.
    let name: String
    let source: Source
    let action: Action
    let targetPath: JSONPath?
    let targetVariable: String?
    let condition: FilterExpression?
    let functions: [FunctionStep]
    let optional: Bool
    let defaultValue: JSONValue?
    let preserveArrayWithSingleElement: Bool
    let correlationAttribute: Bool
    let scope: MappingScope?

    init(
        name: String, source: Source, action: Action, targetPath: JSONPath?, targetVariable: String?,
        condition: FilterExpression?, functions: [FunctionStep], optional: Bool, defaultValue: JSONValue?,
        preserveArrayWithSingleElement: Bool, correlationAttribute: Bool, scope: MappingScope?
    ) {
        self.name = name
        self.source = source
        self.action = action
        self.targetPath = targetPath
        self.targetVariable = targetVariable
        self.condition = condition
        self.functions = functions
        self.optional = optional
        self.defaultValue = defaultValue
        self.preserveArrayWithSingleElement = preserveArrayWithSingleElement
        self.correlationAttribute = correlationAttribute
        self.scope = scope
    }

    /// Runs the rule against the entity being built. Throws when a mandatory value is missing or a
    /// function fails; the message names the rule.
    func run(_ state: inout ApplyState) throws(EntityFailure) {
        if let condition,
           !condition.evaluate(FilterScope(root: state.input, variables: state.variables)) {
            return
        }
        switch action {
        case .remove:
            guard let targetPath else { return }
            do throws(JSONPathWriteError) {
                try targetPath.remove(from: &state.output, variables: state.variables)
            } catch {
                throw EntityFailure(rule: name, message: error.message)
            }
        case .rename(let newName):
            guard let targetPath else { return }
            do throws(JSONPathWriteError) {
                try targetPath.renameLast(to: newName, in: &state.output, variables: state.variables)
            } catch {
                throw EntityFailure(rule: name, message: error.message)
            }
        case .valueMapping(let paths, let table):
            let key = paths.map { read($0, state) ?? .null }
            let hit = table.first { entry in
                zip(entry.key, key).allSatisfy { expected, actual in expected.looselyEquals(actual) }
            }
            try deliver(hit?.value ?? defaultValue, into: &state)
        case .set:
            var value: JSONValue?
            switch source {
            case .path(let path):
                value = read(path, state)
            case .variable(let variable, let path):
                if let bound = state.variables[variable], !bound.isNull {
                    value = path.map { read($0, in: bound, state) } ?? bound
                } else if variable == "entityIdTargetSystem", state.operation == .create || state.context.targetIdPending {
                    return  // no target ID exists before the target has created (or the engine has found) the entity
                }
            case .constant(let constant):
                value = constant
            case .none:
                value = nil
            }
            if !preserveArrayWithSingleElement, case .array(let elements)? = value, elements.count == 1, !isConstant {
                value = elements[0]
            }
            for step in functions {
                value = try step.run(value, &state)
            }
            // `defaultValue` stands in only for an optional mapping (docs/fidelity.md, “Transformation language”): a mandatory
            // one without a value fails the entity, default or not. Without any source, the
            // default is the value.
            let sourceless: Bool
            if case Source.none = source { sourceless = true } else { sourceless = false }
            try deliver(value ?? (optional || sourceless ? defaultValue : nil), into: &state)
        }
    }

    private var isConstant: Bool {
        if case .constant = source { return true }
        return false
    }

    /// A path's value, with JSON `null` and an empty list both counting as "no value".
    private func read(_ path: JSONPath, _ state: ApplyState) -> JSONValue? {
        read(path, in: state.input, state)
    }

    private func read(_ path: JSONPath, in document: JSONValue, _ state: ApplyState) -> JSONValue? {
        switch path.select(in: document, variables: state.variables) {
        case .notFound: return nil
        case .value(let v): return v.isNull ? nil : v
        case .list(let l): return l.isEmpty ? nil : .array(l)
        }
    }

    private func deliver(_ value: JSONValue?, into state: inout ApplyState) throws(EntityFailure) {
        guard let value else {
            // Pure correlation mappings write nothing, so they cannot be missing anything.
            if optional || (targetPath == nil && targetVariable == nil) { return }
            throw EntityFailure(rule: name, message: "\(describeSource) has no value and the mapping is not optional")
        }
        if correlationAttribute { state.correlationValues.append(value) }
        if let targetVariable { state.variables[targetVariable] = value }
        if let targetPath {
            do throws(JSONPathWriteError) {
                try targetPath.set(value, in: &state.output, mergeObjects: true, variables: state.variables)
            } catch {
                throw EntityFailure(rule: name, message: error.message)
            }
        }
    }

    private var describeSource: String {
        switch source {
        case .path(let p): return "sourcePath \(p.expression)"
        case .variable(let v, let p): return "sourceVariable \(v)" + (p.map { " at variablePath \($0.expression)" } ?? "")
        case .constant: return "constant"
        case .none:
            if case .valueMapping(let paths, _) = action { return "valueMapping of \(paths.map(\.expression).joined(separator: ", "))" }
            return "the function chain"
        }
    }
}

/// The state of one application, threaded through the rules (and their functions) in order.
struct ApplyState {
    let input: JSONValue
    /// The entity as `$` for functions and conditions.
    var root: JSONValue { input }
    let operation: TransformOperation
    let context: TransformContext
    var output: JSONValue = .object(JSONObject())
    var variables: VariableBindings
    var correlationValues: [JSONValue] = []
    var warnings: [String] = []
    var random: EntropySource
}
