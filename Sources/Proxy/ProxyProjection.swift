import Foundation
import JSON

/// `attributes` / `excludedAttributes` as IPS's proxy applies them (docs/fidelity.md, “Proxy systems”): first-level
/// attributes only, comma-separated, optionally qualified by their schema URN
/// (`urn:ietf:params:scim:schemas:extension:sap:2.0:User:emails` names `emails` inside that
/// extension). A name whose schema the resource does not list selects nothing. A value that names
/// no attribute at all (`" "`, `","`) is ignored: all attributes are returned. `id` and `schemas`
/// are always returned.
public struct ProxyProjection: Sendable, Equatable {
    struct Name: Sendable, Equatable {
        /// The schema URN when qualified.
        let schema: String?
        let attribute: String
    }

    let included: [Name]?
    let excluded: [Name]

    static let coreSchemas: Set<String> = ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:core:2.0:Group"]
    static let alwaysReturned: Set<String> = ["id", "schemas"]

    public init(attributes: String?, excludedAttributes: String?) {
        let included = attributes.map(Self.names) ?? []
        self.included = included.isEmpty ? nil : included
        excluded = excludedAttributes.map(Self.names) ?? []
    }

    /// Whether the projection changes anything.
    public var isIdentity: Bool { included == nil && excluded.isEmpty }

    static func names(_ list: String) -> [Name] {
        list.split(separator: ",").compactMap { part in
            let text = String(part).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { return nil }
            if text.lowercased().hasPrefix("urn:"), let colon = text.lastIndex(of: ":") {
                let attribute = String(text[text.index(after: colon)...])
                // Only first-level attributes: `urn:…:User:name.familyName` selects nothing.
                guard !attribute.isEmpty, !attribute.contains(".") else { return nil }
                return Name(schema: String(text[..<colon]), attribute: attribute)
            }
            guard !text.contains(".") else { return nil }
            return Name(schema: nil, attribute: text)
        }
    }

    public func apply(_ resource: JSONValue) -> JSONValue {
        guard !isIdentity, case .object(let object) = resource else { return resource }
        let schemas = Set(object["schemas"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        var out = JSONObject()
        for member in object {
            let key = member.key
            if Self.alwaysReturned.contains(key) {
                out[key] = member.value
            } else if schemas.contains(key), !Self.coreSchemas.contains(key), case .object(let extensionObject) = member.value {
                // An extension: its attributes are selected with the qualified form.
                var kept = JSONObject()
                for inner in extensionObject where keeps(Name(schema: key, attribute: inner.key), schemas: schemas) {
                    kept[inner.key] = inner.value
                }
                if !kept.isEmpty || (included == nil && !excluded.contains(Name(schema: nil, attribute: key))) {
                    out[key] = .object(kept)
                }
            } else if keeps(Name(schema: nil, attribute: key), schemas: schemas) {
                out[key] = member.value
            }
        }
        return .object(out)
    }

    /// Whether a core attribute (`schema` nil) or an extension attribute is returned.
    private func keeps(_ name: Name, schemas: Set<String>) -> Bool {
        func matches(_ selector: Name) -> Bool {
            guard selector.attribute.lowercased() == name.attribute.lowercased() else { return false }
            switch (selector.schema, name.schema) {
            case (nil, nil): return true
            case (let s?, nil): return Self.coreSchemas.contains(s) && schemas.contains(s)
            case (let s?, let n?): return s == n
            case (nil, _?): return false
            }
        }
        if let included, !included.contains(where: matches) { return false }
        return !excluded.contains(where: matches)
    }
}
