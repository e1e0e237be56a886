import JSON
import JSONPath

/// The conditional functions IPS offers inside conditions. They are compiled against the system's
/// properties, since the prefix functions name a property by its bare key.
enum ConditionFunctions {
    static let sapGroupExtension = "urn:ietf:params:scim:schemas:extension:sap:2.0:Group"

    /// The email rule of `isValidEmail`, as documented (atomic groups included; a Java literal's `\\.`
    /// is a plain `\.` here).
    static let emailPattern = try! RegexPattern(
        #"[a-zA-Z0-9!#$%&‘'*+/=?^_`{|}~-]+(?>\.[a-zA-Z0-9!#$%&‘'*+/=?^_`{|}~-]+)*@(?>[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]?\.)+[a-zA-Z0-9](?>[a-zA-Z0-9-]*[a-zA-Z0-9])?"#)

    static func table(properties: [String: String]) -> FilterFunctionTable {
        var table = FilterFunctionTable()

        // isValidEmail(path): every value the path finds is a valid address (a path like
        // `$.emails[*].value` checks them all); nothing found is not valid.
        table.register("isValidEmail") { (arguments) throws(FilterFunctionError) -> FilterCall in
            let path = try onePath(arguments, "isValidEmail($.emails[0].value)")
            return FilterCall(name: "isValidEmail") { scope in
                let values = found(path, scope)
                return !values.isEmpty && values.allSatisfy { value in
                    guard case .string(let s) = value else { return false }
                    return emailPattern.matchesWhole(s)
                }
            }
        }

        // isApplicationSpecificGroup(): ips.application.id is set and equals the group's applicationId.
        let applicationId = properties["ips.application.id"]
        table.register("isApplicationSpecificGroup") { (arguments) throws(FilterFunctionError) -> FilterCall in
            try noArguments(arguments, "isApplicationSpecificGroup")
            return FilterCall(name: "isApplicationSpecificGroup") { scope in
                guard let applicationId,
                      case .string(let groupApplication)? = scope.root[sapGroupExtension]?["applicationId"] else { return false }
                return groupApplication == applicationId
            }
        }

        // isRegularGroup(): true when supportedOperations or applicationId (or both) are missing.
        table.register("isRegularGroup") { (arguments) throws(FilterFunctionError) -> FilterCall in
            try noArguments(arguments, "isRegularGroup")
            return FilterCall(name: "isRegularGroup") { scope in
                let ext = scope.root[sapGroupExtension]
                let missing: (String) -> Bool = { key in ext?[key].map { $0.isNull } ?? true }
                return missing("supportedOperations") || missing("applicationId")
            }
        }

        // isAttributeWith{Optional,Mandatory}Prefix(path, property.key)
        for mandatory in [false, true] {
            let name = mandatory ? "isAttributeWithMandatoryPrefix" : "isAttributeWithOptionalPrefix"
            table.register(name) { (arguments) throws(FilterFunctionError) -> FilterCall in
                guard arguments.count == 2, case .path(let path) = arguments[0], case .word(let key) = arguments[1] else {
                    throw FilterFunctionError("expects a path and a bare property key, e.g. \(name)($.displayName, xsuaa.group.prefix)")
                }
                let prefix = properties[key]
                return FilterCall(name: name) { scope in
                    let values = found(path, scope).compactMap(\.stringValue)
                    guard let prefix, !values.isEmpty else { return !mandatory }
                    return values.allSatisfy { $0.hasPrefix(prefix) }
                }
            }
        }
        return table
    }

    private static func onePath(_ arguments: [FilterArgument], _ usage: String) throws(FilterFunctionError) -> JSONPath {
        guard arguments.count == 1, case .path(let path) = arguments[0] else {
            throw FilterFunctionError("expects one path, e.g. \(usage)")
        }
        return path
    }

    private static func noArguments(_ arguments: [FilterArgument], _ name: String) throws(FilterFunctionError) {
        guard arguments.isEmpty else { throw FilterFunctionError("takes no arguments: \(name)()") }
    }

    /// The non-null values a path finds: a definite value, or each element of an indefinite result.
    private static func found(_ path: JSONPath, _ scope: FilterScope) -> [JSONValue] {
        switch path.select(in: scope.root, current: scope.current, variables: scope.variables) {
        case .notFound: return []
        case .value(let v): return v.isNull ? [] : [v]
        case .list(let l): return l.filter { !$0.isNull }
        }
    }
}
