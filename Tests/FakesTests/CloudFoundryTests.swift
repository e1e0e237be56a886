import Chrono
import Fakes
import Hosting
import JSON
import Testing

/// The first V3 error of a reply: status, code, title, detail.
func cfError(_ reply: FakeResponse) -> (Int, Int?, String?, String?) {
    let error = reply.json?["errors"]?[0]
    return (reply.status, error?["code"]?.intValue, error?["title"]?.stringValue, error?["detail"]?.stringValue)
}

func roleBody(_ type: String, user: String, organization: String? = nil, space: String? = nil) -> JSONValue {
    var relationships: [(String, JSONValue)] = [("user", ["data": ["guid": .string(user)]])]
    if let organization { relationships.append(("organization", ["data": ["guid": .string(organization)]])) }
    if let space { relationships.append(("space", ["data": ["guid": .string(space)]])) }
    return .object(JSONObject([("type", .string(type)), ("relationships", .object(JSONObject(relationships)))]))
}

/// One organization `acme` with spaces `dev` and `prod`, and a platform user `jdoe`.
struct AcmeWorld {
    let world: CloudFoundryWorld
    let org: String
    let dev: String
    let prod: String
    let user: String
    let admin: String

    static func make(settings: CloudControllerSettings = CloudControllerSettings(), clock: SimulatedClock = SimulatedClock(deterministic: true)) async throws -> AcmeWorld {
        let world = CloudFoundryWorld(clock: clock, settings: settings)
        let user = try await world.uaaUser("jdoe@example.com")
        let seeded = try await world.seed(["organizations": [["name": "acme", "spaces": [["name": "dev"], ["name": "prod"]]]]])
        return AcmeWorld(world: world, org: seeded["organizations"]![0]!.stringValue!, dev: seeded["spaces"]![0]!.stringValue!,
                         prod: seeded["spaces"]![1]!.stringValue!, user: user, admin: try await world.adminToken())
    }

    func send(_ method: String, _ target: String, body: JSONValue? = nil, token: String? = nil) async -> FakeResponse {
        await world.cfHost.send(method, target, token: token ?? admin, body: body)
    }

    func role(_ type: String, organization: String? = nil, space: String? = nil, user: String? = nil, token: String? = nil) async -> FakeResponse {
        await send("POST", "/v3/roles", body: roleBody(type, user: user ?? self.user, organization: organization, space: space), token: token)
    }
}

@Suite("Cloud Foundry: documents and authentication")
struct CloudFoundryAuthTests {
    @Test("the root document points to the UAA; /v3/info answers without a token")
    func root() async throws {
        let world = CloudFoundryWorld()
        let root = try #require(await world.cfHost.send("GET", "/").json)
        #expect(root["links"]?["login"]?["href"] == "http://uaa.test")
        #expect(root["links"]?["uaa"]?["href"] == "http://uaa.test")
        #expect(root["links"]?["cloud_controller_v3"]?["href"] == "http://cf.test/v3")
        #expect(await world.cfHost.send("GET", "/v3/info").status == 200)
        #expect(cfError(await world.cfHost.send("GET", "/v2/info")) == (404, 10000, "CF-NotFound", "Unknown request"))
    }

    @Test("no token 401 CF-NotAuthenticated; a bad or expired token 401 CF-InvalidAuthToken; refresh and go on")
    func tokens() async throws {
        let clock = SimulatedClock(deterministic: true)
        let world = CloudFoundryWorld(clock: clock)
        #expect(cfError(await world.cfHost.send("GET", "/v3/organizations")) == (401, 10002, "CF-NotAuthenticated", "Authentication error"))
        #expect(cfError(await world.cfHost.send("GET", "/v3/organizations", token: "abc.def.ghi")) == (401, 1000, "CF-InvalidAuthToken", "Invalid Auth Token"))
        let (username, password) = world.uaa.provisioningUser!
        let (access, refresh) = try await world.uaaHost.passwordToken(username, password)
        #expect(await world.cfHost.send("GET", "/v3/organizations", token: access).status == 200)
        clock.advance(seconds: 50_000)
        #expect(cfError(await world.cfHost.send("GET", "/v3/organizations", token: access)).1 == 1000)
        let renewed = try DirectHost.accessToken(await world.uaaHost.tokenRequest([("grant_type", "refresh_token"), ("refresh_token", refresh)], basic: ("cf", "")))
        #expect(await world.cfHost.send("GET", "/v3/organizations", token: renewed).status == 200)
    }

    @Test("a token from another issuer, or without a cloud_controller scope (aud), is 401 CF-InvalidAuthToken; a read-only one may not write")
    func scopes() async throws {
        let world = CloudFoundryWorld()
        let other = UAAFixture.make
        let stranger = try await other(.uaa, SimulatedClock(deterministic: true), .none).token
        #expect(cfError(await world.cfHost.send("GET", "/v3/roles", token: stranger)).1 == 1000)
        let scimOnly = try await world.uaaHost.clientToken(world.uaa.client)
        #expect(cfError(await world.cfHost.send("GET", "/v3/roles", token: scimOnly)) == (401, 1000, "CF-InvalidAuthToken", "Invalid Auth Token"))
        let readOnly = try await world.uaaHost.clientToken(world.cf.client, scope: "cloud_controller.read")
        #expect(await world.cfHost.send("GET", "/v3/roles", token: readOnly).status == 200)
        #expect(await world.cfHost.send("POST", "/v3/roles", token: readOnly, body: roleBody("organization_user", user: "u", organization: "o")).status == 403)
    }
}

@Suite("Cloud Foundry: role rules")
struct CloudFoundryRoleTests {
    @Test("a space role needs organization_user in the space's organization; other org roles do not count")
    func spaceRoleNeedsOrgUser() async throws {
        let acme = try await AcmeWorld.make()
        let detail = "Users cannot be assigned roles in a space if they do not have a role in that space's organization."
        #expect(cfError(await acme.role("space_developer", space: acme.dev)) == (422, 10008, "CF-UnprocessableEntity", detail))
        #expect(await acme.role("organization_manager", organization: acme.org).status == 201)
        #expect(cfError(await acme.role("space_developer", space: acme.dev)) == (422, 10008, "CF-UnprocessableEntity", detail))
        #expect(await acme.role("organization_user", organization: acme.org).status == 201)
        let created = await acme.role("space_developer", space: acme.dev)
        #expect(created.status == 201)
        let json = try #require(created.json)
        #expect(json["type"] == "space_developer")
        #expect(json["relationships"]?["space"]?["data"]?["guid"] == .string(acme.dev))
        #expect(json["relationships"]?["organization"]?["data"] == .null)
        #expect(json["relationships"]?["user"]?["data"]?["guid"] == .string(acme.user))
        #expect(json["links"]?["space"]?["href"] == .string("http://cf.test/v3/spaces/\(acme.dev)"))
        #expect(json["created_at"]?.stringValue?.hasSuffix("Z") == true)
    }

    @Test("all eight role types; a duplicate role is 422 naming user, type and place")
    func typesAndDuplicates() async throws {
        let acme = try await AcmeWorld.make()
        for type in CFRoleType.allCases where !type.isSpaceRole { #expect(await acme.role(type.rawValue, organization: acme.org).status == 201) }
        for type in CFRoleType.allCases where type.isSpaceRole { #expect(await acme.role(type.rawValue, space: acme.prod).status == 201) }
        #expect(cfError(await acme.role("organization_auditor", organization: acme.org))
                    == (422, 10008, "CF-UnprocessableEntity", "User 'jdoe@example.com' already has 'organization_auditor' role in organization 'acme'."))
        #expect(cfError(await acme.role("space_manager", space: acme.prod))
                    == (422, 10008, "CF-UnprocessableEntity", "User 'jdoe@example.com' already has 'space_manager' role in space 'prod'."))
    }

    @Test("malformed role requests are 422 with the problems joined", arguments: [
        (roleBody("space_wizard", user: "u", organization: "o"), "Type must be one of the allowed types"),
        (["type": "organization_user", "relationships": ["user": ["data": ["guid": "u"]]]], "Relationships must specify either a space or an organization."),
        (roleBody("organization_user", user: "u", space: "s"), "Relationships cannot provide a space with the organization role type: 'organization_user'."),
        (roleBody("space_developer", user: "u", organization: "o"), "Relationships cannot provide an organization with the space role type: 'space_developer'."),
        (["type": "organization_user", "relationships": ["organization": ["data": ["guid": "o"]]]], "User must have a username or guid specified"),
        (["type": "organization_user", "color": "red", "relationships": ["user": ["data": ["guid": "u"]], "organization": ["data": ["guid": "o"]]]], "Unknown field(s): 'color'"),
    ] as [(JSONValue, String)])
    func malformed(body: JSONValue, detail: String) async throws {
        let acme = try await AcmeWorld.make()
        let reply = await acme.send("POST", "/v3/roles", body: body)
        #expect(cfError(reply).0 == 422)
        #expect(cfError(reply).2 == "CF-UnprocessableEntity")
        #expect(cfError(reply).3?.contains(detail) == true)
    }

    @Test("faults from the control API hit the Cloud Controller like any fake; the role is created on the retry")
    func faults() async throws {
        let acme = try await AcmeWorld.make()
        let fault = await acme.world.cfHost.send("POST", "/_provsim/faults", body: ["method": "POST", "path": "/v3/roles", "status": 503, "times": 1])
        #expect(fault.status == 200)
        #expect(await acme.role("organization_user", organization: acme.org).status == 503)
        #expect(await acme.role("organization_user", organization: acme.org).status == 201)
        #expect(acme.world.cfHost.host.journal.entries(after: 0).compactMap(\.fault).count == 1)
    }

    @Test("one role is shown with the user, space and organization it names when asked (include), as the list shows them")
    func showRoleIncludes() async throws {
        let acme = try await AcmeWorld.make()
        _ = await acme.role("organization_user", organization: acme.org)
        let developer = try #require(await acme.role("space_developer", space: acme.dev).json?["guid"]?.stringValue)
        let plain = try #require(await acme.send("GET", "/v3/roles/\(developer)").json)
        #expect(plain["included"] == nil)
        let shown = await acme.send("GET", "/v3/roles/\(developer)?include=user,space,organization")
        let json = try #require(shown.json)
        #expect(json["guid"]?.stringValue == developer)
        #expect(json["included"]?["users"]?[0]?["username"] == "jdoe@example.com")
        #expect(json["included"]?["spaces"]?[0]?["name"] == "dev")
        #expect(json["included"]?["organizations"]?.arrayValue?.isEmpty == true, "a space role names no organization")
        #expect(cfError(await acme.send("GET", "/v3/roles/\(developer)?include=owner"))
                    == (400, 10005, "CF-BadQueryParameter", "The query parameter is invalid: Invalid included resource: 'owner'. Valid included resources are: 'user', 'space', 'organization'"))
        #expect(cfError(await acme.send("GET", "/v3/roles/\(developer)?per_page=5")).0 == 400)
    }

    @Test("an unknown organization or space is 422 'Invalid …'")
    func unknownPlaces() async throws {
        let acme = try await AcmeWorld.make()
        #expect(cfError(await acme.role("organization_user", organization: "nope")).3 == "Invalid organization. Ensure that the organization exists and you have access to it.")
        #expect(cfError(await acme.role("space_developer", space: "nope")).3 == "Invalid space. Ensure that the space exists and you have access to it.")
    }

    @Test("organization_user cannot go while space roles remain; deletion is a 202 job; then it can")
    func deletionOrder() async throws {
        let acme = try await AcmeWorld.make()
        let orgUser = try #require(await acme.role("organization_user", organization: acme.org).json?["guid"]?.stringValue)
        let developer = try #require(await acme.role("space_developer", space: acme.dev).json?["guid"]?.stringValue)
        #expect(cfError(await acme.send("DELETE", "/v3/roles/\(orgUser)"))
                    == (422, 10008, "CF-UnprocessableEntity", "Cannot delete organization_user role while user has roles in spaces in that organization."))
        let deleted = await acme.send("DELETE", "/v3/roles/\(developer)")
        #expect(deleted.status == 202)
        #expect(deleted.body.isEmpty)
        let location = try #require(deleted.header("location"))
        #expect(location.hasPrefix("http://cf.test/v3/jobs/"))
        let job = try #require(await acme.send("GET", String(location.dropFirst("http://cf.test".count))).json)
        #expect(job["state"] == "COMPLETE")
        #expect(job["operation"] == "role.delete")
        #expect(await acme.send("GET", "/v3/roles/\(developer)").status == 404)
        #expect(await acme.send("DELETE", "/v3/roles/\(orgUser)").status == 202)
        #expect(cfError(await acme.send("DELETE", "/v3/roles/\(orgUser)")) == (404, 10010, "CF-ResourceNotFound", "Role not found"))
    }

    @Test("with a job delay the role stays until the job runs in simulated time")
    func delayedJob() async throws {
        var settings = CloudControllerSettings()
        settings.jobSeconds = 30
        let clock = SimulatedClock(deterministic: true)
        let acme = try await AcmeWorld.make(settings: settings, clock: clock)
        let orgUser = try #require(await acme.role("organization_user", organization: acme.org).json?["guid"]?.stringValue)
        let location = try #require(await acme.send("DELETE", "/v3/roles/\(orgUser)").header("location"))
        let jobPath = String(location.dropFirst("http://cf.test".count))
        #expect(await acme.send("GET", jobPath).json?["state"] == "PROCESSING")
        #expect(await acme.send("GET", "/v3/roles/\(orgUser)").status == 200)
        clock.advance(seconds: 31)
        #expect(await acme.send("GET", jobPath).json?["state"] == "COMPLETE")
        #expect(await acme.send("GET", "/v3/roles/\(orgUser)").status == 404)
    }

    @Test("roles by username and origin (set_roles_by_username); ambiguity and absence are 422; the flag can be off")
    func byUsername() async throws {
        let acme = try await AcmeWorld.make()
        _ = try await acme.world.uaaUser("jdoe@example.com", origin: "other-idp")
        func byName(_ origin: String?) -> JSONValue {
            var data: [(String, JSONValue)] = [("username", "jdoe@example.com")]
            if let origin { data.append(("origin", .string(origin))) }
            return ["type": "organization_user", "relationships": ["user": ["data": .object(JSONObject(data))], "organization": ["data": ["guid": .string(acme.org)]]]]
        }
        #expect(cfError(await acme.send("POST", "/v3/roles", body: byName(nil))).3
                    == "User with username 'jdoe@example.com' exists in the following origins: idp-platform, other-idp. Specify an origin to disambiguate.")
        let created = await acme.send("POST", "/v3/roles", body: byName("idp-platform"))
        #expect(created.json?["relationships"]?["user"]?["data"]?["guid"] == .string(acme.user))
        #expect(cfError(await acme.send("POST", "/v3/roles", body: byName("nowhere"))).3 == "No user exists with the username 'jdoe@example.com' and origin 'nowhere'.")
        #expect(await acme.send("PUT", "/_provsim/settings", body: ["setRolesByUsername": false]).status == 200)
        #expect(cfError(await acme.send("POST", "/v3/roles", body: byName("other-idp"))) == (403, 330002, "CF-FeatureDisabled", "Feature Disabled: set_roles_by_username"))
    }
}

@Suite("Cloud Foundry: the provisioning user's permissions")
struct CloudFoundryPermissionTests {
    @Test("the seeded provisioning user manages roles in seeded organizations, sees nothing else")
    func provisioningUser() async throws {
        let acme = try await AcmeWorld.make()
        let other = await acme.send("POST", "/v3/organizations", body: ["name": "elsewhere"]).json?["guid"]?.stringValue ?? ""
        let token = try await acme.world.provisionerToken()
        let orgs = await acme.send("GET", "/v3/organizations", token: token)
        #expect(orgs.json?["resources"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["acme"])
        #expect(await acme.role("organization_user", organization: acme.org, token: token).status == 201)
        #expect(await acme.role("space_auditor", space: acme.prod, token: token).status == 201)
        #expect(cfError(await acme.role("organization_user", organization: other, token: token)).3
                    == "Invalid organization. Ensure that the organization exists and you have access to it.")
        #expect(await acme.send("GET", "/v3/organizations/\(other)", token: token).status == 404)
        #expect(cfError(await acme.send("POST", "/v3/organizations", body: ["name": "mine"], token: token)).0 == 403)
    }

    @Test("an organization auditor may read but not assign: 403 CF-NotAuthorized")
    func auditorCannotAssign() async throws {
        let acme = try await AcmeWorld.make()
        let scimToken = try await acme.world.uaaHost.clientToken(acme.world.uaa.client)
        let auditorId = await acme.world.uaaHost.send("POST", "/Users", token: scimToken, body: [
            "userName": "aud", "password": "Pw-12345", "emails": [["value": "aud@example.com"]],
        ]).json?["id"]?.stringValue ?? ""
        #expect(await acme.role("organization_auditor", organization: acme.org, user: auditorId).status == 201)
        let token = try await acme.world.uaaHost.passwordToken("aud", "Pw-12345").access
        #expect(await acme.send("GET", "/v3/roles", token: token).json?["pagination"]?["total_results"] == 3)
        #expect(cfError(await acme.role("organization_user", organization: acme.org, token: token)).0 == 403)
    }
}

@Suite("Cloud Foundry: lists, users, organizations, spaces")
struct CloudFoundryListTests {
    @Test("pagination object with first/last/next/previous; filters; include; order_by")
    func roles() async throws {
        let acme = try await AcmeWorld.make()
        _ = await acme.role("organization_user", organization: acme.org)
        _ = await acme.role("space_developer", space: acme.dev)
        let page = try #require(await acme.send("GET", "/v3/roles?per_page=1&page=2&user_guids=\(acme.user)").json)
        let pagination = try #require(page["pagination"])
        #expect(pagination["total_results"] == 2)
        #expect(pagination["total_pages"] == 2)
        #expect(pagination["first"]?["href"] == .string("http://cf.test/v3/roles?page=1&per_page=1&user_guids=\(acme.user)"))
        #expect(pagination["last"]?["href"] == .string("http://cf.test/v3/roles?page=2&per_page=1&user_guids=\(acme.user)"))
        #expect(pagination["next"] == .null)
        #expect(pagination["previous"]?["href"] == .string("http://cf.test/v3/roles?page=1&per_page=1&user_guids=\(acme.user)"))
        #expect(page["resources"]?[0]?["type"] == "space_developer")
        let filtered = await acme.send("GET", "/v3/roles?types=space_developer,space_manager&include=user,space,organization&space_guids=\(acme.dev)")
        #expect(filtered.json?["resources"]?.arrayValue?.count == 1)
        #expect(filtered.json?["included"]?["users"]?[0]?["username"] == "jdoe@example.com")
        #expect(filtered.json?["included"]?["spaces"]?[0]?["name"] == "dev")
        #expect(filtered.json?["included"]?["organizations"] == [])
        let newest = await acme.send("GET", "/v3/roles?order_by=-created_at&organization_guids=\(acme.org)")
        #expect(newest.json?["resources"]?.arrayValue?.compactMap { $0["type"]?.stringValue } == ["organization_user", "organization_manager", "organization_user"])
        #expect(newest.json?["resources"]?[0]?["relationships"]?["user"]?["data"]?["guid"] == .string(acme.user))
        let developerGuid = page["resources"]?[0]?["guid"]?.stringValue ?? ""
        #expect(await acme.send("GET", "/v3/roles?guids=\(developerGuid),nope").json?["resources"]?.arrayValue?.count == 1)
        let empty = try #require(await acme.send("GET", "/v3/roles?types=space_supporter").json)
        #expect(empty["pagination"]?["total_pages"] == 1)
        #expect(empty["resources"] == [])
    }

    @Test("bad query parameters are refused with the Cloud Controller's messages: 422 CF-UnprocessableEntity on users and roles, 400 CF-BadQueryParameter on organizations and spaces", arguments: [
        ("/v3/roles?per_page=0", "Per page must be a positive integer"),
        ("/v3/roles?per_page=abc", "Per page must be a positive integer"),
        ("/v3/roles?per_page=5001", "Per page must be between 1 and 5000"),
        ("/v3/roles?page=0", "Page must be a positive integer"),
        ("/v3/roles?page=0&per_page=0", "Page must be a positive integer, Per page must be a positive integer"),
        ("/v3/roles?color=red", "Unknown query parameter(s): 'color'"),
        ("/v3/roles?include=apps", "Invalid included resource: 'apps'"),
        ("/v3/roles?order_by=type", "Order by can only be: 'created_at', 'updated_at'"),
        ("/v3/users?origins=x", "Origins filter cannot be provided without usernames or partial_usernames filter"),
        ("/v3/users?page=-1", "Page must be a positive integer"),
        ("/v3/organizations?per_page=5001", "The query parameter is invalid: Per page must be between 1 and 5000"),
        ("/v3/organizations?page=0&per_page=0", "The query parameter is invalid: Page must be a positive integer, Per page must be a positive integer"),
        ("/v3/spaces?page=x", "The query parameter is invalid: Page must be a positive integer"),
    ])
    func badQueries(target: String, detail: String) async throws {
        let acme = try await AcmeWorld.make()
        let reply = cfError(await acme.send("GET", target))
        let listsAsBody = target.hasPrefix("/v3/roles") || target.hasPrefix("/v3/users")
        #expect(reply.0 == (listsAsBody ? 422 : 400))
        #expect(reply.1 == (listsAsBody ? 10008 : 10005))
        #expect(reply.2 == (listsAsBody ? "CF-UnprocessableEntity" : "CF-BadQueryParameter"))
        #expect(reply.3 == detail || reply.3?.hasPrefix(detail + ".") == true, "\(reply.3 ?? "")")
    }

    @Test("paging is total: a page far beyond the end (even near Int.max) is empty, '10abc' reads as 10 as Ruby's to_i does", arguments: [
        "/v3/organizations?page=4611686018427387904", "/v3/organizations?page=4611686018427387904&per_page=2",
        "/v3/organizations?page=9223372036854775807&per_page=5000", "/v3/roles?page=99999999999999999999999", "/v3/spaces?page=9223372036854775807",
    ])
    func pagesBeyondTheEnd(target: String) async throws {
        let acme = try await AcmeWorld.make()
        let reply = await acme.send("GET", target)
        #expect(reply.status == 200)
        #expect(reply.json?["resources"] == [])
        #expect(await acme.send("GET", "/v3/organizations?per_page=10abc").json?["pagination"]?["first"]?["href"]?.stringValue?.contains("per_page=10") == true)
    }

    @Test("organizations and spaces: names (organizations case-insensitive), include=organization, 404s")
    func organizationsAndSpaces() async throws {
        let acme = try await AcmeWorld.make()
        #expect(await acme.send("GET", "/v3/organizations?names=ACME").json?["resources"]?[0]?["guid"] == .string(acme.org))
        let spaces = await acme.send("GET", "/v3/spaces?organization_guids=\(acme.org)&names=prod&include=organization")
        #expect(spaces.json?["resources"]?.arrayValue?.map { $0["name"] } == ["prod"])
        #expect(spaces.json?["included"]?["organizations"]?[0]?["name"] == "acme")
        #expect(cfError(await acme.send("GET", "/v3/organizations/nope")) == (404, 10010, "CF-ResourceNotFound", "Organization not found"))
        #expect(cfError(await acme.send("GET", "/v3/spaces/nope")).3 == "Space not found")
        let made = await acme.send("POST", "/v3/spaces", body: ["name": "qa", "relationships": ["organization": ["data": ["guid": .string(acme.org)]]]])
        #expect(made.status == 201)
        #expect(cfError(await acme.send("POST", "/v3/spaces", body: ["name": "qa", "relationships": ["organization": ["data": ["guid": .string(acme.org)]]]])).0 == 422)
    }

    @Test("users: created by GUID (admin) or username/origin (org manager, UAA shadow user); filters; org users; delete is a job")
    func users() async throws {
        let acme = try await AcmeWorld.make()
        let created = await acme.send("POST", "/v3/users", body: ["guid": .string(acme.user)])
        #expect(created.status == 201)
        #expect(created.json?["username"] == "jdoe@example.com")
        #expect(created.json?["origin"] == "idp-platform")
        #expect(cfError(await acme.send("POST", "/v3/users", body: ["guid": .string(acme.user)])).0 == 422)
        let token = try await acme.world.provisionerToken()
        #expect(cfError(await acme.send("POST", "/v3/users", body: ["guid": "x"], token: token)).0 == 403)
        let shadow = await acme.send("POST", "/v3/users", body: ["username": "new@example.com", "origin": "idp-platform"], token: token)
        #expect(shadow.status == 201)
        let shadowId = try #require(shadow.json?["guid"]?.stringValue)
        #expect(acme.world.uaa.identity(of: shadowId)?.origin == "idp-platform")
        let found = await acme.send("GET", "/v3/users?usernames=new@example.com&origins=idp-platform")
        #expect(found.json?["resources"]?[0]?["guid"] == .string(shadowId))
        _ = await acme.role("organization_user", organization: acme.org)
        let members = await acme.send("GET", "/v3/organizations/\(acme.org)/users")
        #expect(members.json?["resources"]?.arrayValue?.compactMap { $0["username"]?.stringValue }.sorted() == ["cf-provisioner@provsim.example", "jdoe@example.com"])
        let deleted = await acme.send("DELETE", "/v3/users/\(acme.user)")
        #expect(deleted.status == 202)
        #expect(await acme.send("GET", "/v3/roles?user_guids=\(acme.user)").json?["resources"] == [])
    }

    @Test("state and seeding: seeded roles obey the organization_user rule; the state lists everything")
    func seedingRules() async throws {
        let acme = try await AcmeWorld.make()
        let refused = await acme.world.cfHost.send("POST", "/_provsim/seed", body: ["roles": [["type": "space_developer", "user": .string(acme.user), "organization": "acme", "space": "dev"]]])
        #expect(refused.status == 400)
        #expect(refused.json?["error"]?.stringValue?.contains("do not have a role in that space's organization") == true)
        let ok = await acme.world.cfHost.send("POST", "/_provsim/seed", body: ["roles": [
            ["type": "organization_user", "user": ["username": "jdoe@example.com"], "organization": "acme"],
            ["type": "space_developer", "user": .string(acme.user), "organization": "acme", "space": "dev"],
        ]])
        #expect(ok.status == 200)
        let state = try #require(await acme.world.cfHost.send("GET", "/_provsim/state").json)
        #expect(state["roles"]?.arrayValue?.count == 4)
        #expect(state["organizations"]?[0]?["name"] == "acme")
        #expect(state["users"]?.arrayValue?.count == 2)
    }

    @Test("deterministic: the same operations give byte-identical UAA and CF state")
    func deterministic() async throws {
        func run() async throws -> String {
            let acme = try await AcmeWorld.make()
            _ = await acme.role("organization_user", organization: acme.org)
            _ = await acme.role("space_developer", space: acme.dev)
            let cf = await acme.world.cfHost.send("GET", "/_provsim/state").text
            let uaa = await acme.world.uaaHost.send("GET", "/_provsim/state").text
            return cf + uaa
        }
        let first = try await run()
        #expect(first.contains("space_developer"))
        #expect(try await run() == first)
    }
}

@Suite("Cloud Foundry and UAA over HTTP")
struct CloudFoundryHTTPTests {
    @Test("the fleet's cf and uaa: discover the UAA, sign in as the provisioning user, assign and remove roles")
    func overLoopback() async throws {
        var configuration = FakeFleetConfiguration()
        configuration.services = ["uaa", "cf"]
        let fleet = try await FakeFleet.start(configuration)
        do {
            let cf = try #require(fleet.descriptor["services"]?.arrayValue?.first { $0["name"] == "cf" })
            let base = cf["url"]?.stringValue ?? ""
            _ = try await HTTP.json(.POST, base + "/_provsim/seed", body: ["organizations": [["name": "acme", "spaces": [["name": "dev"]]]]])
            let root = try await HTTP.json(.GET, base + "/")
            let login = try #require(root.json["links"]?["login"]?["href"]?.stringValue)
            #expect(login + "/oauth/token" == cf["tokenURL"]?.stringValue)
            let form = "grant_type=password&username=\(HTTP.encoded(cf["username"]?.stringValue ?? ""))&password=\(HTTP.encoded(cf["password"]?.stringValue ?? ""))"
            let signIn = try await HTTP.send(.POST, login + "/oauth/token", headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Authorization", "Basic Y2Y6")], body: Array(form.utf8))
            let token = try #require(signIn.json["access_token"]?.stringValue)
            let org = try #require(try await HTTP.json(.GET, base + "/v3/organizations", token: token).json["resources"]?[0]?["guid"]?.stringValue)
            let me = try #require((fleet.host(named: "uaa")?.service as? UAA)?.provisioningUserId)
            let duplicate = try await HTTP.json(.POST, base + "/v3/roles", token: token, body: roleBody("organization_manager", user: me, organization: org))
            #expect(duplicate.status == 422)
            #expect(duplicate.json["errors"]?[0]?["detail"] == "User 'cf-provisioner@provsim.example' already has 'organization_manager' role in organization 'acme'.")
            let auditor = try await HTTP.json(.POST, base + "/v3/roles", token: token, body: roleBody("organization_auditor", user: me, organization: org))
            #expect(auditor.status == 201)
            let deleted = try await HTTP.json(.DELETE, base + "/v3/roles/\(auditor.json["guid"]?.stringValue ?? "")", token: token)
            #expect(deleted.status == 202)
            #expect(deleted.header("location")?.hasPrefix(base + "/v3/jobs/") == true)
            let journal = try await HTTP.json(.GET, base + "/_provsim/journal").json.arrayValue ?? []
            #expect(journal.compactMap { $0["path"]?.stringValue } == ["/", "/v3/organizations", "/v3/roles", "/v3/roles", "/v3/roles/\(auditor.json["guid"]?.stringValue ?? "")"])
            #expect(journal.compactMap { $0["status"]?.intValue } == [200, 200, 422, 201, 202])
        } catch {
            await fleet.stop()
            throw error
        }
        await fleet.stop()
    }
}
