import AsyncHTTPClient
import Foundation
import JSON
import NIOCore
import NIOHTTP1
import Testing

/// `provsim serve` from a new user's view: start it, read the line, use the services, stop it.
@Suite("provsim serve")
struct ServeCommandTests {
    @Test("serve prints the services line, serves seeded state, logs requests without secrets, stops on SIGINT")
    func serveEndToEnd() async throws {
        let directory = try ProvsimProcess.temporaryDirectory()
        let state = directory.appendingPathComponent("state.json")
        try Data(#"""
        {"identity-directory": {"users": [{"userName": "JDoe"}], "groups": [{"displayName": "Closers", "members": [{"userName": "JDoe"}]}]},
         "cf": {"organizations": [{"name": "acme", "guid": "org-1"}],
                "roles": [{"type": "organization_user", "user": {"username": "pat@acme.example", "origin": "provsim-platform"}, "organization": "acme"}]}}
        """#.utf8).write(to: state)
        let portsFile = directory.appendingPathComponent("ports.json")
        let server = try ProvsimServer(["serve", "--seed", "7", "--deterministic", "--state", state.path, "--ports-file", portsFile.path])
        let line = try #require(server.readLine())
        let descriptor = try JSONParser.parse(Array(line.utf8))
        let services = descriptor["services"]?.arrayValue ?? []
        #expect(services.compactMap { $0["name"]?.stringValue } == ["identity-directory", "afc", "xsuaa", "uaa", "cf", "proxy"])
        let written = try String(contentsOf: portsFile, encoding: .utf8)
        #expect(written == line + "\n")

        let identity = try #require(services.first)
        let bearer = try await LocalHTTP.token(identity)
        let scim = identity["scim"]?.stringValue ?? ""
        let users = try await LocalHTTP.send(.GET, scim + "/Users?filter=userName%20eq%20%22jdoe%22", bearer: bearer)
        #expect(users.status == 200)
        #expect(users.json["Resources"]?[0]?["userName"] == "JDoe")
        #expect(users.json["Resources"]?[0]?["groups"]?[0]?["display"] == "Closers")

        let afc = try #require(services.first { $0["name"] == "afc" })
        let afcToken = try await LocalHTTP.token(afc)
        let created = try await LocalHTTP.send(.POST, (afc["scim"]?.stringValue ?? "") + "/Users", bearer: afcToken,
                                     body: #"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "jdoe"}"#)
        #expect(created.status == 201)
        #expect(try await LocalHTTP.send(.GET, (afc["url"]?.stringValue ?? "") + "/_provsim/limits").json["maxConcurrent"] == 3)

        // The proxy over the served XSUAA, as an identity manager reaches it: Basic, then OAuth.
        let proxy = try #require(services.first { $0["name"] == "proxy" })
        let proxyScim = try #require(proxy["scim"]?.stringValue)
        #expect(proxyScim.hasSuffix("/ipsproxy/service/api/v1/scim/xsuaa"))
        let credentials = (proxy["clientId"]?.stringValue ?? "", proxy["clientSecret"]?.stringValue ?? "")
        let loaded = try await LocalHTTP.send(.GET, proxyScim + "/Users?count=10", basic: credentials)
        #expect(loaded.status == 200 && loaded.json["totalResults"] == 0 && loaded.json["itemsPerPage"] == 0)
        #expect(try await LocalHTTP.send(.GET, proxyScim + "/Users").status == 401)
        let proxyToken = try await LocalHTTP.token(proxy)
        #expect(try await LocalHTTP.send(.GET, proxyScim + "/Groups", bearer: proxyToken).status == 200)
        // The Platform Members proxy over the served Cloud Foundry: four org roles, one platform user.
        let members = try #require(proxy["proxySystems"]?["cf"]?.stringValue)
        let roleGroups = try await LocalHTTP.send(.GET, members + "/Groups?count=10", basic: credentials)
        #expect(roleGroups.status == 200 && roleGroups.json["totalResults"] == 4)
        #expect(roleGroups.json["Resources"]?[0]?["displayName"] == "cf-provsim:acme:organization_user")
        #expect(try await LocalHTTP.send(.GET, members + "/Users", basic: credentials).json["Resources"]?[0]?["userName"] == "pat@acme.example")

        let (status, stderr) = server.stop()
        #expect(status == 0)
        #expect(stderr.contains("identity-directory GET /scim/Users?filter=userName eq \"jdoe\" 200"))
        #expect(stderr.contains("afc POST /scim2/Users 201"))
        #expect(stderr.contains("client=sb-afc-api!b1234"))
        #expect(stderr.contains("proxy GET /ipsproxy/service/api/v1/scim/xsuaa/Users?count=10 200"))
        #expect(stderr.contains("client=ips-technical-user"))
        #expect(stderr.contains("provsim: stopping"))
        for service in services {
            #expect(!stderr.contains(service["clientSecret"]?.stringValue ?? "never"))
        }
        #expect(!stderr.contains(bearer) && !stderr.contains(proxyToken))
    }

    @Test("fixed ports, a service subset, no rate limits; SIGTERM stops cleanly too")
    func serveOptions() async throws {
        let probe = try ProvsimServer(["serve", "--services", "afc"])
        let probeLine = try #require(probe.readLine())
        let freePort = try #require(JSONParser.parse(Array(probeLine.utf8))["services"]?[0]?["url"]?.stringValue?.split(separator: ":").last.flatMap { Int($0) })
        #expect(probe.stop(signal: SIGTERM).status == 0)

        let server = try ProvsimServer(["serve", "--services", "afc", "--port", "afc=\(freePort)", "--no-rate-limits", "--time-scale", "60"])
        let line = try #require(server.readLine())
        let services = try JSONParser.parse(Array(line.utf8))["services"]?.arrayValue ?? []
        #expect(services.count == 1)
        #expect(services.first?["url"]?.stringValue == "http://127.0.0.1:\(freePort)")
        let limits = try await LocalHTTP.send(.GET, "http://127.0.0.1:\(freePort)/_provsim/limits")
        #expect(limits.json["maxConcurrent"] == nil)
        #expect(server.stop().status == 0)
    }

    @Test("bad input exits 2 with a message naming the problem", arguments: [
        (["serve", "--state", "/nonexistent/state.json"], "/nonexistent/state.json"),
        (["serve", "--services", "afc,sap-hr"], "unknown service 'sap-hr'"),
        (["serve", "--port", "afc=eighty"], "the port must be a number"),
        (["serve", "--port", "uaa=8080", "--services", "afc"], "--port uaa: no such service"),
        (["serve", "--time-scale", "0"], "--time-scale must be a number from 0.000001 to 1000000"),
        (["serve", "--time-scale", "inf"], "--time-scale must be a number from 0.000001 to 1000000"),
        (["serve", "--port", "afc=70000"], "the port must be a number from 0 to 65535"),
        (["serve", "--host", "0.0.0.0"], "give --allow-remote"),
        (["serve", "--host", "192.168.1.20"], "give --allow-remote"),
    ])
    func badInput(arguments: [String], message: String) throws {
        let result = try ProvsimProcess.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("the ports file is readable by its owner only (it holds credentials); a random key per run refuses another run's tokens")
    func portsFileIsPrivate() async throws {
        let directory = try ProvsimProcess.temporaryDirectory()
        let portsFile = directory.appendingPathComponent("ports.json")
        let first = try ProvsimServer(["serve", "--services", "identity-directory", "--no-proxy", "--ports-file", portsFile.path])
        let firstLine = try #require(first.readLine())
        let attributes = try FileManager.default.attributesOfItem(atPath: portsFile.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let firstService = try #require(try JSONParser.parse(firstLine)["services"]?[0])
        let firstToken = try await LocalHTTP.token(firstService)
        #expect(firstLine.contains("controlToken") == false)

        let second = try ProvsimServer(["serve", "--services", "identity-directory", "--no-proxy"])
        let secondLine = try #require(second.readLine())
        let secondService = try #require(try JSONParser.parse(secondLine)["services"]?[0])
        #expect(secondService["clientSecret"] != firstService["clientSecret"])
        let scim = secondService["scim"]?.stringValue ?? ""
        #expect(try await LocalHTTP.send(.GET, scim + "/Users", bearer: firstToken).status == 401)
        #expect(try await LocalHTTP.send(.GET, scim + "/Users", bearer: try await LocalHTTP.token(secondService)).status == 200)
        #expect(first.stop().status == 0)
        #expect(second.stop().status == 0)
    }

    @Test("--allow-remote serves beyond loopback and prints a control token the control API then requires")
    func allowRemote() async throws {
        let server = try ProvsimServer(["serve", "--host", "0.0.0.0", "--allow-remote", "--services", "afc", "--no-proxy"])
        let line = try #require(server.readLine())
        let descriptor = try JSONParser.parse(line)
        let controlToken = try #require(descriptor["controlToken"]?.stringValue)
        #expect(controlToken.count == 32)
        let port = try #require(descriptor["services"]?[0]?["url"]?.stringValue?.split(separator: ":").last)
        let control = "http://127.0.0.1:\(port)/_provsim/limits"
        #expect(try await LocalHTTP.send(.GET, control).status == 401)
        #expect(try await LocalHTTP.send(.GET, control, bearer: "not-the-token").status == 401)
        #expect(try await LocalHTTP.send(.GET, control, bearer: controlToken).status == 200)
        #expect(server.stop().status == 0)
    }

    @Test("a state file with bad data names the service and entry")
    func badState() throws {
        let directory = try ProvsimProcess.temporaryDirectory()
        let state = directory.appendingPathComponent("state.json")
        try Data(#"{"afc": {"users": [{"userName": "a"}, {"displayName": "no user name"}]}}"#.utf8).write(to: state)
        let result = try ProvsimProcess.run(["serve", "--state", state.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--state afc: users[1]"), "\(result.stderr)")
        try Data(#"{"afc": "#.utf8).write(to: state)
        let broken = try ProvsimProcess.run(["serve", "--state", state.path])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains(state.path), "\(broken.stderr)")
    }
}
