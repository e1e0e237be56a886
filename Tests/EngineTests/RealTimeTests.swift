import Engine
import Fakes
import Hosting
import JSON
import Testing
import Transformation

/// Real-time provisioning (reference section 4) from the Identity Directory to XSUAA.
@Suite("Real-time provisioning")
struct RealTimeTests {
    /// The directory as a real-time source with a user filter that would exclude everyone and a
    /// source condition on the given name; `btp` is XSUAA.
    static let systems = #"""
    {"systems": {
      "directory": {"type": "identity-directory", "role": "source", "fake": "identity-directory", "targets": ["btp"],
                    "properties": {"idds.user.filter": "userName eq \"nobody\""},
                    "transformation": {"user": {"condition": "$.name.givenName != 'Hidden'", "mappings": [
                        {"sourcePath": "$", "targetPath": "$"},
                        {"sourcePath": "$.id", "targetVariable": "entityIdSourceSystem"},
                        {"type": "remove", "targetPath": "$.id"},
                        {"type": "remove", "targetPath": "$.meta"}]},
                      "group": {"ignore": true, "mappings": []}}},
      "btp": {"type": "xsuaa", "role": "target", "fake": "xsuaa", "properties": {"xsuaa.origin": "sap.custom"}},
      "uaa-source": {"type": "xsuaa", "role": "source", "fake": "xsuaa", "targets": ["directory-target"],
                     "properties": {"xsuaa.user.filter": "userName eq \"from-btp\""}},
      "directory-target": {"type": "identity-directory", "role": "target", "fake": "identity-directory",
                           "transformation": {"user": {"mappings": [
                               {"constant": "urn:ietf:params:scim:schemas:core:2.0:User", "targetPath": "$.schemas[0]"},
                               {"sourcePath": "$.userName", "targetPath": "$.userName"},
                               {"sourcePath": "$.emails", "targetPath": "$.emails", "preserveArrayWithSingleElement": true}]},
                             "group": {"ignore": true, "mappings": []}}}
    }}
    """#

    private func directoryId(_ h: EngineHarness, _ userName: String) throws -> String {
        try #require(try h.directoryUser(userName)).id
    }

    @Test func createsThenUpdatesThenReportsAlreadyProvisionedWithoutAJobAndWithoutTheFilter() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["ada"])
        let engine = try h.engine(Self.systems)
        var store = OperationalStore()
        let id = try directoryId(h, "ada")

        let created = try await engine.provisionRealTime(source: "directory", type: .user, sourceId: id, deleted: false, store: &store)
        #expect(created.status == .success)
        #expect(created.source.state == .read)
        let target = try #require(created.target("btp"))
        #expect(target.operation == .create && target.state == .created, "\(created.json.serialized())")
        #expect(target.additionalInformation == "origin: sap.custom")
        #expect(try await h.xsuaaState().users["ada"] != nil)

        let again = try await engine.provisionRealTime(source: "directory", type: .user, sourceId: id, deleted: false, store: &store)
        #expect(again.target("btp")?.state == .alreadyProvisioned)

        try h.changeUser("ada") { user in
            if case .object(var o) = user, case .object(var name)? = o["name"] { name["familyName"] = "Lovelace"; o["name"] = .object(name); user = .object(o) }
        }
        let updated = try await engine.provisionRealTime(source: "directory", type: .user, sourceId: id, deleted: false, store: &store)
        #expect(updated.target("btp")?.operation == .update && updated.target("btp")?.state == .updated)
        #expect(try await h.xsuaaState().users["ada"]?["name"]?["familyName"]?.stringValue == "Lovelace")
    }

    @Test func deletionAndAFailingSourceConditionDeprovision() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["ada", "bob"])
        let engine = try h.engine(Self.systems)
        var store = OperationalStore()
        let ada = try directoryId(h, "ada"), bob = try directoryId(h, "bob")
        _ = try await engine.provisionRealTime(source: "directory", type: .user, sourceId: ada, deleted: false, store: &store)
        _ = try await engine.provisionRealTime(source: "directory", type: .user, sourceId: bob, deleted: false, store: &store)
        #expect(try await h.xsuaaState().users.keys.sorted() == ["ada", "bob"])

        try h.changeUser("ada") { user in
            if case .object(var o) = user, case .object(var name)? = o["name"] { name["givenName"] = "Hidden"; o["name"] = .object(name); user = .object(o) }
        }
        let hidden = try await engine.provisionRealTime(source: "directory", type: .user, sourceId: ada, deleted: false, store: &store)
        #expect(hidden.source.state == .skipped)
        #expect(hidden.target("btp")?.operation == .delete && hidden.target("btp")?.state == .deleted, "\(hidden.json.serialized())")

        try h.deleteUser("bob")
        let deleted = try await engine.provisionRealTime(source: "directory", type: .user, sourceId: bob, deleted: true, store: &store)
        #expect(deleted.target("btp")?.state == .deleted)
        #expect(try await h.xsuaaState().users.isEmpty)
        #expect(store.records(source: "directory", target: "btp", type: .user).isEmpty)

        // Deleting what was never provisioned changes nothing.
        let never = try await engine.provisionRealTime(source: "directory", type: .user, sourceId: "unknown-id", deleted: true, store: &store)
        #expect(never.target("btp")?.state == .notProvisioned)
    }

    @Test func aTargetConditionSkipsOrDeprovisionsAndAFailedTargetFinishesWithError() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["ada", "bob"])
        let engine = try h.engine(Self.systems)
        var store = OperationalStore()
        func breakEmail(_ name: String) throws {
            try h.changeUser(name) { user in
                if case .object(var o) = user { o["emails"] = [["value": "not-an-email", "primary": true]]; user = .object(o) }
            }
        }
        // XSUAA's write condition wants a valid e-mail: not provisioned, then deprovisioned.
        try breakEmail("bob")
        let skipped = try await engine.provisionRealTime(source: "directory", type: .user, sourceId: try directoryId(h, "bob"), deleted: false, store: &store)
        #expect(skipped.target("btp")?.state == .skipped && skipped.status == .success)
        #expect(skipped.target("btp")?.reason?.contains("isValidEmail") == true)
        let ada = try directoryId(h, "ada")
        _ = try await engine.provisionRealTime(source: "directory", type: .user, sourceId: ada, deleted: false, store: &store)
        try breakEmail("ada")
        let gone = try await engine.provisionRealTime(source: "directory", type: .user, sourceId: ada, deleted: false, store: &store)
        #expect(gone.target("btp")?.operation == .delete && gone.target("btp")?.state == .deleted, "\(gone.json.serialized())")
        #expect(try await h.xsuaaState().users.isEmpty)

        try h.changeUser("ada") { user in
            if case .object(var o) = user { o["emails"] = [["value": "ada@example.com", "primary": true]]; user = .object(o) }
        }
        try h.host("xsuaa").faults.add(FaultRule(id: "refuse", method: "POST", path: "/Users", effect: .status(400, retryAfter: nil, body: nil)))
        let failed = try await engine.provisionRealTime(source: "directory", type: .user, sourceId: ada, deleted: false, store: &store)
        #expect(failed.status == .finishedWithError)
        #expect(failed.target("btp")?.state == .failed)
        #expect(failed.target("btp")?.reason?.contains("400") == true, "\(failed.json.serialized())")
    }

    @Test func anEntityThatCameThroughAJobDoesNotLoopBack() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["own"])
        try await h.seed("xsuaa", #"{"users": [{"userName": "from-btp", "origin": "sap.custom", "emails": [{"value": "f@example.com", "primary": true}]}]}"#)
        let engine = try h.engine(Self.systems)
        var store = OperationalStore()
        let job = await engine.run(source: "uaa-source", job: .read, store: &store)
        #expect(job.row(.user, "directory-target").created == 1, "\(job.text())")
        let looped = try directoryId(h, "from-btp")

        let log = try await engine.provisionRealTime(source: "directory", type: .user, sourceId: looped, deleted: false, store: &store)
        #expect(log.source.state == .skipped)
        #expect(log.source.reason?.contains("through a job of uaa-source") == true, "\(log.json.serialized())")
        #expect(log.targets.isEmpty)
        #expect(try await h.xsuaaState().users["from-btp"]?["origin"]?.stringValue == "sap.custom")
        #expect(store.records(source: "directory", target: "btp", type: .user).isEmpty)

        let own = try await engine.provisionRealTime(source: "directory", type: .user, sourceId: try directoryId(h, "own"), deleted: false, store: &store)
        #expect(own.target("btp")?.state == .created)
    }

    @Test func refusesUnknownSystemsTargetsAndEntities() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        let engine = try h.engine(Self.systems)
        var store = OperationalStore()
        await #expect(throws: RealTimeError.self) { try await engine.provisionRealTime(source: "nope", type: .user, sourceId: "x", deleted: false, store: &store) }
        do {
            _ = try await engine.provisionRealTime(source: "btp", type: .user, sourceId: "x", deleted: false, store: &store)
            Issue.record("a target was accepted as a real-time source")
        } catch {
            #expect(error.status == 400 && error.message.contains("needs a source system"))
        }
        do {
            _ = try await engine.provisionRealTime(source: "uaa-source", type: .user, sourceId: "x", deleted: false, store: &store)
            Issue.record("an XSUAA source was accepted for real-time provisioning")
        } catch {
            #expect(error.status == 400 && error.message.contains("Local Identity Directory"), "\(error.message)")
        }
        do {
            _ = try await engine.provisionRealTime(source: "directory", type: .user, sourceId: "no-such-user", deleted: false, store: &store)
            Issue.record("an unknown user was accepted")
        } catch {
            #expect(error.status == 404 && error.message.contains("no user 'no-such-user'"))
        }
        do {
            _ = try await engine.provisionRealTime(source: "directory", type: .group, sourceId: "g", deleted: false, store: &store)
            Issue.record("an ignored entity type was accepted")
        } catch {
            #expect(error.status == 400 && error.message.contains("no group block"))
        }
    }
}
