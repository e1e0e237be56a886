import Chrono
import Foundation
import JSON
import Transformation

/// Real-time provisioning (reference section 4): one entity of a source pushed to every target of
/// that source at once, without a job.
///
/// The contract IPS does not document is chosen as the reference infers it: IPS is told which
/// entity changed and reads it from the source itself ("Entity Read"), then runs the source read
/// transformation and each target's write transformation. Filter properties (`*.user.filter`)
/// are not applied; conditions are: an entity the source condition rejects is deprovisioned in
/// the targets (or not written), one a target condition rejects is deprovisioned there (or
/// skipped). An entity that came into the source through a job of IPS is not passed on (loop
/// prevention).
extension ProvisioningEngine {
    /// Provisions (or, with `deleted`, deprovisions) one entity of `source` in all its targets.
    /// Throws for a request IPS refuses outright (unknown or non-source system, an entity the
    /// source does not have, a source it cannot reach); everything else ends in the log.
    public func provisionRealTime(source name: String, type: EntityType, sourceId: String, deleted: Bool,
                                  store: inout OperationalStore) async throws(RealTimeError) -> RealTimeLog {
        guard let system = systems[name] else {
            throw RealTimeError(status: 404, "no system '\(name)' (systems: \(systems.order.joined(separator: ", ")))")
        }
        guard system.role == .source else {
            throw RealTimeError(status: 400, "'\(name)' is a \(system.role.rawValue) system: real-time provisioning needs a source system")
        }
        // IPS supports real-time provisioning from Identity Authentication, the Local Identity
        // Directory and SuccessFactors only (docs/fidelity.md, “Real-time provisioning”); of provsim's types, the directory.
        guard system.type == .identityDirectory else {
            throw RealTimeError(status: 400, "'\(name)' is a \(system.type.rawValue) system: real-time provisioning reads from Identity Authentication, the Local Identity Directory or SAP SuccessFactors only")
        }
        guard let plan = system.transformation.plan(for: type), !plan.isIgnored else {
            throw RealTimeError(status: 400, "the read transformation of '\(name)' has no \(type.rawValue) block")
        }
        let start = clock.date()
        var log = RealTimeLog(id: logId(), sourceSystem: name, entityType: type, sourceId: sourceId,
                              source: .init(system: name, operation: deleted ? .delete : nil, state: deleted ? .deleted : .read, entityId: sourceId,
                                            additionalInformation: nil, reason: nil),
                              startTime: start, endTime: start)

        // Loop prevention: written into this application by a job (of any source), so not IAS's own.
        let sameApplication = Set(systems.order.compactMap { systems[$0] }
            .filter { $0.role == .target && $0.properties["URL"] != nil && $0.properties["URL"] == system.properties["URL"] }.map(\.name))
        if let writer = store.writer(of: sourceId, type: type, intoAnyOf: sameApplication) {
            log.source = .init(system: name, operation: nil, state: .skipped, entityId: sourceId, additionalInformation: nil,
                               reason: "came into \(name) through a job of \(writer.source) (target \(writer.target)): real-time provisioning does not pass it on")
            log.endTime = clock.date()
            return log
        }

        var entityId = sourceId
        var entities: [EntityType: [(sourceId: String, value: JSONValue)]] = [type: []]
        if !deleted {
            let raw: JSONValue?
            do throws(ConnectorError) {
                guard let reader = try await pool.connection(for: system).source else {
                    throw ConnectorError("\(system.type.rawValue) cannot be read as a source")
                }
                raw = try await reader.read(type, id: sourceId)
            } catch {
                throw RealTimeError(status: 502, "reading \(type.rawValue) \(sourceId) from \(name) failed: \(error.message)")
            }
            guard let raw else { throw RealTimeError(status: 404, "\(name) has no \(type.rawValue) '\(sourceId)'") }
            switch system.transformation.apply(raw, as: type, context: TransformContext(operation: .read, now: clock.date(), randomSeed: randomSeed)) {
            case .transformed(let out):
                entityId = out.entityIdSourceSystem ?? sourceId
                entities[type] = [(entityId, out.value)]
            case .skipped(let reason):
                // Rejected by the source condition: deprovisioned where it was provisioned.
                log.source = .init(system: name, operation: nil, state: .skipped, entityId: sourceId, additionalInformation: nil, reason: reason)
            case .failed(let failure):
                log.source = .init(system: name, operation: nil, state: .failed, entityId: sourceId, additionalInformation: nil, reason: failure.description)
                log.endTime = clock.date()
                return log
            }
        }

        let removing = entities[type]?.isEmpty ?? true
        for targetName in system.targets {
            guard let target = systems[targetName] else { continue }
            let before = store.record(source: name, target: targetName, type: type, sourceId: entityId)
            let operation: RealTimeLog.Operation = removing ? .delete : before == nil ? .create : .update
            let origin = target.type == .xsuaa && type == .user ? target.properties["xsuaa.origin"].map { "origin: \($0)" } : nil
            func detail(_ state: RealTimeLog.State, _ id: String?, _ reason: String?) -> RealTimeLog.Detail {
                // A target condition that now fails deprovisions: the operation is then a delete.
                .init(system: targetName, operation: state == .deleted ? .delete : operation, state: state, entityId: id, additionalInformation: origin, reason: reason)
            }
            guard target.enabled else {
                log.targets.append(detail(.notProvisioned, nil, "the target system is disabled"))
                continue
            }
            var jobLog = JobLog(id: log.id, source: name, type: .read, readMode: .delta, trigger: .immediate, start: clock.date())
            var run = TargetRun(engine: self, job: .read, source: system, target: target, entities: entities, readTypes: [type],
                                deletion: .only([entityId]), sourceReadFailed: false)
            await run.provision(store: &store, log: &jobLog)
            let known = before?.targetIds.first
            guard let event = jobLog.traces.last(where: { $0.system == targetName && $0.entity == type && $0.sourceId == entityId }) else {
                if let error = jobLog.errorMessage {
                    log.targets.append(detail(.failed, known, error))
                } else if target.transformation.plan(for: type).map({ $0.isIgnored }) ?? true {
                    log.targets.append(detail(.notProvisioned, nil, "the write transformation of \(targetName) has no \(type.rawValue) block"))
                } else {
                    log.targets.append(detail(.notProvisioned, nil, removing ? "was not provisioned to \(targetName)" : nil))
                }
                continue
            }
            switch event.operation {
            case .create: log.targets.append(detail(.created, event.targetId, event.message))
            case .update: log.targets.append(detail(.updated, event.targetId, event.message))
            case .unchanged: log.targets.append(detail(.alreadyProvisioned, event.targetId, nil))
            case .delete: log.targets.append(detail(.deleted, event.targetId, event.message))
            case .skip, .keep: log.targets.append(detail(.skipped, event.targetId ?? known, event.message))
            case .fail: log.targets.append(detail(.failed, event.targetId ?? known, event.message))
            case .read: log.targets.append(detail(.read, event.targetId, nil))
            }
        }
        log.endTime = clock.date()
        return log
    }
}
