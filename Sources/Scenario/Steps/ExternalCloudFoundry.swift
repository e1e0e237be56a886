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
        var collected: [String: [JSONValue]] = [:]
        var seen: Set<String> = []
        let failure = await eachPage(path) { page in
            collected["roles", default: []] += page["resources"]?.arrayValue ?? []
            for key in ["users", "organizations", "spaces"] {
                for item in page["included"]?[key]?.arrayValue ?? [] {
                    guard let guid = item["guid"]?.stringValue, seen.insert(key + "/" + guid).inserted else { continue }
                    collected[key, default: []].append(item)
                }
            }
        }
        if let failure { return .failure(failure) }
        return .success(.object(JSONObject(["roles", "users", "organizations", "spaces"].map { ($0, JSONValue.array(collected[$0] ?? [])) })))
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

    /// Calls `body` with every page of a V3 list, following `pagination.next`.
    func eachPage(_ first: String, _ body: (JSONValue) -> Void) async -> StepFailure? {
        var path: String? = first
        var pages = 0
        while let next = path {
            pages += 1
            let page: JSONValue
            switch await get(next) {
            case .failure(let failure): return failure
            case .success((let status, nil)): return StepFailure("\(system): GET \(Self.route(next)) → \(status)")
            case .success((_, let found?)): page = found
            }
            body(page)
            path = page["pagination"]?["next"]?["href"]?.stringValue.flatMap(Self.v3Path)
            // A `next` that points back, or pages without end, must not keep a step reading forever.
            if path == next || pages >= 10_000 { return StepFailure("\(system): GET \(Self.route(first)): the pages do not end (pagination.next after \(pages) pages)") }
        }
        return nil
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

    /// `POST /v3/roles → 422: CF-UnprocessableEntity: …`, quoting Cloud Foundry's own error.
    static func answer(_ response: HTTPResponse, _ method: String, _ path: String) -> String {
        "\(method) \(route(path)) → \(response.status)" + (ConnectorError.serverText(response).map { ": \($0)" } ?? "")
    }

    /// A path without its query, for messages.
    static func route(_ path: String) -> Substring { path.split(separator: "?", maxSplits: 1).first ?? Substring(path) }

    /// A link Cloud Foundry gives (`pagination.next.href`, a job's `Location`) as a path below the
    /// system's URL.
    static func v3Path(_ href: String) -> String? {
        href.range(of: "/v3/").map { String(href[$0.lowerBound...]) }
    }
}
