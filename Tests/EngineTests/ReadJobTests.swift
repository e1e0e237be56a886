import Engine
import Fakes
import Hosting
import JSON
import Testing
import Transformation

@Suite("Read, delta read, resync and simulate jobs")
struct ReadJobTests {
    @Test func onboardingReachesXSUAAAndASecondReadChangesNothing() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["alice", "bob", "carol"], groups: [("Auditors", ["alice", "bob"]), ("Empty", [])])
        let engine = try h.engine(directoryToXSUAA)
        var store = OperationalStore()

        let first = await engine.run(source: "directory", job: .read, store: &store)
        #expect(first.status == .success, "\(first.text())")
        #expect(first.readMode == .full)
        #expect(first.row(.user, "directory").read == 3)
        #expect(first.row(.user, "btp").created == 3)
        #expect(first.row(.group, "btp").created == 2)
        let xs = try await h.xsuaaState()
        #expect(xs.users.keys.sorted() == ["alice", "bob", "carol"])
        #expect(xs.users["alice"]?["origin"]?.stringValue == "sap.custom")
        #expect(xs.groups["Auditors"] == ["alice", "bob"])

        let second = await engine.run(source: "directory", job: .read, store: &store)
        #expect(second.status == .success)
        #expect(second.row(.user, "btp").created == 0 && second.row(.user, "btp").updated == 0)
        #expect(second.row(.group, "btp").created == 0 && second.row(.group, "btp").updated == 0)
        #expect(second.traces.filter { $0.operation == .unchanged }.count == 5)
    }

    /// The worked example of the behaviour reference (2.1): A–D provisioned; then C changed,
    /// D deleted, E added.
    private func workedExample(_ job: JobType, delta: Bool = false) async throws -> (JobLog, EngineHarness) {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["a", "b", "c", "d"])
        let systems = directoryToXSUAA.replacingOccurrences(of: #""fake": "identity-directory","#,
                                                             with: #""fake": "identity-directory", "properties": {"ips.delta.read": "\#(delta ? "enabled" : "disabled")"},"#)
        let engine = try h.engine(systems)
        var store = OperationalStore()
        let first = await engine.run(source: "directory", job: .read, store: &store)
        #expect(first.row(.user, "btp").created == 4)
        try h.changeUser("c") { $0["name"] = .object(JSONObject([("givenName", "Changed"), ("familyName", "C")])) }
        try h.deleteUser("d")
        try h.addUser("e")
        return (await engine.run(source: "directory", job: job, store: &store), h)
    }

    @Test func fullReadCreatesEUpdatesCDeletesD() async throws {
        let (log, h) = try await workedExample(.read)
        #expect(log.readMode == .full)
        #expect(log.row(.user, "directory").read == 4)
        let row = log.row(.user, "btp")
        #expect((row.created, row.updated, row.deleted) == (1, 1, 1), "\(log.text())")
        let xs = try await h.xsuaaState()
        #expect(xs.users.keys.sorted() == ["a", "b", "c", "e"])
        #expect(xs.users["c"]?["name"]?["givenName"]?.stringValue == "Changed")
    }

    @Test func deltaReadCreatesEUpdatesCAndDeletesNothing() async throws {
        let (log, h) = try await workedExample(.read, delta: true)
        #expect(log.readMode == .delta)
        #expect(log.row(.user, "directory").read == 2)
        let row = log.row(.user, "btp")
        #expect((row.created, row.updated, row.deleted) == (1, 1, 0), "\(log.text())")
        #expect(log.outcome.contains { $0.contains("Delta read") })
        #expect(try await h.xsuaaState().users.keys.sorted() == ["a", "b", "c", "d", "e"])
    }

    @Test func resyncCreatesEUpdatesABAndCDeletesD() async throws {
        let (log, h) = try await workedExample(.resync, delta: true)
        #expect(log.readMode == .full)
        let row = log.row(.user, "btp")
        #expect((row.created, row.updated, row.deleted) == (1, 3, 1), "\(log.text())")
        #expect(try await h.xsuaaState().users.keys.sorted() == ["a", "b", "c", "e"])
    }

    @Test func simulateEstimatesAResyncWithoutWriting() async throws {
        let (log, h) = try await workedExample(.simulate)
        #expect(log.type == .simulate && log.readMode == .full)
        let row = log.row(.user, "btp")
        #expect((row.created, row.updated, row.deleted) == (1, 3, 1), "\(log.text())")
        #expect(try await h.xsuaaState().users.keys.sorted() == ["a", "b", "c", "d"])
        #expect(log.requests.first { $0.system == "btp" }?.metrics.byStatus.keys.contains(201) != true)
    }

    /// Delta reads, with a forced full read after two scheduled delta runs.
    static let deltaEveryThirdScheduledRun = directoryToXSUAA.replacingOccurrences(
        of: #""fake": "identity-directory","#,
        with: #""fake": "identity-directory", "properties": {"ips.delta.read": "enabled", "ips.full.read.force.count": "2"},"#)

    @Test func theFirstReadIsFullEvenWithDeltaEnabled() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["a"])
        let engine = try h.engine(Self.deltaEveryThirdScheduledRun)
        var store = OperationalStore()
        #expect(await engine.run(source: "directory", job: .read, store: &store).readMode == .full)
        #expect(await engine.run(source: "directory", job: .read, trigger: .scheduled, store: &store).readMode == .delta)
        #expect(await engine.run(source: "directory", job: .read, trigger: .scheduled, store: &store).readMode == .delta)
        // After two delta runs a scheduled run reads fully; a manual one would not.
        #expect(await engine.run(source: "directory", job: .read, trigger: .immediate, store: &store).readMode == .delta)
        #expect(await engine.run(source: "directory", job: .read, trigger: .scheduled, store: &store).readMode == .full)
        #expect(await engine.run(source: "directory", job: .read, trigger: .scheduled, store: &store).readMode == .delta)
    }

    @Test("ips.full.read.force.count counts scheduled runs only: manual delta runs and a manual Resync neither count nor reset it")
    func forceCountIgnoresManualRuns() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["a"])
        let engine = try h.engine(Self.deltaEveryThirdScheduledRun)
        var store = OperationalStore()
        func run(_ trigger: JobTrigger, _ job: JobType = .read) async -> ReadMode { await engine.run(source: "directory", job: job, trigger: trigger, store: &store).readMode }
        #expect(await run(.immediate) == .full)  // the first read
        #expect(await run(.scheduled) == .delta)  // scheduled delta 1
        #expect(await run(.immediate) == .delta)  // manual: not counted
        #expect(await run(.immediate) == .delta)
        #expect(await run(.scheduled) == .delta)  // scheduled delta 2 (counting the manual ones it would have been full)
        #expect(await run(.immediate, .resync) == .full)  // a manual Resync does not reset the count
        #expect(await run(.scheduled) == .full)  // the forced full read after two scheduled deltas
        #expect(await run(.scheduled) == .delta)
    }
}

@Suite("Properties provsim does not simulate")
struct NotSimulatedPropertyTests {
    @Test func theJobLogNamesThem() async throws {
        let h = try await EngineHarness.start(["identity-directory", "xsuaa"], rateLimits: false)
        try await h.seedDirectory(users: ["a"])
        let engine = try h.engine(directoryToXSUAA.replacingOccurrences(of: #""targets": ["btp"]"#,
                                                                         with: #""targets": ["btp"], "properties": {"ips.job.notification.repeat.on.failure": "true"}"#))
        var store = OperationalStore()
        let log = await engine.run(source: "directory", job: .read, store: &store)
        #expect(log.status == .success)
        #expect(log.outcome.contains("directory: provsim does not simulate ips.job.notification.repeat.on.failure; accepted without effect."), "\(log.outcome)")
    }
}
