import Chrono
import Fakes
import Hosting
import JSON
import Testing

/// Every input that once killed the process (a Swift trap or a stack overflow in a handler takes
/// every fake in the process down with it), kept as a named test. Each must now get the real
/// service's answer: a 4xx in the service's own shape, never a crash, a 500 or a hang.
@Suite("Crash regressions: requests and control-API calls that once killed the fakes")
struct CrashRegressionTests {
    @Test("UAA: GET /Users?attributes=. (an empty attribute name) is 400 'Invalid attributes', not a trap in UAAQuery")
    func uaaEmptyAttribute() async throws {
        let f = try await UAAFixture.make()
        _ = try await f.createUser("alice")
        for attributes in [".", "..", "id,.", "userName,."] {
            let reply = await f.send("GET", "/Users?attributes=\(attributes)")
            #expect(reply.status == 400, "\(attributes): \(reply.text)")
            #expect(uaaError(reply).2?.hasPrefix("Invalid attributes") == true)
        }
    }

    @Test("Cloud Foundry: a page near Int.max (page × per_page overflows) lists nothing instead of trapping in CFListQuery")
    func cfPageOverflow() async throws {
        let acme = try await AcmeWorld.make()
        for target in ["/v3/organizations?page=4611686018427387904", "/v3/organizations?page=4611686018427387904&per_page=2",
                       "/v3/spaces?page=9223372036854775807&per_page=5000", "/v3/users?page=9223372036854775807",
                       "/v3/roles?page=9223372036854775807&per_page=5000"] {
            let reply = await acme.send("GET", target)
            #expect(reply.status == 200, "\(target): \(reply.text)")
            #expect(reply.json?["resources"] == [])
        }
    }

    @Test("Identity Directory: a SCIM filter nested 50,000 levels deep is 400 invalidFilter in list, /.search and PATCH paths", arguments: [
        String(repeating: "(", count: 50_000) + "userName eq \"a\"" + String(repeating: ")", count: 50_000),
        String(repeating: "not (", count: 50_000) + "userName eq \"a\"" + String(repeating: ")", count: 50_000),
        String(repeating: "emails[", count: 50_000) + "value eq \"a\"" + String(repeating: "]", count: 50_000),
        String(repeating: "(", count: 50_000),
    ])
    func deepFilters(filter: String) async throws {
        let directory = try await DirectoryFixture.make()
        let search = await directory.send("POST", "/scim/Users/.search", body: ["schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": .string(filter)])
        #expect(search.status == 400)
        #expect(search.json?["scimType"] == "invalidFilter")
        #expect(search.json?["detail"]?.stringValue?.count ?? 0 < 1000, "the error quotes the filter cut short")
        let list = await directory.send("GET", "/scim/Users?filter=" + String(filter.prefix(3000)))
        #expect(list.status == 400)
        let user = try await directory.createUser("alice")
        let patch = await directory.send("PATCH", "/scim/Users/\(user)", body: [
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [["op": "remove", "path": .string("emails[\(filter)]")]],
        ])
        #expect(patch.status == 400)
    }

    @Test("Identity Directory: an or-chain of 100,000 terms is evaluated (balanced), not a stack overflow")
    func longOrChain() async throws {
        let directory = try await DirectoryFixture.make()
        _ = try await directory.createUser("alice")
        let chain = (0..<100_000).map { "userName eq \"u\($0)\"" }.joined(separator: " or ") + " or userName eq \"alice\""
        let search = await directory.send("POST", "/scim/Users/.search", body: ["schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": .string(chain)])
        #expect(search.status == 200, "\(search.text.prefix(300))")
        #expect(search.json?["totalResults"] == 1)
    }

    @Test("control API: out-of-range or non-finite values are 400 naming the field and its range, and the fake keeps serving", arguments: [
        ("POST", "clock/advance", #"{"seconds": 1e300}"#, "clock/advance.seconds: expected a number from 0 to 10000000000"),
        ("POST", "clock/advance", #"{"seconds": 1e400}"#, "clock/advance.seconds"),
        ("POST", "clock/advance", #"{"seconds": -1}"#, "clock/advance.seconds"),
        ("PUT", "limits", #"{"perSecond": 1e300}"#, "limits.perSecond: expected a number from 0.001 to 1000000"),
        ("PUT", "limits", #"{"perSecond": 1, "queueDepth": -100}"#, "limits.queueDepth: expected an integer from 0 to 1000000"),
        ("PUT", "limits", #"{"windowRequests": 5, "windowSeconds": 1e300}"#, "limits.windowSeconds"),
        ("PUT", "limits", #"{"windowRequests": 0}"#, "limits.windowRequests: expected an integer from 1"),
        ("PUT", "limits", #"{"slowAfter": 0, "slowDelaySeconds": 1e300}"#, "limits.slowDelaySeconds: expected a number from 0 to 3600"),
        ("PUT", "limits", #"{"slowAfter": 0, "slowDelaySeconds": -5}"#, "limits.slowDelaySeconds"),
        ("PUT", "limits", #"{"maxConcurrent": "3"}"#, "limits.maxConcurrent: expected an integer"),
        ("POST", "faults", #"{"status": 503, "retryAfter": 1e300}"#, "fault.retryAfter"),
        ("POST", "faults", #"{"status": 503, "retryAfter": -3}"#, "fault.retryAfter"),
        ("POST", "faults", #"[{"latencyMs": 9223372036854775807}, {"latencyMs": 9223372036854775807}]"#, "faults[0].latencyMs"),
    ])
    func controlValues(method: String, path: String, body: String, message: String) async throws {
        let directory = try await DirectoryFixture.make()
        let reply = await directory.host.host.handle(FakeRequest(method: method, path: "/_provsim/" + path, headers: [("content-type", "application/json")], body: Array(body.utf8)))
        #expect(reply.status == 400)
        #expect(reply.json?["error"]?.stringValue?.contains(message) == true, "\(reply.text)")
        // Still alive and unchanged: a normal request is served, limits and faults are as before.
        #expect(await directory.send("GET", "/scim/Users").status == 200)
        #expect(directory.host.host.limiter.limits == .none)
        #expect(directory.host.host.faults.rules.isEmpty)
    }

    @Test("control API: the largest accepted values still serve requests (no overflow downstream)")
    func largestAcceptedValues() async throws {
        let directory = try await DirectoryFixture.make()
        let control = directory.host.host
        for (method, path, body) in [("POST", "clock/advance", #"{"seconds": 10000000000}"#), ("POST", "clock/advance", #"{"seconds": 10000000000}"#),
                                     ("PUT", "limits", #"{"windowRequests": 1, "windowSeconds": 31536000, "perSecond": 0.001, "queueDepth": 1000000}"#)] {
            let reply = await control.handle(FakeRequest(method: method, path: "/_provsim/" + path, headers: [("content-type", "application/json")], body: Array(body.utf8)))
            #expect(reply.status == 200, "\(path): \(reply.text)")
        }
        // Tokens issued before the advance have expired (the clock moved on twenty billion seconds).
        let token = try await directory.host.clientToken(directory.service.client)
        #expect(await directory.host.send("GET", "/scim/Users", token: token).status == 200)
        let limited = await directory.host.send("GET", "/scim/Users", token: token)
        #expect(limited.status == 429)
        #expect(Int(limited.header("retry-after") ?? "") != nil)
    }

    @Test("AFC: mutated seed bodies are 400 with a message, never a trap", arguments: [
        #"{"users": [{"userName": 1}]}"#, #"{"users": [null]}"#, #"{"users": [{"userName": "a", "active": "x"}]}"#,
        #"{"groups": [{"displayName": "G", "members": [1, {"value": null}]}]}"#, #"{"roles": [{"id": 5}]}"#,
        #"{"users": [{"userName": "a", "roles": [{"value": []}]}]}"#, #"{"drafts": {"x": 1}}"#, #"[[[[[]]]]]"#,
        #"{"users": [{"userName": "a", "emails": "x"}]}"#, #"{"users": [{"userName": "a", "meta": {"created": 1e999}}]}"#,
    ])
    func afcSeedMutations(body: String) async throws {
        let clock = SimulatedClock()
        let host = FakeHost(service: AdvancedFinancialClosing(clock: clock, seed: 1), clock: clock)
        let reply = await host.handle(FakeRequest(method: "POST", path: "/_provsim/seed", headers: [("content-type", "application/json")], body: Array(body.utf8)))
        #expect(reply.status == 400 || reply.status == 200, "\(reply.status) \(reply.text)")
        #expect(reply.json?.objectValue != nil)
    }
}
