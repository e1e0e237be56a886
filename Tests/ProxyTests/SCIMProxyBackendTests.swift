import Engine
import Fakes
import Hosting
import JSON
import SCIM
import Simulation
import Testing
import TestSupport
import Transformation
@testable import Proxy

/// The proxy over a real back-end: the XSUAA fake on loopback HTTP, reached through the engine's
/// client of a proxy system declared in a systems file (token, If-Match, UAA's list shape and
/// errors, the system's read filters).
@Suite("Proxy over the XSUAA fake")
struct SCIMProxyBackendTests {
    struct Running {
        let simulation: Simulation
        let reader: ProxyReader
        let writer: ProxyWriter

        func xsuaa() throws -> FakeHost {
            try #require(simulation.host("xsuaa"))
        }
    }

    static let base = "https://tenant.example/ipsproxy/service/api/v1/scim/xs-1"

    func start(properties: String = #""xsuaa.origin": "sap.custom""#) async throws -> Running {
        let simulation = try await Simulation.inProcess(["xsuaa"])
        let systems = try simulation.systems(json: try JSONParser.parse(#"{"systems": {"xs": {"type": "xsuaa", "role": "proxy", "fake": "xsuaa", "properties": {\#(properties)}}}}"#))
        let proxy = try ProxySystem(engine: simulation.engine(systems: systems), system: "xs", baseLocation: Self.base)
        return Running(simulation: simulation, reader: proxy.reader, writer: proxy.writer)
    }

    func seed(_ running: Running, _ json: String) throws {
        let host = try running.xsuaa()
        _ = try host.service.seed(try JSONParser.parse(json), context: host.context)
    }

    func xsuaaUsers(_ running: Running) async throws -> [JSONValue] {
        let host = try running.xsuaa()
        return host.service.state(context: host.context)["users"]?.arrayValue ?? []
    }

    @Test func aUserIsCreatedReadReplacedAndDeletedThroughTheProxy() async throws {
        let running = try await start()
        let body = try JSONParser.parse(#"""
        {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "jdoe", "name": {"givenName": "John", "familyName": "Doe"},
         "emails": [{"value": "john.doe@example.com"}]}
        """#)
        let created = try await running.writer.create(.user, body)
        #expect(created.status == 201)
        let id = try #require(created.body?["id"]?.stringValue)
        #expect(id != "xsuaa-dummy-value")
        #expect(created.body?["meta"]?["location"] == .string(Self.base + "/Users/" + id))
        #expect(try await xsuaaUsers(running).first?["origin"] == "sap.custom")

        let page = try await running.reader.list(.user, .init(filter: #"userName eq "jdoe""#))
        #expect(page["totalResults"] == 1 && page["Resources"]?[0]?["id"] == .string(id))

        var changed = body
        changed["name"] = .object(JSONObject([("givenName", "Johnny"), ("familyName", "Doe")]))
        let replaced = try await running.writer.replace(.user, id: id, changed)
        #expect(replaced.status == 200 && replaced.body?["name"]?["givenName"] == "Johnny")

        #expect(try await running.writer.delete(.user, id: id).status == 204)
        await #expect(throws: SCIMError.self) { try await running.reader.entity(.user, id: id) }
        #expect(try await xsuaaUsers(running).isEmpty)
    }

    static let twoMaxes = #"""
    {"users": [{"userName": "max", "origin": "idp1", "emails": [{"value": "m@x.com"}]}, {"userName": "max", "origin": "idp2", "emails": [{"value": "m@x.com"}]}]}
    """#

    @Test func theOriginFilterNarrowsReadsToTheSystemsOrigin() async throws {
        let running = try await start(properties: #""xsuaa.origin": "idp2", "xsuaa.origin.filter.enabled": "true""#)
        try seed(running, Self.twoMaxes)
        let page = try await running.reader.list(.user, .init(filter: #"userName eq "max""#))
        #expect(page["totalResults"] == 1 && page["Resources"]?[0]?["userName"] == "max")
        let all = try await running.reader.list(.user, .init())
        #expect(all["totalResults"] == 1)
    }

    @Test("with several origins (idp1;idp2) the proxy reads the users of each, not of a literal 'idp1;idp2'")
    func theOriginFilterTakesSeveralOrigins() async throws {
        let running = try await start(properties: #""xsuaa.origin": "idp1;idp2", "xsuaa.origin.filter.enabled": "true""#)
        try seed(running, Self.twoMaxes)
        #expect(try await running.reader.list(.user, .init())["totalResults"] == 2)
    }

    @Test func theOriginFilterNeedsAnOrigin() async throws {
        let simulation = try await Simulation.inProcess(["xsuaa"], rateLimits: true)
        let systems = try simulation.systems(json: try JSONParser.parse(#"{"systems": {"xs": {"type": "xsuaa", "role": "proxy", "fake": "xsuaa", "properties": {"xsuaa.origin.filter.enabled": "true"}}}}"#))
        #expect(throws: SCIMError(status: 500, detail: "xs: xsuaa.origin.filter.enabled is true, but xsuaa.origin names no origin to read")) {
            try ProxySystem(engine: simulation.engine(systems: systems), system: "xs", baseLocation: Self.base)
        }
    }

    @Test func proxySystemsInSystemsFiles() throws {
        func error(_ text: String) -> String? {
            do {
                _ = try SystemsConfiguration(json: try JSONParser.parse(text), loadFile: { (p) throws(SystemsError) -> String in throw SystemsError(field: "transformation", message: p) })
                return nil
            } catch {
                return "\(error)"
            }
        }
        let xsuaa = try SystemsConfiguration(json: try JSONParser.parse(#"{"systems": {"xs": {"type": "xsuaa", "role": "proxy", "properties": {"URL": "http://x"}}}}"#),
                                             loadFile: { (p) throws(SystemsError) -> String in throw SystemsError(field: "transformation", message: p) })
        #expect(xsuaa["xs"]?.writeTransformation != nil && xsuaa["xs"]?.transformation.plan(for: .user)?.scimEntityEndpoint == "Users")
        #expect(error(#"{"systems": {"a": {"type": "afc", "role": "proxy", "properties": {"URL": "http://x"}}}}"#)?.contains("a afc proxy has no default transformations") == true)
        #expect(error(#"{"systems": {"t": {"type": "xsuaa", "role": "target", "writeTransformation": "builtin:xsuaa-write", "properties": {"URL": "http://x"}}}}"#)?
            .contains("only a proxy system has a separate write transformation") == true)
        #expect(error(#"{"systems": {"t": {"type": "xsuaa", "role": "bystander"}}}"#)?.contains("'bystander' is not a role (source, target or proxy)") == true)
    }

    @Test func aUserInTwoOriginsIsTooManyForASingleEntityFilter() async throws {
        let running = try await start()
        try seed(running, Self.twoMaxes)
        do throws(SCIMError) {
            _ = try await running.reader.list(.user, .init(filter: #"userName eq "max""#))
            Issue.record("two users named max must be tooMany")
        } catch {
            #expect(error.status == 400 && error.scimType == .tooMany)
        }
    }

    @Test func backendErrorsKeepTheirStatusAndText() async throws {
        let running = try await start()
        do throws(SCIMError) {
            _ = try await running.reader.entity(.user, id: "no-such-user")
            Issue.record("an unknown user must be 404")
        } catch {
            #expect(error.status == 404, "\(error)")
        }
        let body = try JSONParser.parse(#"{"userName": "dup", "emails": [{"value": "d@x.com"}]}"#)
        _ = try await running.writer.create(.user, body)
        do throws(SCIMError) {
            _ = try await running.writer.create(.user, body)
            Issue.record("a second dup must conflict")
        } catch {
            #expect(error.status == 409 && error.detail.contains("Username already in use: dup"), "\(error)")
        }
    }

    @Test func pagesComeFromTheBackendWithItsTotal() async throws {
        let running = try await start()
        let users = (1...7).map { #"{"userName": "p\#($0)", "origin": "sap.custom", "emails": [{"value": "p\#($0)@x.com"}]}"# }.joined(separator: ",")
        try seed(running, #"{"users": [\#(users)]}"#)
        let page = try await running.reader.list(.user, .init(startIndex: 3, count: 2))
        #expect(page["totalResults"] == 7 && page["itemsPerPage"] == 2 && page["startIndex"] == 3)
        #expect(page["Resources"]?.arrayValue?.count == 2)
    }

    /// Two users and a role collection holding the first; returns (group ID, first, second).
    func seedGroup(_ running: Running) throws -> (group: String, first: String, second: String) {
        let host = try running.xsuaa()
        let users = try host.service.seed(try JSONParser.parse(#"{"users": [{"userName": "m1", "origin": "sap.custom", "emails": [{"value": "m1@x.com"}]}, {"userName": "m2", "origin": "sap.custom", "emails": [{"value": "m2@x.com"}]}]}"#), context: host.context)
        let first = try #require(users["users"]?[0]?.stringValue), second = try #require(users["users"]?[1]?.stringValue)
        let groups = try host.service.seed(try JSONParser.parse(#"{"groups": [{"displayName": "RC", "members": [{"value": "\#(first)", "type": "USER", "origin": "sap.custom"}]}]}"#), context: host.context)
        return (try #require(groups["groups"]?[0]?.stringValue), first, second)
    }

    func journal(_ running: Running) throws -> [String] {
        try running.xsuaa().journal.entries(after: 0).filter { $0.path.hasPrefix("/Groups") }.map { "\($0.method) \($0.path)" }
    }

    static func memberPatch(add: String, remove: String) -> JSONValue {
        fixtureJSON(#"""
        {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
          {"op": "add", "path": "members", "value": [{"value": "\#(add)"}]},
          {"op": "remove", "path": "members[value eq \"\#(remove)\"]"}]}
        """#)
    }

    @Test func withoutPatchSupportMembersChangeThroughTheMemberEndpointsAndNothingIsReturned() async throws {
        let running = try await start()
        let (group, first, second) = try seedGroup(running)
        let result = try await running.writer.patch(.group, id: group, Self.memberPatch(add: second, remove: first))
        #expect(result.status == 204 && result.body == nil)
        #expect(try journal(running) == ["POST /Groups/\(group)/members", "DELETE /Groups/\(group)/members/\(first)"])
        let members = try await running.reader.entity(.group, id: group)["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue }
        #expect(members == [second])
        // Other attributes cannot go through member endpoints.
        let rename = try JSONParser.parse(#"{"Operations": [{"op": "replace", "path": "displayName", "value": "X"}]}"#)
        await #expect(throws: SCIMError.self) { try await running.writer.patch(.group, id: group, rename) }
    }

    @Test func patchResponseWithResourceReadsTheGroupAgain() async throws {
        let running = try await start(properties: #""xsuaa.origin": "sap.custom", "xsuaa.patch.response.with.resource": "true""#)
        let (group, first, second) = try seedGroup(running)
        let result = try await running.writer.patch(.group, id: group, Self.memberPatch(add: second, remove: first))
        #expect(result.status == 200)
        #expect(result.body?["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == [second])
        #expect(try journal(running).last == "GET /Groups/\(group)")
    }

    @Test func withPatchSupportTheClientsPatchReachesTheGroup() async throws {
        let running = try await start(properties: #""xsuaa.origin": "sap.custom", "scim.support.patch.operation": "true""#)
        let (group, first, second) = try seedGroup(running)
        let result = try await running.writer.patch(.group, id: group, Self.memberPatch(add: second, remove: first))
        #expect(result.status == 200)
        #expect(try journal(running) == ["PATCH /Groups/\(group)"])
        #expect(result.body?["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == [second])
    }

    @Test func proxyReadsAreRetriedOn429ButNotOnOtherFailures() async throws {
        let running = try await start(properties: #""xsuaa.origin": "sap.custom", "ips.failed.request.retry.attempts.interval": "1""#)
        let host = try running.xsuaa()
        host.faults.add(FaultRule(id: "busy", method: "GET", path: "/Users*", effect: .status(429, retryAfter: 0, body: nil), times: 1))
        let page = try await running.reader.list(.user, .init())
        #expect(page["totalResults"] == 0)
        host.faults.add(FaultRule(id: "down", method: "GET", path: "/Users*", effect: .status(503, retryAfter: nil, body: nil), times: 1))
        do throws(SCIMError) {
            _ = try await running.reader.list(.user, .init())
            Issue.record("a 503 must reach the client")
        } catch {
            #expect(error.status == 503)
        }
        let gets = host.journal.entries(after: 0).filter { $0.method == "GET" && $0.path == "/Users" }.map(\.status)
        #expect(gets == [429, 200, 503])
    }
}
