import Determinism
import JSON
import Synthetic
import Testing

@Suite("Synthetic users")
struct SyntheticUsersTests {
    @Test func sameSeedSameUsersDifferentSeedDifferentUsers() {
        let a = SyntheticUsers(seed: 1)
        let b = SyntheticUsers(seed: 1)
        let c = SyntheticUsers(seed: 2)
        #expect(a.user(5).serialized() == b.user(5).serialized())
        #expect(a.user(5).serialized() != c.user(5).serialized())
        #expect(a.user(5) != a.user(6))
    }

    @Test func usersLookLikeUAAUsers() throws {
        let user = SyntheticUsers(seed: 9, origin: "idp-platform", groupCount: 3).user(0)
        #expect(user.objectValue?.keys.prefix(8) == ["id", "externalId", "meta", "userName", "name", "emails", "groups", "approvals"])
        #expect(user["schemas"] == ["urn:scim:schemas:core:1.0"])
        #expect(user["origin"] == "idp-platform")
        let id = try #require(user["id"]?.stringValue)
        #expect(id.count == 36 && id.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
        #expect(Array(id)[14] == "4")  // version 4
        let created = try #require(user["meta"]?["created"]?.stringValue)
        #expect(created.count == 24 && created.hasSuffix("Z"))
        let group = try #require(user["groups"]?[0]?["value"]?.stringValue)
        #expect(["RC_000", "RC_001", "RC_002"].contains(group))
        // Unique user names across many users (the index is part of the login).
        let names = Set((0..<2000).map { SyntheticUsers(seed: 9).user($0)["userName"]!.stringValue! })
        #expect(names.count == 2000)
    }

    @Test func seededUUIDsAreValidAndReproducible() {
        var r1 = SeededRandom(seed: 3)
        var r2 = SeededRandom(seed: 3)
        #expect(r1.uuidString() == r2.uuidString())
        #expect(r1.uuidString() != r1.uuidString())
    }
}
