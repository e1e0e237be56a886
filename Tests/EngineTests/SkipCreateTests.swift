import Engine
import JSON
import Testing

/// `skipOperations: ["create"]` takes over what a SCIM-based target already has (docs/fidelity.md, “Transformation language”).
@Suite("skipOperations create")
struct SkipCreateTests {
    private static let userTransformation = #"""
    {"user": {"skipOperations": ["create"], "mappings": [
       {"sourceVariable": "entityIdTargetSystem", "targetPath": "$.id"},
       {"sourcePath": "$.userName", "targetPath": "$.userName"},
       {"sourcePath": "$.name.givenName", "targetPath": "$.name.givenName", "optional": true},
       {"sourcePath": "$.emails", "targetPath": "$.emails", "preserveArrayWithSingleElement": true},
       {"constant": ["urn:ietf:params:scim:schemas:core:2.0:User"], "targetPath": "$.schemas", "preserveArrayWithSingleElement": true}]},
     "group": {"ignore": true, "mappings": []}}
    """#

    private func afcSystems(_ properties: String = "") -> String {
        #"""
        {"systems": {
          "directory": {"type": "identity-directory", "role": "source", "fake": "identity-directory", "targets": ["afc"]},
          "afc": {"type": "afc", "role": "target", "fake": "afc", "transformation": \#(Self.userTransformation),
                  "properties": {\#(properties)}}
        }}
        """#
    }

    @Test func anExistingUserIsFoundByItsUniqueAttributeAndUpdatedAMissingOneSkipped() async throws {
        let h = try await EngineHarness.start(["identity-directory", "afc"], rateLimits: false)
        try await h.seed("afc", #"{"users": [{"userName": "a", "name": {"givenName": "Old"}, "emails": [{"value": "a@example.com"}]}]}"#)
        try await h.seedDirectory(users: ["a", "b"])
        let engine = try h.engine(afcSystems())
        var store = OperationalStore()
        let log = await engine.run(source: "directory", job: .read, store: &store)
        let row = log.row(.user, "afc")
        #expect(row.created == 0 && row.updated == 1 && row.skipped == 1 && row.failed == 0, "\(log.text())")
        #expect(log.skippedEntities.map(\.message) == ["Operation [create] is skipped in target transformation"])
        let users = try await h.state("afc")["users"]?.arrayValue ?? []
        #expect(users.count == 1)
        #expect(users.first?["name"]?["givenName"] == "Given", "the directory's data replaced the old")
        // The taken-over user is remembered as existing before: a later deletion leaves it.
        try h.deleteUser("a")
        let after = await engine.run(source: "directory", job: .read, store: &store)
        #expect(after.row(.user, "afc").deleted == 0, "\(after.text())")
        #expect(try await h.state("afc")["users"]?.arrayValue?.count == 1)
    }

    @Test func theUniqueAttributeDecidesWhatIsFound() async throws {
        // Found by email instead of userName: the directory's "a" has a@example.com, AFC's "x" too.
        let h = try await EngineHarness.start(["identity-directory", "afc"], rateLimits: false)
        try await h.seed("afc", #"{"users": [{"userName": "x", "emails": [{"value": "a@example.com"}]}]}"#)
        try await h.seedDirectory(users: ["a"])
        var store = OperationalStore()
        let byUserName = await (try h.engine(afcSystems())).run(source: "directory", job: .read, store: &store)
        #expect(byUserName.row(.user, "afc").skipped == 1, "\(byUserName.text())")
        var fresh = OperationalStore()
        let byEmail = await (try h.engine(afcSystems(#""s4hana.afc.user.unique.attribute": "emails[0].value""#))).run(source: "directory", job: .read, store: &fresh)
        #expect(byEmail.row(.user, "afc").updated == 1, "\(byEmail.text())")
        #expect(try await h.state("afc")["users"]?[0]?["userName"] == "a")
    }

    @Test func aTargetThatIsNotSCIMSkipsTheCreate() async throws {
        let h = try await EngineHarness.start(["identity-directory", "uaa", "cf"], rateLimits: false)
        try await h.seedDirectory(users: ["a"])
        let engine = try h.engine(#"""
        {"systems": {
          "directory": {"type": "identity-directory", "role": "source", "fake": "identity-directory", "targets": ["cf"]},
          "cf": {"type": "cf-platform-members", "role": "target", "fake": "cf", "properties": {"btp.cf.pm.origin": "acme-platform"},
                 "transformation": {"user": {"skipOperations": ["create"], "mappings": [{"sourcePath": "$.userName", "targetPath": "$.userName"}]}, "group": {"ignore": true, "mappings": []}}}
        }}
        """#)
        var store = OperationalStore()
        let log = await engine.run(source: "directory", job: .read, store: &store)
        #expect(log.row(.user, "cf").skipped == 1 && log.row(.user, "cf").updated == 0, "\(log.text())")
    }
}

@Suite("Take-overs across origins and re-creations")
struct TakeOverEdgeTests {
    @Test func twoOriginsThatFindTheSameUserDoNotBothOverwriteIt() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seed("xsuaa", #"{"users": [{"userName": "a", "origin": "idp1", "name": {"givenName": "Old"}, "emails": [{"value": "a@example.com"}]}]}"#)
        try await h.seedDirectory(users: ["a"])
        let engine = try h.engine(#"""
        {"systems": {
          "directory": {"type": "identity-directory", "role": "source", "fake": "identity-directory", "targets": ["btp"]},
          "btp": {"type": "xsuaa", "role": "target", "fake": "xsuaa", "properties": {"xsuaa.origin": "idp1;idp2"},
                  "transformation": {"user": {"skipOperations": ["create"], "mappings": [
                    {"sourceVariable": "entityIdTargetSystem", "targetPath": "$.id"},
                    {"sourcePath": "$.userName", "targetPath": "$.userName"},
                    {"sourcePath": "$.name.givenName", "targetPath": "$.name.givenName", "optional": true},
                    {"sourcePath": "$.emails", "targetPath": "$.emails", "preserveArrayWithSingleElement": true},
                    {"constant": "%xsuaa.origin%[]", "targetPath": "$.origin"},
                    {"constant": "urn:scim:schemas:core:1.0", "targetPath": "$.schemas[0]"}]},
                    "group": {"ignore": true, "mappings": []}}}
        }}
        """#)
        var store = OperationalStore()
        let log = await engine.run(source: "directory", job: .read, store: &store)
        let row = log.row(.user, "btp")
        #expect(row.updated == 1 && row.failed == 1 && row.created == 0, "\(log.text())")
        // UAA itself refuses to move the user to the second origin.
        #expect(log.failedEntities.first?.message?.contains("Cannot change user's origin") == true, "\(log.failedEntities)")
        // The next Read takes over again instead of creating (skipOperations create holds).
        let again = await engine.run(source: "directory", job: .read, store: &store)
        #expect(again.row(.user, "btp").created == 0, "\(again.text())")
        #expect(try await h.xsuaaState().users.count == 1)
    }

    @Test func anEntityRecreatedAfterATargetDeletionNoLongerExistedBefore() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seed("xsuaa", #"{"users": [{"userName": "a", "origin": "sap.custom", "emails": [{"value": "a@example.com"}]}]}"#)
        try await h.seedDirectory(users: ["a"])
        let engine = try h.engine(directoryToXSUAA)
        var store = OperationalStore()
        #expect(await engine.run(source: "directory", job: .read, store: &store).row(.user, "btp").updated == 1)
        // Deleted in XSUAA behind IPS's back; the source changes, the update finds nothing and creates it.
        try await h.control("xsuaa", "POST", "reset")
        try h.changeUser("a") { $0["name"] = ["givenName": "New"] }
        let recreated = await engine.run(source: "directory", job: .read, store: &store)
        #expect(recreated.row(.user, "btp").created == 1, "\(recreated.text())")
        #expect(store.records(source: "directory", target: "btp", type: .user).values.first?.existedBefore == false)
        try h.deleteUser("a")
        #expect(await engine.run(source: "directory", job: .read, store: &store).row(.user, "btp").deleted == 1)
    }
}
