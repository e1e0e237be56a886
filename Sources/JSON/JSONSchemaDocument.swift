/// A `JSONShape` as a JSON Schema, the form editors (the YAML language server) and validators
/// (Python's `jsonschema`) read. Draft-07: the YAML language server validates with draft-07
/// semantics and warns about later drafts, and nothing here needs more.
public struct JSONSchemaDocument: Sendable {
    public let id: String
    public let title: String
    public let root: JSONShape
    /// Shapes that `.reference(name)` points at, written under `definitions`.
    public let definitions: [(name: String, shape: JSONShape)]

    public init(id: String, title: String, root: JSONShape, definitions: [(name: String, shape: JSONShape)] = []) {
        self.id = id
        self.title = title
        self.root = root
        self.definitions = definitions
    }

    public var json: JSONValue {
        guard case .object(var schema) = Self.schema(root) else { return .null }
        var head = JSONObject([("$schema", "http://json-schema.org/draft-07/schema#"), ("$id", .string(id)), ("title", .string(title))])
        for member in schema { head[member.key] = member.value }
        schema = head
        if !definitions.isEmpty {
            schema["definitions"] = .object(JSONObject(definitions.map { ($0.name, Self.schema($0.shape)) }))
        }
        return .object(schema)
    }

    /// The text `provsim schema` prints: indented, keys in the shapes' order, a final newline.
    public var text: String { JSONWriter(pretty: true).string(json) + "\n" }

    static func schema(_ shape: JSONShape) -> JSONValue {
        var s = JSONObject()
        if !shape.summary.isEmpty { s["description"] = .string(shape.summary) }
        switch shape.kind {
        case .any:
            break
        case .text(let choices, let pattern, let scalars):
            s["type"] = scalars && choices.isEmpty ? .array(["string", "number", "boolean"]) : "string"
            if !choices.isEmpty { s["enum"] = .array(choices.map(JSONValue.string)) }
            if let pattern { s["pattern"] = .string(pattern) }
        case .integer(let minimum, let maximum):
            s["type"] = "integer"
            if let minimum { s["minimum"] = JSONValue(minimum) }
            if let maximum { s["maximum"] = JSONValue(maximum) }
        case .number(let minimum, let maximum):
            s["type"] = "number"
            if let minimum, let n = JSONNumber(minimum) { s["minimum"] = .number(n) }
            if let maximum, let n = JSONNumber(maximum) { s["maximum"] = .number(n) }
        case .boolean:
            s["type"] = "boolean"
        case .null:
            s["type"] = "null"
        case .list(let element, let minimumCount):
            s["type"] = "array"
            s["items"] = schema(element)
            if minimumCount > 0 { s["minItems"] = JSONValue(minimumCount) }
        case .object(let members, let otherNames):
            s["type"] = "object"
            s["properties"] = .object(JSONObject(members.map { ($0.name, schema($0.shape)) }))
            let required = members.filter(\.isRequired).map { JSONValue.string($0.name) }
            if !required.isEmpty { s["required"] = .array(required) }
            if let otherNames { s["patternProperties"] = .object(JSONObject([("^" + JSONShape.escaped(otherNames.prefix), schema(otherNames.shape))])) }
            s["additionalProperties"] = false
        case .map(let value, let namePattern):
            s["type"] = "object"
            if let namePattern { s["propertyNames"] = .object(JSONObject([("pattern", .string(namePattern))])) }
            s["additionalProperties"] = schema(value)
        case .anyOf(let shapes):
            s["anyOf"] = .array(shapes.map(schema))
        case .reference(let name):
            s["$ref"] = .string("#/definitions/\(name)")
        }
        return .object(s)
    }
}
