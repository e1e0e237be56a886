import Foundation
import JSON
import Transformation

/// "SAP BTP Platform Members (Cloud Foundry)": users and roles through the CF V3 API (users are
/// UAA shadow users the Cloud Controller creates), groups as Cloud Foundry roles. A group's ID names the role: `<org_ID> <org_role>` or
/// `<org_ID> <space_ID> <space_role>`; its members are the users holding that role.
///
/// Cloud Foundry demands an `organization_user` role before any space role, and refuses to remove
/// it while space roles remain. IPS's connector does not hide these rules (docs/fidelity.md, “The provisioning engine”): by
/// default (`provsim.cf.role.order=source`) the connector writes group by group as they come and
/// revokes an offboarded user's roles in the order Cloud Foundry lists them, so a job may finish
/// with errors that a rerun repairs. `provsim.cf.role.order=hierarchy` is provsim's opt-in that
/// does better than IPS: org roles before space roles, space roles before org roles, across all
/// groups of a job.
public struct PlatformMembersConnector: TargetConnector {
    let client: SystemClient
    let apiURL: String
    let origin: String?
    /// `btp.cf.pm.landscape` as configured: the first part of every group's display name.
    let landscape: String
    let properties: SystemProperties
    let ordered: Bool
    /// The provisioning user's own GUID: its roles are never removed (it would lock itself out).
    let ownUserGuid: String?

    static let organizationRoles = ["organization_user", "organization_manager", "organization_auditor", "organization_billing_manager"]
    static let spaceRoles = ["space_developer", "space_manager", "space_auditor", "space_supporter"]

    init(client: SystemClient, apiURL: String, properties: SystemProperties, ownUserGuid: String?) {
        self.client = client
        self.apiURL = apiURL
        origin = properties["btp.cf.pm.origin"]
        landscape = properties["btp.cf.pm.landscape"] ?? URLComponents(string: apiURL)?.host.map { $0.hasPrefix("api.") ? String($0.dropFirst(4)) : $0 } ?? apiURL
        self.properties = properties
        ordered = properties["provsim.cf.role.order"] == "hierarchy"
        self.ownUserGuid = ownUserGuid
    }

    /// `https://api.<host>` for `btp.cf.pm.landscape`, which is a host name or a technical key
    /// such as `cf-eu10-002` (→ `cf.eu10-002.hana.ondemand.com`).
    static func apiURL(landscape: String) -> String {
        if landscape.contains(".") { return "https://api." + landscape }
        let parts = landscape.split(separator: "-", maxSplits: 1)
        guard parts.count == 2 else { return "https://api.\(landscape).hana.ondemand.com" }
        return "https://api.\(parts[0]).\(parts[1]).hana.ondemand.com"
    }

    // MARK: Users (CF V3, shadow users in the landscape's UAA)

    /// An org manager may create a user by username and origin (`POST /v3/users`); the Cloud
    /// Controller creates the UAA shadow user.
    public func create(_ type: EntityType, _ body: JSONValue) async -> WriteResult {
        guard type == .user else { return await writeGroups([GroupWrite(targetId: nil, body: body)])[0] }
        guard let username = body["userName"]?.stringValue else { return .failure(WriteFailure(.invalid, "the user has no userName")) }
        // btp.cf.pm.origin "is used as the origin attribute"; the documented default has no mapping for it.
        guard let origin = body["origin"]?.stringValue ?? origin else { return .failure(WriteFailure(.invalid, "no origin: set btp.cf.pm.origin")) }
        let url = apiURL + "/v3/users"
        let message: JSONValue = .object(JSONObject([("username", .string(username)), ("origin", .string(origin))]))
        do throws(ConnectorError) {
            let response = try await client.send("POST", url, json: message, purpose: .write(method: "POST"))
            if Self.userExists(response) {
                return .failure(WriteFailure(.conflict, ConnectorError.from(response, method: "POST", url: url).message, status: response.status))
            }
            guard response.isSuccess, let guid = (try? JSONParser.parse(response.body))?["guid"]?.stringValue else {
                return .failure(.from(response, method: "POST", url: url))
            }
            return .success([guid])
        } catch {
            return .failure(.from(error))
        }
    }

    /// Cloud Foundry's 422 to `POST /v3/users` for a user it has.
    public static func userExists(_ response: HTTPResponse) -> Bool {
        response.status == 422 && (ConnectorError.serverText(response) ?? "").contains("already exists")
    }

    /// Cloud Foundry users carry nothing to update (the default transformation skips updates).
    public func update(_ type: EntityType, id: String, _ body: JSONValue) async -> WriteResult {
        guard type == .user else { return await writeGroups([GroupWrite(targetId: id, body: body)])[0] }
        return .success([id])
    }

    /// Offboarding a member: the user's roles are removed (deleting the Cloud Foundry user itself
    /// needs an admin, which the provisioning user is not): in the order Cloud Foundry lists them
    /// by default, so an `organization_user` listed before a space role is refused until a rerun;
    /// space roles first with `provsim.cf.role.order=hierarchy`.
    public func delete(_ type: EntityType, id: String) async -> WriteResult {
        guard type == .user else { return await deleteGroups([id])[0] }
        var url: String? = apiURL + "/v3/roles?user_guids=\(id)&per_page=5000"
        var roles: [(guid: String, rank: Int)] = []
        do throws(ConnectorError) {
            while let next = url {
                let response = try await client.send("GET", next, purpose: .read(fullRead: true))
                guard response.isSuccess, let page = try? JSONParser.parse(response.body) else { return .failure(.from(response, method: "GET", url: next)) }
                for role in page["resources"]?.arrayValue ?? [] {
                    guard let guid = role["guid"]?.stringValue, let type = role["type"]?.stringValue else { continue }
                    roles.append((guid, Self.removalRank(of: type)))
                }
                url = page["pagination"]?["next"]?["href"]?.stringValue
            }
        } catch {
            return .failure(.from(error))
        }
        let order = ordered ? roles.sorted { $0.rank < $1.rank } : roles
        if let failure = await removeRoles(order.map(\.guid)) { return .failure(failure) }
        return .success([id])
    }

    /// Where a role of `type` comes in removals: space roles (0) before organization roles (1)
    /// before `organization_user` (2), which Cloud Foundry refuses to remove while the user has
    /// roles in the organization's spaces.
    public static func removalRank(of type: String) -> Int {
        type.hasPrefix("space_") ? 0 : type == "organization_user" ? 2 : 1
    }

    /// A request to the Cloud Controller (`path` from `/v3/`), sent as jobs send theirs: the
    /// provisioning user's token, pacing and retries.
    public func request(_ method: String, _ path: String, json: JSONValue? = nil) async throws(ConnectorError) -> HTTPResponse {
        try await client.send(method, apiURL + path, json: json, purpose: method == "GET" ? .read(fullRead: false) : .write(method: method))
    }

    public func find(_ type: EntityType, matching: [(attribute: String, value: String)]) async throws(ConnectorError) -> [String] {
        guard type == .user else {
            // A role "group" exists whenever its org or space does: its ID is its name.
            return matching.first { $0.attribute == "displayName" || $0.attribute == "id" }.map { [$0.value] } ?? []
        }
        guard let username = matching.first(where: { $0.attribute == "userName" })?.value else {
            throw ConnectorError("Cloud Foundry users can only be found by userName")
        }
        var url = apiURL + "/v3/users?usernames=" + FormEncoding.escape(username)
        if let origin = matching.first(where: { $0.attribute == "origin" })?.value ?? origin { url += "&origins=" + FormEncoding.escape(origin) }
        let response = try await client.send("GET", url, purpose: .read(fullRead: true))
        guard response.isSuccess, let page = try? JSONParser.parse(response.body) else { throw ConnectorError.from(response, method: "GET", url: url) }
        return (page["resources"]?.arrayValue ?? []).compactMap { $0["guid"]?.stringValue }
    }

    public func assign(user: String, toGroup group: String) async -> WriteResult {
        .failure(WriteFailure(.other, "group assignment through the user (assignGroup) is not supported by SAP BTP Platform Members; assign users through the group"))
    }

    public func unassign(user: String, fromGroup group: String) async -> WriteResult {
        .failure(WriteFailure(.other, "group assignment through the user (unassignGroup) is not supported by SAP BTP Platform Members; assign users through the group"))
    }

    // MARK: Groups (CF roles)

    /// A role set named by a group ID.
    struct RoleSet {
        let id: String
        let role: String
        let organization: String
        let space: String?
        /// Order of additions: organization_user first, then other org roles, then space roles.
        var rank: Int { space != nil ? 2 : role == "organization_user" ? 0 : 1 }

        init(id: String) throws(WriteFailure) {
            let parts = id.split(separator: " ").map(String.init)
            switch parts.count {
            case 2 where PlatformMembersConnector.organizationRoles.contains(parts[1]):
                (organization, space, role) = (parts[0], nil, parts[1])
            case 3 where PlatformMembersConnector.spaceRoles.contains(parts[2]):
                (organization, space, role) = (parts[0], parts[1], parts[2])
            default:
                throw WriteFailure(.invalid, "group ID '\(id)' names no Cloud Foundry role: expected '<org_ID> <org_role>' (\(PlatformMembersConnector.organizationRoles.joined(separator: ", "))) or '<org_ID> <space_ID> <space_role>' (\(PlatformMembersConnector.spaceRoles.joined(separator: ", ")))")
            }
            self.id = id
        }

        /// A role the Cloud Controller listed.
        init(organization: String, space: String?, role: String) {
            (self.organization, self.space, self.role) = (organization, space, role)
            id = ([organization] + (space.map { [$0] } ?? []) + [role]).joined(separator: " ")
        }
    }

    /// What one group write does to the roles.
    private struct Plan {
        let index: Int
        let set: RoleSet
        var adds: [String] = []
        /// Role GUIDs to delete.
        var removes: [String] = []
        var failure: WriteFailure?
    }

    public func writeGroups(_ writes: [GroupWrite]) async -> [WriteResult] {
        var plans: [Plan] = []
        var results = [WriteResult?](repeating: nil, count: writes.count)
        for (index, write) in writes.enumerated() {
            let id = write.targetId ?? write.body["id"]?.stringValue ?? ""
            let set: RoleSet
            do throws(WriteFailure) { set = try RoleSet(id: id) } catch { results[index] = .failure(error); continue }
            let desired = (write.body["members"]?.arrayValue ?? []).compactMap { $0["value"]?.stringValue }
            let current: [String: String]
            do throws(ConnectorError) { current = try await holders(of: set) } catch { results[index] = .failure(.from(error)); continue }
            var plan = Plan(index: index, set: set)
            plan.adds = desired.filter { current[$0] == nil }
            let keep = Set(desired)
            plan.removes = current.filter { !keep.contains($0.key) && $0.key != ownUserGuid }.map(\.value).sorted()
            plans.append(plan)
        }
        plans = await apply(plans)
        for plan in plans { results[plan.index] = plan.failure.map { .failure($0) } ?? .success([plan.set.id]) }
        return results.map { $0 ?? .failure(WriteFailure(.other, "not written")) }
    }

    public func deleteGroups(_ ids: [String]) async -> [WriteResult] {
        var plans: [Plan] = []
        var results = [WriteResult?](repeating: nil, count: ids.count)
        for (index, id) in ids.enumerated() {
            do throws(WriteFailure) {
                let set = try RoleSet(id: id)
                let current: [String: String]
                do throws(ConnectorError) { current = try await holders(of: set) } catch { throw WriteFailure.from(error) }
                var plan = Plan(index: index, set: set)
                plan.removes = current.filter { $0.key != ownUserGuid }.map(\.value).sorted()
                plans.append(plan)
            } catch {
                results[index] = .failure(error)
            }
        }
        plans = await apply(plans)
        for plan in plans { results[plan.index] = plan.failure.map { .failure($0) } ?? .success([plan.set.id]) }
        return results.map { $0 ?? .failure(WriteFailure(.other, "not deleted")) }
    }

    private func apply(_ plans: [Plan]) async -> [Plan] {
        var plans = plans
        if ordered {
            for i in plans.indices.sorted(by: { plans[$0].set.rank < plans[$1].set.rank }) {
                plans[i].failure = await addRoles(plans[i])
            }
            for i in plans.indices.sorted(by: { plans[$0].set.rank > plans[$1].set.rank }) {
                let failure = await removeRoles(plans[i].removes)
                plans[i].failure = plans[i].failure ?? failure
            }
        } else {
            for i in plans.indices {
                let failure = await addRoles(plans[i])
                let removal = await removeRoles(plans[i].removes)
                plans[i].failure = failure ?? removal
            }
        }
        return plans
    }

    private func addRoles(_ plan: Plan) async -> WriteFailure? {
        var first: WriteFailure?
        for user in plan.adds {
            var relationships: [(String, JSONValue)] = [("user", ["data": ["guid": .string(user)]])]
            if let space = plan.set.space {
                relationships.append(("space", ["data": ["guid": .string(space)]]))
            } else {
                relationships.append(("organization", ["data": ["guid": .string(plan.set.organization)]]))
            }
            let body: JSONValue = .object(JSONObject([("type", .string(plan.set.role)), ("relationships", .object(JSONObject(relationships)))]))
            let url = apiURL + "/v3/roles"
            do throws(ConnectorError) {
                let response = try await client.send("POST", url, json: body, purpose: .write(method: "POST"))
                // 422 "already has the role" is the state we want.
                if !response.isSuccess, !(response.status == 422 && (ConnectorError.serverText(response) ?? "").contains("already")) {
                    first = first ?? .from(response, method: "POST", url: url)
                }
            } catch {
                first = first ?? .from(error)
            }
        }
        return first
    }

    /// Deletes roles by GUID in the order given; the first failure is the answer.
    private func removeRoles(_ roles: [String]) async -> WriteFailure? {
        var first: WriteFailure?
        for role in roles {
            if let failure = await deleteAndAwait("/v3/roles/" + role) { first = first ?? failure }
        }
        return first
    }

    /// `DELETE` of a V3 resource (`/v3/roles/<guid>`, `/v3/users/<guid>`) and, when Cloud Foundry
    /// answers 202 with a job, the job's end: nil when the resource is gone (404 included).
    public func deleteAndAwait(_ path: String) async -> WriteFailure? {
        let url = apiURL + path
        do throws(ConnectorError) {
            let response = try await client.send("DELETE", url, purpose: .write(method: "DELETE"))
            if response.status == 404 { return nil }
            guard response.isSuccess else { return .from(response, method: "DELETE", url: url) }
            guard let location = response.header("location") else { return nil }
            return try await awaitJob(location)
        } catch {
            return .from(error)
        }
    }

    /// Polls an asynchronous CF job (`202 Accepted` + `Location`) until it completes or fails.
    private func awaitJob(_ location: String) async throws(ConnectorError) -> WriteFailure? {
        for _ in 0..<600 {
            let response = try await client.send("GET", location, purpose: .read(fullRead: true))
            guard response.isSuccess, let job = try? JSONParser.parse(response.body) else { return .from(response, method: "GET", url: location) }
            switch job["state"]?.stringValue {
            case "COMPLETE": return nil
            case "FAILED":
                let detail = job["errors"]?[0]?["detail"]?.stringValue ?? "the job failed"
                return WriteFailure(.other, "CF job \(Redaction.path(of: location)) failed: \(detail)")
            default:
                await client.clock.sleep(seconds: 1)
            }
        }
        return WriteFailure(.other, "CF job \(Redaction.path(of: location)) did not finish")
    }

    /// User GUID → role GUID of everyone of `btp.cf.pm.origin` holding the role set's role:
    /// holders signed in through another identity provider are not this system's to revoke.
    private func holders(of set: RoleSet) async throws(ConnectorError) -> [String: String] {
        let roles = try await list(apiURL + "/v3/roles?types=\(set.role)&per_page=5000&include=user&" + (set.space.map { "space_guids=\($0)" } ?? "organization_guids=\(set.organization)"))
        var origins: [String: String] = [:]
        for user in roles.included["users"] ?? [] {
            if let guid = user["guid"]?.stringValue { origins[guid] = user["origin"]?.stringValue ?? "" }
        }
        var result: [String: String] = [:]
        for role in roles.resources {
            guard let user = role["relationships"]?["user"]?["data"]?["guid"]?.stringValue, let guid = role["guid"]?.stringValue else { continue }
            if let origin, origins[user] != origin { continue }
            result[user] = guid
        }
        return result
    }
}
