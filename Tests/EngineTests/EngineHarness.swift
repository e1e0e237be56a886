import Chrono
import Engine
import Fakes
import Hosting
import JSON
import Simulation
import Testing
import Transformation

/// A simulation in process (no sockets, so nothing to tear down) and engines over it through
/// `fake:` systems.
struct EngineHarness: Sendable {
    let simulation: Simulation

    static func start(_ services: [String], timeScale: Double = 50, rateLimits: Bool = true) async throws -> EngineHarness {
        var configuration = SimulationConfiguration()
        configuration.fakes.services = services
        configuration.fakes.timeScale = timeScale
        configuration.fakes.rateLimits = rateLimits
        configuration.fakes.deterministic = true
        configuration.transport = .inProcess
        return EngineHarness(simulation: try await Simulation.start(configuration))
    }

    var fleet: FakeFleet { simulation.fleet }

    /// Systems from JSON text; `fake: <service>` fills in the connection properties.
    func systems(_ text: String) throws -> SystemsConfiguration {
        try simulation.systems(json: try JSONParser.parse(text))
    }

    func engine(_ systemsText: String, pacing: Bool? = nil) throws -> ProvisioningEngine {
        simulation.engine(systems: try systems(systemsText), pacing: pacing, randomSeed: 7)
    }

    func host(_ service: String) throws -> FakeHost {
        try #require(simulation.host(service), "the fake \(service) is not started")
    }

    /// Calls the control API in process.
    @discardableResult
    func control(_ service: String, _ method: String, _ path: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        let request = FakeRequest(method: method, path: "/_provsim/" + path, headers: [("content-type", "application/json")],
                                  body: body.map { JSONWriter().bytes($0) } ?? [])
        let response = try await host(service).handle(request)
        #expect(response.status == 200, "\(method) \(path): \(String(decoding: response.body, as: UTF8.self))")
        return try JSONParser.parse(response.body)
    }

    func seed(_ service: String, _ text: String) async throws {
        try await control(service, "POST", "seed", try JSONParser.parse(text))
    }

    func state(_ service: String) async throws -> JSONValue {
        try await control(service, "GET", "state")
    }

    func directory() throws -> SCIMDirectory {
        try #require(try host("identity-directory").service as? IdentityDirectory).directory
    }

    func directoryUser(_ userName: String) throws -> SCIMRecord? {
        try directory().read { state in state.all("User").first { $0.resource["userName"]?.stringValue == userName } }
    }

    /// Changes a user in the directory as an admin would.
    func changeUser(_ userName: String, _ change: (inout JSONValue) -> Void) throws {
        let record = try #require(try directoryUser(userName))
        var resource = record.resource
        change(&resource)
        let directory = try directory()
        _ = try directory.replace(try #require(directory.type(named: "User")), id: record.id, resource, ifMatch: nil)
    }

    func deleteUser(_ userName: String) throws {
        let record = try #require(try directoryUser(userName))
        let directory = try directory()
        try directory.delete(try #require(directory.type(named: "User")), id: record.id, ifMatch: nil)
    }

    func addUser(_ userName: String) throws {
        let directory = try directory()
        _ = try directory.create(try #require(directory.type(named: "User")), Self.user(userName))
    }

    static func user(_ userName: String, given: String = "Given") -> JSONValue {
        .object(JSONObject([
            ("schemas", .array(["urn:ietf:params:scim:schemas:core:2.0:User"])),
            ("userName", .string(userName)),
            ("name", .object(JSONObject([("givenName", .string(given)), ("familyName", .string(userName.capitalized))]))),
            ("emails", .array([.object(JSONObject([("value", .string("\(userName)@example.com")), ("primary", true)]))])),
        ]))
    }

    /// Seeds `names` as users of the directory.
    func seedDirectory(users names: [String], groups: [(String, [String])] = []) async throws {
        let users = JSONValue.array(names.map { Self.user($0) })
        let groupList = JSONValue.array(groups.map { g in
            .object(JSONObject([("displayName", .string(g.0)), ("members", .array(g.1.map { .object(JSONObject([("userName", .string($0))])) }))]))
        })
        try await control("identity-directory", "POST", "seed", .object(JSONObject([("users", users), ("groups", groupList)])))
    }

    /// XSUAA users by userName and role collections by name with member user names.
    func xsuaaState(_ service: String = "xsuaa") async throws -> (users: [String: JSONValue], groups: [String: [String]]) {
        let state = try await state(service)
        var users: [String: JSONValue] = [:]
        var byId: [String: String] = [:]
        for u in state["users"]?.arrayValue ?? [] {
            let name = try #require(u["userName"]?.stringValue)
            users[name] = u
            byId[try #require(u["id"]?.stringValue)] = name
        }
        var groups: [String: [String]] = [:]
        for g in state["groups"]?.arrayValue ?? [] {
            groups[try #require(g["displayName"]?.stringValue)] = (g["members"]?.arrayValue ?? []).compactMap { byId[$0["value"]?.stringValue ?? ""] }.sorted()
        }
        return (users, groups)
    }
}

extension String {
    var capitalized: String { prefix(1).uppercased() + dropFirst() }
}

/// Directory → XSUAA, the systems most tests use.
let directoryToXSUAA = #"""
{"systems": {
  "directory": {"type": "identity-directory", "role": "source", "fake": "identity-directory", "targets": ["btp"]},
  "btp": {"type": "xsuaa", "role": "target", "fake": "xsuaa", "properties": {"xsuaa.origin": "sap.custom"}}
}}
"""#

extension JobLog {
    func row(_ entity: EntityType, _ system: String) -> EntityStatistics {
        statistics(entity, system: system) ?? EntityStatistics(entity: entity, system: system, action: .write)
    }
}
