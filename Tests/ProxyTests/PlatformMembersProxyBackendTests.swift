import Engine
import Fakes
import Hosting
import JSON
import SCIM
import Simulation
import Testing
import Transformation
@testable import Proxy

/// The Platform Members proxy over the Cloud Foundry and UAA fakes, with SAP's default proxy
/// transformations: CF users of the platform origin, org and space roles as groups.
@Suite("Proxy over Platform Members")
struct PlatformMembersProxyBackendTests {
    static let base = "https://tenant.example/ipsproxy/service/api/v1/scim/pm-1"
    static let orgUser = "org-1 organization_user"
    static let spaceDeveloper = "org-1 space-1 space_developer"

    struct Running {
        let simulation: Simulation
        let proxy: ProxySystem

        var reader: ProxyReader { proxy.reader }
        var writer: ProxyWriter { proxy.writer }

        /// `user role org-or-space-GUID` of every role but the provisioning user's.
        func roles() throws -> Set<String> {
            let cf = try #require(simulation.host("cf"))
            let state = cf.service.state(context: cf.context)
            let names = Dictionary(uniqueKeysWithValues: (state["users"]?.arrayValue ?? []).compactMap { user -> (String, String)? in
                guard let guid = user["guid"]?.stringValue else { return nil }
                return (guid, user["username"]?.stringValue ?? guid)
            })
            return Set((state["roles"]?.arrayValue ?? []).compactMap { role -> String? in
                guard let user = role["relationships"]?["user"]?["data"]?["guid"]?.stringValue, let name = names[user],
                      name != "cf-provisioner@provsim.example", let type = role["type"]?.stringValue else { return nil }
                let scope = role["relationships"]?["space"]?["data"]?["guid"]?.stringValue
                    ?? role["relationships"]?["organization"]?["data"]?["guid"]?.stringValue ?? "?"
                return "\(name) \(type) \(scope)"
            })
        }
    }

    func start(properties: String = "") async throws -> Running {
        let simulation = try await Simulation.inProcess(["uaa", "cf"])
        let cf = try #require(simulation.host("cf"))
        _ = try cf.service.seed(try JSONParser.parse(#"""
        {"organizations": [{"name": "acme", "guid": "org-1", "spaces": [{"name": "dev", "guid": "space-1"}]}],
         "roles": [
           {"type": "organization_user", "user": {"username": "alice@acme.example", "origin": "acme-platform"}, "organization": "acme"},
           {"type": "space_developer", "user": {"username": "alice@acme.example"}, "organization": "acme", "space": "dev"},
           {"type": "organization_user", "user": {"username": "bob@acme.example", "origin": "acme-platform"}, "organization": "acme"},
           {"type": "organization_user", "user": {"username": "carol@other.example", "origin": "other-platform"}, "organization": "acme"}
         ]}
        """#), context: cf.context)
        let systems = try simulation.systems(json: try JSONParser.parse(#"""
        {"systems": {"pm": {"type": "cf-platform-members", "role": "proxy", "fake": "cf",
          "properties": {"btp.cf.pm.origin": "acme-platform", "btp.cf.pm.landscape": "cf-eu10"\#(properties)}}}}
        """#))
        return Running(simulation: simulation, proxy: try ProxySystem(engine: simulation.engine(systems: systems), system: "pm", baseLocation: Self.base))
    }

    @Test func usersAreThePlatformOriginsAndGroupsAreEveryOrgAndSpaceRole() async throws {
        let running = try await start()
        let users = try await running.reader.list(.user, .init())
        let userNames = users["Resources"]?.arrayValue?.compactMap { $0["userName"]?.stringValue }
        #expect(userNames == ["alice@acme.example", "bob@acme.example"])
        #expect(users["totalResults"] == 2)
        let alice = try #require(users["Resources"]?[0])
        let aliceId = try #require(alice["id"]?.stringValue)
        #expect(alice["origin"] == "acme-platform")
        #expect(alice["emails"] == [["value": "alice@acme.example", "primary": true]])
        #expect(alice["meta"]?["location"] == .string(Self.base + "/Users/" + aliceId))

        let groups = try await running.reader.list(.group, .init(count: 100))
        #expect(groups["totalResults"] == 8)
        let ids = groups["Resources"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        #expect(ids == ["org-1 organization_user", "org-1 organization_manager", "org-1 organization_auditor", "org-1 organization_billing_manager",
                        "org-1 space-1 space_developer", "org-1 space-1 space_manager", "org-1 space-1 space_auditor", "org-1 space-1 space_supporter"])
        let developers = try #require(groups["Resources"]?[4])
        #expect(developers["displayName"] == "cf-eu10:acme:dev:space_developer")
        #expect(developers["urn:sap:cloud:scim:schemas:extension:custom:2.0:Group"]?["name"] == .string(Self.spaceDeveloper))
        #expect(developers["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == [aliceId])
        // The default read transformation concatenates the ID as it is.
        #expect(developers["meta"]?["location"] == .string(Self.base + "/Groups/" + Self.spaceDeveloper))
        // Holders of other origins (carol, the provisioning user) are not members.
        let orgUsers = try #require(groups["Resources"]?[0])
        #expect(orgUsers["members"]?.arrayValue?.count == 2)

        // Filters are evaluated on the back-end's entities, with native totals.
        let one = try await running.reader.list(.group, .init(filter: #"displayName eq "cf-eu10:acme:organization_manager""#))
        #expect(one["totalResults"] == 1 && one["Resources"]?[0]?["id"] == "org-1 organization_manager")
        let tooMany = await #expect(throws: SCIMError.self) { try await running.reader.list(.user, .init(filter: #"origin eq "acme-platform""#)) }
        #expect(tooMany?.scimType == .tooMany)
        let paged = try await running.reader.list(.group, .init(startIndex: 7, count: 5))
        #expect(paged["itemsPerPage"] == 2 && paged["totalResults"] == 8)

        let read = try await running.reader.entity(.group, id: Self.orgUser)
        #expect(read["displayName"] == "cf-eu10:acme:organization_user")
        await #expect(throws: SCIMError.self) { try await running.reader.entity(.group, id: "org-1 space_developer") }
        await #expect(throws: SCIMError.self) { try await running.reader.entity(.group, id: "org-9 organization_user") }
    }

    @Test func theUserFilterAndTheGroupPrefixApply() async throws {
        let running = try await start(properties: #", "btp.cf.pm.user.filter": "userName eq \"bob@acme.example\"", "btp.cf.pm.group.prefix": "BTP_CF_PM_""#)
        let users = try await running.reader.list(.user, .init())
        #expect(users["Resources"]?.arrayValue?.compactMap { $0["userName"]?.stringValue } == ["bob@acme.example"])
        let group = try await running.reader.entity(.group, id: Self.orgUser)
        #expect(group["displayName"] == "BTP_CF_PM_cf-eu10:acme:organization_user")
    }

    @Test func usersAreCreatedGrantedRolesThroughGroupsNeverUpdatedAndOffboarded() async throws {
        let running = try await start()
        let created = try await running.writer.create(.user, try JSONParser.parse(#"""
        {"userName": "dave@acme.example", "emails": [{"value": "dave@acme.example"}]}
        """#))
        #expect(created.status == 201)
        let dave = try #require(created.body?["id"]?.stringValue)
        #expect(created.body?["meta"]?["location"] == .string(Self.base + "/Users/" + dave))
        // Without a role, an org manager cannot see the user.
        await #expect(throws: SCIMError.self) { try await running.reader.entity(.user, id: dave) }
        let again = await #expect(throws: SCIMError.self) {
            try await running.writer.create(.user, try JSONParser.parse(#"{"userName": "dave@acme.example", "emails": [{"value": "dave@acme.example"}]}"#))
        }
        #expect(again?.status == 409 && again?.scimType == .uniqueness)

        // PUT of a role group: exactly these members.
        let alice = try #require(try await running.reader.list(.user, .init(filter: #"userName eq "alice@acme.example""#))["Resources"]?[0]?["id"]?.stringValue)
        let put = try await running.writer.replace(.group, id: Self.orgUser, [
            "displayName": "cf-eu10:acme:organization_user", "members": [["value": .string(alice)], ["value": .string(dave)]],
        ])
        #expect(put.status == 200)
        #expect(Set(put.body?["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } ?? []) == [alice, dave])
        #expect(try running.roles().contains("dave@acme.example organization_user org-1"))
        #expect(try !running.roles().contains("bob@acme.example organization_user org-1"))
        #expect(try running.roles().contains("carol@other.example organization_user org-1"), "holders of another origin are not revoked")
        #expect(try await running.reader.entity(.user, id: dave)["userName"] == "dave@acme.example")

        // PATCH adds a member (the default write passes Operations through).
        let patched = try await running.writer.patch(.group, id: Self.spaceDeveloper, try JSONParser.parse(#"""
        {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "add", "path": "members", "value": [{"value": "\#(dave)"}]}]}
        """#))
        #expect(patched.status == 200)
        #expect(try running.roles().contains("dave@acme.example space_developer space-1"))

        // Updates are skipped by the default write transformation.
        let replaced = try await running.writer.replace(.user, id: dave, ["userName": "dave@acme.example", "emails": [["value": "other@acme.example"]]])
        #expect(replaced.status == 200 && replaced.skipReason == "Operation [update] is skipped in target transformation")

        // DELETE revokes the roles in Cloud Foundry's order, as IPS does: the organization_user role,
        // listed first, is refused while the space role remains; a second DELETE completes it.
        let refused = await #expect(throws: SCIMError.self) { try await running.writer.delete(.user, id: dave) }
        #expect(refused?.status == 422)
        #expect(try running.roles().filter { $0.hasPrefix("dave@") } == ["dave@acme.example organization_user org-1"])
        #expect(try await running.writer.delete(.user, id: dave).status == 204)
        #expect(try running.roles().filter { $0.hasPrefix("dave@") }.isEmpty)
        await #expect(throws: SCIMError.self) { try await running.reader.entity(.user, id: dave) }
    }

    @Test func groupWritesNameTheirRoleAndPassCloudFoundryRefusalsOn() async throws {
        let running = try await start()
        let bob = try #require(try await running.reader.list(.user, .init(filter: #"userName eq "bob@acme.example""#))["Resources"]?[0]?["id"]?.stringValue)
        // POST: the ID comes from the custom extension name.
        let created = try await running.writer.create(.group, [
            "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group": ["name": "org-1 organization_auditor"],
            "displayName": "cf-eu10:acme:organization_auditor", "members": [["value": .string(bob)]],
        ])
        #expect(created.status == 201 && created.body?["id"] == "org-1 organization_auditor")
        #expect(try running.roles().contains("bob@acme.example organization_auditor org-1"))

        let badName = await #expect(throws: SCIMError.self) {
            try await running.writer.create(.group, [
                "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group": ["name": "org-1 developer"], "displayName": "x",
            ])
        }
        #expect(badName?.status == 400 && badName?.scimType == .invalidValue)

        // A space role needs organization_user: Cloud Foundry's 422 reaches the client.
        let alice = try #require(try await running.reader.list(.user, .init(filter: #"userName eq "alice@acme.example""#))["Resources"]?[0]?["id"]?.stringValue)
        _ = try await running.writer.replace(.group, id: Self.orgUser, ["displayName": "x", "members": [["value": .string(alice)]]])
        #expect(try running.roles().contains("carol@other.example organization_user org-1"), "another origin's holder stays")
        let refused = await #expect(throws: SCIMError.self) {
            try await running.writer.patch(.group, id: "org-1 space-1 space_auditor", try JSONParser.parse(#"""
            {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "add", "path": "members", "value": [{"value": "\#(bob)"}]}]}
            """#))
        }
        #expect(refused?.status == 422)

        // DELETE of a group revokes the role from everyone (but the provisioning user).
        #expect(try await running.writer.delete(.group, id: "org-1 organization_auditor").status == 204)
        #expect(try !running.roles().contains { $0.contains("organization_auditor") })
        await #expect(throws: SCIMError.self) { try await running.writer.delete(.group, id: "org-1 nobody") }
    }
}
