import Determinism
import JSON
import JSONPath

/// How a function meets arrays.
enum FunctionShape {
    /// Works on the value as a whole; with `applyOnElements` on each element.
    case whole
    /// Works element by element by nature (map-entry functions, `resolveEntityIds`); a non-array
    /// value is treated as a single element. The function-level condition is tested per element.
    case perElement
    /// Produces a value without input (`randomPassword`).
    case generator
}

/// One mapping function, compiled with its parameters.
protocol MappingFunction: Sendable {
    var shape: FunctionShape { get }
    /// Whether an array result replaces the element it came from by several elements.
    var flattensResults: Bool { get }
    /// The result, or `nil` for "no value".
    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue?
}

extension MappingFunction {
    var shape: FunctionShape { .whole }
    var flattensResults: Bool { false }
}

/// A failure inside a function, before it is attributed to its rule.
struct FunctionError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// What functions can see while they run: the state of the transformation itself (its input as
/// `root`, variables, context, random source, warnings). Passing the state `inout` instead of
/// copying its parts into a separate environment saved about 1 µs per function-bearing mapping.
typealias FunctionEnvironment = ApplyState

extension JSONValue {
    /// The text of a scalar for string functions; containers are refused.
    func scalarText(for function: String) throws(FunctionError) -> String {
        switch self {
        case .string(let s): return s
        case .number(let n): return n.text
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array, .object:
            throw FunctionError("\(function) works on text, but the value is \(typeName == "array" ? "an array" : "an object") (use applyOnElements or applyOnAttribute)")
        }
    }
}

/// A function with its modifiers, as it appears in a mapping's `functions` list.
struct FunctionStep: Sendable {
    let name: String
    /// Where it stands, e.g. `user.mappings[3].functions[0]`.
    let field: String
    let function: any MappingFunction
    let condition: FilterExpression?
    let applyOnElements: Bool
    let applyOnAttribute: String?
    let assignToAttribute: String?

    func run(_ value: JSONValue?, _ environment: inout FunctionEnvironment) throws(EntityFailure) -> JSONValue? {
        guard let value else {
            guard case .generator = function.shape else { return nil }
            guard passes(.null, environment) else { return nil }
            return try call(.null, &environment)
        }
        if applyOnAttribute != nil || assignToAttribute != nil {
            return try mapElements(value) { (element) throws(EntityFailure) -> [JSONValue] in
                guard case .object(var object) = element, passes(element, environment) else { return [element] }
                let input = applyOnAttribute.map { object[$0] } ?? element
                guard let input, let result = try call(input, &environment) else { return [element] }
                let key = assignToAttribute ?? applyOnAttribute!
                if function.flattensResults, case .array(let results) = result {
                    return results.map { r in
                        var copy = object
                        copy[key] = r
                        return .object(copy)
                    }
                }
                object[key] = result
                return [.object(object)]
            }
        }
        if applyOnElements || function.shape == .perElement {
            return try mapElements(value) { (element) throws(EntityFailure) -> [JSONValue] in
                guard passes(element, environment) else { return [element] }
                guard let result = try call(element, &environment) else { return [] }
                if function.flattensResults, case .array(let results) = result { return results }
                return [result]
            }
        }
        guard passes(value, environment) else { return value }
        return try call(value, &environment)
    }

    private func passes(_ current: JSONValue, _ environment: FunctionEnvironment) -> Bool {
        guard let condition else { return true }
        return condition.evaluate(FilterScope(root: environment.root, current: current, variables: environment.variables))
    }

    private func call(_ value: JSONValue, _ environment: inout FunctionEnvironment) throws(EntityFailure) -> JSONValue? {
        do throws(FunctionError) {
            return try function.apply(value, in: &environment)
        } catch {
            throw EntityFailure(rule: field, message: "\(name): \(error.message)")
        }
    }

    /// Applies `body` to each element of an array (results spliced in order), or to a lone value.
    private func mapElements(_ value: JSONValue, _ body: (JSONValue) throws(EntityFailure) -> [JSONValue]) throws(EntityFailure) -> JSONValue? {
        if case .array(let elements) = value {
            var out: [JSONValue] = []
            out.reserveCapacity(elements.count)
            for element in elements { out.append(contentsOf: try body(element)) }
            return .array(out)
        }
        let results = try body(value)
        switch results.count {
        case 0: return nil
        case 1: return results[0]
        default: return .array(results)
        }
    }
}
