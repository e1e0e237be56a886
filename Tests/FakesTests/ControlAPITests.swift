import Chrono
import Fakes
import Foundation
import Hosting
import JSON
import Testing

@Suite("Control API, journal and determinism")
struct ControlAPITests {
    @Test("seed, state and reset")
    func seedStateReset() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let seeded = try await fake.control(.POST, "seed", [
                "users": [user("alice"), ["userName": "bob", "id": "bob-id"]],
                "groups": [["displayName": "Team", "members": [["userName": "alice"], ["value": "bob-id"]]]],
            ])
            #expect(seeded.status == 200)
            #expect(seeded.json["users"]?.arrayValue?.count == 2)
            #expect(seeded.json["users"]?[1] == "bob-id")
            let state = try await fake.control(.GET, "state").json
            #expect(state["users"]?.arrayValue?.count == 2)
            #expect(state["groups"]?[0]?["members"]?.arrayValue?.count == 2)
            #expect(state["users"]?[1]?["groups"]?[0]?["display"] == "Team")
            #expect(try await fake.control(.POST, "reset").status == 200)
            let empty = try await fake.control(.GET, "state").json
            #expect(empty == ["users": [], "groups": []])
        }
    }

    @Test("bad seed data names the entry at fault and is a 400", arguments: [
        (#"{"users": [{"userName": "a"}, {"name": {}}]}"#, "users[1]"),
        (#"{"groups": [{"displayName": "G", "members": [{"userName": "ghost"}]}]}"#, "ghost"),
        (#"{"users": {}}"#, "'users' must be a list"),
        (#"{}"#, "nothing to seed"),
        (#"{"roles": []}"#, "no roles"),
        (#"not json"#, "not valid JSON"),
    ])
    func badSeed(body: String, message: String) async {
        let host = FakeHost(service: IdentityDirectory(clock: SimulatedClock(), seed: 1), clock: SimulatedClock())
        let r = await host.handle(FakeRequest(method: "POST", path: "/_provsim/seed", headers: [("content-type", "application/json")], body: Array(body.utf8)))
        #expect(r.status == 400)
        let error = r.json?["error"]?.stringValue ?? ""
        #expect(error.contains(message), "\(error)")
    }

    @Test("the journal records method, path, status, latency and client, and never a secret")
    func journalWithoutSecrets() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            _ = try await HTTP.json(.GET, fake.scim + "/Users?count=1", token: token)
            // A client that (wrongly) sends its secret in the query string.
            _ = try await HTTP.send(.POST, fake.tokenURL + "?client_secret=\(fake.secret)&grant_type=client_credentials&client_id=\(HTTP.encoded(fake.clientId))")
            let journal = try await fake.control(.GET, "journal")
            #expect(journal.status == 200)
            let entries = journal.json.arrayValue ?? []
            #expect(entries.count == 3)
            #expect(entries[0]["method"] == "POST")
            #expect(entries[0]["path"] == "/oauth/token")
            #expect(entries[0]["clientId"]?.stringValue == fake.clientId)
            #expect(entries[1]["path"] == "/scim/Users")
            #expect(entries[1]["query"] == "count=1")
            #expect(entries[1]["status"] == 200)
            #expect(entries[1]["latencyMs"]?.numberValue != nil)
            #expect(entries[2]["query"]?.stringValue?.contains("client_secret=***") == true)
            let text = String(decoding: journal.body, as: UTF8.self)
            #expect(!text.contains(fake.secret))
            #expect(!text.contains(token))
            // Paging through the journal, then clearing it.
            let later = try await fake.control(.GET, "journal?after=2").json
            #expect(later.arrayValue?.count == 1)
            #expect(try await fake.control(.DELETE, "journal").status == 200)
            #expect(try await fake.control(.GET, "journal").json == [])
        }
    }

    @Test("with content=true the journal shows headers and bodies, credentials and password values hidden")
    func journalContentHidesSecrets() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            let user: JSONValue = [
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "jdoe", "password": "Sup3r-secret!",
                "emails": [["value": "jdoe@example.com"]],
            ]
            let created = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user)
            #expect(created.status == 201)
            let plain = try await fake.control(.GET, "journal").json.arrayValue ?? []
            #expect(!plain.isEmpty && plain.allSatisfy { $0["content"] == nil }, "content only when asked")
            let journal = try await fake.control(.GET, "journal?content=true")
            let create = journal.json.arrayValue?.first { $0["path"] == "/scim/Users" }
            #expect(create?["content"]?["headers"]?["authorization"] == "Bearer ***")
            #expect(create?["content"]?["body"]?["userName"] == "jdoe")
            #expect(create?["content"]?["body"]?["password"] == "***")
            let text = String(decoding: journal.body, as: UTF8.self)
            #expect(!text.contains(fake.secret) && !text.contains(token) && !text.contains("Sup3r-secret!"))
        }
    }

    @Test("the control index lists the routes; unknown routes are 404")
    func index() async throws {
        try await RunningFake.afc().use { fake in
            let index = try await fake.control(.GET, "").json
            #expect(index["service"] == "afc")
            #expect(index["endpoints"]?.arrayValue?.isEmpty == false)
            let unknown = try await fake.control(.GET, "nothing-here")
            #expect(unknown.status == 404)
            #expect(unknown.json["error"]?.stringValue?.contains("GET /_provsim") == true)
            #expect(try await fake.control(.POST, "clock/advance", ["seconds": -1]).status == 400)
        }
    }

    @Test("deterministic mode: the same seed gives byte-identical state, another seed other IDs")
    func deterministicRuns() async throws {
        func run(seed: UInt64) async throws -> [UInt8] {
            var configuration = FakeFleetConfiguration()
            configuration.seed = seed
            configuration.deterministic = true
            configuration.services = ["identity-directory", "afc"]  // the SCIM 2.0 fakes; UAA and CF: CloudFoundryTests
            let fleet = try await FakeFleet.start(configuration)
            do {
                var states: [UInt8] = []
                for server in fleet.servers {
                    let control = server.baseURL + "/_provsim/"
                    _ = try await HTTP.json(.POST, control + "seed", body: ["users": [user("alice"), user("bob")], "groups": [group("G")]])
                    let service = server.host.service
                    let descriptor = JSONValue.object(JSONObject(service.descriptor(context: server.host.context)))
                    let token = try await HTTP.token(descriptor["tokenURL"]?.stringValue ?? "", clientId: descriptor["clientId"]?.stringValue ?? "", secret: descriptor["clientSecret"]?.stringValue ?? "")
                    _ = try await HTTP.json(.POST, (descriptor["scim"]?.stringValue ?? "") + "/Users", token: token, body: user("carol"))
                    var state = try await HTTP.json(.GET, control + "state").body
                    // Ports differ between runs; everything else must not.
                    state = Array(String(decoding: state, as: UTF8.self).replacingOccurrences(of: server.baseURL, with: "BASE").utf8)
                    states += state
                }
                await fleet.stop()
                return states
            } catch {
                await fleet.stop()
                throw error
            }
        }
        let first = try await run(seed: 42)
        #expect(try await run(seed: 42) == first)
        #expect(try await run(seed: 43) != first)
        #expect(String(decoding: first, as: UTF8.self).contains("2025-01-01T00:00:00.001Z"))
    }

    @Test("deterministic mode: reads do not move resource timestamps, writes move them 1 ms each")
    func readsDoNotTick() async throws {
        let clock = SimulatedClock(deterministic: true)
        try await RunningFake.identityDirectory(clock: clock).use { fake in
            let token = try await fake.token()
            for _ in 0..<5 { _ = try await HTTP.json(.GET, fake.scim + "/Users", token: token) }
            let first = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("a")).json
            let second = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("b")).json
            #expect(first["meta"]?["created"] == "2025-01-01T00:00:00.001Z")
            #expect(second["meta"]?["created"] == "2025-01-01T00:00:00.002Z")
            let journal = try await fake.control(.GET, "journal").json.arrayValue ?? []
            #expect(journal.first?["timestamp"] == JSONValue(SimulatedClock.deterministicStart))
        }
    }

    @Test("the fleet describes every service with URLs and credentials")
    func fleetDescriptor() async throws {
        let fleet = try await FakeFleet.start(FakeFleetConfiguration())
        let services = fleet.descriptor["services"]?.arrayValue ?? []
        await fleet.stop()
        #expect(services.compactMap { $0["name"]?.stringValue } == ["identity-directory", "afc", "xsuaa", "uaa", "cf"])
        let uaaURL = services.first { $0["name"] == "uaa" }?["url"]?.stringValue ?? "?"
        for service in services {
            let url = service["url"]?.stringValue ?? ""
            #expect(url.hasPrefix("http://127.0.0.1:"))
            if service["name"] == "cf" {
                #expect(service["api"]?.stringValue == url + "/v3")
                #expect(service["tokenURL"]?.stringValue == uaaURL + "/oauth/token")
                #expect(service["username"]?.stringValue?.isEmpty == false)
                #expect(service["password"]?.stringValue?.isEmpty == false)
            } else {
                #expect(service["scim"]?.stringValue?.hasPrefix(url) == true)
                #expect(service["tokenURL"]?.stringValue == url + "/oauth/token")
            }
            #expect(service["clientId"]?.stringValue?.isEmpty == false)
            #expect(service["clientSecret"]?.stringValue?.isEmpty == false)
        }
    }

    @Test("cf needs its UAA started before it")
    func cfNeedsUAA() async {
        var configuration = FakeFleetConfiguration()
        configuration.services = ["cf"]
        await #expect { try await FakeFleet.start(configuration) } throws: { error in "\(error)".contains("list uaa before cf") }
    }

    @Test("an unknown service name is an error naming the known ones")
    func unknownService() async {
        var configuration = FakeFleetConfiguration()
        configuration.services = ["identity-directory", "sap-hr"]
        await #expect { try await FakeFleet.start(configuration) } throws: { error in
            "\(error)".contains("unknown service 'sap-hr'") && "\(error)".contains("afc")
        }
    }
}
