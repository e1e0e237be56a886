import Chrono
import JSON

/// Evaluates SCIM filters against resources, using the resource type's schemas for each
/// attribute's type and case-exactness.
///
/// - Attribute names are case-insensitive; an unqualified name is looked up in the core schema,
///   then in the extensions.
/// - A multi-valued attribute matches when any value does; a complex multi-valued attribute without
///   a sub-attribute compares its elements' `value`.
/// - `ne` holds when no value equals (so a missing attribute is "not equal").
/// - `dateTime` attributes compare as instants; strings by `caseExact` (default: case-insensitive).
public struct SCIMFilterEvaluator: Sendable {
    public let resourceType: SCIMResourceType
    /// Compare every string case-insensitively regardless of the schema (UAA's rule).
    public var ignoreCaseExact: Bool

    public init(resourceType: SCIMResourceType, ignoreCaseExact: Bool = false) {
        self.resourceType = resourceType
        self.ignoreCaseExact = ignoreCaseExact
    }

    public func matches(_ filter: SCIMFilter, _ resource: JSONValue) -> Bool {
        evaluate(filter, in: resource, element: nil)
    }

    /// Whether one element of a multi-valued attribute matches a value filter (PATCH paths).
    public func matches(element: JSONValue, of definition: SCIMAttribute, filter: SCIMFilter) -> Bool {
        evaluate(filter, in: element, element: (element, definition))
    }

    /// `element` is set inside a value path: names then refer to the element's sub-attributes.
    private func evaluate(_ filter: SCIMFilter, in resource: JSONValue, element: (value: JSONValue, definition: SCIMAttribute?)?) -> Bool {
        switch filter {
        case .and(let a, let b):
            return evaluate(a, in: resource, element: element) && evaluate(b, in: resource, element: element)
        case .or(let a, let b):
            return evaluate(a, in: resource, element: element) || evaluate(b, in: resource, element: element)
        case .not(let inner):
            return !evaluate(inner, in: resource, element: element)
        case .present(let path):
            return values(of: path, in: resource, element: element).contains { !$0.isEmptyValue }
        case .compare(let path, let op, let operand):
            let definition = self.definition(of: path, element: element)
            let candidates = values(of: path, in: resource, element: element).filter { !$0.isNull }
            if op == .eq, operand == .null { return candidates.isEmpty }
            if op == .ne {
                if operand == .null { return !candidates.isEmpty }
                return !candidates.contains { compare($0, .eq, operand, definition) }
            }
            return candidates.contains { compare($0, op, operand, definition) }
        case .valuePath(let path, let inner):
            let definition = self.definition(of: path, element: element)
            guard let container = value(of: path, in: resource, element: element) else { return false }
            let elements = container.arrayValue ?? [container]
            return elements.contains { evaluate(inner, in: resource, element: ($0, definition)) }
        }
    }

    private func definition(of path: SCIMAttributePath, element: (value: JSONValue, definition: SCIMAttribute?)?) -> SCIMAttribute? {
        if let element {
            // Inside a value path the name is a sub-attribute of the element.
            return element.definition?.subAttribute(named: path.attribute)
        }
        return resourceType.attribute(for: path)
    }

    /// The attribute's value (without descending into the sub-attribute).
    private func value(of path: SCIMAttributePath, in resource: JSONValue, element: (value: JSONValue, definition: SCIMAttribute?)?) -> JSONValue? {
        if let element { return element.value.member(caseInsensitive: path.attribute) }
        return SCIMResourceAccess.value(of: path.parent, in: resource, resourceType: resourceType)
    }

    /// The scalar values the path stands for.
    private func values(of path: SCIMAttributePath, in resource: JSONValue, element: (value: JSONValue, definition: SCIMAttribute?)?) -> [JSONValue] {
        guard let top = value(of: path, in: resource, element: element) else { return [] }
        let topElements = top.arrayValue ?? [top]
        if let sub = path.subAttribute, element == nil {
            return topElements.flatMap { e -> [JSONValue] in
                guard let v = e.member(caseInsensitive: sub) else { return [] }
                return v.arrayValue ?? [v]
            }
        }
        // A complex multi-valued attribute compared as a whole means its elements' "value".
        return topElements.map { e in
            if case .object = e, let v = e.member(caseInsensitive: "value") { return v }
            return e
        }
    }

    private func compare(_ candidate: JSONValue, _ op: SCIMFilter.Operator, _ operand: SCIMFilter.Value, _ definition: SCIMAttribute?) -> Bool {
        if definition?.type == .dateTime, case .string(let text) = candidate, case .string(let other) = operand,
           let a = RFC3339.parse(text)?.epochMilliseconds, let b = RFC3339.parse(other)?.epochMilliseconds {
            return order(a == b ? 0 : (a < b ? -1 : 1), op)
        }
        switch (candidate, operand) {
        case (.string(let s), .string(let t)):
            let exact = !ignoreCaseExact && (definition?.caseExact ?? false)
            let a = exact ? s : s.lowercased()
            let b = exact ? t : t.lowercased()
            switch op {
            case .eq: return a == b
            case .ne: return a != b
            case .co: return a.contains(b)
            case .sw: return a.hasPrefix(b)
            case .ew: return a.hasSuffix(b)
            case .gt, .ge, .lt, .le: return order(a == b ? 0 : (a < b ? -1 : 1), op)
            }
        case (.number(let x), .number(let y)):
            return order(x == y ? 0 : (x < y ? -1 : 1), op)
        case (.string(let s), .number(let y)):
            guard let x = JSONNumber(text: s) else { return false }
            return order(x == y ? 0 : (x < y ? -1 : 1), op)
        case (.bool(let x), .bool(let y)):
            return op == .eq ? x == y : (op == .ne ? x != y : false)
        case (.bool(let x), .string(let t)):
            // Some clients quote booleans: active eq "true".
            guard let y = Bool(t.lowercased()) else { return false }
            return op == .eq ? x == y : (op == .ne ? x != y : false)
        default:
            return false
        }
    }

    private func order(_ comparison: Int, _ op: SCIMFilter.Operator) -> Bool {
        switch op {
        case .eq: return comparison == 0
        case .ne: return comparison != 0
        case .gt: return comparison > 0
        case .ge: return comparison >= 0
        case .lt: return comparison < 0
        case .le: return comparison <= 0
        case .co, .sw, .ew: return false
        }
    }
}

/// Reading attributes of stored resources the way SCIM names them.
public enum SCIMResourceAccess {
    /// The value at `path` (schema-qualified or not, any case), or nil.
    public static func value(of path: SCIMAttributePath, in resource: JSONValue, resourceType: SCIMResourceType) -> JSONValue? {
        let top: JSONValue?
        if let urn = path.schema {
            let holder = urn.caseInsensitiveEquals(resourceType.schema.id) ? resource : resource.member(caseInsensitive: urn)
            top = holder?.member(caseInsensitive: path.attribute)
        } else if let direct = resource.member(caseInsensitive: path.attribute) {
            top = direct
        } else {
            // Unqualified names of extension attributes are found in the extension objects.
            top = resourceType.extensions.lazy
                .compactMap { resource.member(caseInsensitive: $0.schema.id)?.member(caseInsensitive: path.attribute) }
                .first
        }
        guard let top else { return nil }
        return descend(top, path.subAttribute)
    }

    private static func descend(_ value: JSONValue, _ sub: String?) -> JSONValue? {
        guard let sub else { return value }
        if case .array(let elements) = value {
            return .array(elements.compactMap { $0.member(caseInsensitive: sub) })
        }
        return value.member(caseInsensitive: sub)
    }
}

extension JSONValue {
    /// Member lookup ignoring ASCII case, exact spelling first.
    public func member(caseInsensitive name: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        if let exact = object[name] { return exact }
        return object.first { $0.key.caseInsensitiveEquals(name) }?.value
    }

    /// The stored key that matches `name` ignoring case.
    public func memberKey(caseInsensitive name: String) -> String? {
        guard case .object(let object) = self else { return nil }
        if object[name] != nil { return name }
        return object.first { $0.key.caseInsensitiveEquals(name) }?.key
    }
}
