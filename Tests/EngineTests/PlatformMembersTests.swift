import Engine
import Fakes
import Hosting
import JSON
import Testing
import Transformation

/// Directory → SAP BTP Platform Members (UAA users, CF V3 roles), in both role orderings.
@Suite("Cloud Foundry platform members")
struct PlatformMembersTests {
    static let orgUser = ("CF:acme:organization_user", "org-1 organization_user")
    static let spaceDeveloper = ("CF:acme:dev:space_developer", "org-1 space-1 space_developer")

    private func start(groups: [(display: String, name: String)], order: String) async throws -> (EngineHarness, ProvisioningEngine) {
        let h = try await EngineHarness.start(["identity-directory", "uaa", "cf"], rateLimits: false)
        try await h.seed("cf", #"{"organizations": [{"name": "acme", "guid": "org-1", "spaces": [{"name": "dev", "guid": "space-1"}]}]}"#)
        try await h.seedDirectory(users: ["alice", "bob"])
        for g in groups { try h.addGroup(g.display, name: g.name, members: ["alice", "bob"]) }
        let engine = try h.engine(#"""
        {"systems": {
          "directory": {"type": "identity-directory", "role": "source", "fake": "identity-directory", "targets": ["cf"]},
          "cf": {"type": "cf-platform-members", "role": "target", "fake": "cf",
                 "properties": {"btp.cf.pm.origin": "acme-platform", "btp.cf.pm.landscape": "cf-eu10", "provsim.cf.role.order": "\#(order)"}}
        }}
        """#)
        return (h, engine)
    }

    /// (user name, role type, org or space GUID) of every role but the provisioning user's.
    private func roles(_ h: EngineHarness) async throws -> Set<String> {
        let state = try await h.state("cf")
        let names = Dictionary(uniqueKeysWithValues: (state["users"]?.arrayValue ?? []).map { ($0["guid"]!.stringValue!, $0["username"]?.stringValue ?? "?") })
        return Set((state["roles"]?.arrayValue ?? []).compactMap { role -> String? in
            let user = names[role["relationships"]!["user"]!["data"]!["guid"]!.stringValue!] ?? "?"
            guard user != "cf-provisioner@provsim.example" else { return nil }
            let scope = role["relationships"]?["space"]?["data"]?["guid"]?.stringValue ?? role["relationships"]?["organization"]?["data"]?["guid"]?.stringValue ?? "?"
            return "\(user) \(role["type"]!.stringValue!) \(scope)"
        })
    }

    @Test func hierarchyOrderAddsTheOrgUserBeforeSpaceRoles() async throws {
        // The space group comes first from the source.
        let (h, engine) = try await start(groups: [Self.spaceDeveloper, Self.orgUser], order: "hierarchy")
        var store = OperationalStore()
        let log = await engine.run(source: "directory", job: .read, store: &store)
        #expect(log.status == .success, "\(log.text())")
        #expect(log.row(.user, "cf").created == 2 && log.row(.group, "cf").created == 2)
        #expect(try await roles(h) == [
            "alice organization_user org-1", "bob organization_user org-1",
            "alice space_developer space-1", "bob space_developer space-1",
        ])
        let uaa = try await h.state("uaa")
        #expect(uaa["users"]?.arrayValue?.first { $0["userName"]?.stringValue == "alice" }?["origin"]?.stringValue == "acme-platform")

        // Users are never updated.
        try h.changeUser("alice") { $0["name"] = .object(JSONObject([("givenName", "Alicia")])) }
        let second = await engine.run(source: "directory", job: .read, store: &store)
        #expect(second.row(.user, "cf").skipped == 1 && second.row(.user, "cf").updated == 0)
        #expect(second.skippedEntities.first?.message == "Operation [update] is skipped in target transformation")
        #expect(second.row(.user, "cf").deleted == 0)
    }

    @Test func sourceOrderFailsLikeIPSAndARerunConverges() async throws {
        let (h, engine) = try await start(groups: [Self.spaceDeveloper, Self.orgUser], order: "source")
        var store = OperationalStore()
        let first = await engine.run(source: "directory", job: .read, store: &store)
        #expect(first.status == .finishedWithError)
        #expect(first.row(.group, "cf").failed == 1 && first.row(.group, "cf").created == 1)
        #expect(first.failedEntities.first?.message?.contains("Users cannot be assigned roles in a space if they do not have a role in that space's organization.") == true, "\(first.text())")
        let second = await engine.run(source: "directory", job: .read, store: &store)
        #expect(second.status == .success, "\(second.text())")
        #expect(try await roles(h).count == 4)
    }

    @Test func removalsTakeSpaceRolesBeforeTheOrgUser() async throws {
        // The org group comes first from the source: IPS's order would remove the org user first.
        for order in ["hierarchy", "source"] {
            let (h, engine) = try await start(groups: [Self.orgUser, Self.spaceDeveloper], order: order)
            var store = OperationalStore()
            #expect(await engine.run(source: "directory", job: .read, store: &store).status == .success)
            try h.setGroupMembers(Self.orgUser.0, ["bob"])
            try h.setGroupMembers(Self.spaceDeveloper.0, ["bob"])
            let log = await engine.run(source: "directory", job: .read, store: &store)
            if order == "hierarchy" {
                #expect(log.status == .success, "\(log.text())")
            } else {
                #expect(log.status == .finishedWithError)
                #expect(log.failedEntities.first?.message?.contains("Cannot delete organization_user role while user has roles in spaces in that organization.") == true, "\(log.text())")
                #expect(await engine.run(source: "directory", job: .read, store: &store).status == .success)
            }
            #expect(try await roles(h) == ["bob organization_user org-1", "bob space_developer space-1"])
        }
    }

    @Test func aGroupDeletedInTheSourceRemovesItsRolesSpaceFirst() async throws {
        let (h, engine) = try await start(groups: [Self.orgUser, Self.spaceDeveloper], order: "hierarchy")
        var store = OperationalStore()
        _ = await engine.run(source: "directory", job: .read, store: &store)
        try h.deleteGroup(Self.orgUser.0)
        try h.deleteGroup(Self.spaceDeveloper.0)
        let log = await engine.run(source: "directory", job: .read, store: &store)
        #expect(log.status == .success, "\(log.text())")
        #expect(log.row(.group, "cf").deleted == 2)
        #expect(try await roles(h).isEmpty)
    }

    /// The reverse direction IPS documents as the prerequisite of the target: the role groups
    /// (with their special names) reach the directory, where admins then assign users.
    @Test func asASourceItReadsUsersOfItsOriginAndEveryRoleAsAGroup() async throws {
        let h = try await EngineHarness.start(["identity-directory", "uaa", "cf"], rateLimits: false)
        try await h.seed("cf", #"""
        {"organizations": [{"name": "acme", "guid": "org-1", "spaces": [{"name": "dev", "guid": "space-1"}]}],
         "roles": [
           {"type": "organization_user", "user": {"username": "alice@acme.example", "origin": "acme-platform"}, "organization": "acme"},
           {"type": "space_developer", "user": {"username": "alice@acme.example"}, "organization": "acme", "space": "dev"},
           {"type": "organization_user", "user": {"username": "carol@other.example", "origin": "other-platform"}, "organization": "acme"}
         ]}
        """#)
        let engine = try h.engine(#"""
        {"systems": {
          "cf": {"type": "cf-platform-members", "role": "source", "fake": "cf", "targets": ["directory"],
                 "properties": {"btp.cf.pm.origin": "acme-platform", "btp.cf.pm.landscape": "cf-eu10", "btp.cf.pm.group.prefix": "BTP_"}},
          "directory": {"type": "identity-directory", "role": "target", "fake": "identity-directory"}
        }}
        """#)
        var store = OperationalStore()
        let log = await engine.run(source: "cf", job: .read, store: &store)
        #expect(log.status == .success, "\(log.text())")
        #expect(log.row(.user, "directory").created == 1, "only the platform origin's users")
        #expect(log.row(.group, "directory").created == 8, "four org roles and four space roles")
        let alice = try #require(try h.directoryUser("alice@acme.example"))
        let developers = try #require(try h.directoryGroup("BTP_cf-eu10:acme:dev:space_developer"))
        #expect(developers.resource["urn:sap:cloud:scim:schemas:extension:custom:2.0:Group"]?["name"] == "org-1 space-1 space_developer")
        #expect(developers.resource["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == [alice.id])

        // A filtered source reads only matching users.
        let filtered = try h.engine(#"""
        {"systems": {
          "cf": {"type": "cf-platform-members", "role": "source", "fake": "cf", "targets": [],
                 "properties": {"btp.cf.pm.origin": "acme-platform", "btp.cf.pm.landscape": "cf-eu10", "btp.cf.pm.user.filter": "userName eq \"nobody\""}}
        }}
        """#)
        var empty = OperationalStore()
        let none = await filtered.run(source: "cf", job: .read, store: &empty)
        let usersRead = none.statistics(.user, system: "cf")?.read
        #expect(none.status == .success && usersRead == 0, "\(none.text())")
    }

    @Test func assignGroupIsNotSupported() async throws {
        let h = try await EngineHarness.start(["identity-directory", "uaa", "cf"], rateLimits: false)
        try await h.seed("cf", #"{"organizations": [{"name": "acme", "guid": "org-1"}]}"#)
        try await h.seedDirectory(users: ["alice"])
        let engine = try h.engine(#"""
        {"systems": {
          "directory": {"type": "identity-directory", "role": "source", "fake": "identity-directory", "targets": ["cf"]},
          "cf": {"type": "cf-platform-members", "role": "target", "fake": "cf", "properties": {"btp.cf.pm.origin": "acme-platform"},
                 "transformation": {"user": {"mappings": [
                   {"sourcePath": "$.userName", "targetPath": "$.userName"}, {"sourcePath": "$.emails", "targetPath": "$.emails"},
                   {"constant": [{"id": "org-1 organization_user"}], "targetVariable": "assignGroup"}]}}}
        }}
        """#)
        var store = OperationalStore()
        let log = await engine.run(source: "directory", job: .read, store: &store)
        #expect(log.row(.user, "cf").failed == 1)
        #expect(log.failedEntities.first?.message?.contains("not supported by SAP BTP Platform Members") == true, "\(log.text())")
    }
}

extension EngineHarness {
    func addGroup(_ displayName: String, name: String, members: [String]) throws {
        let ids = try members.compactMap { try directoryUser($0)?.id }
        let group: JSONValue = .object(JSONObject([
            ("schemas", .array(["urn:ietf:params:scim:schemas:core:2.0:Group", "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group"])),
            ("displayName", .string(displayName)),
            ("urn:sap:cloud:scim:schemas:extension:custom:2.0:Group", .object(JSONObject([("name", .string(name))]))),
            ("members", .array(ids.map { .object(JSONObject([("value", .string($0))])) })),
        ]))
        let directory = try directory()
        _ = try directory.create(try #require(directory.type(named: "Group")), group)
    }

    func directoryGroup(_ displayName: String) throws -> SCIMRecord? {
        try directory().read { state in state.all("Group").first { $0.resource["displayName"]?.stringValue == displayName } }
    }

    func setGroupMembers(_ displayName: String, _ members: [String]) throws {
        let record = try #require(try directoryGroup(displayName))
        var resource = record.resource
        resource["members"] = .array(try members.compactMap { try directoryUser($0)?.id }.map { .object(JSONObject([("value", .string($0))])) })
        let directory = try directory()
        _ = try directory.replace(try #require(directory.type(named: "Group")), id: record.id, resource, ifMatch: nil)
    }

    func deleteGroup(_ displayName: String) throws {
        let record = try #require(try directoryGroup(displayName))
        let directory = try directory()
        try directory.delete(try #require(directory.type(named: "Group")), id: record.id, ifMatch: nil)
    }
}
