import JSON

/// `attributes` and `excludedAttributes` (RFC 7644 §3.9, §3.4.2.5): which attributes a response
/// carries. `id` and `schemas` are always returned (`returned: always`).
public struct SCIMProjection: Sendable {
    let include: [Selector]?
    let exclude: [Selector]
    let resourceType: SCIMResourceType

    /// One selected attribute: its holder (`nil` = the resource itself, else an extension URN),
    /// its name, and optionally one sub-attribute. A bare extension URN selects the whole extension.
    struct Selector {
        let extensionURN: String?
        let attribute: String?
        let subAttribute: String?
    }

    public init(attributes: [String], excludedAttributes: [String], resourceType: SCIMResourceType) {
        self.resourceType = resourceType
        include = attributes.isEmpty ? nil : attributes.compactMap { Self.selector($0, resourceType) }
        exclude = excludedAttributes.compactMap { Self.selector($0, resourceType) }
    }

    public var isIdentity: Bool { include == nil && exclude.isEmpty }

    static func selector(_ text: String, _ type: SCIMResourceType) -> Selector? {
        if let ext = type.extensions.first(where: { $0.schema.id.caseInsensitiveEquals(text) }) {
            return Selector(extensionURN: ext.schema.id, attribute: nil, subAttribute: nil)
        }
        guard let path = SCIMAttributePath.parse(text) else { return nil }
        var urn: String?
        if let schema = path.schema, !schema.caseInsensitiveEquals(type.schema.id) {
            urn = type.schema(withURN: schema)?.id ?? schema
        } else if path.schema == nil, type.schema.attribute(named: path.attribute) == nil, SCIMCommonAttributes.attribute(named: path.attribute) == nil {
            urn = type.extensions.first { $0.schema.attribute(named: path.attribute) != nil }?.schema.id
        }
        return Selector(extensionURN: urn, attribute: path.attribute, subAttribute: path.subAttribute)
    }

    public func apply(to resource: JSONValue) -> JSONValue {
        guard !isIdentity, case .object(let object) = resource else { return resource }
        var out = JSONObject()
        for member in object {
            let key = member.key
            if key == "id" || key == "schemas" {
                out[key] = member.value
                continue
            }
            if let ext = resourceType.extensions.first(where: { $0.schema.id.caseInsensitiveEquals(key) }) {
                if let projected = project(member.value, holder: ext.schema.id) { out[key] = projected }
                continue
            }
            if let projected = project(attribute: key, value: member.value, holder: nil) { out[key] = projected }
        }
        return .object(out)
    }

    /// An extension object, projected attribute by attribute.
    private func project(_ extensionObject: JSONValue, holder: String) -> JSONValue? {
        let wholeIncluded = include?.contains { $0.extensionURN?.caseInsensitiveEquals(holder) == true && $0.attribute == nil } ?? true
        let wholeExcluded = exclude.contains { $0.extensionURN?.caseInsensitiveEquals(holder) == true && $0.attribute == nil }
        if wholeExcluded { return nil }
        guard case .object(let object) = extensionObject else { return extensionObject }
        var out = JSONObject()
        for member in object {
            if wholeIncluded && include != nil {
                if !isExcluded(member.key, holder: holder) { out[member.key] = member.value }
            } else if let projected = project(attribute: member.key, value: member.value, holder: holder) {
                out[member.key] = projected
            }
        }
        return out.isEmpty ? nil : .object(out)
    }

    private func isExcluded(_ attribute: String, holder: String?) -> Bool {
        exclude.contains { s in
            s.attribute?.caseInsensitiveEquals(attribute) == true && s.subAttribute == nil && sameHolder(s.extensionURN, holder)
        }
    }

    private func sameHolder(_ a: String?, _ b: String?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let x?, let y?): return x.caseInsensitiveEquals(y)
        default: return false
        }
    }

    private func project(attribute: String, value: JSONValue, holder: String?) -> JSONValue? {
        if isExcluded(attribute, holder: holder) { return nil }
        var subExclusions = exclude.filter { $0.attribute?.caseInsensitiveEquals(attribute) == true && sameHolder($0.extensionURN, holder) }.compactMap(\.subAttribute)
        var result = value
        if let include {
            let selected = include.filter { $0.attribute?.caseInsensitiveEquals(attribute) == true && sameHolder($0.extensionURN, holder) }
            if selected.isEmpty { return nil }
            if selected.allSatisfy({ $0.subAttribute != nil }) {
                let keep = selected.compactMap(\.subAttribute)
                result = keepingSubAttributes(keep, of: value)
            }
        }
        subExclusions.removeAll { $0.isEmpty }
        if !subExclusions.isEmpty { result = droppingSubAttributes(subExclusions, of: result) }
        return result
    }

    private func keepingSubAttributes(_ keep: [String], of value: JSONValue) -> JSONValue {
        func filter(_ v: JSONValue) -> JSONValue {
            guard case .object(let o) = v else { return v }
            return .object(JSONObject(o.filter { m in keep.contains { $0.caseInsensitiveEquals(m.key) } }.map { ($0.key, $0.value) }))
        }
        if case .array(let elements) = value { return .array(elements.map(filter)) }
        return filter(value)
    }

    private func droppingSubAttributes(_ drop: [String], of value: JSONValue) -> JSONValue {
        func filter(_ v: JSONValue) -> JSONValue {
            guard case .object(let o) = v else { return v }
            return .object(JSONObject(o.filter { m in !drop.contains { $0.caseInsensitiveEquals(m.key) } }.map { ($0.key, $0.value) }))
        }
        if case .array(let elements) = value { return .array(elements.map(filter)) }
        return filter(value)
    }
}
