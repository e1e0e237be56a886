import Chrono
import Fakes
import Hosting
import JSON
import Testing

/// `change:` in scenarios: administrators' changes to a fake's users and groups, under the
/// service's own rules, visible through its API as any other change.
@Suite("Directory administration")
struct DirectoryAdministrationTests {
    func userByName(_ f: UAAFixture, _ name: String) async -> JSONValue? {
        await f.send("GET", "/Users?filter=userName%20eq%20%22\(name)%22").json?["resources"]?[0]
    }

    @Test func uaaUsersAreCreatedUpdatedRenamedAndDeletedWithNewVersions() async throws {
        let f = try await UAAFixture.make()
        let admin = try #require(f.uaa.administration)
        #expect(try admin.apply(.create(.user, uaaUser("erin", origin: "sap.custom"))) == "created user erin")
        let created = try #require(await userByName(f, "erin"))
        #expect(created["origin"] == "sap.custom")
        f.clock.advance(seconds: 60)
        _ = try admin.apply(.update(.user, name: "erin", set: JSONObject([("name", ["givenName": "Erin", "familyName": "Example"])])))
        let updated = try #require(await userByName(f, "erin"))
        #expect(updated["name"]?["familyName"] == "Example")
        #expect(updated["meta"]?["version"] != created["meta"]?["version"], "a delta read sees the change")
        #expect(updated["meta"]?["lastModified"] != created["meta"]?["lastModified"])
        _ = try admin.apply(.rename(user: "erin", to: "erin.e"))
        #expect(await userByName(f, "erin.e")?["id"] == created["id"])
        _ = try admin.apply(.delete(.user, name: "erin.e"))
        #expect(await userByName(f, "erin.e") == nil)
    }

    @Test func uaaRefusesWhatItsAPIRefusesAndAmbiguousNames() async throws {
        let f = try await UAAFixture.make()
        let admin = try #require(f.uaa.administration)
        _ = try await f.createUser("sam", origin: "idp-a")
        _ = try await f.createUser("sam", origin: "idp-b")
        let duplicate = #expect(throws: FakeRequestError.self) { try admin.apply(.create(.user, uaaUser("sam", origin: "idp-a"))) }
        #expect(duplicate?.message.hasPrefix("refused: 409") == true, "\(String(describing: duplicate))")
        let ambiguous = #expect(throws: FakeRequestError.self) { try admin.apply(.delete(.user, name: "sam")) }
        #expect(ambiguous?.message.contains("2 users are named 'sam' (origins idp-a, idp-b)") == true, "\(String(describing: ambiguous))")
        let missing = #expect(throws: FakeRequestError.self) { try admin.apply(.move(user: "nobody", from: nil, to: "G")) }
        #expect(missing?.message.contains("no user with userName 'nobody'") == true)
    }

    @Test func uaaGroupMembersAreNamedByUserNameAndMoved() async throws {
        let f = try await UAAFixture.make(.xsuaa)
        let admin = try #require(f.uaa.administration)
        let alice = try await f.createUser("alice", origin: "sap.custom")
        _ = try admin.apply(.create(.group, ["displayName": "Auditors", "members": ["alice"]]))
        _ = try admin.apply(.create(.group, ["displayName": "Approvers"]))
        #expect(try admin.apply(.move(user: "alice", from: "Auditors", to: "Approvers")) == "moved user alice from Auditors to Approvers")
        let auditors = try #require(await f.send("GET", "/Groups/Auditors").json)
        let approvers = try #require(await f.send("GET", "/Groups/Approvers").json)
        #expect(auditors["members"] == [])
        #expect(approvers["members"]?[0]?["value"] == alice["id"])
        #expect(approvers["members"]?[0]?["origin"] == "sap.custom", "the member's origin is the user's")
        let renamed = #expect(throws: FakeRequestError.self) { try admin.apply(.update(.group, name: "Approvers", set: JSONObject([("displayName", "Signers")]))) }
        #expect(renamed?.message.contains("a role collection's name is its ID") == true)
        _ = try admin.apply(.delete(.group, name: "Auditors"))
        #expect(await f.send("GET", "/Groups/Auditors").status == 404)
    }

    @Test func servicesWithoutUsersAndGroupsHaveNoAdministration() {
        let clock = SimulatedClock(deterministic: true)
        let uaa = UAA(configuration: UAAConfiguration(flavour: .uaa), clock: clock, seed: 1)
        #expect(CloudController(uaa: uaa, uaaURL: { "http://uaa" }, clock: clock, seed: 1).administration == nil)
        #expect(IdentityDirectory(clock: clock, seed: 1).administration != nil)
    }
}
