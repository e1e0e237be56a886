import ArgumentParser
import AsyncHTTPClient
import Engine
import Fakes
import Foundation
import Fuzz
import Hosting
import JSON
import NIOCore
import NIOHTTP1

extension BenchCommand {
    /// Requests per second one SCIM fake sustains over loopback HTTP.
    struct Fake: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Request rate one SCIM fake sustains on loopback HTTP.",
            discussion: """
            Seeds users, then keeps --connections clients busy for --warmup and then --duration \
            seconds, and prints \
            requests/s, latency percentiles and status counts, then a final line:
              fake: N requests in T s = X requests/s, service=S, mix=M, connections=C

            --mix write drives any fake (also uaa, xsuaa, cf) with concurrent creates, membership \
            changes, deletes and conflicting creates, then checks its /_provsim/state against what \
            the clients were told: no user lost or duplicated, counts = creates − deletes, names \
            unique, every membership pointing at an existing user. Any problem exits 1.

            By default the fake runs in this process (client and server share the CPU, so the \
            figure is a lower bound). With --ports-file the target is a running `provsim serve`. \
            Rate limits are switched off unless --keep-limits is given.

            Examples:
              provsim bench fake --service identity-directory --connections 8 --duration 5
              provsim serve --ports-file /tmp/fakes.json --no-rate-limits &
              provsim bench fake --ports-file /tmp/fakes.json --service afc --mix mixed
              provsim bench fake --service cf --mix write --connections 50 --duration 20
            """
        )

        enum Mix: String, ExpressibleByArgument, CaseIterable {
            /// GET one user by ID.
            case read
            /// 70% GET by ID, 20% filtered list, 10% PATCH.
            case mixed
            /// Creates, membership changes, deletes and conflicting creates; then a consistency check.
            case write
        }

        @Option(name: .long, help: "identity-directory or afc (with --mix write also uaa, xsuaa, cf).") var service: String = "identity-directory"
        @Option(name: .long, help: "Concurrent client connections.") var connections: Int = 8
        @Option(name: .long, help: "Seconds to measure.") var duration: Double = 5
        @Option(name: .long, help: "Seconds of untimed load first.") var warmup: Double = 1
        @Option(name: .long, help: "Users seeded before measuring.") var users: Int = 1000
        @Option(name: .long, help: "read, mixed or write.") var mix: Mix = .mixed
        @Option(name: .customLong("ports-file"), help: "The --ports-file of a running provsim serve, to measure that instead.") var portsFile: String?
        @Flag(name: .customLong("keep-limits"), help: "Keep the service's rate limits (AFC: 3 concurrent, 10,000/hour).") var keepLimits = false

        static let services = ["identity-directory", "afc"]

        func validate() throws {
            guard (1...10_000).contains(connections) else { throw ValidationError("--connections must be from 1 to 10,000") }
            guard duration > 0, duration <= 86_400 else { throw ValidationError("--duration must be more than 0 and at most 86400 seconds") }
            guard warmup >= 0, warmup <= 86_400 else { throw ValidationError("--warmup must be from 0 to 86400 seconds") }
            guard (1...10_000_000).contains(users) else { throw ValidationError("--users must be from 1 to 10,000,000") }
            guard Self.services.contains(service) || (mix == .write && FakeFleet.serviceNames.contains(service)) else {
                throw ValidationError("--service must be one of \(Self.services.joined(separator: ", ")) (the SCIM 2.0 fakes)")
            }
        }

        func run() async throws {
            if mix == .write { return try await runWrites() }
            try await exiting {
                let fleet = portsFile == nil ? try await startFleet() : nil
                let descriptor = try fleet?.descriptor ?? InputFiles.readJSON(portsFile)
                let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
                func cleanUp() async {
                    try? await client.shutdown()
                    await fleet?.stop()
                }
                guard let target = descriptor["services"]?.arrayValue?.first(where: { $0["name"]?.stringValue == service }),
                      let url = target["url"]?.stringValue, let scim = target["scim"]?.stringValue else {
                    await cleanUp()
                    throw CommandFailure(code: 2, message: "no service '\(service)' in \(portsFile ?? "the fleet")")
                }
                let result: LoadResult
                do {
                    result = try await measure(target, url: url, scim: scim, client: client)
                } catch {
                    await cleanUp()
                    throw CommandFailure(code: 1, message: "the benchmark failed: \(error)")
                }
                await cleanUp()
                let rate = Double(result.requests) / result.seconds
                Terminal.print("  latency ms: p50 \(Self.ms(result.percentile(0.5))), p90 \(Self.ms(result.percentile(0.9))), p99 \(Self.ms(result.percentile(0.99))), max \(Self.ms(result.percentile(1)))")
                Terminal.print("  statuses: " + result.statuses.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ", "))
                Terminal.print("fake: \(result.requests) requests in \(String(format: "%.3f", result.seconds)) s = \(Int(rate.rounded())) requests/s, service=\(service), mix=\(mix.rawValue), connections=\(connections)")
                let failures = result.statuses.filter { !(200..<300).contains($0.key) }.values.reduce(0, +)
                return failures == 0 || keepLimits ? 0 : 1
            }
        }

        private func startFleet() async throws -> FakeFleet {
            var configuration = FakeFleetConfiguration()
            configuration.services = [service]
            configuration.rateLimits = keepLimits
            return try await FakeFleet.start(configuration)
        }

        private var clientConfiguration: HTTPClient.Configuration {
            var configuration = HTTPClient.Configuration()
            configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connections
            return configuration
        }

        /// Seeds, warms up and measures.
        private func measure(_ target: JSONValue, url: String, scim: String, client: HTTPClient) async throws -> LoadResult {
            var driver = LoadDriver(client: client, scim: scim, connections: connections, mix: mix)
            if portsFile != nil && !keepLimits {
                _ = try await driver.send(.PUT, url + "/_provsim/limits", body: [:])
            }
            driver.token = try await driver.token(for: target)
            let seeded = try await driver.seed(users: users, control: url + "/_provsim/seed")
            Terminal.print("target: \(service) at \(scim), \(seeded.count) users, mix=\(mix.rawValue), connections=\(connections)\(keepLimits ? ", rate limits on" : "")")
            if warmup > 0 { _ = try await driver.load(seeded, seconds: warmup) }
            return try await driver.load(seeded, seconds: duration)
        }

        static func ms(_ value: Double) -> String { String(format: "%.2f", value) }
    }
}

extension BenchCommand.Fake {
    /// `--mix write`: the write load and the consistency check after it.
    func runWrites() async throws {
        try await exiting {
            let fleet = portsFile == nil ? try await startWriteFleet() : nil
            let descriptor = try fleet?.descriptor ?? InputFiles.readJSON(portsFile)
            let transport = AsyncHTTPTransport(maxConnectionsPerHost: connections)
            func cleanUp() async {
                await transport.shutdown()
                await fleet?.stop()
            }
            guard let entry = descriptor["services"]?.arrayValue?.first(where: { $0["name"]?.stringValue == service }), let url = entry["url"]?.stringValue else {
                await cleanUp()
                throw CommandFailure(code: 2, message: "no service '\(service)' in \(portsFile ?? "the fleet")")
            }
            let load = WriteLoad(service: service, entry: entry, connections: connections, transport: transport)
            do {
                let fixture = try await load.prepare()
                let before = try await Self.state(url, transport)
                Terminal.print("target: \(service) at \(url), \(connections) writing clients for \(duration) s")
                let ledger = try await load.run(seconds: duration, fixture: fixture)
                let after = try await Self.state(url, transport)
                await cleanUp()
                let problems = ConsistencyCheck.problems(service: service, before: before, after: after, ledger: ledger) + ledger.unexpected.prefix(20).map { "unexpected answer: \($0)" }
                Terminal.print("  statuses: " + ledger.statuses.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ", "))
                Terminal.print("  users created \(ledger.live.count + ledger.deleted.count), deleted \(ledger.deleted.count), memberships added \(ledger.memberships.count)")
                for problem in problems { Terminal.error("  inconsistent: \(problem)") }
                let rate = Double(ledger.requests) / max(ledger.seconds, 0.001)
                Terminal.print("fake: \(ledger.requests) requests in \(String(format: "%.3f", ledger.seconds)) s = \(Int(rate.rounded())) requests/s, service=\(service), mix=write, connections=\(connections), consistent=\(problems.isEmpty ? "yes" : "NO (\(problems.count) problems)")")
                return problems.isEmpty ? 0 : 1
            } catch {
                await cleanUp()
                throw CommandFailure(code: 1, message: "the write load failed: \(error)")
            }
        }
    }

    private func startWriteFleet() async throws -> FakeFleet {
        var configuration = FakeFleetConfiguration()
        configuration.services = FakeFleet.withDependencies([service])
        configuration.rateLimits = keepLimits
        return try await FakeFleet.start(configuration)
    }

    static func state(_ url: String, _ transport: AsyncHTTPTransport) async throws -> JSONValue {
        let answer = try await transport.send(HTTPRequest(method: "GET", url: url + "/_provsim/state"), timeout: .seconds(120))
        guard answer.status == 200, let state = try? JSONParser.parse(answer.body) else {
            throw CommandFailure(code: 1, message: "GET \(url)/_provsim/state: HTTP \(answer.status)")
        }
        return state
    }
}
