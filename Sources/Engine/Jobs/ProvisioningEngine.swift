import Chrono
import Determinism
import Foundation
import JSON
import JSONPath
import Synchronization
import Transformation

/// Runs IPS jobs over a set of systems: reads a source, transforms, writes every enabled target,
/// deletes what vanished (under IPS's guards), and reports a job log.
public final class ProvisioningEngine: Sendable {
    public let systems: SystemsConfiguration
    public let clock: any SimulationClock
    let pool: ConnectionPool
    let randomSeed: UInt64?
    /// Job and real-time log IDs: seeded runs get the same IDs.
    private let identifiers: Mutex<EntropySource>

    /// - Parameters:
    ///   - clock: the simulation's clock, shared with the fakes so that retry intervals, token
    ///     lifetimes and hour-long request budgets shrink (and `advance`) alike; log times come from it.
    ///   - pacing: overrides every system's `provsim.pacing` when given.
    ///   - randomSeed: seeds transformation randomness and log IDs (none: the system's randomness).
    public init(systems: SystemsConfiguration, transport: any HTTPTransport, clock: any SimulationClock = SimulatedClock(),
                pacing: Bool? = nil, randomSeed: UInt64? = nil) {
        self.systems = systems
        self.clock = clock
        pool = ConnectionPool(transport: transport, clock: clock, pacing: pacing)
        self.randomSeed = randomSeed
        identifiers = Mutex(EntropySource(seed: randomSeed.map { $0 ^ 0x1D5_1D5 }))
    }

    /// Request counts per system since the engine started.
    public func metrics() async -> [String: RequestMetrics.Snapshot] {
        await pool.metrics()
    }

    /// Sends one request to `system` as its connector would (authentication, pacing, retries):
    /// `path` is appended to the system's `URL`. For probing a system outside a job, and for
    /// proxy systems reaching their back-end (`purpose` `.proxyRead` for their reads).
    public func send(system name: String, method: String, path: String, json: JSONValue? = nil,
                     headers: [(name: String, value: String)] = [], contentType: String = "application/json",
                     purpose: RequestPurpose? = nil) async throws(ConnectorError) -> HTTPResponse {
        let system = try self.system(named: name)
        guard let url = system.properties["URL"] else { throw ConnectorError("system '\(name)' has no URL property") }
        let connection = try await pool.connection(for: system)
        let base = url.hasSuffix("/") ? String(url.dropLast()) : url
        return try await connection.client.send(method, base + path, json: json, headers: headers, contentType: contentType,
                                                purpose: purpose ?? (method == "GET" ? .read(fullRead: false) : .write(method: method)))
    }

    /// The connectors of `system`, for a proxy system whose back-end is not a plain SCIM API
    /// (Platform Members): the same client, token and pacing as in jobs.
    public func connection(of name: String) async throws(ConnectorError) -> ConnectionPool.Connection {
        try await pool.connection(for: try system(named: name))
    }

    private func system(named name: String) throws(ConnectorError) -> ProvisioningSystem {
        guard let system = systems[name] else {
            throw ConnectorError("no system named '\(name)' (systems: \(systems.order.joined(separator: ", ")))")
        }
        return system
    }

    /// Who Run Now is triggered by when nobody is named: a user ID in the shape IPS shows.
    public static let defaultTriggeredBy = "P000000"

    /// Runs one job of `source`, updating `store`; never throws: every problem ends in the log.
    /// `triggeredBy` is the user of a Run Now (default `defaultTriggeredBy`); a scheduled job has none.
    public func run(source: String, job: JobType, trigger: JobTrigger = .immediate, triggeredBy: String? = nil, store: inout OperationalStore) async -> JobLog {
        let jobId = logId()
        var log = JobLog(id: jobId, source: source, type: job, readMode: .full, trigger: trigger,
                         triggeredBy: trigger == .scheduled ? nil : (triggeredBy ?? Self.defaultTriggeredBy), start: clock.date())
        guard let system = systems[source], system.role == .source else {
            log.errorMessage = "no source system named '\(source)' (sources: \(systems.sources.map(\.name).joined(separator: ", ")))"
            log.status = .finishedWithError
            log.endTime = clock.date()
            return log
        }
        let before = await pool.metrics()
        var state = store.sources[source] ?? OperationalStore.SourceState()
        let forceCount = system.properties.int("ips.full.read.force.count")
        let deltaEnabled = system.properties.bool("ips.delta.read", default: false)
        var full = job != .read || !deltaEnabled || !state.hasRead
            || (trigger == .scheduled && forceCount.map { state.deltaRunsSinceFull >= $0 } ?? false)

        for name in [source] + system.targets {
            if let ignored = systems[name]?.properties.notSimulated, !ignored.isEmpty {
                log.outcome.append("\(name): provsim does not simulate \(ignored.joined(separator: ", ")); accepted without effect.")
            }
        }
        let read = await readSource(system, full: &full, watermark: state.watermark, log: &log)
        log.readMode = full ? .full : .delta
        if !full { log.outcome.append("Delta read: no entities are deleted in targets.") }

        if read.connected {
            for targetName in system.targets {
                guard let target = systems[targetName] else { continue }
                guard target.enabled else {
                    log.outcome.append("Target \(targetName) is disabled: not written.")
                    continue
                }
                var run = TargetRun(engine: self, job: job, source: system, target: target, entities: read.entities,
                                    readTypes: read.types, deletion: full ? .vanished : .none, sourceReadFailed: read.failed)
                await run.provision(store: &store, log: &log)
            }
        }

        let failed = log.statistics.contains { $0.failed > 0 } || read.failed || !read.connected
        log.status = failed ? .finishedWithError : .success
        if job != .simulate {
            if read.connected, !read.failed {
                state.hasRead = true
                // `ips.full.read.force.count` counts scheduled runs only; manual runs (Run Now,
                // a manual full Read or Resync) neither count nor reset it (docs/fidelity.md, “The provisioning engine”).
                if trigger == .scheduled {
                    state.deltaRunsSinceFull = full ? 0 : min(state.deltaRunsSinceFull, Int.max - 1) + 1  // the store is a file: any count
                }
                // The next delta asks for changes after the newest one this job saw; a job with
                // errors keeps the old watermark so that failed entities are read again.
                if !failed, let newest = read.newestModification { state.watermark = newest }
            }
            store.sources[source] = state
        }
        let after = await pool.metrics()
        log.requests = after.keys.sorted().compactMap { name in
            let delta = after[name]!.since(before[name] ?? RequestMetrics.Snapshot())
            return delta.requests > 0 ? (name, delta) : nil
        }
        log.endTime = clock.date()
        return log
    }

    /// The outcome of reading a source.
    struct SourceRead {
        var connected = true
        var failed = false
        /// Entity types the source delivered (a type whose read failed or is ignored is absent).
        var types: Set<EntityType> = []
        var entities: [EntityType: [(sourceId: String, value: JSONValue)]] = [:]
        var newestModification: String?
    }

    private func readSource(_ system: ProvisioningSystem, full: inout Bool, watermark: String?, log: inout JobLog) async -> SourceRead {
        var result = SourceRead()
        let reader: any SourceConnector
        do throws(ConnectorError) {
            guard let r = try await pool.connection(for: system).source else { throw ConnectorError("\(system.type.rawValue) cannot be read as a source") }
            // A read configuration IPS refuses fails the job before anything is read or written.
            _ = try system.properties.xsuaaOriginFilter()
            reader = r
        } catch {
            result.connected = false
            log.errorMessage = "Source system \(system.name): \(error.message)"
            return result
        }
        if !full, !reader.supportsDeltaRead {
            full = true
            log.outcome.append("\(system.type.rawValue) does not support delta read: a full read was made.")
        }
        result.newestModification = watermark
        for type in [EntityType.user, .group] {
            guard let plan = system.transformation.plan(for: type), !plan.isIgnored else { continue }
            let raw: [JSONValue]
            do throws(ConnectorError) {
                raw = try await reader.read(type, modifiedAfter: full ? nil : watermark)
            } catch {
                result.failed = true
                log.errorMessage = log.errorMessage ?? "Reading \(type.rawValue)s from \(system.name) failed: \(error.message)"
                log.count(type, system.name, .read) { $0.failed += 1 }
                log.record(EntityEvent(entity: type, system: system.name, sourceId: nil, targetId: nil, operation: .fail, message: "reading \(type.rawValue)s failed: \(error.message)"))
                continue
            }
            result.types.insert(type)
            var entities: [(String, JSONValue)] = []
            entities.reserveCapacity(raw.count)
            let context = TransformContext(operation: .read, now: clock.date(), randomSeed: randomSeed)
            log.count(type, system.name, .read) { $0.read += raw.count }
            for entity in raw {
                if let modified = entity["meta"]?["lastModified"]?.stringValue, modified > (result.newestModification ?? "") {
                    result.newestModification = modified
                }
                let rawId = entity["id"]?.idText
                switch system.transformation.apply(entity, as: type, context: context) {
                case .transformed(let out):
                    guard let id = out.entityIdSourceSystem else {
                        result.failed = true
                        log.count(type, system.name, .read) { $0.failed += 1 }
                        log.record(EntityEvent(entity: type, system: system.name, sourceId: rawId, targetId: nil, operation: .fail,
                                               message: "the read transformation did not set entityIdSourceSystem"))
                        continue
                    }
                    entities.append((id, out.value))
                case .skipped(let reason):
                    log.count(type, system.name, .read) { $0.skipped += 1 }
                    log.record(EntityEvent(entity: type, system: system.name, sourceId: rawId, targetId: nil, operation: .skip, message: reason))
                case .failed(let failure):
                    // A source entity that cannot be read blocks deletion like a failed request.
                    result.failed = true
                    log.count(type, system.name, .read) { $0.failed += 1 }
                    log.record(EntityEvent(entity: type, system: system.name, sourceId: rawId, targetId: nil, operation: .fail, message: failure.description))
                }
            }
            result.entities[type] = entities.map { (sourceId: $0.0, value: $0.1) }
        }
        return result
    }

    /// A new job or real-time log ID (a version-4 UUID).
    func logId() -> String {
        identifiers.withLock { $0.uuidString() }
    }
}
