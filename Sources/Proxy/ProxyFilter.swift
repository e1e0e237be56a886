import Foundation
import JSON
import SCIM
import Transformation

/// The two filters IPS's proxy accepts (docs/fidelity.md, “Proxy systems”): one entity by an attribute with `eq`
/// (`userName eq "jdoe"`), or the changes after a time (`meta.lastModified gt "2024-02-14T04:42:34Z"`).
/// Anything else is `400 invalidFilter`.
public enum ProxyFilter: Sendable, Equatable {
    /// `attribute` as the client wrote it (`userName`, `name.familyName`, `emails.value`).
    case single(attribute: String, value: SCIMFilter.Value)
    case delta(after: String)

    static let supported = #"the proxy supports only '<attribute> eq "value"' and 'meta.lastModified gt "timestamp"'"#

    public init(parsing text: String) throws(SCIMError) {
        let filter = try SCIMFilter(parsing: text)
        guard case .compare(let path, let op, let value) = filter else {
            throw .badRequest(.invalidFilter, "\(Self.supported); got '\(text)'")
        }
        guard path.schema == nil else {
            throw .badRequest(.invalidFilter, "fully qualified attribute names (<schema>:<attribute>) are not supported in proxy filters: '\(path)'")
        }
        let name = path.description
        if name.lowercased() == "meta.lastmodified" {
            guard op == .gt, case .string(let time) = value else {
                throw .badRequest(.invalidFilter, #"meta.lastModified supports only gt with a timestamp: meta.lastModified gt "2024-02-14T04:42:34Z""#)
            }
            self = .delta(after: time)
        } else {
            guard op == .eq else {
                throw .badRequest(.invalidFilter, "only eq is supported for '\(name)'; \(Self.supported)")
            }
            self = .single(attribute: name, value: value)
        }
    }

    /// The filter sent to the back-end: the client's attribute mapped back through the proxy read
    /// transformation (the `sourcePath` of the mapping whose `targetPath` it is) and AND-combined
    /// with the system's read filter (`<prefix>.user.filter` …), which comes first.
    public func backendFilter(readPlan plan: EntityPlan, systemFilter: String?) throws(SCIMError) -> String {
        let own: SCIMFilter
        switch self {
        case .delta(let time):
            own = .modifiedAfter(time)
        case .single(let attribute, let value):
            guard let source = Self.sourceAttribute(attribute, plan: plan) else {
                throw .badRequest(.invalidFilter, "'\(attribute)' is not the target of a mapping in the proxy read transformation")
            }
            guard let path = SCIMAttributePath.parse(source) else {
                throw .badRequest(.invalidFilter, "'\(attribute)' maps from '\(source)', which cannot be expressed as a SCIM filter attribute")
            }
            own = .compare(path, .eq, value)
        }
        return SCIMFilter.text(configured: systemFilter, and: [own]) ?? own.description
    }

    /// The back-end attribute behind a client attribute; for multi-valued e-mails only
    /// `emails[0].value` is resolved, as IPS documents.
    static func sourceAttribute(_ attribute: String, plan: EntityPlan) -> String? {
        let candidates = ["emails", "emails.value"].contains(attribute) ? ["$.emails[0].value", "$.emails"] : ["$." + attribute]
        for candidate in candidates {
            if let source = plan.sourcePath(writing: candidate), let name = scimAttribute(source) { return name }
        }
        return nil
    }

    /// `$.emails[0].value` → `emails.value`, `$.name.familyName` → `name.familyName`; nil for a
    /// path that names no attribute (a filter, a wildcard).
    static func scimAttribute(_ jsonPath: String) -> String? {
        guard jsonPath.hasPrefix("$.") else { return nil }
        let text = String(jsonPath.dropFirst(2)).replacing("[0]", with: "")
        guard !text.isEmpty, !text.contains("["), !text.contains("*"), !text.contains("?") else { return nil }
        return text
    }
}
