import Engine
import JSON
import Testing

/// Application-specific groups into the Identity Directory (docs/fidelity.md, “The provisioning engine”): XSUAA role
/// collections stamped with `ips.application.id` and a `supportedOperations` per name.
@Suite("Application-specific groups")
struct ApplicationGroupsTests {
    private static let ext = "urn:ietf:params:scim:schemas:extension:sap:2.0:Group"

    /// XSUAA as a source: users as usual, groups stamped with the application and their operations.
    private func systems(groupCondition: String? = nil, target properties: String = "") -> String {
        let condition = groupCondition.map { #""condition": "\#($0)","# } ?? ""
        return #"""
        {"systems": {
          "btp": {"type": "xsuaa", "role": "source", "fake": "xsuaa", "targets": ["directory"],
                  "properties": {"ips.application.id": "app-1"},
                  "transformation": {
                    "user": {"mappings": [
                      {"sourcePath": "$.id", "targetVariable": "entityIdSourceSystem"},
                      {"sourcePath": "$.userName", "targetPath": "$.userName"},
                      {"sourcePath": "$.emails", "targetPath": "$.emails", "preserveArrayWithSingleElement": true}]},
                    "group": {\#(condition) "mappings": [
                      {"sourcePath": "$.id", "targetVariable": "entityIdSourceSystem"},
                      {"sourcePath": "$.displayName", "targetPath": "$.displayName"},
                      {"sourcePath": "$.members", "targetPath": "$.members", "preserveArrayWithSingleElement": true, "optional": true},
                      {"constant": "%ips.application.id%", "targetPath": "$['\#(Self.ext)']['applicationId']"},
                      {"constant": "readWrite", "targetPath": "$['\#(Self.ext)']['supportedOperations']"},
                      {"condition": "$.displayName == 'Viewers'", "constant": "readOnly", "targetPath": "$['\#(Self.ext)']['supportedOperations']"},
                      {"condition": "$.displayName == 'Members'", "constant": "userOnlyMembership", "targetPath": "$['\#(Self.ext)']['supportedOperations']"}]}}},
          "directory": {"type": "identity-directory", "role": "target", "fake": "identity-directory", "properties": {\#(properties)}}
        }}
        """#
    }

    private func start() async throws -> EngineHarness {
        let h = try await EngineHarness.start(["xsuaa", "identity-directory"], rateLimits: false)
        try await h.seed("xsuaa", #"""
        {"users": [{"userName": "ann", "origin": "sap.custom", "emails": [{"value": "ann@example.com"}]},
                   {"userName": "ben", "origin": "sap.custom", "emails": [{"value": "ben@example.com"}]}],
         "groups": [{"displayName": "Viewers", "members": [{"userName": "ann", "origin": "sap.custom"}]},
                    {"displayName": "Editors", "members": [{"userName": "ann", "origin": "sap.custom"}, {"userName": "ben", "origin": "sap.custom"}]},
                    {"displayName": "Members", "members": [{"userName": "ben", "origin": "sap.custom"}]}]}
        """#)
        // The application's own group already exists in the directory, with a group member.
        try await h.seed("identity-directory", #"""
        {"groups": [{"id": "g-team", "displayName": "Team"}, {"displayName": "Members", "members": [{"value": "g-team", "type": "Group"}]}]}
        """#)
        return h
    }

    private func group(_ h: EngineHarness, _ name: String) async throws -> JSONValue? {
        try await h.state("identity-directory")["groups"]?.arrayValue?.first { $0["displayName"]?.stringValue == name }
    }

    private func memberNames(_ h: EngineHarness, _ name: String) async throws -> [String] {
        let state = try await h.state("identity-directory")
        var names: [String: String] = [:]
        for user in state["users"]?.arrayValue ?? [] { if let id = user["id"]?.stringValue { names[id] = user["userName"]?.stringValue } }
        for group in state["groups"]?.arrayValue ?? [] { if let id = group["id"]?.stringValue { names[id] = group["displayName"]?.stringValue } }
        let members = try await group(h, name)?["members"]?.arrayValue ?? []
        return members.compactMap { $0["value"]?.stringValue.map { names[$0] ?? $0 } }.sorted()
    }

    @Test func readOnlyIsSkippedReadWriteCreatedMembershipOnlyUpdatesTheExistingGroup() async throws {
        let h = try await start()
        var store = OperationalStore()
        let log = await (try h.engine(systems())).run(source: "btp", job: .read, store: &store)
        let row = log.row(.group, "directory")
        #expect(row.created == 1 && row.updated == 1 && row.skipped == 1 && row.failed == 0, "\(log.text())")
        #expect(log.skippedEntities.map(\.message) == ["unsupported operation on an application-specific group"])
        #expect(try await group(h, "Viewers") == nil)
        #expect(try await memberNames(h, "Editors") == ["ann", "ben"])
        // userOnlyMembership: the user members are written, the group's own group member stays.
        #expect(try await memberNames(h, "Members") == ["Team", "ben"])
    }

    @Test func membershipOnlyWithoutAnExistingGroupFails() async throws {
        let h = try await EngineHarness.start(["xsuaa", "identity-directory"], rateLimits: false)
        try await h.seed("xsuaa", #"{"users": [{"userName": "ben", "origin": "sap.custom", "emails": [{"value": "ben@example.com"}]}], "groups": [{"displayName": "Members", "members": [{"userName": "ben", "origin": "sap.custom"}]}]}"#)
        var store = OperationalStore()
        let log = await (try h.engine(systems())).run(source: "btp", job: .read, store: &store)
        #expect(log.row(.group, "directory").failed == 1 && log.status == .finishedWithError, "\(log.text())")
        #expect(log.failedEntities.first?.message?.contains("userOnlyMembership application-specific group: no group matches displayName = 'Members'") == true, "\(log.failedEntities)")
        #expect(try await group(h, "Members") == nil)
    }

    @Test func deletionNeedsExistedBeforeEntitiesAndMembershipOnlyGroupsLoseTheirMembers() async throws {
        let h = try await start()
        var store = OperationalStore()
        _ = await (try h.engine(systems())).run(source: "btp", job: .read, store: &store)

        // Editors and Members leave the source (only Viewers passes the source condition).
        var without = store
        let kept = await (try h.engine(systems(groupCondition: "$.displayName == 'Viewers'"))).run(source: "btp", job: .read, store: &without)
        let quiet = kept.row(.group, "directory")
        #expect(quiet.deleted == 0 && quiet.failed == 0 && quiet.skipped == 1, "without the property IPS does nothing: \(kept.text())")
        #expect(try await memberNames(h, "Editors") == ["ann", "ben"])

        let allowed = await (try h.engine(systems(groupCondition: "$.displayName == 'Viewers'", target: #""ips.delete.existedbefore.entities": "true""#)))
            .run(source: "btp", job: .read, store: &store)
        #expect(allowed.row(.group, "directory").deleted == 2, "\(allowed.text())")
        #expect(try await group(h, "Editors") == nil, "readWrite: deleted")
        #expect(try await memberNames(h, "Members") == ["Team"], "userOnlyMembership: its user members removed, the group kept")
    }

    @Test func theRecordKeepsTheOperationsAcrossStoreFiles() throws {
        let file = try JSONParser.parse(#"""
        {"version": 1, "sources": {}, "pairs": [{"source": "s", "target": "t",
          "group": {"x": {"targetIds": ["g"], "existedBefore": true, "hash": "1", "supportedOperations": "membership"}}}]}
        """#)
        let reloaded = try OperationalStore(json: try OperationalStore(json: file).json)
        #expect(reloaded.records(source: "s", target: "t", type: .group)["x"]?.supportedOperations == "membership")
    }
}
