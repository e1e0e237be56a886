import Chrono
import Engine
import Fakes
import Hosting
import JSON
import Synchronization

/// Many clients writing to one fake at once: creates, membership changes, deletes and
/// conflicting creates, each client on its own users, for a bounded time. Every answer is
/// recorded in a ledger, so afterwards `ConsistencyCheck` can tell whether the fake lost,
/// duplicated or left dangling anything.
public struct WriteLoad: Sendable {
    public let service: String
    /// The service's entry of the fleet's descriptor (URL, credentials).
    public let entry: JSONValue
    public let connections: Int
    let transport: any HTTPTransport

    public init(service: String, entry: JSONValue, connections: Int, transport: any HTTPTransport) {
        self.service = service
        self.entry = entry
        self.connections = connections
        self.transport = transport
    }

    /// What the clients did and what the fake answered.
    public struct Ledger: Sendable {
        public var requests = 0
        public var seconds = 0.0
        public var statuses: [Int: Int] = [:]
        /// Users created and not deleted: ID → user name.
        public var live: [String: String] = [:]
        /// Users deleted (their IDs must be gone).
        public var deleted: Set<String> = []
        /// (group, user) memberships added for users still live.
        public var memberships: [(group: String, user: String)] = []
        /// Answers no client should ever get (a 5xx, a create refused as a duplicate for a new name, no answer).
        public var unexpected: [String] = []

        public init() {}

        mutating func merge(_ other: Ledger) {
            requests += other.requests
            for (status, count) in other.statuses { statuses[status, default: 0] += count }
            live.merge(other.live) { a, _ in a }
            deleted.formUnion(other.deleted)
            memberships += other.memberships
            unexpected += other.unexpected
        }
    }

    /// Data the clients write around: groups (or organizations) that exist before the load.
    public struct Fixture: Sendable {
        public let groups: [String]
        /// Cloud Foundry: the origin new users get (not `uaa`, which only UAA may create).
        public let origin = "provsim-load"
    }

    /// Seeds the groups (or an organization) the clients add members to.
    public func prepare() async throws(WriteLoadError) -> Fixture {
        let seed: JSONValue
        switch service {
        case "cf": seed = ["organizations": [["name": "load-org"]]]
        default: seed = ["groups": .array((0..<5).map { ["displayName": .string("load-group-\($0)")] })]
        }
        let answer: HTTPResponse
        do throws(TransportError) {
            answer = try await send("POST", url("/_provsim/seed"), body: seed)
        } catch {
            throw WriteLoadError("seeding \(service) failed: \(error.message)")
        }
        guard answer.status == 200, let json = try? JSONParser.parse(answer.body) else {
            throw WriteLoadError("seeding \(service) failed: HTTP \(answer.status)")
        }
        let ids = (json["groups"] ?? json["organizations"])?.arrayValue?.compactMap(\.stringValue) ?? []
        guard !ids.isEmpty else { throw WriteLoadError("seeding \(service) created no groups: \(String(decoding: answer.body.prefix(200), as: UTF8.self))") }
        return Fixture(groups: ids)
    }

    /// Runs `connections` clients, each for at least `minimumSteps` requests and then until
    /// `seconds` of wall time have passed. (A test gives steps, not time: the amount of work, and
    /// so the verdict, must not depend on how busy the machine is.)
    public func run(seconds: Double, minimumSteps: Int = 0, fixture: Fixture) async throws(WriteLoadError) -> Ledger {
        let token = try await self.token()
        let started = ContinuousClock.now
        let deadline = started + .milliseconds(Int64(min(max(seconds, 0), 86_400) * 1000))
        var ledger = await withTaskGroup(of: Ledger.self) { group in
            for client in 0..<connections {
                group.addTask { await self.client(client, token: token, fixture: fixture, minimumSteps: minimumSteps, until: deadline) }
            }
            var merged = Ledger()
            for await part in group { merged.merge(part) }
            return merged
        }
        ledger.seconds = (ContinuousClock.now - started).inSeconds
        return ledger
    }

    /// One client: its own users, so its expectations do not depend on the others.
    private func client(_ number: Int, token: String, fixture: Fixture, minimumSteps: Int, until deadline: ContinuousClock.Instant) async -> Ledger {
        var ledger = Ledger()
        var mine: [(id: String, name: String)] = []
        var step = 0
        while step < minimumSteps || ContinuousClock.now < deadline {
            step += 1
            let roll = (number &* 31 &+ step &* 17) % 20
            do {
                if roll < 9 || mine.isEmpty {
                    let name = "load-c\(number)-u\(step)"
                    let answer = try await send("POST", url(usersPath), body: newUser(name, fixture), token: token)
                    ledger.count(answer.status)
                    if let id = createdID(answer) {
                        mine.append((id, name))
                        ledger.live[id] = name
                    } else {
                        ledger.unexpected.append("create of new user \(name): HTTP \(answer.status) \(String(decoding: answer.body.prefix(200), as: UTF8.self))")
                    }
                } else if roll < 14 {
                    let user = mine[step % mine.count]
                    let group = fixture.groups[step % fixture.groups.count]
                    let answer = try await addMember(user.id, to: group, token: token)
                    ledger.count(answer.status)
                    let again = ledger.memberships.contains { $0.group == group && $0.user == user.id }
                    if (200..<300).contains(answer.status) {
                        if !again { ledger.memberships.append((group, user.id)) }
                    } else if !(again && conflictStatuses.contains(answer.status)) {  // adding a member twice: UAA 409, CF 422
                        ledger.unexpected.append("adding \(user.name) to \(group): HTTP \(answer.status) \(String(decoding: answer.body.prefix(200), as: UTF8.self))")
                    }
                } else if roll < 17 {
                    let user = mine.remove(at: step % mine.count)
                    let answer = try await delete(user.id, token: token)
                    ledger.count(answer.status)
                    if (200..<300).contains(answer.status) {
                        ledger.live[user.id] = nil
                        ledger.deleted.insert(user.id)
                        ledger.memberships.removeAll { $0.user == user.id }
                    } else {
                        ledger.unexpected.append("delete of \(user.name): HTTP \(answer.status) \(String(decoding: answer.body.prefix(200), as: UTF8.self))")
                    }
                } else {
                    let user = mine[step % mine.count]
                    let answer = try await send("POST", url(usersPath), body: newUser(service == "afc" ? user.name : user.name.uppercased(), fixture), token: token)
                    ledger.count(answer.status)
                    if !conflictStatuses.contains(answer.status) {
                        ledger.unexpected.append("second create of \(user.name): HTTP \(answer.status), expected a conflict \(conflictStatuses)")
                        if let id = createdID(answer) { ledger.live[id] = user.name }
                    }
                }
            } catch {
                ledger.requests += 1
                ledger.unexpected.append("no answer: \(error.message)")
            }
        }
        return ledger
    }

    // MARK: The service's dialect

    private var usersPath: String {
        switch service {
        case "identity-directory": return "/scim/Users"
        case "afc": return "/scim2/Users"
        case "cf": return "/v3/users"
        default: return "/Users"
        }
    }

    /// Statuses a create of an existing user name gets: 409 (SCIM, UAA); Cloud Foundry's 422.
    private var conflictStatuses: Set<Int> { service == "cf" ? [422] : [409] }

    private func newUser(_ name: String, _ fixture: Fixture) -> JSONValue {
        switch service {
        case "cf":
            return ["username": .string(name), "origin": .string(fixture.origin)]
        case "uaa", "xsuaa":
            return ["schemas": ["urn:scim:schemas:core:1.0"], "userName": .string(name), "origin": "sap.default", "emails": [["value": .string("\(name)@example.com")]]]
        default:
            return ["schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": .string(name), "emails": [["value": .string("\(name)@example.com"), "primary": true]]]
        }
    }

    private func createdID(_ answer: HTTPResponse) -> String? {
        guard answer.status == 201, let json = try? JSONParser.parse(answer.body) else { return nil }
        return (json["id"] ?? json["guid"])?.stringValue
    }

    private func addMember(_ user: String, to group: String, token: String) async throws(TransportError) -> HTTPResponse {
        switch service {
        case "cf":
            return try await send("POST", url("/v3/roles"), body: ["type": "organization_user", "relationships": [
                "user": ["data": ["guid": .string(user)]], "organization": ["data": ["guid": .string(group)]],
            ]], token: token)
        case "uaa", "xsuaa":
            return try await send("POST", url("/Groups/\(group)/members"), body: ["value": .string(user), "type": "USER", "origin": "sap.default"], token: token)
        default:
            let base = service == "afc" ? "/scim2" : "/scim"
            return try await send("PATCH", url("\(base)/Groups/\(group)"), body: [
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [["op": "add", "path": "members", "value": [["value": .string(user)]]]],
            ], token: token)
        }
    }

    private func delete(_ user: String, token: String) async throws(TransportError) -> HTTPResponse {
        try await send("DELETE", url(usersPath + "/" + user), body: nil, token: token, headers: service == "uaa" || service == "xsuaa" ? [("If-Match", "*")] : [])
    }

    // MARK: HTTP

    private func url(_ path: String) -> String {
        (entry["url"]?.stringValue ?? "") + path
    }

    private func token() async throws(WriteLoadError) -> String {
        let id = entry["clientId"]?.stringValue ?? "", secret = entry["clientSecret"]?.stringValue ?? ""
        let form = "grant_type=client_credentials&client_id=\(RequestGrammar.percentEncoded(id))&client_secret=\(RequestGrammar.percentEncoded(secret))"
        let answer: HTTPResponse
        do throws(TransportError) {
            answer = try await transport.send(HTTPRequest(method: "POST", url: entry["tokenURL"]?.stringValue ?? "",
                                                          headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8)), timeout: .seconds(60))
        } catch {
            throw WriteLoadError("no token for \(service): \(error.message)")
        }
        guard let token = (try? JSONParser.parse(answer.body))?["access_token"]?.stringValue else { throw WriteLoadError("no token for \(service): HTTP \(answer.status)") }
        return token
    }

    private func send(_ method: String, _ url: String, body: JSONValue?, token: String? = nil, headers: [(String, String)] = []) async throws(TransportError) -> HTTPResponse {
        var all: [(name: String, value: String)] = headers.map { ($0.0, $0.1) }
        if let token { all.append(("Authorization", "Bearer \(token)")) }
        if body != nil { all.append(("Content-Type", "application/json")) }
        // A generous timeout: a slow answer on a busy machine is not a loss.
        return try await transport.send(HTTPRequest(method: method, url: url, headers: all, body: body.map { JSONWriter().bytes($0) }), timeout: .seconds(120))
    }
}

extension WriteLoad.Ledger {
    fileprivate mutating func count(_ status: Int) {
        requests += 1
        statuses[status, default: 0] += 1
        if status >= 500 { unexpected.append("HTTP \(status)") }
    }
}

public struct WriteLoadError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension TransportError {
    var message: String {
        switch self {
        case .timeout: return "timed out"
        case .connection(let text): return text
        }
    }
}
