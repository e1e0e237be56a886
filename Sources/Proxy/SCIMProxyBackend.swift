import Engine
import JSON
import SCIM
import Transformation

/// A SCIM back-end of a proxy system (XSUAA in UAA's dialect, AFC and other SCIM 2.0 systems),
/// reached through the engine's client of that system: the same credentials, token renewal,
/// pacing and retries as its connector.
public struct SCIMProxyBackend: ProxyBackend {
    public let engine: ProvisioningEngine
    public let system: String
    let type: SystemType
    let properties: SystemProperties

    public init(engine: ProvisioningEngine, system: String) throws(SCIMError) {
        guard let definition = engine.systems[system] else {
            throw SCIMError(status: 404, detail: "no system named '\(system)'")
        }
        guard [.xsuaa, .afc, .scim, .identityDirectory].contains(definition.type) else {
            throw SCIMError(status: 501, detail: "a \(definition.type.rawValue) system is not a SCIM back-end")
        }
        self.engine = engine
        self.system = system
        type = definition.type
        properties = definition.properties
    }

    /// UAA wants a version on every change; `*` says "whatever it is" (IPS cannot know it).
    /// Other back-ends get it with `*.include.if.match.wildcard.header`, as jobs do.
    var changeHeaders: [(name: String, value: String)] { properties.scimChangeHeaders(uaa: type == .xsuaa) }

    func endpoint(_ entity: EntityType) -> String { type.scimPath + (entity == .group ? "/Groups" : "/Users") }

    public func page(_ entity: EntityType, startIndex: Int, count: Int, filter: String?) async throws(SCIMError) -> BackendPage {
        var query = "?startIndex=\(startIndex)&count=\(count)"
        if let filter { query += "&filter=" + FormEncoding.escape(filter) }
        let json = try await call("GET", endpoint(entity) + query)
        // UAA lists under lower-case `resources`.
        let resources = (json["Resources"] ?? json["resources"])?.arrayValue ?? []
        return BackendPage(resources: resources, totalResults: json["totalResults"]?.intValue)
    }

    public func entity(_ entity: EntityType, id: String) async throws(SCIMError) -> JSONValue {
        try await call("GET", endpoint(entity) + "/" + FormEncoding.escape(id))
    }

    public func create(_ entity: EntityType, _ body: JSONValue) async throws(SCIMError) -> JSONValue {
        try await call("POST", endpoint(entity), body)
    }

    public func replace(_ entity: EntityType, id: String, _ body: JSONValue) async throws(SCIMError) -> JSONValue {
        try await call("PUT", endpoint(entity) + "/" + FormEncoding.escape(id), body, headers: changeHeaders)
    }

    public func patch(_ entity: EntityType, id: String, _ body: JSONValue) async throws(SCIMError) -> JSONValue? {
        if type == .xsuaa, entity == .group, !properties.scimBool("support.patch.operation", default: false) {
            return try await patchThroughMemberEndpoints(group: id, body)
        }
        let json = try await call("PATCH", endpoint(entity) + "/" + FormEncoding.escape(id), body, headers: changeHeaders)
        return json == .null ? nil : json
    }

    /// XSUAA without `scim.support.patch.operation`: members are added with
    /// `POST /Groups/{id}/members` and removed with `DELETE /Groups/{id}/members/{memberId}`;
    /// with `xsuaa.patch.response.with.resource` the group is read again and returned, otherwise
    /// nothing is (docs/fidelity.md, “UAA and XSUAA”).
    private func patchThroughMemberEndpoints(group id: String, _ body: JSONValue) async throws(SCIMError) -> JSONValue? {
        var changes = try MemberChanges(patch: body)
        let groupPath = endpoint(.group) + "/" + FormEncoding.escape(id)
        if let replacement = changes.replacement {
            // A replacement is relative to what the group has now.
            let current = try await call("GET", groupPath)["members"]?.arrayValue?.compactMap { $0["value"]?.idText } ?? []
            let wanted = changes.memberIds(after: current)
            let given = replacement + changes.additions
            changes.removals = current.filter { !wanted.contains($0) }
            changes.additions = wanted.filter { !current.contains($0) }.map { id in
                given.last { $0["value"]?.idText == id } ?? ["value": .string(id)]
            }
        }
        let origin = properties["xsuaa.origin"] ?? "sap.default"
        for member in changes.additions {
            let body: JSONValue = .object(JSONObject([
                ("value", member["value"] ?? .null), ("type", member["type"] ?? "USER"), ("origin", member["origin"] ?? .string(origin)),
            ]))
            do throws(SCIMError) {
                _ = try await call("POST", groupPath + "/members", body)
            } catch where error.status == 409 {
                continue  // already a member: the state the client wants
            }
        }
        for member in changes.removals {
            do throws(SCIMError) {
                _ = try await call("DELETE", groupPath + "/members/" + FormEncoding.escape(member))
            } catch where error.status == 404 {
                continue  // not a member (any more)
            }
        }
        return properties["xsuaa.patch.response.with.resource"] == "true" ? try await call("GET", groupPath) : nil
    }

    public func delete(_ entity: EntityType, id: String) async throws(SCIMError) {
        _ = try await call("DELETE", endpoint(entity) + "/" + FormEncoding.escape(id), headers: changeHeaders)
    }

    /// Sends one request; a non-2xx answer becomes the SCIM error the proxy's client gets (the
    /// back-end's status and its own error text).
    private func call(_ method: String, _ path: String, _ body: JSONValue? = nil, headers: [(name: String, value: String)] = []) async throws(SCIMError) -> JSONValue {
        let response: HTTPResponse
        do throws(ConnectorError) {
            response = try await engine.send(system: system, method: method, path: path, json: body, headers: headers,
                                             contentType: properties.scimContentType(uaa: type == .xsuaa),
                                             purpose: method == "GET" ? .proxyRead : nil)
        } catch {
            throw SCIMError(status: 502, detail: "\(system): \(error.message)")
        }
        guard response.isSuccess else {
            let json = try? JSONParser.parse(response.body)
            let scimType = json?["scimType"]?.stringValue.flatMap(SCIMError.ScimType.init(rawValue:))
            throw SCIMError(status: response.status, scimType: scimType, detail: ConnectorError.serverText(response) ?? "\(method) \(path) failed")
        }
        guard !response.body.isEmpty else { return .null }
        do throws(JSONParseError) {
            return try JSONParser.parse(response.body)
        } catch {
            throw SCIMError(status: 502, detail: "\(system) answered \(method) \(path) with a body that is not JSON: \(error)")
        }
    }
}
