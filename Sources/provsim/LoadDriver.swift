import AsyncHTTPClient
import Chrono
import Foundation
import JSON
import NIOCore
import NIOHTTP1

/// What one load run measured.
struct LoadResult: Sendable {
    var requests = 0
    var seconds = 0.0
    var latencies: [Double] = []  // milliseconds, sorted after merging
    var statuses: [Int: Int] = [:]

    func percentile(_ p: Double) -> Double {
        guard !latencies.isEmpty else { return 0 }
        return latencies[min(latencies.count - 1, Int((Double(latencies.count - 1) * p).rounded()))]
    }

    mutating func merge(_ other: LoadResult) {
        requests += other.requests
        latencies += other.latencies
        for (status, count) in other.statuses { statuses[status, default: 0] += count }
    }
}

/// Drives SCIM requests from several concurrent loops.
struct LoadDriver: Sendable {
    let client: HTTPClient
    let scim: String
    let connections: Int
    let mix: BenchCommand.Fake.Mix
    /// The bearer token, once obtained.
    var token = ""

    init(client: HTTPClient, scim: String, connections: Int, mix: BenchCommand.Fake.Mix) {
        self.client = client
        self.scim = scim
        self.connections = connections
        self.mix = mix
    }

    func send(_ method: HTTPMethod, _ url: String, body: JSONValue? = nil, contentType: String = "application/scim+json", raw: String? = nil) async throws -> (Int, [UInt8]) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if !token.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: JSONWriter().bytes(body)))
        } else if let raw {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(string: raw))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 256 << 20)
        return (Int(response.status.code), Array(bytes.readableBytesView))
    }

    func token(for service: JSONValue) async throws -> String {
        let id = service["clientId"]?.stringValue ?? ""
        let form = "grant_type=client_credentials&client_id=\(id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)&client_secret=\((service["clientSecret"]?.stringValue ?? "").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        let (status, body) = try await send(.POST, service["tokenURL"]?.stringValue ?? "", contentType: "application/x-www-form-urlencoded", raw: form)
        guard status == 200, let value = (try? JSONParser.parse(body))?["access_token"]?.stringValue else {
            throw CommandFailure(code: 1, message: "no token from \(service["tokenURL"]?.stringValue ?? "?"): HTTP \(status)")
        }
        return value
    }

    /// A seeded user.
    struct Seeded: Sendable {
        let id: String
        let userName: String
    }

    /// Seeds `users` users through the control API.
    func seed(users: Int, control: String) async throws -> [Seeded] {
        let run = UInt64(Date().timeIntervalSince1970 * 1000) % 1_000_000  // unique names when re-run against one serve
        let names = (0..<users).map { "bench\(run)-user\($0)" }
        let list = names.enumerated().map { i, name in
            JSONValue.object(JSONObject([
                ("userName", .string(name)), ("displayName", .string("Bench User \(i)")),
                ("emails", [["value": .string("bench\(run)-user\(i)@example.com"), "primary": true]]),
            ]))
        }
        let (status, body) = try await send(.POST, control, body: ["users": .array(list)])
        guard status == 200, let ids = (try? JSONParser.parse(body))?["users"]?.arrayValue?.compactMap(\.stringValue), ids.count == users else {
            throw CommandFailure(code: 1, message: "seeding failed: HTTP \(status) \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        return zip(ids, names).map { Seeded(id: $0, userName: $1) }
    }

    func load(_ users: [Seeded], seconds: Double) async throws -> LoadResult {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let started = ContinuousClock.now
        var total = try await withThrowingTaskGroup(of: LoadResult.self) { group in
            for connection in 0..<connections {
                group.addTask { try await loop(connection: connection, users: users, until: deadline) }
            }
            var merged = LoadResult()
            for try await part in group { merged.merge(part) }
            return merged
        }
        let elapsed = ContinuousClock.now - started
        total.seconds = elapsed.inSeconds
        total.latencies.sort()
        return total
    }

    private func loop(connection: Int, users: [Seeded], until deadline: ContinuousClock.Instant) async throws -> LoadResult {
        var result = LoadResult()
        var i = connection
        while ContinuousClock.now < deadline {
            i += 1
            let user = users[(connection &* 7919 &+ i &* 104_729) % users.count]
            let started = ContinuousClock.now
            let status: Int
            switch mix == .read ? 0 : i % 10 {
            case 7, 8:
                let filter = "userName eq \"\(user.userName)\"".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                status = try await send(.GET, scim + "/Users?count=10&filter=" + filter).0
            case 9:
                status = try await send(.PATCH, scim + "/Users/" + user.id, body: [
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                    "Operations": [["op": "replace", "path": "displayName", "value": .string("Bench \(i)")]],
                ]).0
            default:
                status = try await send(.GET, scim + "/Users/" + user.id).0
            }
            let elapsed = ContinuousClock.now - started
            result.latencies.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
            result.statuses[status, default: 0] += 1
            result.requests += 1
        }
        return result
    }
}
