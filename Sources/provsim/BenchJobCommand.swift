import ArgumentParser
import Chrono
import Engine
import Fakes
import Foundation
import JSON

extension BenchCommand {
    /// How long onboarding takes end to end: directory → target through the engine.
    struct Job: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Onboard generated users and groups from the directory into a target, and time it.",
            discussion: """
            Starts the Identity Directory and the target fake in this process, seeds --users users
            in --groups groups (each user in one group), runs one Read job through the engine over
            loopback HTTP and prints the job's statistics, then a final line:
              job: U users + G groups → TARGET in T s = X requests/s (R requests, 429s N), pacing P, limits L, time-scale S

            With the target's documented limits on (the default) the run is paced by them: XSUAA
            admits 3 requests per second, so use --time-scale to shrink the simulated hours.
            --no-rate-limits and --no-pacing measure the engine and the fakes flat out.

            Examples:
              provsim bench job --users 10000 --groups 50 --target xsuaa --no-rate-limits --no-pacing
              provsim bench job --users 10000 --groups 50 --target xsuaa --time-scale 1000
            """
        )

        @Option(name: .long, help: "Users to onboard.") var users: Int = 10_000
        @Option(name: .long, help: "Groups (role collections) to onboard.") var groups: Int = 50
        @Option(name: .long, help: "xsuaa or afc.") var target: String = "xsuaa"
        @Option(name: .customLong("time-scale"), help: "Simulated seconds per real second (fakes and engine).") var timeScale: Double = 1
        @Option(name: .customLong("parallel"), help: "Concurrent writes (provsim.parallel.requests).") var parallel: Int = 8
        @Flag(name: .customLong("no-rate-limits"), help: "Switch the target's limits off.") var noRateLimits = false
        @Flag(name: .customLong("no-pacing"), help: "Do not pace the engine under the published limits.") var noPacing = false

        func validate() throws {
            guard (1...10_000_000).contains(users), (0...1_000_000).contains(groups) else {
                throw ValidationError("--users must be from 1 to 10,000,000 and --groups from 0 to 1,000,000")
            }
            guard ["xsuaa", "afc"].contains(target) else { throw ValidationError("--target must be xsuaa or afc") }
            guard timeScale.isFinite, FakeClock.scales.contains(timeScale) else { throw ValidationError("--time-scale must be a number from 0.000001 to 1000000") }
            guard (1...64).contains(parallel) else { throw ValidationError("--parallel must be between 1 and 64") }
        }

        func run() async throws {
            try await exiting {
                var configuration = FakeFleetConfiguration()
                configuration.services = ["identity-directory", target]
                configuration.timeScale = timeScale
                configuration.rateLimits = !noRateLimits
                configuration.deterministic = true
                let fleet = try await FakeFleet.start(configuration)
                defer { Task { await fleet.stop() } }
                try seed(fleet)

                let targetType = target == "xsuaa" ? "xsuaa" : "afc"
                let extra = target == "xsuaa" ? #""xsuaa.origin": "sap.custom", "# : ""
                let systemsText = #"""
                {"systems": {
                  "directory": {"type": "identity-directory", "role": "source", "fake": "identity-directory", "targets": ["target"], "properties": {"provsim.page.size": "1000"}},
                  "target": {"type": "\#(targetType)", "role": "target", "fake": "\#(target)", "properties": {\#(extra)"provsim.parallel.requests": "\#(parallel)", "ips.failed.request.retry.attempts": "3"}}
                }}
                """#
                let systems = try SystemsConfiguration(
                    json: try JSONParser.parse(systemsText),
                    loadFile: { (path) throws(SystemsError) -> String in throw SystemsError(field: "transformation", message: path) },
                    connection: { (_, fake) throws(SystemsError) -> [String: String] in fleet.connectionProperties(service: fake) ?? [:] })
                let transport = AsyncHTTPTransport()
                let engine = ProvisioningEngine(systems: systems, transport: transport, timeScale: timeScale, pacing: noPacing ? false : nil)
                var store = OperationalStore()
                let started = ContinuousClock.now
                let log = await engine.run(source: "directory", job: .read, store: &store)
                let elapsed = ContinuousClock.now - started
                await transport.shutdown()
                let seconds = elapsed.inSeconds
                let requests = log.requests.reduce(0) { $0 + $1.metrics.requests }
                let tooMany = log.requests.reduce(0) { $0 + $1.metrics.tooManyRequests }
                FileHandle.standardError.write(Data(log.text().utf8))
                Terminal.print(String(format: "job: %d users + %d groups → %@ in %.2f s = %.0f requests/s (%d requests, 429s %d), pacing %@, limits %@, time-scale %g",
                                      users, groups, target, seconds, Double(requests) / seconds, requests, tooMany,
                                      noPacing ? "off" : "on", noRateLimits ? "off" : "on", timeScale))
                return log.status == .success ? 0 : 1
            }
        }

        /// Users `bench-00001` … with one email each; user i is in group i mod G.
        private func seed(_ fleet: FakeFleet) throws {
            guard let service = fleet.server(named: "identity-directory")?.host.service as? IdentityDirectory else {
                throw CommandFailure(code: 1, message: "the Identity Directory fake did not start")
            }
            let directory = service.directory
            let userType = directory.type(named: "User")!, groupType = directory.type(named: "Group")!
            var members = [[JSONValue]](repeating: [], count: groups)
            for i in 1...users {
                let name = String(format: "bench-%05d", i)
                let user: JSONValue = .object(JSONObject([
                    ("schemas", .array(["urn:ietf:params:scim:schemas:core:2.0:User"])),
                    ("userName", .string(name)),
                    ("name", .object(JSONObject([("givenName", "Bench"), ("familyName", .string(name))]))),
                    ("emails", .array([.object(JSONObject([("value", .string("\(name)@example.com")), ("primary", true)]))])),
                ]))
                let record = try directory.create(userType, user)
                if groups > 0 { members[i % groups].append(.object(JSONObject([("value", .string(record.id))]))) }
            }
            for g in 0..<groups {
                _ = try directory.create(groupType, .object(JSONObject([("schemas", .array(["urn:ietf:params:scim:schemas:core:2.0:Group"])), ("displayName", .string("Bench_\(g)")), ("members", .array(members[g]))])))
            }
        }
    }
}
