import Engine
import JSON

/// A Cloud Foundry system that is not a fake, reached through the CF V3 API with the engine's
/// connection (its URL, credentials and token): `assert` reads its roles, `seed` creates users and
/// roles as an organization manager may, and the scenario's clean-up removes the roles and users
/// named with the run ID. Organizations and spaces are the platform's: steps name them, by name or
/// GUID, and never create them.
struct ExternalCloudFoundry: Sendable {
    let system: String
    let world: World

    /// Why `change` does not apply.
    var unchangeable: StepFailure {
        StepFailure("\(system) is a Cloud Foundry system: change does not apply to it (nor to a fake Cloud Foundry); seed adds users and roles, jobs change them, and request steps reach the V3 API directly")
    }

    /// `{roles, users, organizations, spaces}` from `GET /v3/roles?include=user,organization,space`,
    /// every page (users without a role do not show); `path` may filter the roles.
    func state(of path: String = "/v3/roles?include=user,organization,space&per_page=100") async -> Result<JSONValue, StepFailure> {
        await list(path).map { roles, included in
            .object(JSONObject([("roles", .array(roles))] + ["users", "organizations", "spaces"].map { ($0, JSONValue.array(included[$0] ?? [])) }))
        }
    }

    // MARK: The V3 API

    /// One request through the system's Platform Members connection (its API URL, which may
    /// come from `btp.cf.pm.landscape`, and the provisioning user's token); `path` starts with `/v3/`.
    func send(_ method: String, _ path: String, json: JSONValue? = nil) async -> Result<HTTPResponse, StepFailure> {
        let connector: PlatformMembersConnector
        switch await platformConnector() {
        case .success(let c): connector = c
        case .failure(let f): return .failure(f)
        }
        do throws(ConnectorError) {
            return .success(try await connector.request(method, path, json: json))
        } catch {
            return .failure(StepFailure("\(system): \(method) \(Self.route(path)): \(error.message)"))
        }
    }

    /// A GET: its status, and its body when it succeeded (which must then be JSON).
    func get(_ path: String) async -> Result<(status: Int, body: JSONValue?), StepFailure> {
        let response: HTTPResponse
        switch await send("GET", path) {
        case .success(let r): response = r
        case .failure(let f): return .failure(f)
        }
        guard response.isSuccess else { return .success((response.status, nil)) }
        guard let body = try? JSONParser.parse(response.body) else {
            return .failure(StepFailure("\(system): GET \(Self.route(path)) → \(response.status) with a body that is not JSON"))
        }
        return .success((response.status, body))
    }

    /// Every page of a V3 list, as jobs read it (`PlatformMembersConnector.list`): the resources,
    /// and what `include` added by kind.
    func list(_ path: String) async -> Result<(resources: [JSONValue], included: [String: [JSONValue]]), StepFailure> {
        let connector: PlatformMembersConnector
        switch await platformConnector() {
        case .success(let c): connector = c
        case .failure(let f): return .failure(f)
        }
        do throws(ConnectorError) {
            return .success(try await connector.list(path: path))
        } catch {
            return .failure(StepFailure("\(system): \(error.message)"))
        }
    }

    /// The Platform Members connector of the system: requests go as jobs send them, users are
    /// created and roles deleted as jobs do it (deletions awaited through their jobs).
    func platformConnector() async -> Result<PlatformMembersConnector, StepFailure> {
        guard let engine = await world.provisioning?.engine else { return .failure(StepFailure("no systems are declared: a 'systems' step must come first")) }
        do throws(ConnectorError) {
            guard let connector = try await engine.connection(of: system).target as? PlatformMembersConnector else {
                return .failure(StepFailure("\(system) has no Platform Members connector"))
            }
            return .success(connector)
        } catch {
            return .failure(StepFailure("\(system): \(error.message)"))
        }
    }

    /// A path without its query, for messages.
    static func route(_ path: String) -> Substring { path.split(separator: "?", maxSplits: 1).first ?? Substring(path) }
}
