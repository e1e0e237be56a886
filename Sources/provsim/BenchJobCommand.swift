import ArgumentParser
import Chrono
import Engine
import Fakes
import Foundation
import Hosting
import JSON
import Simulation

extension BenchCommand {
    /// How long onboarding takes end to end: directory → target through the engine.
    struct Job: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Onboard generated users and groups from the directory into a target, and time it.",
            discussion: """
            Starts the Identity Directory and the target fake in this process, seeds --users users \
            in --groups groups (each user in one group), runs one Read job through the engine over \
            loopback HTTP (or in process, with --in-process) and prints the job's statistics, then:
              job: U users + G groups → TARGET in T s = X requests/s (R requests,
                429s N), pacing P, limits L, time-scale S, transport

            Then it measures the request floor on the same fake: as many plain POST /Users as the job sent \
            to the target, through the same client (token, retries, pacing, transport) at the same \
            concurrency, and prints the job's time over the floor's, the engine's overhead:
              floor: R plain POST /Users in T s = X requests/s; job/floor = Q

            With the target's documented limits on (the default) the run is paced by them: XSUAA \
            admits 3 requests per second, so use --time-scale to shrink the simulated hours. \
            --no-rate-limits and --no-pacing measure the engine and the fakes flat out.

            Examples:
              provsim bench job --users 10000 --groups 50 --target xsuaa \\
                  --no-rate-limits --no-pacing
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
        @Flag(name: .customLong("in-process"), help: "Hand requests to the fakes in this process instead of over loopback HTTP, to measure the engine without sockets.") var inProcess = false
        @Flag(name: .customLong("no-floor"), help: "Skip measuring the request floor after the job.") var noFloor = false

        func validate() throws {
            guard (1...10_000_000).contains(users), (0...1_000_000).contains(groups) else {
                throw ValidationError("--users must be from 1 to 10,000,000 and --groups from 0 to 1,000,000")
            }
            guard ["xsuaa", "afc"].contains(target) else { throw ValidationError("--target must be xsuaa or afc") }
            guard timeScale.isFinite, SimulatedClock.scales.contains(timeScale) else { throw ValidationError("--time-scale must be a number from 0.000001 to 1000000") }
            guard (1...64).contains(parallel) else { throw ValidationError("--parallel must be between 1 and 64") }
        }

        func run() async throws {
            try await exiting {
                var configuration = SimulationConfiguration()
                configuration.fakes.services = ["identity-directory", target]
                configuration.fakes.timeScale = timeScale
                configuration.fakes.rateLimits = !noRateLimits
                configuration.transport = inProcess ? .inProcess : .loopback
                return try await Simulation.run(configuration) { simulation in
                    try seed(simulation)
                    let extra = target == "xsuaa" ? #""xsuaa.origin": "sap.custom", "# : ""
                    let systemsText = #"""
                    {"systems": {
                      "directory": {"type": "identity-directory", "role": "source", "fake": "identity-directory", "targets": ["target"], "properties": {"provsim.page.size": "1000"}},
                      "target": {"type": "\#(target)", "role": "target", "fake": "\#(target)", "properties": {\#(extra)"provsim.parallel.requests": "\#(parallel)", "ips.failed.request.retry.attempts": "3"}}
                    }}
                    """#
                    let systems = try simulation.systems(json: try JSONParser.parse(systemsText))
                    let engine = simulation.engine(systems: systems, pacing: noPacing ? false : nil)
                    let started = ContinuousClock.now
                    let log = await simulation.store.update { store in await engine.run(source: "directory", job: .read, store: &store) }
                    let seconds = (ContinuousClock.now - started).inSeconds
                    let requests = log.requests.reduce(0) { $0 + $1.metrics.requests }
                    let tooMany = log.requests.reduce(0) { $0 + $1.metrics.tooManyRequests }
                    FileHandle.standardError.write(Data(log.text().utf8))
                    Terminal.print(String(format: "job: %d users + %d groups → %@ in %.2f s = %.0f requests/s (%d requests, 429s %d), pacing %@, limits %@, time-scale %g, %@",
                                          users, groups, target, seconds, Double(requests) / seconds, requests, tooMany,
                                          noPacing ? "off" : "on", noRateLimits ? "off" : "on", timeScale, inProcess ? "in process" : "loopback HTTP"))
                    guard log.status == .success else { return 1 }
                    if noFloor { return 0 }
                    let targetRequests = log.requests.first { $0.system == "target" }?.metrics.requests ?? 0
                    guard targetRequests > 0 else {
                        Terminal.print("floor: not measured, the job sent nothing to the target")
                        return 0
                    }
                    // A second engine, so the floor's requests have a client and counts of their own.
                    let floorEngine = simulation.engine(systems: systems, pacing: noPacing ? false : nil)
                    let connection = try await floorEngine.connection(of: "target")
                    guard let url = simulation.connectionProperties(service: target)?["URL"], let type = SystemType(rawValue: target) else {
                        throw CommandFailure(code: 1, message: "the \(target) fake has no URL")
                    }
                    let floor = await RequestFloor(client: connection.client, usersURL: url + type.scimPath + "/Users", dialect: type)
                        .measure(count: targetRequests, concurrency: parallel)
                    Terminal.print(String(format: "floor: %d plain POST /Users in %.2f s = %.0f requests/s (%d failed); job/floor = %.2f",
                                          floor.requests, floor.seconds, Double(floor.requests) / floor.seconds, floor.failures,
                                          seconds / floor.seconds))
                    return floor.failures == 0 ? 0 : 1
                }
            }
        }

        /// A SCIM 2.0 user named `name`, as the bench seeds the directory with.
        static func benchUser(_ name: String) -> JSONValue {
            .object(JSONObject([
                ("schemas", .array(["urn:ietf:params:scim:schemas:core:2.0:User"])),
                ("userName", .string(name)),
                ("name", .object(JSONObject([("givenName", "Bench"), ("familyName", .string(name))]))),
                ("emails", .array([.object(JSONObject([("value", .string("\(name)@example.com")), ("primary", true)]))])),
            ]))
        }

        private func seed(_ simulation: Simulation) throws {
            guard let service = simulation.host("identity-directory")?.service as? IdentityDirectory else {
                throw CommandFailure(code: 1, message: "the Identity Directory fake did not start")
            }
            let directory = service.directory
            let userType = directory.type(named: "User")!, groupType = directory.type(named: "Group")!
            var members = [[JSONValue]](repeating: [], count: groups)
            for i in 1...users {
                let record = try directory.create(userType, Self.benchUser(String(format: "bench-%05d", i)))
                if groups > 0 { members[i % groups].append(.object(JSONObject([("value", .string(record.id))]))) }
            }
            for g in 0..<groups {
                _ = try directory.create(groupType, .object(JSONObject([("schemas", .array(["urn:ietf:params:scim:schemas:core:2.0:Group"])), ("displayName", .string("Bench_\(g)")), ("members", .array(members[g]))])))
            }
        }
    }
}
