import JSON
import SCIM
import Transformation

/// A SCIM system: SCIM 2.0 (Identity Directory, AFC, generic SCIM) or the UAA's SCIM 1.0
/// dialect (XSUAA). Reads page by page; writes with POST, PUT or PATCH per the system's
/// properties; resolves create conflicts through `find`.
public struct SCIMConnector: SourceConnector, TargetConnector {
    public enum Dialect: Sendable {
        case scim2
        /// UAA/XSUAA: lower-case `resources`, `If-Match` on every change, UAA-style PATCH of users,
        /// member endpoints, one user per origin.
        case uaa
    }

    let client: SystemClient
    let baseURL: String
    let dialect: Dialect
    let properties: SystemProperties
    let pageSize: Int

    static let patchOpSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

    public init(client: SystemClient, baseURL: String, dialect: Dialect, properties: SystemProperties) {
        self.client = client
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.dialect = dialect
        self.properties = properties
        pageSize = properties.int("provsim.page.size") ?? 100
    }

    private func endpoint(_ type: EntityType) -> String {
        baseURL + (type == .group ? "/Groups" : "/Users")
    }

    private var contentType: String { properties.scimContentType(uaa: dialect == .uaa) }

    private var usesPatch: Bool { properties.scimBool("support.patch.operation", default: false) }

    private var changeHeaders: [(name: String, value: String)] { properties.scimChangeHeaders(uaa: dialect == .uaa) }

    /// The most entities one read takes from a server before it gives up on paging that never ends.
    static let maximumEntitiesRead = 10_000_000

    private var membersThreshold: Int { properties.scim("patch.group.members.above.threshold").flatMap { Int($0) } ?? 20_000 }

    // MARK: Reading

    public var supportsDeltaRead: Bool { dialect == .scim2 }

    public func read(_ type: EntityType, modifiedAfter: String?) async throws(ConnectorError) -> [JSONValue] {
        var generated: [SCIMFilter] = []
        if let modifiedAfter { generated.append(.modifiedAfter(modifiedAfter)) }
        if type == .user, let byOrigin = try properties.xsuaaOriginFilter() { generated.append(byOrigin) }
        let filter = SCIMFilter.text(configured: properties.scim(type == .group ? "group.filter" : "user.filter"), and: generated)
        var all: [JSONValue] = []
        var startIndex = 1
        let count = dialect == .uaa ? min(pageSize, 500) : pageSize
        while true {
            var query = "startIndex=\(startIndex)&count=\(count)"
            if let filter { query += "&filter=" + FormEncoding.escape(filter) }
            let url = endpoint(type) + "?" + query
            let response = try await client.send("GET", url, purpose: .read(fullRead: modifiedAfter == nil))
            guard response.isSuccess else { throw ConnectorError.from(response, method: "GET", url: url) }
            guard let page = try? JSONParser.parse(response.body) else {
                throw ConnectorError(status: response.status, "GET \(Redaction.path(of: url)) answered with a body that is not JSON")
            }
            let resources = (page["Resources"] ?? page["resources"])?.arrayValue ?? []
            all += resources
            let total = page["totalResults"]?.intValue ?? all.count
            if resources.isEmpty || all.count >= total { break }
            // A server whose pages never end (a growing total, pages that repeat) must not keep a
            // job reading until memory runs out.
            guard all.count < Self.maximumEntitiesRead else {
                throw ConnectorError(status: response.status, "GET \(Redaction.path(of: url)): more than \(Self.maximumEntitiesRead) entities and the pages do not end")
            }
            startIndex += resources.count
        }
        return all
    }

    public func read(_ type: EntityType, id: String) async throws(ConnectorError) -> JSONValue? {
        let url = endpoint(type) + "/" + FormEncoding.escape(id)
        let response = try await client.send("GET", url, purpose: .read(fullRead: true))
        if response.status == 404 { return nil }
        guard response.isSuccess else { throw ConnectorError.from(response, method: "GET", url: url) }
        guard let entity = try? JSONParser.parse(response.body) else {
            throw ConnectorError(status: response.status, "GET \(Redaction.path(of: url)) answered with a body that is not JSON")
        }
        return entity
    }

    // MARK: Writing

    public func create(_ type: EntityType, _ body: JSONValue) async -> WriteResult {
        var ids: [String] = []
        for payload in targetBodies(type, body) {
            switch await createOne(type, payload) {
            case .success(let id): ids += id
            case .failure(let failure): return .failure(failure)
            }
        }
        return .success(ids)
    }

    private func createOne(_ type: EntityType, _ body: JSONValue) async -> WriteResult {
        var body = body
        if dialect == .scim2 || type == .user { body = body.removing("id") }
        let members = body["members"]?.arrayValue ?? []
        let batched = type == .group && members.count > membersThreshold
        if batched { body = body.removing("members") }
        let url = endpoint(type)
        let response: HTTPResponse
        do throws(ConnectorError) {
            response = try await client.send("POST", url, json: body, contentType: contentType, purpose: .write(method: "POST"))
        } catch {
            return .failure(.from(error))
        }
        guard response.isSuccess else { return .failure(.from(response, method: "POST", url: url)) }
        guard let id = (try? JSONParser.parse(response.body))?["id"]?.idText else {
            return .failure(WriteFailure(.other, "POST \(Redaction.path(of: url)) → \(response.status) without an id in the body"))
        }
        if batched, case .failure(let f) = await patchMembers(group: id, add: members.compactMap { $0["value"]?.stringValue }, remove: []) {
            return .failure(f)
        }
        return .success([id])
    }

    /// One body per target entity when the transformation wrote several origins.
    public func update(_ type: EntityType, ids: [String], _ body: JSONValue) async -> WriteResult {
        let bodies = targetBodies(type, body)
        guard bodies.count == ids.count else {
            return ids.count == 1 ? await update(type, id: ids[0], body)
                : .failure(WriteFailure(.other, "\(ids.count) target entities but \(bodies.count) origins: reset the target after changing xsuaa.origin"))
        }
        for (id, payload) in zip(ids, bodies) {
            if case .failure(let f) = await update(type, id: id, payload.adding("id", .string(id))) { return .failure(f) }
        }
        return .success(ids)
    }

    public func update(_ type: EntityType, id: String, _ body: JSONValue) async -> WriteResult {
        if type == .group, let members = body["members"]?.arrayValue, members.count > membersThreshold {
            return await updateGroupInBatches(id: id, body, members: members.compactMap { $0["value"]?.stringValue })
        }
        let url = endpoint(type) + "/" + FormEncoding.escape(id)
        let method = usesPatch ? "PATCH" : "PUT"
        let payload: JSONValue
        if usesPatch {
            payload = dialect == .uaa && type == .user ? body.removing("id") : Self.patchOp(Self.replacements(for: body))
        } else {
            payload = body
        }
        return await send(method, url, payload).map { _ in [id] }
    }

    public func delete(_ type: EntityType, id: String) async -> WriteResult {
        let url = endpoint(type) + "/" + FormEncoding.escape(id)
        if dialect == .uaa, type == .group {
            // XSUAA: a role collection is emptied before it is deleted.
            let empty: JSONValue = .object(JSONObject([("displayName", .string(id)), ("members", .array([])), ("schemas", .array(["urn:scim:schemas:core:1.0"]))]))
            if case .failure(let f) = await send("PUT", url, empty), f.kind != .notFound { return .failure(f) }
        }
        switch await send("DELETE", url, nil) {
        case .success: return .success([id])
        case .failure(let f): return f.kind == .notFound ? .success([id]) : .failure(f)
        }
    }

    public func find(_ type: EntityType, matching: [(attribute: String, value: String)]) async throws(ConnectorError) -> [String] {
        var terms: [SCIMFilter] = []
        for (attribute, value) in matching {
            // The attribute's first-level name: `emails[0].value` → `emails.value`.
            guard let term = SCIMFilter.equal(attribute.replacingOccurrences(of: "[0]", with: ""), value) else {
                throw ConnectorError("cannot filter on '\(attribute)': not a SCIM attribute path")
            }
            terms.append(term)
        }
        let url = endpoint(type) + "?filter=" + FormEncoding.escape(SCIMFilter.all(terms)?.description ?? "")
        let response = try await client.send("GET", url, purpose: .read(fullRead: true))
        guard response.isSuccess, let page = try? JSONParser.parse(response.body) else { throw ConnectorError.from(response, method: "GET", url: url) }
        return ((page["Resources"] ?? page["resources"])?.arrayValue ?? []).compactMap { $0["id"]?.idText }
    }

    public func assign(user: String, toGroup group: String) async -> WriteResult {
        switch dialect {
        case .uaa:
            let url = endpoint(.group) + "/" + FormEncoding.escape(group) + "/members"
            let member: JSONValue = .object(JSONObject([("value", .string(user)), ("type", "USER"), ("origin", .string(properties["xsuaa.origin"] ?? "sap.default"))]))
            switch await send("POST", url, member) {
            case .success: return .success([group])
            case .failure(let f): return f.kind == .conflict ? .success([group]) : .failure(f)
            }
        case .scim2:
            return await patchMembers(group: group, add: [user], remove: []).map { _ in [group] }
        }
    }

    public func unassign(user: String, fromGroup group: String) async -> WriteResult {
        switch dialect {
        case .uaa:
            let url = endpoint(.group) + "/" + FormEncoding.escape(group) + "/members/" + FormEncoding.escape(user)
            switch await send("DELETE", url, nil) {
            case .success: return .success([group])
            case .failure(let f): return f.kind == .notFound ? .success([group]) : .failure(f)
            }
        case .scim2:
            return await patchMembers(group: group, add: [], remove: [user]).map { _ in [group] }
        }
    }

    // MARK: Helpers

    /// One user per origin when the write transformation produced several (`%xsuaa.origin%[]`).
    public func targetBodies(_ type: EntityType, _ body: JSONValue) -> [JSONValue] {
        guard dialect == .uaa, type == .user, case .array(let origins)? = body["origin"] else { return [body] }
        return origins.map { origin in
            guard case .object(var o) = body else { return body }
            o["origin"] = origin
            return .object(o)
        }
    }

    private func send(_ method: String, _ url: String, _ body: JSONValue?) async -> Result<HTTPResponse, WriteFailure> {
        let headers = method == "POST" ? [] : changeHeaders
        do throws(ConnectorError) {
            let response = try await client.send(method, url, json: body, headers: headers, contentType: contentType, purpose: .write(method: method))
            return response.isSuccess ? .success(response) : .failure(.from(response, method: method, url: url))
        } catch {
            return .failure(.from(error))
        }
    }

    /// PatchOp operations replacing every attribute the update transformation produced.
    static func replacements(for body: JSONValue) -> [JSONValue] {
        (body.objectValue ?? JSONObject()).compactMap { member in
            guard member.key != "id", member.key != "schemas", member.key != "meta" else { return nil }
            return .object(JSONObject([("op", "replace"), ("path", .string(member.key)), ("value", member.value)]))
        }
    }

    /// A PatchOp request body.
    static func patchOp(_ operations: [JSONValue]) -> JSONValue {
        .object(JSONObject([("schemas", .array([.string(patchOpSchema)])), ("Operations", .array(operations))]))
    }

    /// The group at `url` as the target holds it now.
    private func readGroup(_ url: String) async -> Result<JSONValue, WriteFailure> {
        do throws(ConnectorError) {
            let response = try await client.send("GET", url, purpose: .read(fullRead: true))
            guard response.isSuccess, let group = try? JSONParser.parse(response.body) else { return .failure(.from(response, method: "GET", url: url)) }
            return .success(group)
        } catch {
            return .failure(.from(error))
        }
    }

    /// One PATCH that replaces the member list; the group's `Group` members are read first and
    /// kept when asked.
    public func replaceMembers(group id: String, with members: [JSONValue], keepingGroupMembers: Bool) async -> WriteResult {
        guard dialect == .scim2 else { return .failure(WriteFailure(.invalid, "UAA groups have no application-specific members")) }
        let url = endpoint(.group) + "/" + FormEncoding.escape(id)
        var list = members
        if keepingGroupMembers {
            let group: JSONValue
            switch await readGroup(url) {
            case .success(let g): group = g
            case .failure(let f): return .failure(f)
            }
            let kept = (group["members"]?.arrayValue ?? []).filter { $0["type"]?.stringValue?.lowercased() == "group" }
            let written = Set(members.compactMap { $0["value"]?.stringValue })
            list = kept.filter { !written.contains($0["value"]?.stringValue ?? "") } + members
        }
        let operation: JSONValue = .object(JSONObject([("op", "replace"), ("path", "members"), ("value", .array(list))]))
        return await send("PATCH", url, Self.patchOp([operation])).map { _ in [id] }
    }

    /// Membership in PATCH batches of at most the threshold (`*.patch.group.members.above.threshold`).
    /// `leading` operations (the group's other attributes) go with the first batch, so that the
    /// documented example holds: 1,200 new members at a threshold of 900 are two PATCHes.
    private func patchMembers(group: String, add: [String], remove: [String], leading: [JSONValue] = []) async -> Result<Void, WriteFailure> {
        let url = endpoint(.group) + "/" + FormEncoding.escape(group)
        let size = membersThreshold
        var batches: [JSONValue] = []
        for start in stride(from: 0, to: add.count, by: size) {
            let values = add[start..<min(add.count, start + size)].map { id -> JSONValue in
                dialect == .uaa ? .object(JSONObject([("value", .string(id)), ("type", "USER")])) : .object(JSONObject([("value", .string(id))]))
            }
            batches.append(.object(JSONObject([("op", "add"), ("path", "members"), ("value", .array(values))])))
        }
        for start in stride(from: 0, to: remove.count, by: size) {
            let values = remove[start..<min(remove.count, start + size)].map { SCIMFilter.compare(SCIMAttributePath(attribute: "value"), .eq, .string($0)) }
            guard let matching = SCIMFilter.any(values) else { continue }
            batches.append(.object(JSONObject([("op", "remove"), ("path", .string(SCIMFilter.valuePath(SCIMAttributePath(attribute: "members"), matching).description))])))
        }
        var requests = batches.map { [$0] }
        if !leading.isEmpty {
            if requests.isEmpty { requests = [leading] } else { requests[0] = leading + requests[0] }
        }
        for operations in requests {
            if case .failure(let f) = await send("PATCH", url, Self.patchOp(operations)) { return .failure(f) }
        }
        return .success(())
    }

    /// Above the threshold the member list is not replaced in one PUT: the other attributes are
    /// replaced, and members added and removed in batches against what the group holds now.
    private func updateGroupInBatches(id: String, _ body: JSONValue, members: [String]) async -> WriteResult {
        let url = endpoint(.group) + "/" + FormEncoding.escape(id)
        let current: Set<String>
        switch await readGroup(url) {
        case .success(let group): current = Set((group["members"]?.arrayValue ?? []).compactMap { $0["value"]?.stringValue })
        case .failure(let f): return .failure(f)
        }
        let attributes = Self.replacements(for: body.removing("members"))
        let desired = Set(members)
        let add = members.filter { !current.contains($0) }
        let remove = current.filter { !desired.contains($0) }.sorted()
        return await patchMembers(group: id, add: add, remove: remove, leading: attributes).map { _ in [id] }
    }
}

extension JSONValue {
    func removing(_ key: String) -> JSONValue {
        guard case .object(var o) = self else { return self }
        _ = o.removeValue(forKey: key)
        return .object(o)
    }
}
