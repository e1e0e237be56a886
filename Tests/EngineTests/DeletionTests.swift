import Engine
import Fakes
import Hosting
import JSON
import Testing
import Transformation

/// Deletion guards of the behaviour reference (2.5), each on the Directory → XSUAA pair.
@Suite("Deletion guards and conflict resolution")
struct DeletionTests {
    private func systems(target properties: String = "", transformation: String? = nil, source properties2: String = "") -> String {
        #"""
        {"systems": {
          "directory": {"type": "identity-directory", "role": "source", "fake": "identity-directory", "targets": ["btp"], "properties": {\#(properties2)}},
          "btp": {"type": "xsuaa", "role": "target", "fake": "xsuaa", \#(transformation.map { "\"transformation\": \($0)," } ?? "")
                  "properties": {"xsuaa.origin": "sap.custom"\#(properties.isEmpty ? "" : ", " + properties)}}
        }}
        """#
    }

    /// Provisions a, b, c, then deletes `gone` in the directory and runs a Read.
    private func provisionThenDelete(_ gone: [String], systems text: String) async throws -> (JobLog, EngineHarness, ProvisioningEngine, OperationalStore) {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["a", "b", "c"])
        let engine = try h.engine(text)
        var store = OperationalStore()
        let first = await engine.run(source: "directory", job: .read, store: &store)
        #expect(first.status == .success, "\(first.text())")
        for name in gone { try h.deleteUser(name) }
        let log = await engine.run(source: "directory", job: .read, store: &store)
        return (log, h, engine, store)
    }

    @Test func aSourceReadFailureBlocksAllDeletion() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["a", "b"])
        let engine = try h.engine(systems())
        var store = OperationalStore()
        _ = await engine.run(source: "directory", job: .read, store: &store)
        try h.deleteUser("b")
        // Group reads fail (503 is not retried for reads): users are complete, groups are not.
        try h.host("identity-directory").faults.add(FaultRule(id: "groups-down", method: "GET", path: "/scim/Groups*", effect: .status(503, retryAfter: nil, body: nil)))
        let log = await engine.run(source: "directory", job: .read, store: &store)
        #expect(log.status == .finishedWithError)
        #expect(log.row(.group, "directory").failed == 1)
        #expect(log.row(.user, "btp").deleted == 0)
        #expect(log.outcome.contains { $0.contains("not all entities could be read") }, "\(log.outcome)")
        #expect(try await h.xsuaaState().users.keys.sorted() == ["a", "b"])
        #expect(log.errorMessage?.contains("503") == true)
    }

    @Test func thresholdExceededDeletesNothingAndFailsEveryCandidate() async throws {
        let (log, h, _, store) = try await provisionThenDelete(["a", "b"], systems: systems(target: #""ips.delete.threshold.users": "1""#))
        let row = log.row(.user, "btp")
        #expect(row.deleted == 0 && row.failed == 2)
        #expect(log.failedEntities.allSatisfy { $0.message?.contains("more than ips.delete.threshold.users = 1") == true })
        #expect(log.status == .finishedWithError)
        #expect(try await h.xsuaaState().users.count == 3)
        #expect(store.records(source: "directory", target: "btp", type: .user).count == 3)
    }

    @Test func atTheThresholdDeletionProceeds() async throws {
        let (log, h, _, _) = try await provisionThenDelete(["a", "b"], systems: systems(target: #""ips.delete.threshold.users": "2""#))
        #expect(log.row(.user, "btp").deleted == 2)
        #expect(try await h.xsuaaState().users.keys.sorted() == ["c"])
    }

    @Test func skipOperationsDeleteReportsSkipped() async throws {
        let transformation = XSUAAWithSkippedDelete.document
        let (log, h, _, _) = try await provisionThenDelete(["a"], systems: systems(transformation: transformation))
        #expect(log.row(.user, "btp").skipped == 1 && log.row(.user, "btp").deleted == 0)
        #expect(log.skippedEntities.first?.message == "Operation [delete] is skipped in target transformation")
        #expect(try await h.xsuaaState().users.count == 3)
    }

    @Test func deleteEntityMappingsUpdateInsteadOfDelete() async throws {
        let transformation = XSUAAWithSkippedDelete.document
            .replacingOccurrences(of: #""skipOperations": ["delete"],"#, with: "")
            .replacingOccurrences(of: #"{ "sourcePath": "$.userName", "targetPath": "$.userName" },"#,
                                  with: #"{ "sourcePath": "$.userName", "targetPath": "$.userName" }, { "constant": false, "targetPath": "$.active", "scope": "deleteEntity" }, { "sourceVariable": "entityIdTargetSystem", "targetPath": "$.id", "scope": "deleteEntity" },"#)
        let (log, h, _, store) = try await provisionThenDelete(["a"], systems: systems(target: #""xsuaa.support.patch.operation": "true""#, transformation: transformation))
        #expect(log.row(.user, "btp").deleted == 1, "\(log.text())")
        #expect(log.traces.contains { $0.operation == .delete && $0.message?.contains("deleteEntity") == true })
        let xs = try await h.xsuaaState()
        #expect(xs.users.count == 3)
        #expect(xs.users["a"]?["active"] == false)
        #expect(store.record(source: "directory", target: "btp", type: .user, sourceId: try #require(try h.directoryUser("b")).id) != nil)
    }

    /// A user already in XSUAA: the create conflicts, the user is found by userName and overwritten.
    private func existingUserScenario(allowDeletion: Bool) async throws -> (JobLog, JobLog, EngineHarness) {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seed("xsuaa", #"{"users": [{"userName": "a", "origin": "sap.custom", "emails": [{"value": "old@example.com"}], "name": {"givenName": "Old"}}]}"#)
        try await h.seedDirectory(users: ["a", "b"])
        let engine = try h.engine(systems(target: allowDeletion ? #""ips.delete.existedbefore.entities": "true""# : ""))
        var store = OperationalStore()
        let first = await engine.run(source: "directory", job: .read, store: &store)
        try h.deleteUser("a")
        let second = await engine.run(source: "directory", job: .read, store: &store)
        return (first, second, h)
    }

    @Test func aCreateConflictOverwritesTheExistingUserAndMarksItExistedBefore() async throws {
        let (first, second, h) = try await existingUserScenario(allowDeletion: false)
        #expect(first.status == .success, "\(first.text())")
        #expect(first.row(.user, "btp").created == 1 && first.row(.user, "btp").updated == 1)
        #expect(first.traces.contains { $0.message?.contains("existed in the target") == true })
        // Deleted in the source, but it existed before: kept.
        #expect(second.row(.user, "btp").deleted == 0)
        #expect(second.traces.contains { $0.operation == .keep })
        let xs = try await h.xsuaaState()
        #expect(xs.users["a"]?["name"]?["givenName"]?.stringValue == "Given")
        #expect(xs.users.keys.sorted() == ["a", "b"])
    }

    @Test func existedBeforeEntitiesAreDeletedWhenAllowed() async throws {
        let (_, second, h) = try await existingUserScenario(allowDeletion: true)
        #expect(second.row(.user, "btp").deleted == 1)
        #expect(try await h.xsuaaState().users.keys.sorted() == ["b"])
    }

    @Test func aConflictWithNoMatchFailsTheEntity() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        // The create clashes on (userName, origin), but the unique attribute is the email, which differs.
        try await h.seed("xsuaa", #"{"users": [{"userName": "a", "origin": "sap.custom", "emails": [{"value": "other@example.com"}]}]}"#)
        try await h.seedDirectory(users: ["a"])
        let engine = try h.engine(systems(target: #""xsuaa.user.unique.attribute": "emails[0].value""#))
        var store = OperationalStore()
        let log = await engine.run(source: "directory", job: .read, store: &store)
        #expect(log.row(.user, "btp").failed == 1)
        #expect(log.failedEntities.first?.message?.contains("no existing users match emails[0].value = 'a@example.com'") == true, "\(log.text())")
    }

    @Test func aUserThatNoLongerPassesTheTargetConditionIsDeleted() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["a", "b"])
        let engine = try h.engine(systems())
        var store = OperationalStore()
        _ = await engine.run(source: "directory", job: .read, store: &store)
        // An invalid email fails the default condition isValidEmail($.emails[0].value).
        try h.changeUser("b") { $0["emails"] = .array([.object(JSONObject([("value", "not-an-email")]))]) }
        let log = await engine.run(source: "directory", job: .read, store: &store)
        #expect(log.row(.user, "btp").skipped == 1 && log.row(.user, "btp").deleted == 1, "\(log.text())")
        #expect(log.skippedEntities.first?.message?.hasPrefix("Entity condition [isValidEmail") == true)
        #expect(try await h.xsuaaState().users.keys.sorted() == ["a"])
    }
}

/// The default XSUAA write transformation with users' deletion skipped.
enum XSUAAWithSkippedDelete {
    static let document = #"""
    {"user": {"skipOperations": ["delete"], "mappings": [
      { "sourceVariable": "entityIdTargetSystem", "targetPath": "$.id", "optional": true },
      { "sourcePath": "$.userName", "targetPath": "$.userName" },
      { "sourcePath": "$.name.givenName", "targetPath": "$.name.givenName", "optional": true },
      { "sourcePath": "$.emails", "targetPath": "$.emails", "preserveArrayWithSingleElement": true },
      { "constant": "%xsuaa.origin%", "targetPath": "$.origin" },
      { "constant": "urn:scim:schemas:core:1.0", "targetPath": "$.schemas[0]" }
    ]}}
    """#
}

@Suite("Multiple XSUAA origins")
struct MultipleOriginsTests {
    @Test func oneUserPerOriginIsCreatedUpdatedAndDeleted() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["a"])
        let engine = try h.engine(#"""
        {"systems": {
          "directory": {"type": "identity-directory", "role": "source", "fake": "identity-directory", "targets": ["btp"]},
          "btp": {"type": "xsuaa", "role": "target", "fake": "xsuaa",
                  "properties": {"xsuaa.origin": "idp1;idp2", "xsuaa.user.unique.attribute": "userName,origin"},
                  "transformation": {"user": {"mappings": [
                    {"sourceVariable": "entityIdTargetSystem", "targetPath": "$.id", "optional": true},
                    {"sourcePath": "$.userName", "targetPath": "$.userName"},
                    {"sourcePath": "$.name.givenName", "targetPath": "$.name.givenName", "optional": true},
                    {"sourcePath": "$.emails", "targetPath": "$.emails", "preserveArrayWithSingleElement": true},
                    {"constant": "%xsuaa.origin%[]", "targetPath": "$.origin"},
                    {"constant": "urn:scim:schemas:core:1.0", "targetPath": "$.schemas[0]"}]}}}
        }}
        """#)
        var store = OperationalStore()
        let first = await engine.run(source: "directory", job: .read, store: &store)
        #expect(first.status == .success, "\(first.text())")
        // Statistics count target entities: one source user, two origins (docs/fidelity.md, “UAA and XSUAA”).
        #expect(first.row(.user, "directory").read == 1 && first.row(.user, "btp").created == 2, "\(first.text())")
        var users = try await h.state("xsuaa")["users"]?.arrayValue ?? []
        #expect(users.compactMap { $0["origin"]?.stringValue }.sorted() == ["idp1", "idp2"])
        try h.changeUser("a") { $0["name"] = .object(JSONObject([("givenName", "Both")])) }
        let second = await engine.run(source: "directory", job: .read, store: &store)
        #expect(second.status == .success, "\(second.text())")
        #expect(second.row(.user, "btp").updated == 2, "\(second.text())")
        users = try await h.state("xsuaa")["users"]?.arrayValue ?? []
        #expect(users.map { $0["name"]?["givenName"]?.stringValue } == ["Both", "Both"])
        try h.deleteUser("a")
        #expect(await engine.run(source: "directory", job: .read, store: &store).row(.user, "btp").deleted == 2)
        #expect(try await h.state("xsuaa")["users"]?.arrayValue?.isEmpty == true)
    }
}

@Suite("System reset")
struct SystemResetTests {
    @Test func afterAResetWhatTheTargetHasExistedBeforeAndIsNotDeleted() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["a"])
        let engine = try h.engine(directoryToXSUAA)
        var store = OperationalStore()
        #expect(await engine.run(source: "directory", job: .read, store: &store).row(.user, "btp").created == 1)
        #expect(store.reset(system: "btp") == 1)
        // Read again as the first time: the create conflicts, the user is taken over.
        let again = await engine.run(source: "directory", job: .read, store: &store)
        #expect(again.row(.user, "btp").updated == 1 && again.row(.user, "btp").created == 0, "\(again.text())")
        #expect(store.records(source: "directory", target: "btp", type: .user).values.first?.existedBefore == true)
        try h.deleteUser("a")
        let gone = await engine.run(source: "directory", job: .read, store: &store)
        #expect(gone.row(.user, "btp").deleted == 0, "\(gone.text())")
        #expect(try await h.xsuaaState().users.keys.sorted() == ["a"])
    }
}
