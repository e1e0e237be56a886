import JSON
import SCIM

/// `/ServiceProviderConfig`, `/ResourceTypes` and `/Schemas` of a proxy system, which IPS does not
/// serve (docs/fidelity.md, “Proxy systems”, NOT FOUND) but standard SCIM 2.0 clients look for. They state what the
/// proxy really supports: PATCH, filters (of the two documented forms), no bulk, no sorting, no
/// ETags; Basic and OAuth bearer tokens.
enum ProxyDiscovery {
    static let user = SCIMResourceType(name: "User", endpoint: "/Users", description: "Users of the proxy system's back-end",
                                       schema: SCIMSchemas.user,
                                       extensions: [(SCIMSchemas.enterpriseUser, false), (SCIMSchemas.sapUser, false)])
    static let group = SCIMResourceType(name: "Group", endpoint: "/Groups", description: "Groups of the proxy system's back-end",
                                        schema: SCIMSchemas.group,
                                        extensions: [(SCIMSchemas.sapGroup, false), (SCIMSchemas.customGroup, false)])
    static let types = [user, group]

    /// The document at `segments` (`["ResourceTypes", "User"]` …) under `base` (no trailing slash).
    static func document(_ segments: [String], base: String) throws(SCIMError) -> JSONValue {
        switch (segments.first, segments.count) {
        case ("ServiceProviderConfig", 1):
            var config = SCIMServiceProviderConfig(maxResults: ProxyReader.Query.maxCount,
                                                   authenticationSchemes: [SCIMServiceProviderConfig.httpBasic, SCIMServiceProviderConfig.oauthBearer])
            config.sort = false
            config.etag = false
            return config.json(location: base + "/ServiceProviderConfig")
        case ("ResourceTypes", 1):
            let all = types.map { $0.json(location: base + "/ResourceTypes/" + $0.name) }
            return SCIMPaging.listResponse(all, totalResults: all.count, startIndex: 1)
        case ("ResourceTypes", 2):
            guard let type = types.first(where: { $0.name == segments[1] }) else { throw .notFound("No resource type '\(segments[1])'") }
            return type.json(location: base + "/ResourceTypes/" + type.name)
        case ("Schemas", 1):
            let all = schemas.map { $0.json(location: base + "/Schemas/" + $0.id) }
            return SCIMPaging.listResponse(all, totalResults: all.count, startIndex: 1)
        case ("Schemas", 2):
            guard let schema = schemas.first(where: { $0.id == segments[1] }) else { throw .notFound("No schema '\(segments[1])'") }
            return schema.json(location: base + "/Schemas/" + schema.id)
        default:
            throw .notFound("No resource at /\(segments.joined(separator: "/"))")
        }
    }

    static var schemas: [SCIMSchema] {
        var all: [SCIMSchema] = []
        for type in types { for schema in type.schemas where !all.contains(where: { $0.id == schema.id }) { all.append(schema) } }
        return all
    }
}
