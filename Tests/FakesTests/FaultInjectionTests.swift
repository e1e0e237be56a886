import Chrono
import Fakes
import Foundation
import Fuzz
import Hosting
import JSON
import Testing

@Suite("Fault injection")
struct FaultInjectionTests {
    @Test("a status fault answers with the code and Retry-After, only on matching method and path")
    func statusFault() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            let added = try await fake.control(.POST, "faults", ["id": "down", "method": "POST", "path": "/scim/Users*", "status": 503, "retryAfter": 2])
            #expect(added.status == 200)
            #expect(added.json[0]?["id"] == "down")
            let hit = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("a"))
            #expect(hit.status == 503)
            #expect(hit.header("retry-after") == "2")
            // Other methods and paths pass.
            #expect(try await HTTP.json(.GET, fake.scim + "/Users", token: token).status == 200)
            #expect(try await HTTP.json(.POST, fake.scim + "/Groups", token: token, body: group("g")).status == 201)
            // The fault stopped the request before the service: nothing was created.
            let state = try await fake.control(.GET, "state").json
            #expect(state["users"]?.arrayValue?.isEmpty == true)
            let rules = try await fake.control(.GET, "faults").json
            #expect(rules[0]?["fired"] == 1)
            #expect(rules[0]?["matched"] == 1)
        }
    }

    @Test("a status fault with a body answers with that body, for wire-exact error simulation")
    func statusFaultWithBody() async throws {
        try await RunningFake.afc().use { fake in
            let token = try await fake.token()
            _ = try await fake.control(.POST, "faults", ["status": 429, "retryAfter": 30, "body": ["detail": "slow down"]])
            let r = try await HTTP.json(.GET, fake.scim + "/Users", token: token)
            #expect(r.status == 429)
            #expect(r.header("retry-after") == "30")
            #expect(r.json == ["detail": "slow down"])
        }
    }

    @Test("every Nth request and times: the 2nd and 4th fail, then the fault is spent")
    func everyAndTimes() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            _ = try await fake.control(.POST, "faults", ["path": "/scim/Users", "status": 500, "every": 2, "times": 2])
            var statuses: [Int] = []
            for _ in 0..<8 { statuses.append(try await HTTP.json(.GET, fake.scim + "/Users", token: token).status) }
            #expect(statuses == [200, 500, 200, 500, 200, 200, 200, 200])
        }
    }

    @Test("probability faults come from the seeded generator: same seed, same failures")
    func probabilityIsReproducible() async throws {
        func pattern(seed: UInt64) async throws -> [Int] {
            let host = FakeHost(service: IdentityDirectory(clock: SimulatedClock(), seed: seed), clock: SimulatedClock(), seed: seed)
            host.faults.add(try FaultRule(json: ["status": 503, "probability": 0.3], defaultID: "p"))
            var statuses: [Int] = []
            for _ in 0..<200 { statuses.append(await host.handle(FakeRequest(method: "GET", path: "/scim/Users")).status) }
            return statuses
        }
        let first = try await pattern(seed: 7)
        #expect(try await pattern(seed: 7) == first)
        #expect(try await pattern(seed: 8) != first)
        let failures = first.filter { $0 == 503 }.count
        #expect((30...90).contains(failures), "about 30% of 200: \(failures)")
    }

    @Test("latency faults delay the answer by latencyMs plus up to jitterMs")
    func latency() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            _ = try await fake.control(.POST, "faults", ["path": "/scim/Users", "latencyMs": 150, "jitterMs": 50])
            let started = ContinuousClock.now
            let r = try await HTTP.json(.GET, fake.scim + "/Users", token: token)
            let elapsed = ContinuousClock.now - started
            #expect(r.status == 200)
            #expect(elapsed >= .milliseconds(150))
            let journal = try await fake.control(.GET, "journal").json.arrayValue ?? []
            let latency = try #require(journal.last?["latencyMs"]?.numberValue?.doubleValue)
            #expect(latency >= 150)
        }
    }

    @Test("a reset fault drops the connection with a TCP reset; the client sees an error, not a response")
    func connectionReset() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            _ = try await fake.control(.POST, "faults", ["path": "/scim/Users", "reset": true, "times": 1])
            await #expect(throws: (any Error).self) {
                _ = try await HTTP.json(.GET, fake.scim + "/Users", token: token)
            }
            // Spent after one hit: the next request succeeds on a new connection.
            #expect(try await HTTP.json(.GET, fake.scim + "/Users", token: token).status == 200)
            let journal = try await fake.control(.GET, "journal").json.arrayValue ?? []
            #expect(journal.contains { $0["fault"] == "fault-1" && $0["status"] == 0 })
        }
    }

    @Test("a hang fault lets the write happen and never answers: the client times out, and stopping the server does not wait for it")
    func hangAfterTheWrite() async throws {
        let fake = try await RunningFake.identityDirectory()
        let token = try await fake.token()
        _ = try await fake.control(.POST, "faults", ["method": "POST", "path": "/scim/Users", "hang": true, "times": 1])
        let raw = Array("POST /scim/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\nContent-Length: 85\r\n\r\n".utf8)
            + Array(#"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "held.user"}"#.utf8)
        // Only the deadline ends the wait: nothing comes back, however long the client waits.
        await #expect(throws: RawHTTPConnection.Failure.self) { _ = try await RawHTTPConnection.exchange(port: fake.server.port, raw, seconds: 1) }
        let found = try await HTTP.json(.GET, fake.scim + "/Users?filter=userName%20eq%20%22held.user%22", token: token)
        #expect(found.json["totalResults"] == 1, "the user was created before the silence")
        let journal = try await fake.control(.GET, "journal").json.arrayValue ?? []
        #expect(journal.contains { $0["fault"] == "fault-1" && $0["status"] == 0 })
        // The held request must not keep the server from stopping (its hold would last ten minutes).
        let stopped = ContinuousClock.now
        await fake.stop()
        #expect(ContinuousClock.now - stopped < .seconds(120), "a margin for a busy machine, far below the hold's ten minutes")
    }

    @Test("a 204 fault sends no body, which the client would take for the next answer")
    func noContentHasNoBody() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            _ = try await fake.control(.POST, "faults", ["method": "DELETE", "path": "/scim/Users/*", "status": 204])
            let raw = Array("DELETE /scim/Users/nobody HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n\r\n".utf8)
            let exchange = try await RawHTTPConnection.exchange(port: fake.server.port, raw, seconds: 60)
            #expect(exchange.status == 204)
            #expect(exchange.body.isEmpty, "\(String(decoding: exchange.bytes, as: UTF8.self))")
            #expect(exchange.header("content-length") == nil || exchange.header("content-length") == "0")
        }
    }

    @Test("a request slowed down by a latency fault does not keep the server from stopping")
    func latencyEndsWhenTheServerStops() async throws {
        let fake = try await RunningFake.identityDirectory()
        let token = try await fake.token()
        _ = try await fake.control(.POST, "faults", ["method": "GET", "path": "/scim/Users", "latencyMs": 600_000])
        let raw = Array("GET /scim/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n\r\n".utf8)
        await #expect(throws: RawHTTPConnection.Failure.self) { _ = try await RawHTTPConnection.exchange(port: fake.server.port, raw, seconds: 1) }
        // Ten minutes of latency are still to come; stopping cuts them short.
        let stopped = ContinuousClock.now
        await fake.stop()
        #expect(ContinuousClock.now - stopped < .seconds(120), "a margin for a busy machine, far below the ten minutes")
    }

    @Test("an empty fault closes the connection without any response")
    func emptyResponse() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            _ = try await fake.control(.POST, "faults", ["path": "/scim/Groups", "empty": true, "times": 1])
            await #expect(throws: (any Error).self) {
                _ = try await HTTP.json(.GET, fake.scim + "/Groups", token: token)
            }
            #expect(try await HTTP.json(.GET, fake.scim + "/Groups", token: token).status == 200)
        }
    }

    @Test("a malformed fault truncates the real body after the service ran")
    func malformedBody() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            _ = try await fake.control(.POST, "faults", ["method": "POST", "malformed": true])
            let r = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("jdoe"))
            #expect(r.status == 201)
            #expect(throws: (any Error).self) { try JSONParser.parse(r.body) }
            #expect(String(decoding: r.body, as: UTF8.self).hasSuffix("<<truncated"))
            // The write itself happened, as when a proxy mangles a good answer.
            let state = try await fake.control(.GET, "state").json
            #expect(state["users"]?.arrayValue?.count == 1)
        }
    }

    @Test("faults are listed, removed by id and cleared")
    func faultLifecycle() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            let added = try await fake.control(.POST, "faults", [["status": 500], ["id": "slow", "latencyMs": 1]])
            #expect(added.json.arrayValue?.compactMap { $0["id"]?.stringValue } == ["fault-1", "slow"])
            #expect(try await fake.control(.DELETE, "faults/fault-1").status == 200)
            #expect(try await fake.control(.DELETE, "faults/fault-1").status == 404)
            #expect(try await HTTP.json(.GET, fake.scim + "/Users", token: token).status == 200)
            #expect(try await fake.control(.DELETE, "faults").status == 200)
            #expect(try await fake.control(.GET, "faults").json == [])
        }
    }

    @Test("bad fault definitions are refused with a message naming the field and its range", arguments: [
        (#"{"status": 503, "reset": true}"#, "exactly one effect"),
        (#"{"path": "/x"}"#, "exactly one effect"),
        (#"{"status": 5000}"#, "fault.status: expected an integer from 100 to 599, got 5000"),
        (#"{"status": "503"}"#, "fault.status: expected an integer from 100 to 599, got \"503\""),
        (#"{"status": 500, "every": 0}"#, "fault.every: expected an integer from 1 to 1000000000"),
        (#"{"status": 500, "every": "3"}"#, "fault.every: expected an integer"),
        (#"{"status": 500, "probability": 2}"#, "fault.probability: expected a number from 0 to 1"),
        (#"{"status": 500, "every": 2, "probability": 0.5}"#, "not both"),
        (#"{"status": 500, "evry": 2}"#, "unknown field 'evry'"),
        (#"{"status": 503, "retryAfter": 1e300}"#, "fault.retryAfter: expected a number from 0 to 86400, got 1e300"),
        (#"{"status": 503, "retryAfter": -1}"#, "fault.retryAfter: expected a number from 0 to 86400"),
        (#"{"status": 503, "retryAfter": 1e400}"#, "fault.retryAfter"),
        (#"{"latencyMs": 9223372036854775807}"#, "fault.latencyMs: expected an integer from 0 to 600000"),
        (#"{"latencyMs": 10, "jitterMs": -5}"#, "fault.jitterMs: expected an integer from 0 to 600000"),
        (#"{"retryAfter": 5}"#, "retryAfter and body go with status"),
        (#"{"reset": "yes"}"#, "fault.reset: expected true or false"),
        (#"[{"status": 503}, 1]"#, "faults[1] must be a JSON object"),
        (#"{"status": "#, "body"),
    ])
    func badFaults(body: String, message: String) async throws {
        let host = FakeHost(service: IdentityDirectory(clock: SimulatedClock(), seed: 1), clock: SimulatedClock())
        let r = await host.handle(FakeRequest(method: "POST", path: "/_provsim/faults", headers: [("content-type", "application/json")], body: Array(body.utf8)))
        #expect(r.status == 400)
        let error = try #require(r.json?["error"]?.stringValue)
        #expect(error.contains(message), "\(error)")
        #expect(host.faults.rules.isEmpty)
    }

    @Test("two faults with the largest latency each add up without overflow (capped at an hour)")
    func latenciesAddUpWithoutOverflow() throws {
        let faults = FaultInjector(seed: 1)
        faults.add(try FaultRule(json: ["latencyMs": 600_000, "jitterMs": 600_000], defaultID: "a"))
        faults.add(try FaultRule(json: ["latencyMs": 600_000, "jitterMs": 600_000], defaultID: "b"))
        faults.add(try FaultRule(json: ["latencyMs": 600_000, "jitterMs": 600_000], defaultID: "c"))
        faults.add(try FaultRule(json: ["latencyMs": 600_000, "jitterMs": 600_000], defaultID: "d"))
        let effects = faults.effects(for: FakeRequest(method: "GET", path: "/scim/Users"))
        #expect(effects.latencyMilliseconds <= 3_600_000)
        #expect(effects.latencyMilliseconds >= 2_400_000)
    }
}
