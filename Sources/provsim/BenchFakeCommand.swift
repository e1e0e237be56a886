import ArgumentParser
import AsyncHTTPClient
import Fakes
import Foundation
import JSON
import NIOCore
import NIOHTTP1

extension BenchCommand {
    /// Requests per second one SCIM fake sustains over loopback HTTP.
    struct Fake: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Request rate one SCIM fake sustains on loopback HTTP.",
            discussion: """
            Seeds users, then keeps --connections clients busy for --warmup and then --duration
            seconds, and prints
            requests/s, latency percentiles and status counts, then a final line:
              fake: N requests in T s = X requests/s, service=S, mix=M, connections=C

            By default the fake runs in this process (client and server share the CPU, so the
            figure is a lower bound). With --ports-file the target is a running `provsim serve`.
            Rate limits are switched off unless --keep-limits is given.

            Examples:
              provsim bench fake --service identity-directory --connections 8 --duration 5
              provsim serve --ports-file /tmp/fakes.json --no-rate-limits &
              provsim bench fake --ports-file /tmp/fakes.json --service afc --mix mixed
            """
        )

        enum Mix: String, ExpressibleByArgument, CaseIterable {
            /// GET one user by ID.
            case read
            /// 70% GET by ID, 20% filtered list, 10% PATCH.
            case mixed
        }

        @Option(name: .long, help: "identity-directory or afc.") var service: String = "identity-directory"
        @Option(name: .long, help: "Concurrent client connections.") var connections: Int = 8
        @Option(name: .long, help: "Seconds to measure.") var duration: Double = 5
        @Option(name: .long, help: "Seconds of untimed load first.") var warmup: Double = 1
        @Option(name: .long, help: "Users seeded before measuring.") var users: Int = 1000
        @Option(name: .long, help: "read or mixed.") var mix: Mix = .mixed
        @Option(name: .customLong("ports-file"), help: "The --ports-file of a running provsim serve, to measure that instead.") var portsFile: String?
        @Flag(name: .customLong("keep-limits"), help: "Keep the service's rate limits (AFC: 3 concurrent, 10,000/hour).") var keepLimits = false

        func validate() throws {
            guard connections >= 1 else { throw ValidationError("--connections must be at least 1") }
            guard duration > 0 else { throw ValidationError("--duration must be positive") }
            guard warmup >= 0 else { throw ValidationError("--warmup must not be negative") }
            guard users >= 1 else { throw ValidationError("--users must be at least 1") }
            guard FakeFleet.serviceNames.contains(service) else {
                throw ValidationError("--service must be one of \(FakeFleet.serviceNames.joined(separator: ", "))")
            }
        }

        func run() async throws {
            try await exiting {
                var fleet: FakeFleet?
                let descriptor: JSONValue
                if let portsFile {
                    let text = try InputFiles.read(portsFile)
                    do {
                        descriptor = try JSONParser.parse(text)
                    } catch {
                        throw CommandFailure(code: 2, message: "\(portsFile): \(error)")
                    }
                } else {
                    var configuration = FakeFleetConfiguration()
                    configuration.services = [service]
                    configuration.rateLimits = keepLimits
                    let started = try await FakeFleet.start(configuration)
                    fleet = started
                    descriptor = started.descriptor
                }
                guard let target = descriptor["services"]?.arrayValue?.first(where: { $0["name"]?.stringValue == service }),
                      let url = target["url"]?.stringValue, let scim = target["scim"]?.stringValue else {
                    await fleet?.stop()
                    throw CommandFailure(code: 2, message: "no service '\(service)' in \(portsFile ?? "the fleet")")
                }
                var clientConfiguration = HTTPClient.Configuration()
                clientConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connections
                let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
                let outcome: Result<LoadResult, any Error>
                do {
                    var driver = LoadDriver(client: client, scim: scim, connections: connections, mix: mix)
                    if portsFile != nil && !keepLimits {
                        _ = try await driver.send(.PUT, url + "/_provsim/limits", body: [:])
                    }
                    driver.token = try await driver.token(for: target)
                    let seeded = try await driver.seed(users: users, control: url + "/_provsim/seed")
                    Terminal.print("target: \(service) at \(scim), \(seeded.count) users, mix=\(mix.rawValue), connections=\(connections)\(keepLimits ? ", rate limits on" : "")")
                    if warmup > 0 { _ = try await driver.load(seeded, seconds: warmup) }
                    outcome = .success(try await driver.load(seeded, seconds: duration))
                } catch {
                    outcome = .failure(error)
                }
                try? await client.shutdown()
                await fleet?.stop()
                let result: LoadResult
                switch outcome {
                case .success(let r): result = r
                case .failure(let error): throw CommandFailure(code: 1, message: "the benchmark failed: \(error)")
                }
                let rate = Double(result.requests) / result.seconds
                Terminal.print("  latency ms: p50 \(Self.ms(result.percentile(0.5))), p90 \(Self.ms(result.percentile(0.9))), p99 \(Self.ms(result.percentile(0.99))), max \(Self.ms(result.percentile(1)))")
                Terminal.print("  statuses: " + result.statuses.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ", "))
                Terminal.print("fake: \(result.requests) requests in \(String(format: "%.3f", result.seconds)) s = \(Int(rate.rounded())) requests/s, service=\(service), mix=\(mix.rawValue), connections=\(connections)")
                let failures = result.statuses.filter { !(200..<300).contains($0.key) }.values.reduce(0, +)
                return failures == 0 || keepLimits ? 0 : 1
            }
        }

        static func ms(_ value: Double) -> String { String(format: "%.2f", value) }
    }
}

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
        total.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
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
