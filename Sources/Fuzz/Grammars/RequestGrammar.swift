import Determinism
import JSON

/// Requests to the fakes: every route each fake serves (and its control API), with IDs that
/// exist, paging and filter parameters, bodies of the right kind, and deviations in all of them.
public enum RequestGrammar {
    /// What a route takes as a body.
    enum Body {
        case none, scimResource, patch, search, uaaResource, uaaMember, cfOrganization, cfSpace, cfUser, cfRole
        case form, realTime
        case control(String)
    }

    struct Route {
        let methods: [String]
        let template: String
        let body: Body
    }

    static let scimRoutes: [Route] = [
        Route(methods: ["GET", "POST"], template: "{base}/Users", body: .scimResource),
        Route(methods: ["GET", "POST"], template: "{base}/Groups", body: .scimResource),
        Route(methods: ["GET", "PUT", "PATCH", "DELETE"], template: "{base}/Users/{id}", body: .patch),
        Route(methods: ["GET", "PUT", "PATCH", "DELETE"], template: "{base}/Groups/{id}", body: .patch),
        Route(methods: ["POST"], template: "{base}/Users/.search", body: .search),
        Route(methods: ["POST"], template: "{base}/.search", body: .search),
        Route(methods: ["GET"], template: "{base}/ServiceProviderConfig", body: .none),
        Route(methods: ["GET"], template: "{base}/ResourceTypes/{word}", body: .none),
        Route(methods: ["GET"], template: "{base}/Schemas/{word}", body: .none),
        Route(methods: ["POST"], template: "{base}/Bulk", body: .scimResource),
        Route(methods: ["POST"], template: "/oauth/token", body: .form),
    ]

    static let uaaRoutes: [Route] = [
        Route(methods: ["GET", "POST"], template: "/Users", body: .uaaResource),
        Route(methods: ["GET", "PUT", "PATCH", "DELETE"], template: "/Users/{id}", body: .uaaResource),
        Route(methods: ["GET", "POST"], template: "/Groups", body: .uaaResource),
        Route(methods: ["GET", "PUT", "PATCH", "DELETE"], template: "/Groups/{id}", body: .uaaResource),
        Route(methods: ["GET", "POST"], template: "/Groups/{id}/members", body: .uaaMember),
        Route(methods: ["GET", "DELETE"], template: "/Groups/{id}/members/{id}", body: .none),
        Route(methods: ["POST"], template: "/oauth/token", body: .form),
        Route(methods: ["GET"], template: "/info", body: .none),
    ]

    static let cfRoutes: [Route] = [
        Route(methods: ["GET"], template: "/", body: .none),
        Route(methods: ["GET"], template: "/v3/info", body: .none),
        Route(methods: ["GET", "POST"], template: "/v3/organizations", body: .cfOrganization),
        Route(methods: ["GET"], template: "/v3/organizations/{id}", body: .none),
        Route(methods: ["GET"], template: "/v3/organizations/{id}/users", body: .none),
        Route(methods: ["GET", "POST"], template: "/v3/spaces", body: .cfSpace),
        Route(methods: ["GET"], template: "/v3/spaces/{id}", body: .none),
        Route(methods: ["GET"], template: "/v3/spaces/{id}/users", body: .none),
        Route(methods: ["GET", "POST"], template: "/v3/users", body: .cfUser),
        Route(methods: ["GET", "DELETE"], template: "/v3/users/{id}", body: .none),
        Route(methods: ["GET", "POST"], template: "/v3/roles", body: .cfRole),
        Route(methods: ["GET", "DELETE"], template: "/v3/roles/{id}", body: .none),
        Route(methods: ["GET"], template: "/v3/jobs/{id}", body: .none),
    ]

    static let proxyRoutes: [Route] = {
        var routes: [Route] = []
        for prefix in ["/ipsproxy/service/api/v1", "/ipsproxy/api/v1"] {
            for system in ["{system}", "{word}"] {
                routes += [
                    Route(methods: ["GET", "POST"], template: "\(prefix)/scim/\(system)/Users", body: .scimResource),
                    Route(methods: ["GET", "POST"], template: "\(prefix)/scim/\(system)/Groups", body: .scimResource),
                    Route(methods: ["GET", "PUT", "PATCH", "DELETE"], template: "\(prefix)/scim/\(system)/Users/{id}", body: .patch),
                    Route(methods: ["GET", "PUT", "PATCH", "DELETE"], template: "\(prefix)/scim/\(system)/Groups/{id}", body: .patch),
                    Route(methods: ["GET"], template: "\(prefix)/scim/\(system)/ServiceProviderConfig", body: .none),
                    Route(methods: ["POST", "DELETE"], template: "\(prefix)/systems/{realtime}/entities/{entity}", body: .realTime),
                    Route(methods: ["DELETE"], template: "\(prefix)/systems/{realtime}/entities/{entity}/{id}", body: .none),
                ]
            }
        }
        return routes + [Route(methods: ["POST"], template: "/oauth2/token", body: .form)]
    }()

    static let controlRoutes: [Route] = [
        Route(methods: ["GET"], template: "/_provsim", body: .none),
        Route(methods: ["GET"], template: "/_provsim/state", body: .none),
        Route(methods: ["GET", "DELETE"], template: "/_provsim/journal", body: .none),
        Route(methods: ["POST"], template: "/_provsim/seed", body: .control("seed")),
        Route(methods: ["GET", "POST", "DELETE"], template: "/_provsim/faults", body: .control("faults")),
        Route(methods: ["DELETE"], template: "/_provsim/faults/{word}", body: .none),
        Route(methods: ["GET", "PUT"], template: "/_provsim/limits", body: .control("limits")),
        Route(methods: ["POST"], template: "/_provsim/clock/advance", body: .control("clock")),
        Route(methods: ["POST"], template: "/_provsim/users/{id}/sign-in", body: .none),
        Route(methods: ["POST", "DELETE"], template: "/_provsim/groups/{id}/draft", body: .none),
        Route(methods: ["GET", "PUT"], template: "/_provsim/settings", body: .control("settings")),
    ]

    static func routes(for service: String) -> [Route] {
        switch service {
        case "identity-directory", "afc": return scimRoutes
        case "uaa", "xsuaa": return uaaRoutes
        case "cf": return cfRoutes
        case "proxy": return proxyRoutes
        default: return []
        }
    }

    static func base(for service: String) -> String {
        switch service {
        case "identity-directory": return "/scim"
        case "afc": return "/scim2"
        default: return ""
        }
    }

    /// A request to `service`, whose valid `Authorization` is `authorization` and whose data has
    /// `ids`. One in eight requests goes to the control API, which `allowControl` can rule out.
    public static func request(service: String, authorization: String?, ids: [String], random: inout SeededRandom, allowControl: Bool = true) -> FuzzRequest {
        let control = allowControl && random.chance(0.125)
        let route = random.pick(control ? controlRoutes : routes(for: service))
        var method = random.chance(0.95) ? random.pick(route.methods) : random.pick(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "get", "BREW"])
        if method == "HEAD" { method = "GET" }  // a HEAD answer has no body to check
        var target = route.template.replacing("{base}", with: base(for: service))
        while let range = target.firstRange(of: "{id}") { target.replaceSubrange(range, with: pathSegment(ids: ids, &random)) }
        target = target.replacing("{word}", with: pathSegment(ids: [], &random))
            .replacing("{system}", with: random.pick(["xsuaa", "cf", "nope"]))
            .replacing("{realtime}", with: random.pick(["ias", "xsuaa", "nope"]))
            .replacing("{entity}", with: random.pick(["user", "group", "users", "x"]))
        if random.chance(0.5) { target += "?" + query(&random) }
        if random.chance(0.03) { target = Mutations.mutate(target, &random) }
        var headers: [(name: String, value: String)] = []
        switch random.int(0...19) {
        case 0: break
        case 1: headers.append(("Authorization", "Bearer " + random.text()))
        case 2: headers.append(("Authorization", random.pick(["Basic " + random.word(), "Bearer", "Negotiate x", "bearer " + (authorization ?? "")])))
        case 3: if let authorization { headers.append(("Authorization", Mutations.mutate(authorization, &random))) }
        default: if let authorization { headers.append(("Authorization", authorization)) }
        }
        let body = self.body(route.body, service: service, ids: ids, &random)
        if !body.isEmpty || random.chance(0.1) {
            headers.append(("Content-Type", random.chance(0.9) ? random.pick(["application/json", "application/scim+json", "application/x-www-form-urlencoded"]) : random.text()))
        }
        if random.chance(0.15) { headers.append((random.pick(["If-Match", "If-None-Match"]), random.pick(["*", "W/\"1\"", "\"0\"", random.text()]))) }
        if random.chance(0.05) { headers.append(("Origin", random.pick(["http://evil.example", "null", "http://127.0.0.1:1"]))) }
        if random.chance(0.05) { headers.append((random.word(), random.text())) }
        return FuzzRequest(service: service, method: method, target: target, headers: headers, body: body)
    }

    static func pathSegment(ids: [String], _ random: inout SeededRandom) -> String {
        if !ids.isEmpty, random.chance(0.7) { return random.pick(ids) }
        return random.pick([random.word(), "%2F", "..", "%00", "a%2Fb", "ALICE", "alice", random.text().isEmpty ? "x" : percentEncoded(random.text())])
    }

    static func query(_ random: inout SeededRandom) -> String {
        let names = [
            "filter", "startIndex", "count", "attributes", "excludedAttributes", "sortBy", "sortOrder", "page", "per_page",
            "order_by", "names", "guids", "organization_guids", "space_guids", "user_guids", "types", "usernames",
            "partial_usernames", "origins", "include", "label_selector", "startId", "after", "async", "x",
        ]
        return (0..<random.int(1...4)).map { _ -> String in
            let name = random.pick(names)
            let value: String
            switch name {
            case "filter": value = SCIMFilterGrammar.filter(&random)
            case "startIndex", "count", "page", "per_page", "after": value = random.numberText()
            case "sortOrder": value = random.pick(["ascending", "descending", "x"])
            default: value = random.chance(0.5) ? random.word() : random.text()
            }
            return "\(name)=\(percentEncoded(String(value.prefix(20_000))))"
        }.joined(separator: "&")
    }

    static func body(_ kind: Body, service: String, ids: [String], _ random: inout SeededRandom) -> [UInt8] {
        if random.chance(0.05) { return Array(JSONGrammar.text(&random).utf8) }
        let id: JSONValue = .string(ids.isEmpty || random.chance(0.2) ? random.word() : random.pick(ids))
        var value: JSONValue
        switch kind {
        case .none:
            return random.chance(0.1) ? Array(random.text().utf8) : []
        case .form:
            return Array(random.pick(["grant_type=client_credentials", "grant_type=password&username=admin&password=x", "grant_type=" + random.word(),
                                      "grant_type=refresh_token&refresh_token=" + random.word(), random.text()]).utf8)
        case .scimResource:
            value = ["schemas": [.string(random.pick(["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:core:2.0:Group", "x"]))],
                     "userName": .string(random.word()), "displayName": .string(random.word()),
                     "emails": [["value": .string(random.word() + "@example.com"), "primary": true]], "members": [["value": id]]]
        case .patch:
            value = ["schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": .array((0..<random.int(0...3)).map { _ in
                let path = random.pick(["members", "emails[type eq \"work\"].value", "members[value eq \"\(id.stringValue ?? "")\"]", "userName",
                                        "name.givenName", "active", "urn:x:y", SCIMFilterGrammar.filter(&random)])
                return .object(JSONObject([("op", .string(random.pick(["add", "remove", "replace", "Add", "move"]))), ("path", .string(path)),
                                           ("value", random.chance(0.5) ? [["value": id]] : JSONGrammar.value(&random, depth: 2))]))
            })]
        case .search:
            value = ["schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": .string(SCIMFilterGrammar.filter(&random)),
                     "startIndex": JSONGrammar.value(&random, depth: 0), "count": JSONGrammar.value(&random, depth: 0)]
        case .uaaResource:
            value = ["schemas": ["urn:scim:schemas:core:1.0"], "userName": .string(random.word()), "displayName": .string(random.word()),
                     "origin": .string(random.pick(["uaa", "sap.default", random.word()])), "emails": [["value": .string(random.word() + "@example.com")]],
                     "members": [["value": id, "type": "USER"]], "Operations": [["op": "add", "path": "members", "value": [["value": id]]]]]
        case .uaaMember:
            value = ["value": id, "type": .string(random.pick(["USER", "GROUP", "x"])), "origin": "uaa"]
        case .cfOrganization:
            value = ["name": .string(random.word())]
        case .cfSpace:
            value = ["name": .string(random.word()), "relationships": ["organization": ["data": ["guid": id]]]]
        case .cfUser:
            value = ["guid": .string(random.word()), "username": .string(random.word()), "origin": .string(random.pick(["uaa", "sap.ids", random.word()]))]
        case .cfRole:
            value = ["type": .string(random.pick(["organization_user", "organization_manager", "space_developer", "space_manager", "x"])),
                     "relationships": ["user": ["data": random.chance(0.5) ? ["guid": id] : ["username": .string(random.word()), "origin": "uaa"]],
                                       random.pick(["organization", "space"]): ["data": ["guid": id]]]]
        case .realTime:
            value = ["id": id, "userName": .string(random.word()), "emails": [["value": "a@example.com"]]]
        case .control(let what):
            value = controlBody(what, ids: ids, &random)
        }
        for _ in 0..<random.int(0...2) { value[random.pick(JSONGrammar.commonKeys)] = JSONGrammar.value(&random, depth: 3) }
        let text = value.serialized()
        return Array((random.chance(0.15) ? Mutations.mutate(text, &random) : text).utf8)
    }

    static func controlBody(_ what: String, ids: [String], _ random: inout SeededRandom) -> JSONValue {
        func number() -> JSONValue { JSONNumber(text: random.numberText()).map(JSONValue.number) ?? 1 }
        switch what {
        case "limits":
            var limits = JSONObject()
            for key in ["windowRequests", "windowSeconds", "slowAfter", "slowDelaySeconds", "maxConcurrent", "perSecond", "queueDepth"] where random.chance(0.3) {
                limits[key] = number()
            }
            return .object(limits)
        case "faults":
            // Faults that could stall the run (long latencies) are what the ranges are for; the
            // target removes every fault after the case.
            var fault = JSONObject([("path", .string(random.pick(["*", "/scim/Users", "/Users", "/v3/*"])))])
            switch random.int(0...4) {
            case 0: fault["status"] = number(); fault["retryAfter"] = number()
            case 1: fault["latencyMs"] = number(); fault["jitterMs"] = number()
            case 2: fault["reset"] = true
            default: fault[random.pick(["every", "times", "probability", "empty", "malformed"])] = number()
            }
            return random.chance(0.3) ? [.object(fault), .object(fault)] : .object(fault)
        case "clock":
            return ["seconds": number()]
        case "settings":
            return [.init(stringLiteral: random.word()): JSONGrammar.value(&random, depth: 1)]
        default:
            return ["users": .array((0..<random.int(0...3)).map { _ in JSONGrammar.value(&random, depth: 3) }),
                    "groups": [["displayName": .string(random.word()), "members": [["value": .string(ids.first ?? "x")], ["userName": "alice"]]]],
                    "organizations": [["name": .string(random.word()), "spaces": [JSONGrammar.value(&random, depth: 2)]]]]
        }
    }

    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E: out.append(Character(Unicode.Scalar(byte)))
            default: out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
