import Chrono
import Hosting
import JSON
import SCIM

/// Checks a resource against its schemas: required attributes present, known attributes of the
/// right JSON type (RFC 7644: `400 invalidValue`).
public enum SCIMValidation {
    public static func validate(_ resource: JSONValue, type: SCIMResourceType) throws(SCIMError) {
        for attribute in type.schema.attributes where attribute.required && attribute.mutability != .readOnly {
            guard let value = resource.member(caseInsensitive: attribute.name), !value.isEmptyValue else {
                throw SCIMError.badRequest(.invalidValue, "Attribute '\(attribute.name)' is required")
            }
        }
        guard case .object(let object) = resource else { return }
        for member in object {
            if let ext = type.extensions.first(where: { $0.schema.id.caseInsensitiveEquals(member.key) }) {
                guard case .object(let extObject) = member.value else {
                    throw SCIMError.badRequest(.invalidValue, "'\(member.key)' must be an object")
                }
                for extMember in extObject {
                    if let attribute = ext.schema.attribute(named: extMember.key) {
                        try check(extMember.value, attribute, name: "\(member.key):\(extMember.key)")
                    }
                }
            } else if let attribute = type.schema.attribute(named: member.key) {
                try check(member.value, attribute, name: member.key)
            }
        }
    }

    static func check(_ value: JSONValue, _ attribute: SCIMAttribute, name: String) throws(SCIMError) {
        if value.isNull { return }
        if attribute.multiValued {
            guard case .array(let elements) = value else {
                throw SCIMError.badRequest(.invalidValue, "'\(name)' is multi-valued and must be a list")
            }
            for element in elements { try checkSingle(element, attribute, name: name) }
        } else {
            try checkSingle(value, attribute, name: name)
        }
    }

    static func checkSingle(_ value: JSONValue, _ attribute: SCIMAttribute, name: String) throws(SCIMError) {
        let ok: Bool
        switch (attribute.type, value) {
        case (_, .null): ok = true
        case (.boolean, .bool): ok = true
        case (.integer, .number(let n)): ok = n.isIntegerLiteral
        case (.decimal, .number): ok = true
        case (.string, .string), (.reference, .string), (.binary, .string): ok = true
        case (.dateTime, .string(let s)): ok = RFC3339.parse(s) != nil
        case (.complex, .object(let o)):
            for sub in o {
                if let subAttribute = attribute.subAttribute(named: sub.key) { try check(sub.value, subAttribute, name: "\(name).\(sub.key)") }
            }
            ok = true
        default: ok = false
        }
        guard ok else {
            let expected = attribute.type == .dateTime ? "a dateTime (RFC 3339)" : attribute.type.rawValue
            throw SCIMError.badRequest(.invalidValue, "'\(name)' must be \(expected), not \(value.typeName)")
        }
    }
}
