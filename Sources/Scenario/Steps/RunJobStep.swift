import Engine
import Fakes
import Hosting
import JSON
import Report
import Transformation

/// `run:` runs a job of a source system and checks its log.
///
/// ```yaml
/// - run:
///     source: directory
///     job: read                      # read | resync | simulate
///     trigger: immediate             # immediate | scheduled
///     triggeredBy: P123456           # who chose Run Now (default P000000); none when scheduled
///     expect:
///       status: Success              # or "Finished with Error"
///       readMode: Full Read
///       statistics:                  # system → entity → counts (any subset), or absent (no row)
///         directory: { user: { read: 3 } }
///         btp: { user: { created: 3 }, group: { created: 1, failed: 0 }, role: absent }
///       failed: [ "Users cannot be assigned roles" ]   # texts that failed entities' reasons contain
///       skipped: [ "Entity condition" ]
///       error: "xsuaa.origin names no origin"          # text the job's error message contains
///       outcome: [ "not deleted" ]                     # texts Job Execution Outcome lines contain ([]: none)
///       trigger: REPEAT                                # the log's Trigger Type
///       triggeredBy: P123456                           # the log's Triggered By, or none
///       sent:                                          # what the job sent a fake (SentExpectation)
///         btp: [{ request: PUT /Groups/*, body: { displayName: Approvers }, count: 1 }]
/// ```
/// Without `expect` the job must end with Success.
struct RunJobStep: ScenarioStep {
    static let kind = StepKind(key: "run", summary: "run a read, resync or simulate job and check its log", shape: shape) { (node, _) throws(ScenarioError) -> any ScenarioStep in
        try RunJobStep(node)
    }

    static let statisticsShape = JSONShape.map(of: .map(of: .anyOf([
        .object("counts (any subset)", counts.map { .optional($0, .integer("entities", 0...Int.max)) }),
        .choice([absent], "the log has no row for this entity type"),
    ], ""), "Entity types (user, group, role) to their counts, or absent.", namePattern: "^(\(EntityType.allCases.map(\.rawValue).joined(separator: "|")))$"),
        "Systems to the statistics rows expected (a subset).")
    static let expectShape = JSONShape.object("What the job log must show (without expect: status Success).", [
        .optional("status", .choice(JobStatus.allCases.map(\.rawValue), "The job's status.")),
        .optional("readMode", .choice(ReadMode.allCases.map(\.rawValue), "The job's read mode.")),
        .optional("statistics", statisticsShape),
        .optional("failed", StepShapes.texts.described("Texts that failed entities' reasons contain.")),
        .optional("skipped", StepShapes.texts.described("Texts that skipped entities' reasons contain.")),
        .optional("error", .text("Text the job's error message contains.")),
        .optional("requests", .map(of: .map(of: StepShapes.counts, "Measures (total, reads, writes, tokens, rejected, peakPerSecond, inFlight, a status code, or 'METHOD /path' with * wildcards) to counts."),
                                     "Systems with fakes to measures of the requests the job sent them.")),
        .optional("engine", .map(of: .map(of: StepShapes.counts, "Measures (requests, retries, tooManyRequests, timeouts, connectionErrors, tokenRefreshes, or a status code) to counts."),
                                   "Systems to measures of the requests the engine sent them, as the job log counts them (works for systems that are not fakes).")),
        .optional("sent", .map(of: .list(of: SentExpectation.shape, "checks"), "Systems with fakes to checks of the requests the job sent them: route, body, headers.")),
        .optional("outcome", StepShapes.texts.described("Texts Job Execution Outcome lines contain ([]: none).")),
        .optional("trigger", .choice(JobTrigger.allCases.map(\.rawValue), "The log's Trigger Type.")),
        .optional("triggeredBy", .text("The log's Triggered By, or none.")),
    ])
    static let shape = JSONShape.object("Run a job of a source system and check its log.", [
        .required("source", StepShapes.system.described("A source system.")),
        .optional("job", .choiceInAnyCase(JobType.allCases.map { $0.rawValue.lowercased() }, "The job (default read).")),
        .optional("trigger", .choice(["immediate", "scheduled"], "Run Now (immediate, default) or a scheduled run.")),
        .optional("triggeredBy", .text("Who chose Run Now (default P000000).")),
        .optional("expect", expectShape),
    ])

    let source: String
    let job: JobType
    let trigger: JobTrigger
    let triggeredBy: String?
    let status: JobStatus?
    let readMode: ReadMode?
    let statistics: JSONValue?
    let failed: [String]
    let skipped: [String]
    /// Text the job's error message (a source that cannot be read, a refused configuration) contains.
    let error: String?
    /// Texts that Job Execution Outcome lines contain; empty: there must be none.
    let outcome: [String]?
    let triggerType: JobTrigger?
    /// The log's Triggered By; `.some(nil)`: there must be none.
    let expectedTriggeredBy: String??
    /// System → (key, measure, expected counts: all must hold).
    let requests: [(system: String, checks: [(key: String, measure: RequestTraffic.Measure, expected: [CountExpectation])])]
    /// System → (key, measure, expected counts) of the engine's own request counts.
    let engine: [(system: String, checks: [(key: String, measure: EngineRequestMeasure, expected: [CountExpectation])])]
    /// System → checks of what the job sent it.
    let sent: [(system: String, checks: [SentExpectation])]

    init(_ node: ScenarioNode) throws(ScenarioError) {
        try node.rejectUnknownKeys(Self.shape)
        source = try node.required("source").string()
        let jobText = try node.string("job") ?? "read"
        guard let job = JobType(name: jobText) else { throw try node.required("job").error("must be read, resync or simulate, not '\(jobText)'") }
        self.job = job
        switch try node.string("trigger") ?? "immediate" {
        case "immediate": trigger = .immediate
        case "scheduled": trigger = .scheduled
        case let other: throw try node.required("trigger").error("must be immediate or scheduled, not '\(other)'")
        }
        triggeredBy = try node.string("triggeredBy")
        if triggeredBy != nil, trigger == .scheduled {
            throw try node.required("triggeredBy").error("a scheduled job is triggered by nobody (IPS shows no Triggered By)")
        }
        let expect = node["expect"]
        try expect?.rejectUnknownKeys(Self.expectShape)
        if let s = expect?["status"] {
            guard let value = JobStatus(rawValue: try s.string()) else { throw s.error("must be 'Success' or 'Finished with Error'") }
            status = value
        } else {
            status = expect == nil ? .success : nil
        }
        if let m = expect?["readMode"] {
            guard let value = ReadMode(rawValue: try m.string()) else { throw m.error("must be 'Full Read' or 'Delta Read'") }
            readMode = value
        } else {
            readMode = nil
        }
        let statisticsNode = expect?["statistics"]
        statistics = try statisticsNode?.json()
        if let statisticsNode, let statistics {
            for system in statistics.objectValue ?? JSONObject() {
                for entity in system.value.objectValue ?? JSONObject() {
                    guard EntityType(rawValue: entity.key) != nil else { throw statisticsNode.error("'\(entity.key)' is not user, group or role") }
                    if entity.value == .string(Self.absent) { continue }
                    guard let counts = entity.value.objectValue else {
                        throw statisticsNode.error("\(system.key).\(entity.key): expected counts ({ created: 1 }) or \(Self.absent) (no row)")
                    }
                    for count in counts where !Self.counts.contains(count.key) {
                        throw statisticsNode.error("unknown count '\(count.key)' (known: \(Self.counts.joined(separator: ", ")))")
                    }
                }
            }
        }
        failed = try expect?["failed"]?.elements().map { (n) throws(ScenarioError) -> String in try n.string() } ?? []
        skipped = try expect?["skipped"]?.elements().map { (n) throws(ScenarioError) -> String in try n.string() } ?? []
        error = try expect?["error"]?.string()
        outcome = try expect?["outcome"]?.elements().map { (n) throws(ScenarioError) -> String in try n.string() }
        if let t = expect?["trigger"] {
            guard let value = JobTrigger(rawValue: try t.string()) else { throw t.error("the log's Trigger Type is IMMEDIATE or REPEAT") }
            triggerType = value
        } else {
            triggerType = nil
        }
        if let by = expect?["triggeredBy"] {
            let text = try by.string()
            expectedTriggeredBy = .some(text == "none" ? nil : text)
        } else {
            expectedTriggeredBy = nil
        }
        requests = try expect?["requests"]?.entries().map { (system) throws(ScenarioError) in
            (system.key, try system.value.entries().map { (check) throws(ScenarioError) in
                guard let measure = RequestTraffic.Measure(check.key) else {
                    throw check.value.error("unknown request measure '\(check.key)' (known: \(RequestTraffic.Measure.names.joined(separator: ", ")), a status code, or 'METHOD /path' with * wildcards)")
                }
                return (check.key, measure, try CountExpectation.list(check.value))
            })
        } ?? []
        engine = try expect?["engine"]?.entries().map { (system) throws(ScenarioError) in
            (system.key, try system.value.entries().map { (check) throws(ScenarioError) in
                guard let measure = EngineRequestMeasure(check.key) else {
                    throw check.value.error("unknown engine measure '\(check.key)' (known: \(EngineRequestMeasure.names.joined(separator: ", ")), or a status code)")
                }
                return (check.key, measure, try CountExpectation.list(check.value))
            })
        } ?? []
        sent = try expect?["sent"]?.entries().map { (system) throws(ScenarioError) in
            (system.key, try system.value.elements().map(SentExpectation.init))
        } ?? []
    }

    static let counts = ["read", "created", "updated", "deleted", "skipped", "failed"]
    /// In `statistics`, for an entity type that must have no row (an ignored type).
    static let absent = "absent"

    func run(in world: World) async -> StepOutcome {
        guard let provisioning = await world.provisioning else {
            return .error("no systems are declared: a 'systems' step must come first")
        }
        for (key, system) in requests.map({ ("requests", $0.system) }) + sent.map({ ("sent", $0.system) }) where provisioning.fakeOfSystem[system] == nil {
            return .error("\(key): the system '\(system)' is not declared with fake: (systems with fakes: \(provisioning.fakeOfSystem.keys.sorted().joined(separator: ", ")))")
        }
        // Journal marks, so that only this job's requests are measured.
        let hosts = provisioning.fakeOfSystem.compactMap { system, fake in provisioning.simulation.host(fake).map { (system, $0) } }
        let marks = Dictionary(hosts.map { ($0.1.service.name, $0.1.journal.lastSequence) }, uniquingKeysWith: { a, _ in a })
        guard let log = await world.run(source: source, job: job, trigger: trigger, triggeredBy: triggeredBy) else {
            return .error("no systems are declared: a 'systems' step must come first")
        }
        var traffic: [String: RequestTraffic] = [:]
        for (system, host) in hosts {
            let entries = host.journal.entries(after: marks[host.service.name] ?? 0)
            traffic[system] = RequestTraffic(entries, timeScale: provisioning.simulation.clock.scale)
        }
        var attachments = [ReportAttachment.table(Self.statisticsTable(log))]
        if !log.requests.isEmpty { attachments.append(.table(Self.requestsTable(log))) }
        for (system, host) in hosts.sorted(by: { $0.0 < $1.0 }) {
            if let chart = traffic[system]?.chart(title: "Requests per second to \(system) (\(host.service.name))", limits: host.limiter.limits) {
                attachments.append(.chart(chart))
            }
        }
        let transcript = log.text()
        var problems: [String] = []
        if let status, log.status != status { problems.append("status: expected \(status.rawValue), actual \(log.status.rawValue)") }
        if let readMode, log.readMode != readMode { problems.append("readMode: expected \(readMode.rawValue), actual \(log.readMode.rawValue)") }
        if let statistics {
            let actual = Self.actualStatistics(log, shape: statistics)
            problems += JSONDiff.differences(expected: statistics, actual: actual, subset: true).map { "statistics\($0.path.dropFirst()): expected \($0.expected), actual \($0.actual)" }
        }
        for text in failed where !log.failedEntities.contains(where: { $0.message?.contains(text) == true }) {
            problems.append("no failed entity's reason contains '\(text)'")
        }
        for text in skipped where !log.skippedEntities.contains(where: { $0.message?.contains(text) == true }) {
            problems.append("no skipped entity's reason contains '\(text)'")
        }
        if let outcome {
            if outcome.isEmpty, !log.outcome.isEmpty { problems.append("outcome: expected none, actual \(log.outcome.joined(separator: "; "))") }
            for text in outcome where !log.outcome.contains(where: { $0.contains(text) }) {
                problems.append("outcome: expected a line containing '\(text)', actual \(log.outcome.isEmpty ? "none" : log.outcome.joined(separator: "; "))")
            }
        }
        if let triggerType, log.trigger != triggerType { problems.append("trigger: expected \(triggerType.rawValue), actual \(log.trigger.rawValue)") }
        if let expectedTriggeredBy, log.triggeredBy != expectedTriggeredBy {
            problems.append("triggeredBy: expected \(expectedTriggeredBy ?? "none"), actual \(log.triggeredBy ?? "none")")
        }
        if let error, log.errorMessage?.contains(error) != true {
            problems.append("error: expected a message containing '\(error)', actual \(log.errorMessage.map { "'\($0)'" } ?? "none")")
        }
        for (system, checks) in requests {
            guard let measured = traffic[system] else { continue }
            for check in checks {
                let actual = measured.measure(check.measure)
                for expected in check.expected where !expected.holds(for: actual) {
                    problems.append("requests.\(system).\(check.key): expected \(expected), actual \(actual)")
                }
            }
        }
        for (system, checks) in engine {
            guard provisioning.engine.systems[system] != nil else {
                problems.append("engine.\(system): no system named '\(system)'")
                continue
            }
            let metrics = log.requests.first { $0.system == system }?.metrics ?? RequestMetrics.Snapshot()
            for check in checks {
                let actual = check.measure.value(in: metrics)
                for expected in check.expected where !expected.holds(for: actual) {
                    problems.append("engine.\(system).\(check.key): expected \(expected), actual \(actual)")
                }
            }
        }
        var sentDetails: [String] = []
        for (system, checks) in sent {
            guard let measured = traffic[system] else { continue }
            let bodies = SentExpectation.ShownBodies()
            for (index, check) in checks.enumerated() {
                let found = check.problems(measured.api, label: "sent.\(system)[\(index)]", bodies: bodies)
                problems += found.problems
                if !found.problems.isEmpty, let details = found.details { sentDetails.append(details) }
            }
        }
        let summary = "\(job.rawValue) of \(source): \(log.status.rawValue), \(log.readMode.rawValue)"
        guard problems.isEmpty else {
            return .failed("\(summary): \(problems[0])", details: (problems + sentDetails.map { "\n" + $0 }).joined(separator: "\n") + "\n\n" + transcript, transcript: transcript, attachments: attachments)
        }
        return .passed(summary, transcript: transcript, attachments: attachments)
    }

    /// The job log's statistics and request counts as tables for the HTML report.
    static func statisticsTable(_ log: JobLog) -> ReportTable {
        // As in the job log: a read row has no write counts and a write row no read count.
        let rows = log.statistics.map { row in
            let reading = row.action == .read
            let counts = [reading ? String(row.read) : "n/a"] + [row.created, row.updated, row.deleted].map { reading ? "n/a" : String($0) }
            return [row.system, row.entity.rawValue, row.action.rawValue] + counts + [String(row.skipped), String(row.failed)]
        }
        return ReportTable(title: "\(log.type.rawValue) of \(log.source): \(log.status.rawValue), \(log.readMode.rawValue)",
                           columns: ["system", "entity", "action", "read", "created", "updated", "deleted", "skipped", "failed"], rows: rows)
    }

    /// What the engine's clients sent, per system.
    static func requestsTable(_ log: JobLog) -> ReportTable {
        let rows = log.requests.map { system, m in
            [system] + [m.requests, m.retries, m.tooManyRequests, m.timeouts, m.connectionErrors, m.tokenRefreshes].map(String.init)
        }
        return ReportTable(title: "Requests sent by the engine", columns: ["system", "requests", "retries", "429", "timeouts", "connection errors", "token refreshes"], rows: rows)
    }

    /// The log's statistics in the shape of the expectation (system → entity → counts).
    static func actualStatistics(_ log: JobLog, shape: JSONValue) -> JSONValue {
        var systems = JSONObject()
        for system in shape.objectValue ?? JSONObject() {
            var entities = JSONObject()
            for entity in system.value.objectValue ?? JSONObject() {
                guard let type = EntityType(rawValue: entity.key) else { continue }
                guard let row = log.statistics(type, system: system.key) else {
                    // No row: as expected for `absent`; left out (so reported missing) for counts.
                    if entity.value == .string(absent) { entities[entity.key] = .string(absent) }
                    continue
                }
                let values = [row.read, row.created, row.updated, row.deleted, row.skipped, row.failed]
                entities[entity.key] = .object(JSONObject(zip(counts, values).map { ($0, JSONValue($1)) }))
            }
            systems[system.key] = .object(entities)
        }
        return .object(systems)
    }
}
