import Engine
import JSON

/// A Cloud Foundry system that is not a fake, as `assert` reads it: its roles through the V3
/// API, with the users, organizations and spaces they name. Its users and roles come from jobs;
/// organizations and spaces are the platform's, created with `request` steps if at all.
struct ExternalCloudFoundry: Sendable {
    let system: String
    let world: World

    /// Why `seed` and `change` do not apply.
    var readOnly: StepFailure {
        StepFailure("\(system) is a Cloud Foundry system: its users and roles come from jobs and assert reads its roles; create organizations and spaces with request steps (CF V3)")
    }

    /// `{roles, users, organizations, spaces}` from `GET /v3/roles?include=user,organization,space`,
    /// every page (users without a role do not show).
    func state() async -> Result<JSONValue, StepFailure> {
        guard let engine = await world.provisioning?.engine else { return .failure(StepFailure("no systems are declared: a 'systems' step must come first")) }
        var collected: [String: [JSONValue]] = [:]
        var seen: Set<String> = []
        var path: String? = "/v3/roles?include=user,organization,space&per_page=100"
        var pages = 0
        while let next = path {
            pages += 1
            guard pages <= 10_000 else { return .failure(StepFailure("\(system): GET /v3/roles: more than 10000 pages, and they do not end")) }
            let response: HTTPResponse
            do throws(ConnectorError) {
                response = try await engine.send(system: system, method: "GET", path: next)
            } catch {
                return .failure(StepFailure("\(system): GET /v3/roles: \(error.message)"))
            }
            guard response.isSuccess, let page = try? JSONParser.parse(response.body) else {
                return .failure(StepFailure("\(system): GET /v3/roles → \(response.status)"))
            }
            collected["roles", default: []] += page["resources"]?.arrayValue ?? []
            for key in ["users", "organizations", "spaces"] {
                for item in page["included"]?[key]?.arrayValue ?? [] {
                    guard let guid = item["guid"]?.stringValue, seen.insert(key + "/" + guid).inserted else { continue }
                    collected[key, default: []].append(item)
                }
            }
            // The next page's link, as a path below the system's URL.
            path = page["pagination"]?["next"]?["href"]?.stringValue.flatMap { href in href.range(of: "/v3/").map { String(href[$0.lowerBound...]) } }
        }
        return .success(.object(JSONObject(["roles", "users", "organizations", "spaces"].map { ($0, JSONValue.array(collected[$0] ?? [])) })))
    }
}
