/// An attribute reference in a filter or PATCH path: `userName`, `name.familyName`,
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`.
public struct SCIMAttributePath: Sendable, Hashable, CustomStringConvertible {
    /// The schema URN when the path is qualified.
    public let schema: String?
    public let attribute: String
    public let subAttribute: String?

    public init(schema: String? = nil, attribute: String, subAttribute: String? = nil) {
        self.schema = schema
        self.attribute = attribute
        self.subAttribute = subAttribute
    }

    /// Parses the text of a path. A URN prefix ends at the last `:` before the attribute name
    /// (SCIM attribute names never contain `:`).
    public static func parse(_ text: String) -> SCIMAttributePath? {
        guard !text.isEmpty else { return nil }
        var schema: String?
        var rest = Substring(text)
        if text.lowercased().hasPrefix("urn:") {
            // The attribute part has no ':'; the last ':' separates it from the URN.
            guard let colon = text.lastIndex(of: ":") else { return nil }
            schema = String(text[..<colon])
            rest = text[text.index(after: colon)...]
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ isName($0) }) else { return nil }
        return SCIMAttributePath(schema: schema, attribute: String(parts[0]), subAttribute: parts.count == 2 ? String(parts[1]) : nil)
    }

    /// ATTRNAME = ALPHA *(nameChar), nameChar = "-" / "_" / DIGIT / ALPHA; `$ref` is allowed too.
    static func isName(_ s: Substring) -> Bool {
        guard let first = s.first else { return false }
        if s == "$ref" { return true }
        return first.isASCII && first.isLetter && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    public var description: String {
        (schema.map { $0 + ":" } ?? "") + attribute + (subAttribute.map { "." + $0 } ?? "")
    }

    /// The same path without its sub-attribute.
    public var parent: SCIMAttributePath {
        SCIMAttributePath(schema: schema, attribute: attribute)
    }
}
