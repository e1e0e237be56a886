import Engine
import Fakes
import Fuzz
import Hosting
import JSON
import Testing

/// Fifty clients writing to each fake at once, then the fake's state against what they were
/// told: nothing lost, nothing duplicated, nothing dangling (`provsim bench fake --mix write`
/// runs the same load for longer).
@Suite("Concurrency: 50 writing clients lose and duplicate nothing")
struct ConcurrencyTests {
    @Test("creates, membership changes, deletes and conflicting creates against each fake", arguments: ["identity-directory", "afc", "uaa", "xsuaa", "cf"])
    func writesAreConsistent(service: String) async throws {
        var configuration = FakeFleetConfiguration()
        configuration.services = FakeFleet.withDependencies([service])
        configuration.rateLimits = false
        let fleet = try await FakeFleet.start(configuration)
        let transport = AsyncHTTPTransport(maxConnectionsPerHost: 50)
        do {
            let entry = try #require(fleet.descriptor["services"]?.arrayValue?.first { $0["name"]?.stringValue == service })
            let load = WriteLoad(service: service, entry: entry, connections: 50, transport: transport)
            let fixture = try await load.prepare()
            let host = try #require(fleet.host(named: service))
            let before = host.service.state(context: host.context)
            let ledger = try await load.run(seconds: 0, minimumSteps: 12, fixture: fixture)
            let after = host.service.state(context: host.context)
            #expect(ledger.requests == 50 * 12)
            #expect(ledger.live.count + ledger.deleted.count >= 50, "every client created at least one user")
            #expect(ledger.unexpected.isEmpty, "\(ledger.unexpected.prefix(5))")
            let problems = ConsistencyCheck.problems(service: service, before: before, after: after, ledger: ledger)
            #expect(problems.isEmpty, "\(problems)")
        } catch {
            await transport.shutdown()
            await fleet.stop()
            throw error
        }
        await transport.shutdown()
        await fleet.stop()
    }

    @Test("the check finds a lost user, a phantom, a duplicate name and a dangling member")
    func checkCanFail() {
        let before: JSONValue = ["users": [["id": "seed", "userName": "s"]], "groups": []]
        let after: JSONValue = ["users": [["id": "seed", "userName": "s"], ["id": "ghost", "userName": "S"]],
                                "groups": [["id": "g", "members": [["value": "gone"]]]]]
        var ledger = WriteLoad.Ledger()
        ledger.live = ["kept": "k"]
        ledger.memberships = [("g", "kept")]
        let problems = ConsistencyCheck.problems(service: "identity-directory", before: before, after: after, ledger: ledger)
        #expect(problems.contains { $0.contains("missing") })
        #expect(problems.contains { $0.contains("no client created") })
        #expect(problems.contains { $0.contains("names appear twice") })
        #expect(problems.contains { $0.contains("point at users that do not exist") })
        #expect(problems.contains { $0.contains("confirmed are gone") })
    }
}
