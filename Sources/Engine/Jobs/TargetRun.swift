import Foundation
import JSON
import JSONPath
import Transformation

/// Which provisioned entities a target run may delete when they were not written now.
enum DeletionScope: Sendable {
    /// Delta read: nothing is deleted.
    case none
    /// Full read: everything provisioned earlier that the source no longer delivers.
    case vanished
    /// Real-time provisioning: only these source IDs (the entity deleted in the source, or one a
    /// condition now rejects).
    case only(Set<String>)
}

/// One target's part of a job: write what is new or changed, then delete what vanished.
struct TargetRun {
    let engine: ProvisioningEngine
    let job: JobType
    let source: ProvisioningSystem
    let target: ProvisioningSystem
    let entities: [EntityType: [(sourceId: String, value: JSONValue)]]
    let readTypes: Set<EntityType>
    let deletion: DeletionScope
    let sourceReadFailed: Bool

    /// Source IDs that are still provisioned (written, unchanged, failed or skipped by operation).
    private var seen: [EntityType: Set<String>] = [:]

    init(engine: ProvisioningEngine, job: JobType, source: ProvisioningSystem, target: ProvisioningSystem,
         entities: [EntityType: [(sourceId: String, value: JSONValue)]], readTypes: Set<EntityType>, deletion: DeletionScope, sourceReadFailed: Bool) {
        self.engine = engine
        self.job = job
        self.source = source
        self.target = target
        self.entities = entities
        self.readTypes = readTypes
        self.deletion = deletion
        self.sourceReadFailed = sourceReadFailed
    }

    /// A transformed entity waiting to be written.
    struct PendingWrite: Sendable {
        let sourceId: String
        let operation: TransformOperation
        let body: JSONValue
        let record: OperationalStore.Record?
        let hash: UInt64
        let assign: [String]
        let unassign: [String]
    }

    /// What a write did.
    struct WriteOutcome: Sendable {
        let write: PendingWrite
        /// Target IDs and whether the entity existed before; `nil` when it failed.
        let result: Result<(ids: [String], existedBefore: Bool, created: Bool), WriteFailure>
    }

    mutating func provision(store: inout OperationalStore, log: inout JobLog) async {
        let connector: any TargetConnector
        do throws(ConnectorError) {
            guard let c = try await engine.pool.connection(for: target).target else { throw ConnectorError("\(target.type.rawValue) cannot be written as a target") }
            connector = c
        } catch {
            log.errorMessage = log.errorMessage ?? "Target system \(target.name): \(error.message)"
            for (type, list) in entities where target.transformation.plan(for: type) != nil {
                log.count(type, target.name, .write) { $0.failed += list.count }
            }
            return
        }
        for type in [EntityType.user, .group] {
            guard let plan = target.transformation.plan(for: type), !plan.isIgnored, let list = entities[type] else { continue }
            log.count(type, target.name, .write) { _ in }
            let writes = transform(list, type: type, plan: plan, store: &store, log: &log)
            guard job != .simulate else {
                for w in writes { log.count(type, target.name, .write) { w.operation == .create ? ($0.created += 1) : ($0.updated += 1) } }
                continue
            }
            let outcomes = await write(writes, type: type, connector: connector)
            for outcome in outcomes { apply(outcome, type: type, store: &store, log: &log) }
        }
        await deleteVanished(connector: connector, store: &store, log: &log)
    }

    // MARK: Transform

    private mutating func transform(_ list: [(sourceId: String, value: JSONValue)], type: EntityType, plan: EntityPlan,
                                    store: inout OperationalStore, log: inout JobLog) -> [PendingWrite] {
        // Resolved after the users of this job are written, so new members resolve.
        let resolver = store.resolver(target: target.name, defaultSource: source.name)
        var writes: [PendingWrite] = []
        let now = Date()
        for (sourceId, value) in list {
            let record = store.record(source: source.name, target: target.name, type: type, sourceId: sourceId)
            // IPS detects changes on the source side: a Read passes over entities read unchanged.
            let hash = Self.hash(value)
            if job == .read, let record, record.hash == hash {
                seen[type, default: []].insert(sourceId)
                log.traces.append(EntityEvent(entity: type, system: target.name, sourceId: sourceId, targetId: record.targetIds.first, operation: .unchanged, message: nil))
                continue
            }
            let operation: TransformOperation = record == nil ? .create : .update
            var variables = VariableBindings([("entityIdSourceSystem", .string(sourceId))])
            if let id = record?.targetIds.first { variables["entityIdTargetSystem"] = .string(id) }
            let context = TransformContext(operation: operation, variables: variables, now: now, resolver: resolver, randomSeed: engine.randomSeed)
            switch plan.apply(to: value, context: context) {
            case .skipped(let reason):
                log.count(type, target.name, .write) { $0.skipped += 1 }
                log.record(EntityEvent(entity: type, system: target.name, sourceId: sourceId, targetId: record?.targetIds.first, operation: .skip, message: reason))
                // skipOperations keeps the entity provisioned; a failed condition does not.
                if plan.conditionHolds(for: value, context: context) {
                    seen[type, default: []].insert(sourceId)
                    // Skipped for good: the change is taken as seen, not offered again next Read.
                    if job != .simulate, var record {
                        record.hash = hash
                        store.set(record, source: source.name, target: target.name, type: type, sourceId: sourceId)
                    }
                }
            case .failed(let failure):
                seen[type, default: []].insert(sourceId)
                log.count(type, target.name, .write) { $0.failed += 1 }
                log.record(EntityEvent(entity: type, system: target.name, sourceId: sourceId, targetId: record?.targetIds.first, operation: .fail, message: failure.description))
            case .transformed(let out):
                seen[type, default: []].insert(sourceId)
                let assign = Self.groupIds(out.variables["assignGroup"])
                let unassign = Self.groupIds(out.variables["unassignGroup"])
                // Unresolved members: no hash, so that the next Read tries again.
                let storedHash = out.warnings.isEmpty ? hash : 0
                writes.append(PendingWrite(sourceId: sourceId, operation: operation, body: out.value, record: record, hash: storedHash, assign: assign, unassign: unassign))
            }
        }
        return writes
    }

    // MARK: Write

    private func write(_ writes: [PendingWrite], type: EntityType, connector: any TargetConnector) async -> [WriteOutcome] {
        if type == .group {
            let first = await connector.writeGroups(writes.map { GroupWrite(targetId: $0.record?.targetIds.first, body: $0.body) })
            var outcomes: [WriteOutcome] = []
            for (w, result) in zip(writes, first) { outcomes.append(await complete(w, first: result, type: type, connector: connector)) }
            return outcomes
        }
        let parallel = target.properties.int("provsim.parallel.requests") ?? 8
        return await withTaskGroup(of: (Int, WriteOutcome).self) { group in
            var results = [WriteOutcome?](repeating: nil, count: writes.count)
            var next = 0
            func launch() {
                let index = next
                let w = writes[index]
                next += 1
                group.addTask {
                    let first = w.operation == .create
                        ? await connector.create(type, w.body)
                        : await connector.update(type, ids: w.record!.targetIds, w.body)
                    return (index, await complete(w, first: first, type: type, connector: connector))
                }
            }
            while next < writes.count, next < parallel { launch() }
            while let (index, outcome) = await group.next() {
                results[index] = outcome
                if next < writes.count { launch() }
            }
            return results.map { $0! }
        }
    }

    /// Follows up a first write attempt: a create conflict is resolved through the unique
    /// attributes, an update of an entity deleted in the target creates it again, and the
    /// user's `assignGroup`/`unassignGroup` are applied.
    private func complete(_ w: PendingWrite, first: WriteResult, type: EntityType, connector: any TargetConnector) async -> WriteOutcome {
        var ids: [String]
        var existedBefore = w.record?.existedBefore ?? false
        var created = w.operation == .create
        switch first {
        case .success(let written):
            ids = written
        case .failure(let failure) where failure.kind == .conflict && w.operation == .create:
            switch await resolveConflict(w, type: type, connector: connector, failure: failure) {
            case .success(let id):
                ids = [id]
                existedBefore = true
                created = false
            case .failure(let f):
                return WriteOutcome(write: w, result: .failure(f))
            }
        case .failure(let failure) where failure.kind == .notFound && w.operation == .update:
            // Deleted in the target behind IPS's back: provision it again.
            switch await connector.create(type, w.body) {
            case .success(let written):
                ids = written
                created = true
                existedBefore = false
            case .failure(let f):
                return WriteOutcome(write: w, result: .failure(f))
            }
        case .failure(let failure):
            return WriteOutcome(write: w, result: .failure(failure))
        }
        for group in w.assign {
            for id in ids {
                if case .failure(let f) = await connector.assign(user: id, toGroup: group) {
                    return WriteOutcome(write: w, result: .failure(WriteFailure(.other, "assignGroup '\(group)': \(f.message)")))
                }
            }
        }
        for group in w.unassign {
            for id in ids {
                if case .failure(let f) = await connector.unassign(user: id, fromGroup: group) {
                    return WriteOutcome(write: w, result: .failure(WriteFailure(.other, "unassignGroup '\(group)': \(f.message)")))
                }
            }
        }
        return WriteOutcome(write: w, result: .success((ids, existedBefore, created)))
    }

    /// The target says the entity exists: find it by the unique attribute(s) and overwrite it.
    private func resolveConflict(_ w: PendingWrite, type: EntityType, connector: any TargetConnector, failure: WriteFailure) async -> Result<String, WriteFailure> {
        let p = target.properties
        if type == .user, !p.scimBool("user.automatic.conflict.resolution", default: true) {
            return .failure(WriteFailure(.conflict, "409, uniqueness: \(failure.message)"))
        }
        let attributes = type == .group ? p.uniqueAttributes(for: "group", default: "displayName") : p.uniqueAttributes(for: "user", default: "userName")
        var pairs: [(attribute: String, value: String)] = []
        for attribute in attributes {
            guard let value = w.body.text(atAttributePath: attribute) else {
                return .failure(WriteFailure(.conflict, "\(failure.message); the entity has no '\(attribute)' to find the existing one by"))
            }
            pairs.append((attribute, value))
        }
        let found: [String]
        do throws(ConnectorError) {
            found = try await connector.find(type, matching: pairs)
        } catch {
            return .failure(WriteFailure(.conflict, "\(failure.message); searching the existing entity failed: \(error.message)"))
        }
        let criteria = pairs.map { "\($0.attribute) = '\($0.value)'" }.joined(separator: " and ")
        guard found.count == 1 else {
            return .failure(WriteFailure(.conflict, "\(failure.message); \(found.isEmpty ? "no" : "\(found.count)") existing \(type.rawValue)s match \(criteria)"))
        }
        switch await connector.update(type, id: found[0], w.body.removing("id").adding("id", .string(found[0]))) {
        case .success: return .success(found[0])
        case .failure(let f): return .failure(f)
        }
    }

    private func apply(_ outcome: WriteOutcome, type: EntityType, store: inout OperationalStore, log: inout JobLog) {
        let w = outcome.write
        switch outcome.result {
        case .success(let done):
            store.set(OperationalStore.Record(targetIds: done.ids, existedBefore: done.existedBefore, hash: w.hash),
                      source: source.name, target: target.name, type: type, sourceId: w.sourceId)
            log.count(type, target.name, .write) { done.created ? ($0.created += 1) : ($0.updated += 1) }
            let remark = w.operation == .create && !done.created ? "existed in the target: updated and marked as existed before" : nil
            log.traces.append(EntityEvent(entity: type, system: target.name, sourceId: w.sourceId, targetId: done.ids.first,
                                          operation: done.created ? .create : .update, message: remark))
        case .failure(let failure):
            log.count(type, target.name, .write) { $0.failed += 1 }
            log.record(EntityEvent(entity: type, system: target.name, sourceId: w.sourceId, targetId: w.record?.targetIds.first, operation: .fail, message: failure.message))
        }
    }

    // MARK: Delete

    /// Entities provisioned earlier but not read now, under IPS's guards (behaviour reference 2.5).
    private func deleteVanished(connector: any TargetConnector, store: inout OperationalStore, log: inout JobLog) async {
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
                if record.existedBefore && !allowExistedBefore {
                    if job != .simulate { store.set(nil, source: source.name, target: target.name, type: type, sourceId: sourceId) }
                    log.traces.append(EntityEvent(entity: type, system: target.name, sourceId: sourceId, targetId: record.targetIds.first, operation: .keep,
                                                  message: "existed in the target before it was provisioned; not deleted because ips.delete.existedbefore.entities is not true"))
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
                log.count(type, target.name, .write) { $0.deleted += doomed.count }
                continue
            }
            let results: [WriteResult]
            if plan.hasDeleteEntityMappings {
                results = await updateInsteadOfDelete(doomed, type: type, plan: plan, connector: connector)
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
                    log.count(type, target.name, .write) { $0.deleted += 1 }
                    log.traces.append(EntityEvent(entity: type, system: target.name, sourceId: d.sourceId, targetId: d.record.targetIds.first, operation: .delete,
                                                  message: plan.hasDeleteEntityMappings ? "updated with the deleteEntity mappings instead of deleted" : nil))
                case .failure(let failure):
                    fail(type, d.sourceId, d.record, failure.message, log: &log)
                }
            }
        }
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

    /// `deleteEntity` mappings: the entity is updated with only those mappings (and its
    /// `unassignGroup` applied) instead of being deleted.
    private func updateInsteadOfDelete(_ doomed: [(sourceId: String, record: OperationalStore.Record)], type: EntityType, plan: EntityPlan,
                                       connector: any TargetConnector) async -> [WriteResult] {
        var results: [WriteResult] = []
        for d in doomed {
            var result: WriteResult = .success(d.record.targetIds)
            for id in d.record.targetIds {
                let variables = VariableBindings([("entityIdSourceSystem", .string(d.sourceId)), ("entityIdTargetSystem", .string(id))])
                let context = TransformContext(operation: .delete, variables: variables, now: Date(), randomSeed: engine.randomSeed)
                switch plan.apply(to: .object(JSONObject()), context: context) {
                case .transformed(let out):
                    if case .failure(let f) = await connector.update(type, id: id, out.value) { result = .failure(f); break }
                    for group in Self.groupIds(out.variables["unassignGroup"]) {
                        // A group that no longer exists is ignored when a user is deleted.
                        if case .failure(let f) = await connector.unassign(user: id, fromGroup: group), f.kind != .notFound { result = .failure(f) }
                    }
                case .skipped(let reason): result = .failure(WriteFailure(.other, reason))
                case .failed(let f): result = .failure(WriteFailure(.other, f.description))
                }
            }
            results.append(result)
        }
        return results
    }

    // MARK: Helpers

    /// Target group IDs of `assignGroup`/`unassignGroup`: `[{"id": "…"}]`.
    static func groupIds(_ value: JSONValue?) -> [String] {
        switch value {
        case .array(let items)?: return items.compactMap { $0["id"]?.idText ?? $0.idText }
        case .object(let o)?: return o["id"]?.idText.map { [$0] } ?? []
        default: return []
        }
    }

    /// FNV-1a over the entity as read (after the read transformation).
    static func hash(_ value: JSONValue) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in JSONWriter().bytes(value) { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}

extension JSONValue {
    func adding(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var o) = self else { return self }
        o[key] = value
        return .object(o)
    }
}
