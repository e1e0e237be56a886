import Fakes
import Foundation
import Hosting
import JSON
import Testing

/// RFC 7644 over HTTP, on the Identity Directory fake.
@Suite("SCIM 2.0 protocol over HTTP")
struct SCIMProtocolTests {
    @Test("create answers 201 with Location, ETag and meta; the resource reads back")
    func createAndRead() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            let created = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("jdoe", extra: [("id", "chosen-by-client"), ("meta", ["version": "x"])]))
            #expect(created.status == 201)
            let id = try #require(created.json["id"]?.stringValue)
            #expect(id != "chosen-by-client", "id is assigned by the service")
            #expect(created.header("location") == fake.scim + "/Users/" + id)
            #expect(created.header("etag") == "W/\"1\"")
            let meta = try #require(created.json["meta"])
            #expect(meta["resourceType"] == "User")
            #expect(meta["version"] == "W/\"1\"")
            #expect(meta["location"]?.stringValue == fake.scim + "/Users/" + id)
            #expect(meta["created"] == meta["lastModified"])
            // The Identity Directory adds userUuid and lists the SAP extension.
            #expect(created.json["urn:ietf:params:scim:schemas:extension:sap:2.0:User"]?["userUuid"]?.stringValue == id)
            #expect(created.json["schemas"]?.arrayValue?.contains("urn:ietf:params:scim:schemas:extension:sap:2.0:User") == true)
            let read = try await HTTP.json(.GET, fake.scim + "/Users/" + id, token: token)
            #expect(read.status == 200)
            #expect(read.json == created.json)
        }
    }

    @Test("passwords are accepted but never stored or returned; userUuid is the directory's")
    func writeOnlyAndReadOnly() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            let sap = "urn:ietf:params:scim:schemas:extension:sap:2.0:User"
            let created = try await HTTP.json(.POST, fake.scim + "/Users", token: token,
                                              body: user("jdoe", extra: [("password", "Secret-123!"), (sap, ["userUuid": "mine", "status": "active"] as JSONValue)]))
            #expect(created.status == 201)
            #expect(created.json["password"] == nil)
            let id = created.json["id"]?.stringValue ?? ""
            #expect(created.json[sap]?["userUuid"]?.stringValue == id, "userUuid is assigned, not taken from the client")
            #expect(created.json[sap]?["status"] == "active")
            let state = String(decoding: try await fake.control(.GET, "state").body, as: UTF8.self)
            #expect(!state.contains("Secret-123!"))
            // Removing an extension's object also drops its URN from schemas.
            let patched = try await HTTP.json(.PATCH, fake.scim + "/Users/" + id, token: token, body: patch([
                ["op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Tax"],
            ]))
            #expect(patched.json["schemas"]?.arrayValue?.contains("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User") == true)
            let removed = try await HTTP.json(.PATCH, fake.scim + "/Users/" + id, token: token, body: patch([
                ["op": "remove", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
            ]))
            #expect(removed.json["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] == nil)
            #expect(removed.json["schemas"]?.arrayValue?.contains("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User") == false)
        }
    }

    @Test("ETags: If-None-Match gives 304, a stale If-Match gives 412, a current one succeeds")
    func etags() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            let created = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("jdoe"))
            let id = try #require(created.json["id"]?.stringValue)
            let url = fake.scim + "/Users/" + id
            let notModified = try await HTTP.json(.GET, url, token: token, headers: [("If-None-Match", "W/\"1\"")])
            #expect(notModified.status == 304)
            #expect(notModified.body.isEmpty)
            let replaced = try await HTTP.json(.PUT, url, token: token, body: user("jdoe", extra: [("displayName", "J. Doe")]), headers: [("If-Match", "W/\"1\"")])
            #expect(replaced.status == 200)
            #expect(replaced.header("etag") == "W/\"2\"")
            let stale = try await HTTP.json(.PUT, url, token: token, body: user("jdoe"), headers: [("If-Match", "W/\"1\"")])
            #expect(stale.status == 412)
            #expect(stale.json["status"] == "412")
            let stalePatch = try await HTTP.json(.PATCH, url, token: token, body: patch([["op": "replace", "path": "displayName", "value": "x"]]), headers: [("If-Match", "W/\"1\"")])
            #expect(stalePatch.status == 412)
            let staleDelete = try await HTTP.json(.DELETE, url, token: token, headers: [("If-Match", "W/\"1\"")])
            #expect(staleDelete.status == 412)
            #expect(try await HTTP.json(.GET, url, token: token, headers: [("If-None-Match", "W/\"1\"")]).status == 200)
            #expect(try await HTTP.json(.DELETE, url, token: token, headers: [("If-Match", "W/\"2\"")]).status == 204)
            #expect(try await HTTP.json(.GET, url, token: token).status == 404)
        }
    }

    @Test("PATCH over HTTP: add, replace through a value filter, remove; atomic on error")
    func patchOverHTTP() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            let created = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("jdoe"))
            let url = fake.scim + "/Users/" + (created.json["id"]?.stringValue ?? "")
            let patched = try await HTTP.json(.PATCH, url, token: token, body: patch([
                ["op": "add", "path": "name.givenName", "value": "Jane"],
                ["op": "replace", "path": "emails[primary eq true].value", "value": "jane@example.com"],
                ["op": "add", "value": ["title": "Controller"]],
            ]))
            #expect(patched.status == 200)
            #expect(patched.json["name"]?["givenName"] == "Jane")
            #expect(patched.json["emails"]?[0]?["value"] == "jane@example.com")
            #expect(patched.json["title"] == "Controller")
            #expect(patched.json["meta"]?["version"] == "W/\"2\"")
            let failing = try await HTTP.json(.PATCH, url, token: token, body: patch([
                ["op": "replace", "path": "title", "value": "Changed"],
                ["op": "replace", "path": "emails[type eq \"fax\"].value", "value": "x"],
            ]))
            #expect(failing.status == 400)
            #expect(failing.json["scimType"] == "noTarget")
            let after = try await HTTP.json(.GET, url, token: token)
            #expect(after.json["title"] == "Controller", "the first operation was rolled back")
            let badOp = try await HTTP.json(.PATCH, url, token: token, body: patch([["op": "move", "path": "title"]]))
            #expect(badOp.status == 400)
            let readOnly = try await HTTP.json(.PATCH, url, token: token, body: patch([["op": "replace", "path": "id", "value": "x"]]))
            #expect(readOnly.status == 400)
            #expect(readOnly.json["scimType"] == "mutability")
        }
    }

    @Test("paging: startIndex and count, totalResults, itemsPerPage; count capped at the maximum")
    func paging() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            let seeded = try await fake.control(.POST, "seed", ["users": .array((1...25).map { user(String(format: "user%02d", $0)) })])
            #expect(seeded.status == 200)
            let page = try await HTTP.json(.GET, fake.scim + "/Users?startIndex=11&count=10", token: token).json
            #expect(page["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"])
            #expect(page["totalResults"] == 25)
            #expect(page["startIndex"] == 11)
            #expect(page["itemsPerPage"] == 10)
            #expect(page["Resources"]?[0]?["userName"] == "user11")
            let last = try await HTTP.json(.GET, fake.scim + "/Users?startIndex=21&count=10", token: token).json
            #expect(last["itemsPerPage"] == 5)
            let beyond = try await HTTP.json(.GET, fake.scim + "/Users?startIndex=30", token: token).json
            #expect(beyond["itemsPerPage"] == 0)
            #expect(beyond["totalResults"] == 25)
            let countZero = try await HTTP.json(.GET, fake.scim + "/Users?count=0", token: token).json
            #expect(countZero["totalResults"] == 25)
            #expect(countZero["Resources"] == [])
            let sorted = try await HTTP.json(.GET, fake.scim + "/Users?sortBy=userName&sortOrder=descending&count=2", token: token).json
            #expect(sorted["Resources"]?[0]?["userName"] == "user25")
            let projected = try await HTTP.json(.GET, fake.scim + "/Users?attributes=userName&count=1", token: token).json
            let keys = projected["Resources"]?[0]?.objectValue?.keys.sorted()
            #expect(keys == ["id", "schemas", "userName"])
            let excluded = try await HTTP.json(.GET, fake.scim + "/Users?excludedAttributes=emails,meta&count=1", token: token).json
            #expect(excluded["Resources"]?[0]?["emails"] == nil)
            #expect(excluded["Resources"]?[0]?["meta"] == nil)
        }
    }

    @Test("filters over HTTP, including delta reads on meta.lastModified and POST .search")
    func filters() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            _ = try await fake.control(.POST, "seed", ["users": [user("alice"), user("bob")]])
            let all = try await HTTP.json(.GET, fake.scim + "/Users", token: token).json
            let bobModified = try #require(all["Resources"]?[1]?["meta"]?["lastModified"]?.stringValue)
            _ = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("carol"))
            let filter = HTTP.encoded("meta.lastModified gt \"\(bobModified)\"")
            let delta = try await HTTP.json(.GET, fake.scim + "/Users?filter=\(filter)", token: token).json
            #expect(delta["totalResults"] == 1)
            #expect(delta["Resources"]?[0]?["userName"] == "carol")
            let byName = try await HTTP.json(.GET, fake.scim + "/Users?filter=\(HTTP.encoded("USERNAME eq \"ALICE\""))", token: token).json
            #expect(byName["totalResults"] == 1, "userName is case-insensitive in the Identity Directory")
            let search = try await HTTP.json(.POST, fake.scim + "/Users/.search", token: token, body: [
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                "filter": "emails[value co \"@example.com\"] and not (userName eq \"bob\")", "attributes": ["userName"],
                "sortBy": "userName",
            ]).json
            #expect(search["Resources"]?.arrayValue?.compactMap { $0["userName"]?.stringValue } == ["alice", "carol"])
            // A search from the root covers users and groups.
            _ = try await HTTP.json(.POST, fake.scim + "/Groups", token: token, body: group("alice's team"))
            let root = try await HTTP.json(.POST, fake.scim + "/.search", token: token, body: [
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": "userName sw \"a\" or displayName sw \"a\"",
                "attributes": ["userName", "displayName"],
            ]).json
            #expect(root["totalResults"] == 2)
            #expect(root["Resources"]?[0]?["userName"] == "alice")
            #expect(root["Resources"]?[1]?["displayName"] == "alice's team")
            #expect(try await HTTP.json(.GET, fake.scim + "/.search", token: token).status == 405)
            let invalid = try await HTTP.json(.GET, fake.scim + "/Users?filter=\(HTTP.encoded("userName eq"))", token: token)
            #expect(invalid.status == 400)
            #expect(invalid.json["scimType"] == "invalidFilter")
        }
    }

    @Test("equality lookups stay right through renames, patches and deletes")
    func equalityLookups() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            func names(_ filter: String, _ endpoint: String = "/Users") async throws -> [String] {
                let list = try await HTTP.json(.GET, fake.scim + endpoint + "?filter=" + HTTP.encoded(filter), token: token).json
                return list["Resources"]?.arrayValue?.compactMap { ($0["userName"] ?? $0["displayName"])?.stringValue } ?? []
            }
            let id = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("Alice", extra: [("externalId", "ext-1")])).json["id"]?.stringValue ?? ""
            _ = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("bob"))
            #expect(try await names(#"userName eq "alice""#) == ["Alice"])
            #expect(try await names(#"externalId eq "ext-1" and userName eq "ALICE""#) == ["Alice"])
            #expect(try await names(#"externalId eq "EXT-1""#) == [], "externalId is case-exact")
            _ = try await HTTP.json(.PUT, fake.scim + "/Users/" + id, token: token, body: user("carol"))
            #expect(try await names(#"userName eq "alice""#) == [])
            #expect(try await names(#"externalId eq "ext-1""#) == [], "a replace without externalId drops it")
            #expect(try await names(#"userName eq "carol""#) == ["carol"])
            _ = try await HTTP.json(.PATCH, fake.scim + "/Users/" + id, token: token, body: patch([["op": "replace", "path": "userName", "value": "dave"]]))
            #expect(try await names(#"userName eq "carol""#) == [])
            #expect(try await names(#"userName eq "dave" or userName eq "bob""#) == ["dave", "bob"])
            _ = try await HTTP.json(.DELETE, fake.scim + "/Users/" + id, token: token)
            #expect(try await names(#"userName eq "dave""#) == [])
            _ = try await HTTP.json(.POST, fake.scim + "/Groups", token: token, body: group("Team"))
            #expect(try await names(#"displayName eq "team""#, "/Groups") == ["Team"])
            // Extension attributes: the custom group name is unique; qualified paths are looked up.
            let custom = "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group"
            var tech = group("Tech")
            tech[custom] = ["name": "tech-1"]
            #expect(try await HTTP.json(.POST, fake.scim + "/Groups", token: token, body: tech).status == 201)
            var other = group("Other")
            other[custom] = ["name": "tech-1"]
            let clash = try await HTTP.json(.POST, fake.scim + "/Groups", token: token, body: other)
            #expect(clash.status == 409)
            #expect(try await names(custom + #":name eq "tech-1""#, "/Groups") == ["Tech"])
            let bobID = try await HTTP.json(.GET, fake.scim + "/Users?filter=" + HTTP.encoded(#"userName eq "bob""#), token: token).json["Resources"]?[0]?["id"]?.stringValue ?? ""
            #expect(try await names("urn:ietf:params:scim:schemas:extension:sap:2.0:User:userUuid eq \"\(bobID)\"") == ["bob"])
            _ = try await fake.control(.POST, "reset")
            #expect(try await names(#"userName eq "bob""#) == [])
        }
    }

    @Test("group membership shows in users' groups and members' display; deleting a user leaves its groups")
    func membership() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            let alice = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("alice")).json["id"]?.stringValue ?? ""
            let created = try await HTTP.json(.POST, fake.scim + "/Groups", token: token, body: group("Accountants", members: [alice]))
            #expect(created.status == 201)
            let groupID = created.json["id"]?.stringValue ?? ""
            #expect(created.json["members"]?[0]?["display"] == "alice")
            #expect(created.json["members"]?[0]?["$ref"]?.stringValue == fake.scim + "/Users/" + alice)
            let read = try await HTTP.json(.GET, fake.scim + "/Users/" + alice, token: token).json
            #expect(read["groups"]?[0]?["value"]?.stringValue == groupID)
            #expect(read["groups"]?[0]?["display"] == "Accountants")
            // Filters see the computed attributes too.
            let byGroup = try await HTTP.json(.GET, fake.scim + "/Users?filter=\(HTTP.encoded("groups.display eq \"Accountants\""))", token: token).json
            #expect(byGroup["totalResults"] == 1)
            let byMember = try await HTTP.json(.GET, fake.scim + "/Groups?filter=\(HTTP.encoded("members.display eq \"alice\""))", token: token).json
            #expect(byMember["totalResults"] == 1)
            let recent = try await HTTP.json(.GET, fake.scim + "/Groups?filter=\(HTTP.encoded("meta.created ge \"2000-01-01T00:00:00Z\" and displayName sw \"Acc\""))", token: token).json
            #expect(recent["totalResults"] == 1)
            let unknownMember = try await HTTP.json(.POST, fake.scim + "/Groups", token: token, body: group("Ghosts", members: ["no-such-user"]))
            #expect(unknownMember.status == 400)
            #expect(try await HTTP.json(.DELETE, fake.scim + "/Users/" + alice, token: token).status == 204)
            let after = try await HTTP.json(.GET, fake.scim + "/Groups/" + groupID, token: token).json
            #expect(after["members"] == nil)
        }
    }

    @Test("wire errors: uniqueness 409, unknown resource 404, bad body 400, wrong method 405, Bulk 501")
    func wireErrors() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            #expect(try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("jdoe")).status == 201)
            let duplicate = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("JDOE"))
            #expect(duplicate.status == 409)
            #expect(duplicate.json["scimType"] == "uniqueness")
            let missing = try await HTTP.json(.GET, fake.scim + "/Users/nope", token: token)
            #expect(missing.status == 404)
            #expect(missing.json["detail"]?.stringValue?.contains("nope") == true)
            let notJSON = try await HTTP.send(.POST, fake.scim + "/Users", headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/scim+json")], body: Array("{".utf8))
            #expect(notJSON.status == 400)
            #expect(notJSON.json["scimType"] == "invalidSyntax")
            let noSchema = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: ["userName": "x"])
            #expect(noSchema.status == 400)
            let noUserName = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: ["schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"]])
            #expect(noUserName.status == 400)
            #expect(try await HTTP.json(.PATCH, fake.scim + "/Users", token: token, body: [:]).status == 405)
            #expect(try await HTTP.json(.POST, fake.scim + "/Bulk", token: token, body: [:]).status == 501)
            #expect(try await HTTP.json(.GET, fake.scim + "/Widgets", token: token).status == 404)
            #expect(try await HTTP.json(.GET, fake.base + "/elsewhere", token: token).status == 404)
        }
    }

    @Test("discovery: ServiceProviderConfig, ResourceTypes and Schemas describe what the fake supports")
    func discovery() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            let config = try await HTTP.json(.GET, fake.scim + "/ServiceProviderConfig", token: token).json
            #expect(config["schemas"] == ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"])
            #expect(config["patch"]?["supported"] == true)
            #expect(config["bulk"]?["supported"] == false)
            #expect(config["filter"]?["supported"] == true)
            #expect(config["filter"]?["maxResults"] == 500)
            #expect(config["etag"]?["supported"] == true)
            #expect(config["sort"]?["supported"] == true)
            let types = try await HTTP.json(.GET, fake.scim + "/ResourceTypes", token: token).json
            #expect(types["totalResults"] == 2)
            let userType = try await HTTP.json(.GET, fake.scim + "/ResourceTypes/User", token: token).json
            #expect(userType["endpoint"] == "/Users")
            let extensions = userType["schemaExtensions"]?.arrayValue?.compactMap { $0["schema"]?.stringValue } ?? []
            #expect(extensions.contains("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"))
            #expect(extensions.contains("urn:ietf:params:scim:schemas:extension:sap:2.0:User"))
            let groupType = try await HTTP.json(.GET, fake.scim + "/ResourceTypes/Group", token: token).json
            let groupExtensions = groupType["schemaExtensions"]?.arrayValue?.compactMap { $0["schema"]?.stringValue } ?? []
            #expect(groupExtensions == ["urn:ietf:params:scim:schemas:extension:sap:2.0:Group", "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group"])
            let schemas = try await HTTP.json(.GET, fake.scim + "/Schemas", token: token).json
            let ids = schemas["Resources"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(ids.contains("urn:ietf:params:scim:schemas:core:2.0:User"))
            #expect(ids.contains("urn:ietf:params:scim:schemas:core:2.0:Group"))
            let userSchema = try await HTTP.json(.GET, fake.scim + "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", token: token).json
            let userName = userSchema["attributes"]?.arrayValue?.first { $0["name"] == "userName" }
            #expect(userName?["uniqueness"] == "server")
            #expect(userSchema["meta"]?["resourceType"] == "Schema")
            #expect(try await HTTP.json(.GET, fake.scim + "/Schemas/urn:nope", token: token).status == 404)
        }
    }
}

func patch(_ operations: [JSONValue]) -> JSONValue {
    ["schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": .array(operations)]
}
