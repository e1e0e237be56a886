import Chrono
import Foundation
import JSON
import JSONPath
import Transformation

/// Deleting what vanished from the source, under IPS's guards (docs/fidelity.md, “The provisioning engine”).
extension TargetRun {
    /// Entities provisioned earlier but not read now, under IPS's guards (docs/fidelity.md, “The provisioning engine”).
    func deleteVanished(connector: any TargetConnector, store: inout OperationalStore, log: inout JobLog) async {
        if case .none = deletion { return }
        if sourceReadFailed {
            log.outcome.append("No entities were deleted in \(target.name): not all entities could be read from \(source.name).")
            return
        }
        let allowExistedBefore = target.properties.bool("ips.delete.existedbefore.entities", default: false)
        // Groups first: members leave a group before the users themselves go.
        for type in [EntityType.group, .user] where readTypes.contains(type) {
            guard let plan = target.transformation.plan(for: type), !plan.isIgnored else { continue }
            let records = store.records(source: source.name, target: target.name, type: type)
            var vanished = records.keys.filter { !(seen[type]?.contains($0) ?? false) }.sorted()
            if case .only(let ids) = deletion { vanished = vanished.filter(ids.contains) }
            guard !vanished.isEmpty else { continue }
            var doomed: [(sourceId: String, record: OperationalStore.Record)] = []
            for sourceId in vanished {
                let record = records[sourceId]!
                if await spare(type, sourceId, record, plan: plan, allowExistedBefore: allowExistedBefore, connector: connector, store: &store, log: &log) {
                    continue
                }
                doomed.append((sourceId, record))
            }
            guard !doomed.isEmpty else { continue }
            let thresholdName = type == .group ? "ips.delete.threshold.groups" : "ips.delete.threshold.users"
            if let threshold = target.properties.int(thresholdName), doomed.count > threshold {
                let reason = "\(doomed.count) \(type.rawValue)s would be deleted, more than \(thresholdName) = \(threshold): none was deleted"
                log.outcome.append("Deletion threshold exceeded in \(target.name): \(reason).")
                for d in doomed { fail(type, d.sourceId, d.record, reason, log: &log) }
                continue
            }
            if let reason = plan.skipReason(for: .delete) {
                for d in doomed {
                    log.count(type, target.name, .write) { $0.skipped += 1 }
                    log.record(EntityEvent(entity: type, system: target.name, sourceId: d.sourceId, targetId: d.record.targetIds.first, operation: .skip,
                                           message: reason))
                }
                continue
            }
            guard job != .simulate else {
                log.count(type, target.name, .write) { $0.deleted += doomed.reduce(0) { $0 + max(1, $1.record.targetIds.count) } }
                continue
            }
            let results: [WriteResult]
            if plan.hasDeleteEntityMappings {
                results = await updateInsteadOfDelete(doomed, type: type, plan: plan, connector: connector)
            } else if type == .group && target.type.honoursSupportedOperations {
                results = await deleteGroupsHonouringOperations(doomed.map(\.record), connector: connector)
            } else if type == .group {
                let ids = doomed.map { $0.record.targetIds.first ?? "" }
                results = await connector.deleteGroups(ids)
            } else {
                results = await deleteUsers(doomed.map(\.record), connector: connector)
            }
            for (d, result) in zip(doomed, results) {
                switch result {
                case .success:
                    store.set(nil, source: source.name, target: target.name, type: type, sourceId: d.sourceId)
                    // One per target entity: a user with two XSUAA origins is two deletions.
                    log.count(type, target.name, .write) { $0.deleted += max(1, d.record.targetIds.count) }
                    log.traces.append(EntityEvent(entity: type, system: target.name, sourceId: d.sourceId, targetId: d.record.targetIds.first, operation: .delete,
                                                  message: plan.hasDeleteEntityMappings ? "updated with the deleteEntity mappings instead of deleted" : nil))
                case .failure(let failure):
                    fail(type, d.sourceId, d.record, failure.message, log: &log)
                }
            }
        }
    }

    /// Handles a vanished entity IPS does not delete, and says whether it did: an
    /// application-specific group without `ips.delete.existedbefore.entities` (nothing happens,
    /// docs/fidelity.md, “The provisioning engine”) or `readOnly` (skipped); an entity that existed before IPS, without that
    /// property (kept; a user only leaves the groups of its deleteEntity mappings, docs/fidelity.md, “Transformation language”).
    /// The records of kept entities are forgotten, so later permission does not delete them.
    private func spare(_ type: EntityType, _ sourceId: String, _ record: OperationalStore.Record, plan: EntityPlan, allowExistedBefore: Bool,
                       connector: any TargetConnector, store: inout OperationalStore, log: inout JobLog) async -> Bool {
        let message: String
        if type == .group, let operations = record.supportedOperations.flatMap(GroupOperations.init(rawValue:)) {
            if allowExistedBefore {
                guard operations == .readOnly else { return false }
                log.count(type, target.name, .write) { $0.skipped += 1 }
                log.record(EntityEvent(entity: type, system: target.name, sourceId: sourceId, targetId: record.targetIds.first, operation: .skip,
                                       message: GroupOperations.unsupported))
                return true
            }
            message = "application-specific group (\(operations.rawValue)): deleted only with ips.delete.existedbefore.entities"
        } else if record.existedBefore && !allowExistedBefore {
            var kept = "existed in the target before it was provisioned; not deleted because ips.delete.existedbefore.entities is not true"
            if job != .simulate, type == .user, plan.hasDeleteEntityMappings {
                switch await unassignOnly(sourceId: sourceId, record: record, plan: plan, connector: connector) {
                case .success(let groups) where !groups.isEmpty: kept += "; removed from \(groups.joined(separator: ", ")) by the deleteEntity mappings"
                case .success: break
                case .failure(let failure):
                    fail(type, sourceId, record, failure.message, log: &log)
                    return true
                }
            }
            message = kept
        } else {
            return false
        }
        if job != .simulate { store.set(nil, source: source.name, target: target.name, type: type, sourceId: sourceId) }
        log.traces.append(EntityEvent(entity: type, system: target.name, sourceId: sourceId, targetId: record.targetIds.first, operation: .keep, message: message))
        return true
    }

    /// Groups of the Identity Directory: an application-specific group whose members alone IPS
    /// manages loses its members (counted as deleted), any other is deleted (docs/fidelity.md, “The provisioning engine”).
    private func deleteGroupsHonouringOperations(_ records: [OperationalStore.Record], connector: any TargetConnector) async -> [WriteResult] {
        var results: [WriteResult] = []
        for record in records {
            let id = record.targetIds.first ?? ""
            if let operations = record.supportedOperations.flatMap(GroupOperations.init(rawValue:)), operations.membersOnly {
                results.append(await connector.replaceMembers(group: id, with: [], keepingGroupMembers: operations == .userOnlyMembership))
            } else {
                results.append(await connector.delete(.group, id: id))
            }
        }
        return results
    }

    private func fail(_ type: EntityType, _ sourceId: String, _ record: OperationalStore.Record, _ message: String, log: inout JobLog) {
        log.count(type, target.name, .write) { $0.failed += 1 }
        log.record(EntityEvent(entity: type, system: target.name, sourceId: sourceId, targetId: record.targetIds.first, operation: .fail, message: message))
    }

    private func deleteUsers(_ records: [OperationalStore.Record], connector: any TargetConnector) async -> [WriteResult] {
        var results: [WriteResult] = []
        for record in records {
            var result: WriteResult = .success(record.targetIds)
            for id in record.targetIds {
                if case .failure(let f) = await connector.delete(.user, id: id) { result = .failure(f) }
            }
            results.append(result)
        }
        return results
    }

    /// The deleteEntity mappings applied to target entity `id` of a vanished source entity.
    private func deleteEntityMappings(_ plan: EntityPlan, sourceId: String, targetId id: String) -> TransformResult {
        let variables = VariableBindings([("entityIdSourceSystem", .string(sourceId)), ("entityIdTargetSystem", .string(id))])
        return plan.apply(to: .object(JSONObject()), context: TransformContext(operation: .delete, variables: variables, now: engine.clock.date(), randomSeed: engine.randomSeed))
    }

    /// Takes user `id` out of every group of `groups`; a group that no longer exists is ignored
    /// when a user is deleted. Returns the groups it left, or the first failure.
    private func leave(_ groups: [String], user id: String, connector: any TargetConnector) async -> Result<[String], WriteFailure> {
        var left: [String] = []
        var failure: WriteFailure?
        for group in groups {
            switch await connector.unassign(user: id, fromGroup: group) {
            case .success: left.append(group)
            case .failure(let f) where f.kind == .notFound: continue
            case .failure(let f): failure = failure ?? f
            }
        }
        return failure.map { .failure($0) } ?? .success(left)
    }

    /// The `unassignGroup` of the deleteEntity mappings, without updating the user: IPS's rule
    /// for a vanished user that existed in the target before (docs/fidelity.md, “Transformation language”). Returns the groups
    /// the user left.
    private func unassignOnly(sourceId: String, record: OperationalStore.Record, plan: EntityPlan,
                              connector: any TargetConnector) async -> Result<[String], WriteFailure> {
        var left: [String] = []
        for id in record.targetIds {
            guard case .transformed(let out) = deleteEntityMappings(plan, sourceId: sourceId, targetId: id) else { continue }
            switch await leave(Self.groupIds(out.variables["unassignGroup"]), user: id, connector: connector) {
            case .success(let groups): left += groups
            case .failure(let f): return .failure(f)
            }
        }
        return .success(left)
    }

    /// `deleteEntity` mappings: the entity is updated with only those mappings (and its
    /// `unassignGroup` applied) instead of being deleted.
    private func updateInsteadOfDelete(_ doomed: [(sourceId: String, record: OperationalStore.Record)], type: EntityType, plan: EntityPlan,
                                       connector: any TargetConnector) async -> [WriteResult] {
        var results: [WriteResult] = []
        for d in doomed {
            var result: WriteResult = .success(d.record.targetIds)
            for id in d.record.targetIds {
                switch deleteEntityMappings(plan, sourceId: d.sourceId, targetId: id) {
                case .transformed(let out):
                    if case .failure(let f) = await connector.update(type, id: id, out.value) { result = .failure(f); break }
                    if case .failure(let f) = await leave(Self.groupIds(out.variables["unassignGroup"]), user: id, connector: connector) { result = .failure(f) }
                case .skipped(let reason): result = .failure(WriteFailure(.other, reason))
                case .failed(let f): result = .failure(WriteFailure(.other, f.description))
                }
            }
            results.append(result)
        }
        return results
    }
}
