import Engine
import Fakes
import JSON
import Testing
import Transformation

/// Fakes on loopback ports plus an engine wired to them through `fake:` systems.
final class EngineHarness: Sendable {
    let fleet: FakeFleet
    let transport: AsyncHTTPTransport
    let timeScale: Double

    private init(fleet: FakeFleet, transport: AsyncHTTPTransport, timeScale: Double) {
        self.fleet = fleet
        self.transport = transport
        self.timeScale = timeScale
    }

    static func start(_ services: [String], timeScale: Double = 50, rateLimits: Bool = true) async throws -> EngineHarness {
        var configuration = FakeFleetConfiguration()
        configuration.services = services
        configuration.timeScale = timeScale
        configuration.rateLimits = rateLimits
        configuration.deterministic = true
        return EngineHarness(fleet: try await FakeFleet.start(configuration), transport: AsyncHTTPTransport(), timeScale: timeScale)
    }

    func stop() async {
        await transport.shutdown()
        await fleet.stop()
    }

    /// Systems from JSON text; `fake: <service>` fills in the connection properties.
    func systems(_ text: String) throws -> SystemsConfiguration {
        let fleet = self.fleet
        return try SystemsConfiguration(
            json: try JSONParser.parse(text),
            loadFile: { (path) throws(SystemsError) -> String in throw SystemsError(field: "transformation", message: "no files in tests: \(path)") },
            connection: { (_, fake) throws(SystemsError) -> [String: String] in
                guard let properties = fleet.connectionProperties(service: fake) else { throw SystemsError(field: "fake", message: "no fake \(fake)") }
                return properties
            })
    }

    func engine(_ systemsText: String, pacing: Bool? = nil) throws -> ProvisioningEngine {
        ProvisioningEngine(systems: try systems(systemsText), transport: transport, timeScale: timeScale, pacing: pacing, randomSeed: 7)
    }

    func host(_ service: String) -> FakeHost {
        fleet.server(named: service)!.host
    }

    /// Calls the control API in process.
    @discardableResult
    func control(_ service: String, _ method: String, _ path: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        let request = FakeRequest(method: method, path: "/_provsim/" + path, headers: [("content-type", "application/json")],
                                  body: body.map { JSONWriter().bytes($0) } ?? [])
        let response = await host(service).handle(request)
        #expect(response.status == 200, "\(method) \(path): \(String(decoding: response.body, as: UTF8.self))")
        return try JSONParser.parse(response.body)
    }

    func seed(_ service: String, _ text: String) async throws {
        try await control(service, "POST", "seed", try JSONParser.parse(text))
    }

    func state(_ service: String) async throws -> JSONValue {
        try await control(service, "GET", "state")
    }

    var directory: SCIMDirectory {
        (host("identity-directory").service as! IdentityDirectory).directory
    }

    func directoryUser(_ userName: String) -> SCIMRecord? {
        directory.read { state in state.all("User").first { $0.resource["userName"]?.stringValue == userName } }
    }

    /// Changes a user in the directory as an admin would.
    func changeUser(_ userName: String, _ change: (inout JSONValue) -> Void) throws {
        let record = try #require(directoryUser(userName))
        var resource = record.resource
        change(&resource)
        _ = try directory.replace(directory.type(named: "User")!, id: record.id, resource, ifMatch: nil)
    }

    func deleteUser(_ userName: String) throws {
        let record = try #require(directoryUser(userName))
        try directory.delete(directory.type(named: "User")!, id: record.id, ifMatch: nil)
    }

    func addUser(_ userName: String) throws {
        _ = try directory.create(directory.type(named: "User")!, Self.user(userName))
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
            let name = u["userName"]!.stringValue!
            users[name] = u
            byId[u["id"]!.stringValue!] = name
        }
        var groups: [String: [String]] = [:]
        for g in state["groups"]?.arrayValue ?? [] {
            groups[g["displayName"]!.stringValue!] = (g["members"]?.arrayValue ?? []).compactMap { byId[$0["value"]?.stringValue ?? ""] }.sorted()
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
