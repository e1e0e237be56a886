import Engine
import Fakes
import Hosting
import JSON
import Testing
import Transformation

/// Group membership through assignGroup/unassignGroup, member batches above the threshold, and
/// source filters.
@Suite("Membership, batches and filters")
struct MembershipTests {
    /// Directory → XSUAA whose users are assigned to the role collection Viewer, then `more` mappings.
    static func assigningViewer(_ more: String) -> String {
        #"""
        {"systems": {
          "directory": {"type": "identity-directory", "role": "source", "fake": "identity-directory", "targets": ["btp"]},
          "btp": {"type": "xsuaa", "role": "target", "fake": "xsuaa", "properties": {"xsuaa.origin": "sap.custom"},
                  "transformation": {"user": {"mappings": [
                    {"sourceVariable": "entityIdTargetSystem", "targetPath": "$.id", "optional": true},
                    {"sourcePath": "$.userName", "targetPath": "$.userName"},
                    {"sourcePath": "$.emails", "targetPath": "$.emails", "preserveArrayWithSingleElement": true},
                    {"constant": "%xsuaa.origin%", "targetPath": "$.origin"},
                    {"constant": [{"id": "Viewer"}], "targetVariable": "assignGroup"},
                    \#(more)]}}}
        }}
        """#
    }

    @Test func assignGroupAddsTheUserToAnExistingRoleCollectionAndFailsForAMissingOne() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seed("xsuaa", #"{"groups": [{"displayName": "Viewer"}]}"#)
        try await h.seedDirectory(users: ["a", "b"])
        let engine = try h.engine(Self.assigningViewer(#"{"condition": "$.userName == 'b'", "constant": [{"id": "Missing"}], "targetVariable": "assignGroup"}"#))
        var store = OperationalStore()
        let log = await engine.run(source: "directory", job: .read, store: &store)
        #expect(log.row(.user, "btp").created == 1 && log.row(.user, "btp").failed == 1, "\(log.text())")
        #expect(log.failedEntities.first?.message?.contains("assignGroup 'Missing'") == true)
        #expect(try await h.xsuaaState().groups["Viewer"] == ["a"])
    }

    @Test func aVanishedUserThatExistedBeforeOnlyLeavesItsGroups() async throws {
        // Reference 1.6: without ips.delete.existedbefore.entities, a user that was in the target
        // before IPS has only its group assignments updated when it leaves the source.
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seed("xsuaa", #"{"users": [{"userName": "a", "origin": "sap.custom", "emails": [{"value": "a@example.com"}]}], "groups": [{"displayName": "Viewer"}]}"#)
        try await h.seedDirectory(users: ["a"])
        let engine = try h.engine(Self.assigningViewer(#"""
            {"constant": false, "targetPath": "$.active", "scope": "deleteEntity"},
            {"constant": [{"id": "Viewer"}, {"id": "Gone"}], "targetVariable": "unassignGroup", "scope": "deleteEntity"}
            """#))
        var store = OperationalStore()
        let first = await engine.run(source: "directory", job: .read, store: &store)
        #expect(first.row(.user, "btp").updated == 1, "taken over: \(first.text())")
        #expect(try await h.xsuaaState().groups["Viewer"] == ["a"])
        try h.deleteUser("a")
        let second = await engine.run(source: "directory", job: .read, store: &store)
        #expect(second.status == .success && second.row(.user, "btp").deleted == 0, "\(second.text())")
        let xs = try await h.xsuaaState()
        #expect(xs.groups["Viewer"] == [], "left the role collection")
        #expect(xs.users["a"]?["active"] != false, "the user itself is not updated")
        #expect(second.traces.contains { $0.message?.contains("removed from Viewer") == true }, "\(second.traces)")
    }

    @Test func membersAboveTheThresholdGoInPatchBatches() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        let names = (1...7).map { "u\($0)" }
        try await h.seedDirectory(users: names, groups: [("Big", Array(names.prefix(5)))])
        let engine = try h.engine(directoryToXSUAA.replacingOccurrences(of: #""xsuaa.origin": "sap.custom""#,
                                                                       with: #""xsuaa.origin": "sap.custom", "xsuaa.patch.group.members.above.threshold": "2""#))
        var store = OperationalStore()
        let first = await engine.run(source: "directory", job: .read, store: &store)
        #expect(first.status == .success, "\(first.text())")
        #expect(try await h.xsuaaState().groups["Big"] == ["u1", "u2", "u3", "u4", "u5"])
        // 5 members created without them, then added as 2 + 2 + 1.
        let patches = try h.host("xsuaa").journal.entries(after: 0).filter { $0.method == "PATCH" && $0.path == "/Groups/Big" }
        #expect(patches.count == 3)

        try h.setGroupMembers("Big", ["u2", "u3", "u4", "u5", "u6", "u7"])
        let before = try h.host("xsuaa").journal.entries(after: 0).count
        let second = await engine.run(source: "directory", job: .read, store: &store)
        #expect(second.status == .success, "\(second.text())")
        #expect(try await h.xsuaaState().groups["Big"] == ["u2", "u3", "u4", "u5", "u6", "u7"])
        // Add u6 and u7, remove u1: two PATCHes, the description riding with the first (2.7's
        // example: no separate PATCH for the other attributes).
        let updates = try h.host("xsuaa").journal.entries(after: 0).dropFirst(before).filter { $0.method == "PATCH" && $0.path == "/Groups/Big" }
        #expect(updates.count == 2)
    }

    @Test func theSourceUserFilterLimitsWhatIsReadAndProvisioned() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["anna", "andy", "bert"])
        let engine = try h.engine(directoryToXSUAA.replacingOccurrences(of: #""fake": "identity-directory","#,
                                                                       with: #""fake": "identity-directory", "properties": {"idds.user.filter": "userName sw \"an\""},"#))
        var store = OperationalStore()
        let log = await engine.run(source: "directory", job: .read, store: &store)
        #expect(log.row(.user, "directory").read == 2)
        #expect(try await h.xsuaaState().users.keys.sorted() == ["andy", "anna"])
    }
}
