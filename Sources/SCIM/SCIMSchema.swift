import JSON

/// One attribute of a SCIM schema (RFC 7643 §2.2, §7).
public struct SCIMAttribute: Sendable {
    public enum DataType: String, Sendable {
        case string, boolean, decimal, integer, dateTime, reference, complex, binary
    }

    public enum Mutability: String, Sendable {
        case readOnly, readWrite, immutable, writeOnly
    }

    public enum Returned: String, Sendable {
        case always, never, `default`, request
    }

    public enum Uniqueness: String, Sendable {
        case none, server, global
    }

    public let name: String
    public let type: DataType
    public let multiValued: Bool
    public let required: Bool
    public let caseExact: Bool
    public let mutability: Mutability
    public let returned: Returned
    public let uniqueness: Uniqueness
    public let canonicalValues: [String]
    public let referenceTypes: [String]
    public let subAttributes: [SCIMAttribute]
    public let description: String

    public init(
        _ name: String, _ type: DataType = .string, multiValued: Bool = false, required: Bool = false,
        caseExact: Bool = false, mutability: Mutability = .readWrite, returned: Returned = .default,
        uniqueness: Uniqueness = .none, canonicalValues: [String] = [], referenceTypes: [String] = [],
        subAttributes: [SCIMAttribute] = [], description: String = ""
    ) {
        self.name = name
        self.type = type
        self.multiValued = multiValued
        self.required = required
        self.caseExact = caseExact
        self.mutability = mutability
        self.returned = returned
        self.uniqueness = uniqueness
        self.canonicalValues = canonicalValues
        self.referenceTypes = referenceTypes
        self.subAttributes = subAttributes
        self.description = description
    }

    /// Sub-attribute lookup; names are case-insensitive in SCIM.
    public func subAttribute(named name: String) -> SCIMAttribute? {
        subAttributes.first { $0.name.caseInsensitiveEquals(name) }
    }

    /// The attribute's definition as `/Schemas` publishes it.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(name)), ("type", .string(type.rawValue)), ("multiValued", .bool(multiValued)),
            ("description", .string(description)), ("required", .bool(required)),
        ]
        if type == .string || type == .reference || type == .binary { members.append(("caseExact", .bool(caseExact))) }
        if !canonicalValues.isEmpty { members.append(("canonicalValues", .array(canonicalValues.map(JSONValue.string)))) }
        if !referenceTypes.isEmpty { members.append(("referenceTypes", .array(referenceTypes.map(JSONValue.string)))) }
        members += [("mutability", .string(mutability.rawValue)), ("returned", .string(returned.rawValue))]
        if type != .complex && type != .boolean { members.append(("uniqueness", .string(uniqueness.rawValue))) }
        if !subAttributes.isEmpty { members.append(("subAttributes", .array(subAttributes.map(\.json)))) }
        return .object(JSONObject(members))
    }
}

/// A SCIM schema: a URN and its attributes.
public struct SCIMSchema: Sendable {
    public let id: String
    public let name: String
    public let description: String
    public let attributes: [SCIMAttribute]

    public init(id: String, name: String, description: String, attributes: [SCIMAttribute]) {
        self.id = id
        self.name = name
        self.description = description
        self.attributes = attributes
    }

    public func attribute(named name: String) -> SCIMAttribute? {
        attributes.first { $0.name.caseInsensitiveEquals(name) }
    }

    /// The schema resource (RFC 7643 §7) with its `meta`.
    public func json(location: String) -> JSONValue {
        .object(JSONObject([
            ("schemas", ["urn:ietf:params:scim:schemas:core:2.0:Schema"]),
            ("id", .string(id)), ("name", .string(name)), ("description", .string(description)),
            ("attributes", .array(attributes.map(\.json))),
            ("meta", .object(JSONObject([("resourceType", "Schema"), ("location", .string(location))]))),
        ]))
    }
}

/// A resource type (RFC 7643 §6): its endpoint, core schema and schema extensions.
public struct SCIMResourceType: Sendable {
    public let name: String
    public let endpoint: String
    public let description: String
    public let schema: SCIMSchema
    public let extensions: [(schema: SCIMSchema, required: Bool)]

    public init(name: String, endpoint: String, description: String, schema: SCIMSchema, extensions: [(schema: SCIMSchema, required: Bool)] = []) {
        self.name = name
        self.endpoint = endpoint
        self.description = description
        self.schema = schema
        self.extensions = extensions
    }

    /// Every schema a resource of this type may carry, core first.
    public var schemas: [SCIMSchema] { [schema] + extensions.map(\.schema) }

    public func schema(withURN urn: String) -> SCIMSchema? {
        schemas.first { $0.id.caseInsensitiveEquals(urn) }
    }

    public func json(location: String) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("schemas", ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"]),
            ("id", .string(name)), ("name", .string(name)), ("endpoint", .string(endpoint)),
            ("description", .string(description)), ("schema", .string(schema.id)),
        ]
        if !extensions.isEmpty {
            members.append(("schemaExtensions", .array(extensions.map { ext in
                .object(JSONObject([("schema", .string(ext.schema.id)), ("required", .bool(ext.required))]))
            })))
        }
        members.append(("meta", .object(JSONObject([("resourceType", "ResourceType"), ("location", .string(location))]))))
        return .object(JSONObject(members))
    }

    /// The definition of the attribute a path names, searching the schema the path qualifies or,
    /// unqualified, the core schema then the extensions.
    public func attribute(for path: SCIMAttributePath) -> SCIMAttribute? {
        if let top = SCIMCommonAttributes.attribute(named: path.attribute), path.schema == nil {
            return path.subAttribute.flatMap { top.subAttribute(named: $0) } ?? (path.subAttribute == nil ? top : nil)
        }
        let candidates: [SCIMSchema] = path.schema.map { urn in schema(withURN: urn).map { [$0] } ?? [] } ?? schemas
        for candidate in candidates {
            if let attribute = candidate.attribute(named: path.attribute) {
                guard let sub = path.subAttribute else { return attribute }
                return attribute.subAttribute(named: sub)
            }
        }
        return nil
    }
}

/// `id`, `externalId` and `meta`, which every resource has (RFC 7643 §3.1).
public enum SCIMCommonAttributes {
    public static let all: [SCIMAttribute] = [
        SCIMAttribute("id", caseExact: true, mutability: .readOnly, returned: .always, uniqueness: .server),
        SCIMAttribute("externalId", caseExact: true),
        SCIMAttribute("meta", .complex, mutability: .readOnly, subAttributes: [
            SCIMAttribute("resourceType", caseExact: true, mutability: .readOnly),
            SCIMAttribute("created", .dateTime, mutability: .readOnly),
            SCIMAttribute("lastModified", .dateTime, mutability: .readOnly),
            SCIMAttribute("location", .reference, caseExact: true, mutability: .readOnly),
            SCIMAttribute("version", caseExact: true, mutability: .readOnly),
        ]),
    ]

    public static func attribute(named name: String) -> SCIMAttribute? {
        all.first { $0.name.caseInsensitiveEquals(name) }
    }
}

extension String {
    /// ASCII case-insensitive comparison (SCIM names and URNs are ASCII).
    public func caseInsensitiveEquals(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        return zip(utf8, other.utf8).allSatisfy { a, b in
            a == b || (a | 0x20 == b | 0x20 && (a | 0x20) >= 0x61 && (a | 0x20) <= 0x7A)
        }
    }
}
