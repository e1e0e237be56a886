import Engine
import Fakes
import Hosting
import JSON
import SCIM
import Simulation
import Testing
import Transformation
@testable import Proxy

/// The proxy over the AFC fake (SCIM 2.0, case-sensitive user IDs, OAuth client credentials).
/// SAP prints no default AFC proxy transformations, so the system brings its own: a read with
/// `meta.location` and a write whose user PATCH passes through, as IPS documents for AFC
/// (docs/fidelity.md, “AFC”: `schemas[0]` the PatchOp URN, `Operations`).
@Suite("Proxy over the AFC fake")
struct AFCProxyTests {
    static let base = "https://tenant.example/ipsproxy/service/api/v1/scim/afc-1"

    static let transformations = #"""
    "transformation": {
      "user": {"scimEntityEndpoint": "Users", "mappings": [
        {"sourcePath": "$.id", "targetPath": "$.id", "targetVariable": "entityIdSourceSystem"},
        {"sourcePath": "$.userName", "targetPath": "$.userName", "correlationAttribute": true},
        {"sourcePath": "$.name", "targetPath": "$.name", "optional": true},
        {"sourcePath": "$.emails", "targetPath": "$.emails", "preserveArrayWithSingleElement": true, "optional": true},
        {"sourcePath": "$.active", "targetPath": "$.active", "optional": true},
        {"sourcePath": "$.meta", "targetPath": "$.meta", "optional": true},
        {"sourceVariable": "entityBaseLocation", "targetPath": "$.meta.location", "functions": [{"type": "concatString", "suffix": "${entityIdSourceSystem}"}]}
      ]},
      "group": {"ignore": true, "mappings": []}
    },
    "writeTransformation": {
      "user": {"scimEntityEndpoint": "Users", "mappings": [
        {"constant": "urn:ietf:params:scim:schemas:core:2.0:User", "targetPath": "$.schemas[0]"},
        {"sourceVariable": "entityIdTargetSystem", "targetPath": "$.id"},
        {"sourcePath": "$.userName", "targetPath": "$.userName"},
        {"sourcePath": "$.name", "targetPath": "$.name", "optional": true},
        {"sourcePath": "$.emails", "targetPath": "$.emails", "preserveArrayWithSingleElement": true, "optional": true},
        {"constant": "urn:ietf:params:scim:api:messages:2.0:PatchOp", "targetPath": "$.schemas[0]", "scope": "patchEntity"},
        {"sourcePath": "$.Operations", "targetPath": "$.Operations", "preserveArrayWithSingleElement": true, "scope": "patchEntity"}
      ]},
      "group": {"ignore": true, "mappings": []}
    }
    """#

    @Test func usersAreCaseSensitiveAndAPatchPassesThrough() async throws {
        let simulation = try await Simulation.inProcess(["afc"])
        let afc = try #require(simulation.host("afc"))
        _ = try afc.service.seed(try JSONParser.parse(#"{"users": [{"userName": "jdoe", "emails": [{"value": "john.doe@example.com"}]}]}"#), context: afc.context)
        let systems = try simulation.systems(json: try JSONParser.parse(#"{"systems": {"afc": {"type": "afc", "role": "proxy", "fake": "afc", \#(Self.transformations)}}}"#))
        let proxy = try ProxySystem(engine: simulation.engine(systems: systems), system: "afc", baseLocation: Self.base)

        // JDoe is not jdoe in AFC: the create does not conflict, and each filter finds one user.
        let created = try await proxy.writer.create(.user, ["userName": "JDoe", "emails": [["value": "john.doe@example.com"]]])
        #expect(created.status == 201)
        let id = try #require(created.body?["id"]?.stringValue)
        #expect(created.body?["meta"]?["location"] == .string(Self.base + "/Users/" + id))
        for name in ["jdoe", "JDoe"] {
            let found = try await proxy.reader.list(.user, .init(filter: "userName eq \"\(name)\""))
            #expect(found["totalResults"] == 1 && found["Resources"]?[0]?["userName"] == .string(name))
        }

        // The client's PatchOp reaches AFC unchanged and the patched user comes back.
        let patched = try await proxy.writer.patch(.user, id: id, try JSONParser.parse(#"""
        {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
         "Operations": [{"op": "replace", "path": "name.givenName", "value": "Jonathan"}]}
        """#))
        #expect(patched.status == 200 && patched.body?["name"]?["givenName"] == "Jonathan")
        let journal = afc.journal.entries().map { "\($0.method) \($0.path)" }
        #expect(journal.contains("PATCH /scim2/Users/\(id)"))

        // AFC's own errors reach the client: an unknown ID is 404.
        let missing = await #expect(throws: SCIMError.self) { try await proxy.reader.entity(.user, id: "no-such-user") }
        #expect(missing?.status == 404)
    }
}
