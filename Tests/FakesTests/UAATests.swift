import Chrono
import Fakes
import Hosting
import JSON
import Testing

/// A UAA fake in process with an admin token.
struct UAAFixture {
    let clock: SimulatedClock
    let uaa: UAA
    let host: DirectHost
    let token: String

    static func make(_ flavour: UAAConfiguration.Flavour = .uaa, clock: SimulatedClock = SimulatedClock(deterministic: true), limits: RateLimits = .none) async throws -> UAAFixture {
        let uaa = UAA(configuration: UAAConfiguration(flavour: flavour), clock: clock, seed: 5)
        let host = DirectHost(host: FakeHost(service: uaa, clock: clock, limits: limits, seed: 5))
        return UAAFixture(clock: clock, uaa: uaa, host: host, token: try await host.clientToken(uaa.client))
    }

    func send(_ method: String, _ target: String, body: JSONValue? = nil, headers: [(String, String)] = [], token: String? = nil) async -> FakeResponse {
        await host.send(method, target, token: token ?? self.token, body: body, headers: headers)
    }

    func createUser(_ userName: String, origin: String? = nil, extra: [(String, JSONValue)] = []) async throws -> JSONValue {
        let reply = await send("POST", "/Users", body: uaaUser(userName, origin: origin, extra: extra))
        guard reply.status == 201, let json = reply.json else { throw TestFailure("create \(userName): \(reply.status) \(reply.text)") }
        return json
    }

    func createGroup(_ name: String, members: [String] = []) async throws -> JSONValue {
        let reply = await send("POST", "/Groups", body: uaaGroup(name, members: members))
        guard reply.status == 201, let json = reply.json else { throw TestFailure("create group \(name): \(reply.status) \(reply.text)") }
        return json
    }
}

func uaaUser(_ userName: String, origin: String? = nil, extra: [(String, JSONValue)] = []) -> JSONValue {
    var members: [(String, JSONValue)] = [("schemas", ["urn:scim:schemas:core:1.0"]), ("userName", .string(userName)),
                                          ("emails", [["value": .string("\(userName)@example.com"), "primary": true]])]
    if let origin { members.append(("origin", .string(origin))) }
    return .object(JSONObject(members + extra))
}

func uaaGroup(_ name: String, members: [String] = []) -> JSONValue {
    .object(JSONObject([("schemas", ["urn:scim:schemas:core:1.0"]), ("displayName", .string(name)),
                        ("members", .array(members.map { ["value": .string($0), "type": "USER"] }))]))
}

/// The error triple of UAA's SCIM endpoints.
func uaaError(_ reply: FakeResponse) -> (Int, String?, String?) {
    (reply.status, reply.json?["error"]?.stringValue, reply.json?["error_description"]?.stringValue)
}

@Suite("UAA: token endpoint")
struct UAATokenTests {
    @Test("client credentials in the form or as Basic; the response carries UAA's fields")
    func clientCredentials() async throws {
        let f = try await UAAFixture.make()
        let form = await f.host.tokenRequest([("grant_type", "client_credentials"), ("client_id", f.uaa.client.id), ("client_secret", f.uaa.client.secret)])
        let basic = await f.host.tokenRequest([("grant_type", "client_credentials")], basic: (f.uaa.client.id, f.uaa.client.secret))
        for reply in [form, basic] {
            #expect(reply.status == 200)
            let json = try #require(reply.json)
            #expect(json["token_type"] == "bearer")
            #expect(json["expires_in"]?.intValue ?? 0 > 0)
            #expect(json["scope"]?.stringValue?.contains("scim.read") == true)
            #expect(json["jti"]?.stringValue?.isEmpty == false)
            #expect(json["refresh_token"] == nil)
            #expect(json["access_token"]?.stringValue?.split(separator: ".").count == 3)
        }
    }

    @Test("an empty scope parameter asks for the default scopes (cloudfoundry-client sends one)")
    func emptyScope() async throws {
        let f = try await UAAFixture.make()
        let reply = await f.host.tokenRequest([("grant_type", "client_credentials"), ("scope", "")], basic: (f.uaa.client.id, f.uaa.client.secret))
        #expect(reply.json?["scope"]?.stringValue == f.uaa.client.scopes.joined(separator: " "))
    }

    @Test("bad client credentials and bad passwords answer 401 Bad credentials exactly")
    func badCredentials() async throws {
        let f = try await UAAFixture.make()
        let wrongSecret = await f.host.tokenRequest([("grant_type", "client_credentials")], basic: (f.uaa.client.id, "nope"))
        let (username, _) = try #require(f.uaa.provisioningUser)
        let wrongPassword = await f.host.tokenRequest([("grant_type", "password"), ("username", username), ("password", "nope")], basic: ("cf", ""))
        for reply in [wrongSecret, wrongPassword] {
            #expect(reply.status == 401)
            #expect(reply.json == ["error": "unauthorized", "error_description": "Bad credentials"])
        }
    }

    @Test("the provisioning user signs in through the public cf client; refresh gives a new token after expiry")
    func passwordAndRefresh() async throws {
        let clock = SimulatedClock(deterministic: true)
        let f = try await UAAFixture.make(clock: clock)
        let (username, password) = try #require(f.uaa.provisioningUser)
        let (access, refresh) = try await f.host.passwordToken(username, password)
        #expect(await f.send("GET", "/Users", token: access).status == 200)  // scim.read
        clock.advance(seconds: 43_200)
        let expired = await f.send("GET", "/Users", token: access)
        #expect(uaaError(expired) == (401, "invalid_token", "Token has expired"))
        let renewed = await f.host.tokenRequest([("grant_type", "refresh_token"), ("refresh_token", refresh)], basic: ("cf", ""))
        let fresh = try DirectHost.accessToken(renewed)
        #expect(await f.send("GET", "/Users", token: fresh).status == 200)
        // The user's scopes, limited to what the client may carry.
        #expect(renewed.json?["scope"]?.stringValue?.contains("cloud_controller.write") == true)
        #expect(renewed.json?["scope"]?.stringValue?.contains("scim.me") == false)
    }

    @Test("a deleted user can no longer sign in")
    func deletedUserCannotSignIn() async throws {
        let f = try await UAAFixture.make()
        let created = try await f.createUser("pat", extra: [("password", "Secret-1")])
        _ = try await f.host.passwordToken("pat", "Secret-1")
        #expect(created["password"] == nil)
        #expect(await f.send("DELETE", "/Users/\(created["id"]!.stringValue!)").status == 200)
        let again = await f.host.tokenRequest([("grant_type", "password"), ("username", "pat"), ("password", "Secret-1")], basic: ("cf", ""))
        #expect(again.status == 401)
    }
}

@Suite("UAA: users")
struct UAAUserTests {
    @Test("create: 201, ETag, generated ID, SCIM 1.0 shape, client-sent id ignored")
    func create() async throws {
        let f = try await UAAFixture.make()
        let reply = await f.send("POST", "/Users", body: uaaUser("jdoe", extra: [("id", "mine"), ("groups", [["value": "x"]])]))
        #expect(reply.status == 201)
        #expect(reply.header("etag") == "\"0\"")
        let json = try #require(reply.json)
        #expect(json["id"] != "mine")
        #expect(json["schemas"] == ["urn:scim:schemas:core:1.0"])
        #expect(json["meta"]?["version"] == 0)
        #expect(json["origin"] == "uaa")
        #expect(json["zoneId"] == "uaa")
        #expect(json["groups"] == [])
        #expect(json["active"] == true)
        #expect(json["verified"] == true)
        #expect(json["meta"]?["created"]?.stringValue?.hasSuffix("Z") == true)
    }

    @Test("validation: schema, email count, username, pattern", arguments: [
        (uaaUser("a", extra: [("schemas", ["urn:ietf:params:scim:schemas:core:2.0:User"])]), "http_message_not_readable", "JSON parse error: Only schema 'urn:scim:schemas:core:1.0' is currently supported"),
        (.object(JSONObject([("userName", "a")])), "invalid_scim_resource", "Exactly one email must be provided."),
        (uaaUser("a", extra: [("emails", [["value": "a@x"], ["value": "b@x"]])]), "invalid_scim_resource", "Exactly one email must be provided."),
        (uaaUser("a", extra: [("emails", [["value": ""]])]), "invalid_scim_resource", "An email must be provided."),
        (["emails": [["value": "a@x"]]], "invalid_scim_resource", "A username must be provided."),
        (uaaUser("a b"), "invalid_scim_resource", "Username must match pattern: [\\p{L}+0-9+\\-_.@'!]+"),
        (uaaUser("a", extra: [("active", "yes")]), "http_message_not_readable", "JSON parse error: 'active' must be a bool"),
    ] as [(JSONValue, String, String)])
    func validation(body: JSONValue, error: String, message: String) async throws {
        let f = try await UAAFixture.make()
        let reply = await f.send("POST", "/Users", body: body)
        #expect(uaaError(reply) == (400, error, message))
        #expect(reply.json?["message"]?.stringValue == message)
    }

    @Test("a username outside the pattern is fine for other origins")
    func patternOnlyForUAAOrigin() async throws {
        let f = try await UAAFixture.make()
        _ = try await f.createUser("John Doe", origin: "sap.custom")
    }

    @Test("(origin, userName) is unique case-insensitively; the same name under another origin is another user")
    func uniqueness() async throws {
        let f = try await UAAFixture.make()
        let first = try await f.createUser("JDoe", origin: "idp1")
        let clash = await f.send("POST", "/Users", body: uaaUser("jdoe", origin: "idp1"))
        #expect(uaaError(clash) == (409, "scim_resource_already_exists", "Username already in use: jdoe"))
        #expect(clash.json?["origin"] == "idp1")
        let second = try await f.createUser("jdoe", origin: "idp2")
        #expect(first["id"] != second["id"])
        let both = await f.send("GET", "/Users?filter=userName%20eq%20%22JDOE%22")
        #expect(both.json?["totalResults"] == 2)
        let one = await f.send("GET", "/Users?filter=userName%20eq%20%22jdoe%22%20and%20origin%20eq%20%22idp2%22")
        #expect(one.json?["resources"]?[0]?["id"] == second["id"])
    }

    @Test("PUT needs If-Match: missing 400, stale 409, * and the current version work")
    func putIfMatch() async throws {
        let f = try await UAAFixture.make()
        let id = try await f.createUser("jdoe")["id"]!.stringValue!
        let changed = uaaUser("jdoe", extra: [("name", ["givenName": "John"])])
        #expect(uaaError(await f.send("PUT", "/Users/\(id)", body: changed)) == (400, "scim", "Missing If-Match for PUT"))
        #expect(uaaError(await f.send("PUT", "/Users/\(id)", body: changed, headers: [("If-Match", "abc")]))
                    == (400, "scim", "Invalid version match header (should be a version number): abc"))
        let ok = await f.send("PUT", "/Users/\(id)", body: changed, headers: [("If-Match", "\"0\"")])
        #expect(ok.status == 200)
        #expect(ok.header("etag") == "\"1\"")
        #expect(ok.json?["name"]?["givenName"] == "John")
        let stale = await f.send("PUT", "/Users/\(id)", body: changed, headers: [("If-Match", "0")])
        #expect(stale.status == 409)
        #expect(stale.json?["error"] == "scim_resource_conflict")
        #expect(await f.send("PUT", "/Users/\(id)", body: changed, headers: [("If-Match", "*")]).json?["meta"]?["version"] == 2)
        let origin = await f.send("PUT", "/Users/\(id)", body: uaaUser("jdoe", origin: "other"), headers: [("If-Match", "*")])
        #expect(uaaError(origin) == (400, "invalid_scim_resource", "Cannot change user's origin in update operation."))
        #expect(uaaError(await f.send("PUT", "/Users/nope", body: changed, headers: [("If-Match", "*")])) == (404, "scim_resource_not_found", "User nope does not exist"))
    }

    @Test("UAA PATCH: partial object, meta.attributes removal, emails collapse to the primary, active defaults to true")
    func patch() async throws {
        let f = try await UAAFixture.make()
        let id = try await f.createUser("jdoe", extra: [("active", false), ("displayName", "JD"), ("name", ["givenName": "John", "familyName": "Doe"])])["id"]!.stringValue!
        #expect(uaaError(await f.send("PATCH", "/Users/\(id)", body: ["title": "CFO"])) == (400, "scim", "Missing If-Match for PUT"))
        let reply = await f.send("PATCH", "/Users/\(id)", body: [
            "title": "CFO", "name": ["givenName": "Jon"], "emails": [["value": "new@example.com", "primary": true]],
            "meta": ["attributes": ["displayName", "name.familyName"]],
        ], headers: [("If-Match", "0")])
        #expect(reply.status == 200)
        let json = try #require(reply.json)
        #expect(json["title"] == "CFO")
        #expect(json["displayName"] == nil)
        #expect(json["name"] == ["givenName": "Jon"])
        #expect(json["emails"] == [["value": "new@example.com", "primary": true]])
        #expect(json["active"] == true)  // absent from the patch: Java's default
        let origin = await f.send("PATCH", "/Users/\(id)", body: ["origin": "ldap"], headers: [("If-Match", "*")])
        #expect(uaaError(origin) == (400, "invalid_scim_resource", "Cannot change origin in patch of user."))
        let bad = await f.send("PATCH", "/Users/\(id)", body: ["meta": ["attributes": ["origin"]]], headers: [("If-Match", "*")])
        #expect(uaaError(bad) == (400, "illegal_argument", "Attribute origin cannot be removed using \"Meta.attributes\""))
    }

    @Test("DELETE answers the user, drops its memberships, and honours an If-Match given")
    func delete() async throws {
        let f = try await UAAFixture.make()
        let id = try await f.createUser("jdoe")["id"]!.stringValue!
        let gid = try await f.createGroup("auditors", members: [id])["id"]!.stringValue!
        #expect(await f.send("DELETE", "/Users/\(id)", headers: [("If-Match", "7")]).status == 409)
        let deleted = await f.send("DELETE", "/Users/\(id)")
        #expect(deleted.status == 200)
        #expect(deleted.json?["userName"] == "jdoe")
        #expect(await f.send("GET", "/Users/\(id)").status == 404)
        #expect(await f.send("GET", "/Groups/\(gid)").json?["members"] == [])
        #expect(uaaError(await f.send("DELETE", "/Users/\(id)")) == (404, "scim_resource_not_found", "User \(id) does not exist"))
    }
}

@Suite("UAA: lists and filters")
struct UAAListTests {
    func fixture() async throws -> UAAFixture {
        let f = try await UAAFixture.make()
        for name in ["carol", "alice", "bob"] { _ = try await f.createUser(name) }
        return f
    }

    @Test("lower-case resources, itemsPerPage echoes the requested count, count capped at 500")
    func shape() async throws {
        let f = try await fixture()
        let page = try #require(await f.send("GET", "/Users?startIndex=2&count=1").json)
        #expect(page["resources"]?.arrayValue?.count == 1)
        #expect(page["Resources"] == nil)
        #expect(page["resources"]?[0]?["userName"] == "carol")  // after the provisioning user
        #expect(page["itemsPerPage"] == 1)
        #expect(page["startIndex"] == 2)
        #expect(page["totalResults"] == 4)  // with the provisioning user
        #expect(page["schemas"] == ["urn:scim:schemas:core:1.0"])
        #expect(await f.send("GET", "/Users?count=10000").json?["itemsPerPage"] == 500)
        #expect(await f.send("GET", "/Users").json?["itemsPerPage"] == 100)
        #expect(await f.send("GET", "/Users?startIndex=0").json?["startIndex"] == 1)
        #expect(await f.send("GET", "/Users?startIndex=9").json?["resources"] == [])
    }

    @Test("filters: case-insensitive values, UAA names, co/sw/pr/gt, and/or")
    func filters() async throws {
        let f = try await fixture()
        func names(_ filter: String) async -> [String] {
            let target = "/Users?filter=" + filter.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            return await f.send("GET", target).json?["resources"]?.arrayValue?.compactMap { $0["userName"]?.stringValue } ?? ["error"]
        }
        #expect(await names(#"userName eq "ALICE""#) == ["alice"])
        #expect(await names(#"email eq "BOB@example.com""#) == ["bob"])
        #expect(await names(#"emails.value co "ar""#) == ["carol"])
        #expect(await names(#"username sw "b" or userName eq "carol""#) == ["carol", "bob"])
        #expect(await names(#"origin eq "uaa" and userName pr and active eq true"#).count == 4)
        #expect(await names(#"meta.lastModified gt "2000-01-01T00:00:00.000Z""#).count == 4)
    }

    @Test("unsupported filters answer UAA's 400", arguments: [
        #"userName ne "a""#, #"userName ew "a""#, #"not (userName eq "a")"#, #"emails[value eq "a"]"#, #"nickname2 eq "a""#, #"userName eq bob"#, "userName eq",
    ])
    func unsupported(_ filter: String) async throws {
        let f = try await fixture()
        let reply = await f.send("GET", "/Users?filter=" + filter.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
        let escaped = filter.replacingOccurrences(of: "\"", with: "&quot;")
        #expect(uaaError(reply) == (400, "scim", "Invalid filter expression: [\(escaped)] [created]"))
    }

    @Test("sortBy and sortOrder (anything but ascending is descending); attributes projects")
    func sortAndProject() async throws {
        let f = try await fixture()
        let sorted = await f.send("GET", "/Users?sortBy=userName&sortOrder=whatever&filter=origin%20eq%20%22uaa%22%20and%20userName%20sw%20%22%22")
        #expect(sorted.json?["resources"]?.arrayValue?.compactMap { $0["userName"]?.stringValue }.prefix(3) == ["cf-provisioner@provsim.example", "carol", "bob"])
        let projected = await f.send("GET", "/Users?attributes=userName,emails.value&filter=userName%20eq%20%22bob%22")
        #expect(projected.json?["resources"]?[0] == ["userName": "bob", "emails.value": ["bob@example.com"]])
        #expect(uaaError(await f.send("GET", "/Users?attributes=shoeSize")) == (400, "scim", "Invalid attributes: [shoeSize]"))
    }
}

@Suite("UAA: groups and members")
struct UAAGroupTests {
    @Test("create with members; a duplicate name is 409; an invalid member undoes the create")
    func create() async throws {
        let f = try await UAAFixture.make()
        let uid = try await f.createUser("jdoe")["id"]!.stringValue!
        let group = try await f.createGroup("auditors", members: [uid])
        #expect(group["members"] == [["value": .string(uid), "type": "USER", "origin": "uaa"]])
        #expect(group["schemas"] == ["urn:scim:schemas:core:1.0"])
        let duplicate = await f.send("POST", "/Groups", body: uaaGroup("AUDITORS"))
        #expect(uaaError(duplicate) == (409, "scim_resource_already_exists", "A group with displayName: AUDITORS already exists."))
        let invalid = await f.send("POST", "/Groups", body: uaaGroup("closers", members: [uid, "ghost"]))
        #expect(uaaError(invalid) == (400, "invalid_scim_resource", "Invalid group member: ghost"))
        #expect(await f.send("GET", "/Groups?filter=displayName%20eq%20%22closers%22").json?["totalResults"] == 0)
        let user = await f.send("GET", "/Users/\(uid)")
        #expect(user.json?["groups"] == [["value": group["id"]!, "display": "auditors", "type": "DIRECT"]])
    }

    @Test("PUT: If-Match required, members replaced (none given: all removed), rename clash is 400")
    func put() async throws {
        let f = try await UAAFixture.make()
        let a = try await f.createUser("a")["id"]!.stringValue!
        let b = try await f.createUser("b")["id"]!.stringValue!
        let gid = try await f.createGroup("g", members: [a])["id"]!.stringValue!
        _ = try await f.createGroup("other")
        #expect(uaaError(await f.send("PUT", "/Groups/\(gid)", body: uaaGroup("g", members: [b]))) == (400, "scim", "Missing If-Match for PUT"))
        let replaced = await f.send("PUT", "/Groups/\(gid)", body: uaaGroup("g2", members: [b]), headers: [("If-Match", "0")])
        #expect(replaced.json?["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == [b])
        #expect(replaced.json?["displayName"] == "g2")
        let emptied = await f.send("PUT", "/Groups/\(gid)", body: ["displayName": "g2"], headers: [("If-Match", "1")])
        #expect(emptied.json?["members"] == [])
        let clash = await f.send("PUT", "/Groups/\(gid)", body: uaaGroup("OTHER"), headers: [("If-Match", "*")])
        #expect(uaaError(clash) == (400, "invalid_scim_resource", "A group with displayName: OTHER already exists"))
        #expect(await f.send("PUT", "/Groups/\(gid)", body: uaaGroup("g2"), headers: [("If-Match", "0")]).status == 409)
    }

    @Test("PATCH in UAA style (operation delete, meta.attributes) and as RFC 7644 PatchOp")
    func patch() async throws {
        let f = try await UAAFixture.make()
        let a = try await f.createUser("a")["id"]!.stringValue!
        let b = try await f.createUser("b")["id"]!.stringValue!
        let gid = try await f.createGroup("g", members: [a])["id"]!.stringValue!
        #expect(uaaError(await f.send("PATCH", "/Groups/\(gid)", body: ["description": "x"])) == (400, "scim", "Missing If-Match for PATCH"))
        let uaaStyle = await f.send("PATCH", "/Groups/\(gid)", body: [
            "description": "Closers", "members": [["value": .string(a), "operation": "delete"], ["value": .string(b), "type": "USER"]],
        ], headers: [("If-Match", "0")])
        #expect(uaaStyle.json?["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == [b])
        #expect(uaaStyle.json?["description"] == "Closers")
        let removal = await f.send("PATCH", "/Groups/\(gid)", body: ["meta": ["attributes": ["description", "members"]]], headers: [("If-Match", "*")])
        #expect(removal.json?["description"] == nil)
        #expect(removal.json?["members"] == [])
        let patchOp = await f.send("PATCH", "/Groups/\(gid)", body: [
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [["op": "add", "path": "members", "value": [["value": .string(a), "type": "USER"], ["value": .string(b), "type": "USER"]]]],
        ], headers: [("If-Match", "*")])
        #expect(patchOp.status == 200)
        #expect(patchOp.json?["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == [a, b])
        let removeOne = await f.send("PATCH", "/Groups/\(gid)", body: [
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [["op": "remove", "path": .string("members[value eq \"\(a)\"]")]],
        ], headers: [("If-Match", "*")])
        #expect(removeOne.json?["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == [b])
    }

    @Test("member endpoints: 201, 409 already a member, 404 no such user, 400 nesting itself, 404 not a member")
    func members() async throws {
        let f = try await UAAFixture.make()
        let a = try await f.createUser("a")["id"]!.stringValue!
        let gid = try await f.createGroup("g")["id"]!.stringValue!
        let added = await f.send("POST", "/Groups/\(gid)/members", body: ["value": .string(a)])
        #expect(added.status == 201)
        #expect(added.json == ["value": .string(a), "type": "USER", "origin": "uaa"])
        #expect(uaaError(await f.send("POST", "/Groups/\(gid)/members", body: ["value": .string(a), "type": "USER"]))
                    == (409, "member_already_exists", "Member \(a) already exists in group \(gid)"))
        #expect(uaaError(await f.send("POST", "/Groups/\(gid)/members", body: ["value": "ghost"])) == (404, "scim_resource_not_found", "User ghost does not exist"))
        #expect(uaaError(await f.send("POST", "/Groups/\(gid)/members", body: ["value": .string(gid), "type": "GROUP"]))
                    == (400, "invalid_scim_resource", "trying to nest group within itself, aborting"))
        #expect(uaaError(await f.send("POST", "/Groups/nope/members", body: ["value": .string(a)])) == (404, "scim_resource_not_found", "Group nope does not exist"))
        #expect(await f.send("GET", "/Groups/\(gid)/members").json == [["value": .string(a), "type": "USER", "origin": "uaa"]])
        #expect(await f.send("GET", "/Groups/\(gid)/members?returnEntities=true").json?[0]?["entity"]?["userName"] == "a")
        #expect(await f.send("GET", "/Groups/\(gid)/members/\(a)").status == 200)
        #expect(await f.send("DELETE", "/Groups/\(gid)/members/\(a)").json?["value"] == .string(a))
        #expect(uaaError(await f.send("GET", "/Groups/\(gid)/members/\(a)")) == (404, "member_not_found", "Member \(a) does not exist in group \(gid)"))
        #expect(await f.send("DELETE", "/Groups/\(gid)/members/\(a)").status == 404)
    }

    @Test("nested groups show as INDIRECT on users; deleting a group removes its memberships")
    func nested() async throws {
        let f = try await UAAFixture.make()
        let a = try await f.createUser("a")["id"]!.stringValue!
        let inner = try await f.createGroup("inner", members: [a])["id"]!.stringValue!
        let outer = await f.send("POST", "/Groups", body: ["displayName": "outer", "members": [["value": .string(inner), "type": "GROUP"]]])
        let outerId = try #require(outer.json?["id"]?.stringValue)
        let groups = await f.send("GET", "/Users/\(a)").json?["groups"]?.arrayValue ?? []
        #expect(groups.map { $0["type"] } == ["DIRECT", "INDIRECT"])
        #expect(await f.send("DELETE", "/Groups/\(inner)").status == 200)
        #expect(await f.send("GET", "/Users/\(a)").json?["groups"] == [])
        #expect(await f.send("GET", "/Groups/\(outerId)").json?["members"] == [])
    }
}

@Suite("UAA: scopes and errors")
struct UAAScopeTests {
    @Test("no token 401, bad token 401 invalid_token, missing scope 403 insufficient_scope with the scopes that would do")
    func scopes() async throws {
        let f = try await UAAFixture.make()
        let none = await f.host.send("GET", "/Users")
        #expect(uaaError(none) == (401, "unauthorized", "Full authentication is required to access this resource"))
        #expect(none.header("www-authenticate")?.hasPrefix("Bearer realm=\"UAA/oauth\"") == true)
        #expect(await f.host.send("GET", "/Users", token: "garbage").json?["error"] == "invalid_token")
        let reader = try await f.host.clientToken(f.uaa.client, scope: "scim.read")
        let refused = await f.send("POST", "/Users", body: uaaUser("x"), token: reader)
        #expect(uaaError(refused) == (403, "insufficient_scope", "Insufficient scope for this resource"))
        #expect(refused.json?["scope"] == "scim.write scim.create zones.uaa.admin")
        let creator = try await f.host.clientToken(f.uaa.client, scope: "scim.create")
        let id = try #require(await f.send("POST", "/Users", body: uaaUser("x"), token: creator).json?["id"]?.stringValue)
        #expect(await f.send("PUT", "/Users/\(id)", body: uaaUser("x"), headers: [("If-Match", "*")], token: creator).status == 403)
        let updater = try await f.host.clientToken(f.uaa.client, scope: "groups.update")
        let gid = try await f.createGroup("g")["id"]!.stringValue!
        #expect(await f.send("PUT", "/Groups/\(gid)", body: uaaGroup("g", members: [id]), headers: [("If-Match", "*")], token: updater).status == 200)
        #expect(await f.send("POST", "/Groups/\(gid)/members", body: ["value": .string(id)], token: updater).status == 409)
        #expect(await f.send("DELETE", "/Groups/\(gid)", token: updater).status == 403)
    }

    @Test("paths UAA does not serve: 403 under /Users and /Groups, 405 for other methods, 404 elsewhere")
    func paths() async throws {
        let f = try await UAAFixture.make()
        #expect(uaaError(await f.send("GET", "/Users/x/verify-link/extra")) == (403, "access_denied", "Access is denied"))
        #expect(uaaError(await f.send("DELETE", "/Users")) == (405, "method_not_allowed", "Request method 'DELETE' not supported"))
        #expect(await f.send("GET", "/Unknown").status == 404)
        #expect(await f.send("POST", "/Users", body: nil).json?["error"] == "http_message_not_readable")
    }

    @Test("the journal records requests with the client, never tokens or passwords")
    func journal() async throws {
        let f = try await UAAFixture.make()
        _ = try await f.createUser("jdoe", extra: [("password", "Pa55word!")])
        let entries = f.host.host.journal.entries(after: 0)
        #expect(entries.map(\.path) == ["/oauth/token", "/Users"])
        #expect(entries.last?.clientId == f.uaa.client.id)
        #expect(entries.last?.status == 201)
        let dump = entries.map { $0.json.serialized() }.joined()
        #expect(!dump.contains("Pa55word!"))
        #expect(!dump.contains(f.token))
        #expect(!dump.contains(f.uaa.client.secret))
    }
}
