import Chrono
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
    var seen: [EntityType: Set<String>] = [:]

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
        /// Set when `skipOperations: ["create"]` turns a create into an update of the entity the
        /// target already has (found by the unique attributes); the reason it is skipped when
        /// there is none.
        var takeOverOrSkip: String? = nil
    }

    /// How one target entity of a write ended. A source entity is one target entity, or one per
    /// origin for an XSUAA user written with several origins; IPS counts each (docs/fidelity.md, “UAA and XSUAA”).
    enum TargetResult: Sendable {
        case created(id: String)
        case updated(id: String, existedBefore: Bool)
        case skipped(reason: String)
        /// `id`: the entity's ID in the target when it has one (a failed update).
        case failed(WriteFailure, id: String?)
    }

    /// What a write did, target entity by target entity.
    struct WriteOutcome: Sendable {
        let write: PendingWrite
        let results: [TargetResult]
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
                // Nothing is written: each target entity is counted as the operation would go
                // (a take-over as the update it would be).
                for w in writes {
                    if type == .group, target.type.honoursSupportedOperations, GroupOperations(group: w.body) == .readOnly {
                        log.count(type, target.name, .write) { $0.skipped += 1 }
                        continue
                    }
                    let n = connector.targetBodies(type, w.body).count
                    log.count(type, target.name, .write) { w.operation == .create && w.takeOverOrSkip == nil ? ($0.created += n) : ($0.updated += n) }
                }
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
        let now = engine.clock.date()
        for (sourceId, value) in list {
            let record = store.record(source: source.name, target: target.name, type: type, sourceId: sourceId)
            // IPS detects changes on the source side: a Read passes over entities read unchanged.
            let hash = Self.hash(value)
            if job == .read, let record, record.hash == hash {
                seen[type, default: []].insert(sourceId)
                log.traces.append(EntityEvent(entity: type, system: target.name, sourceId: sourceId, targetId: record.targetIds.first, operation: .unchanged, message: nil))
                continue
            }
            var operation: TransformOperation = record == nil ? .create : .update
            // skipOperations ["create"] on a SCIM-based target: IPS updates the entity the target
            // already has instead (found through the unique attributes), transformed as an update
            // whose target ID is still to be found (docs/fidelity.md, “Transformation language”).
            var takeOverOrSkip: String?
            if record == nil, target.type.isSCIMBased, let reason = plan.skipReason(for: .create), plan.skipReason(for: .update) == nil {
                operation = .update
                takeOverOrSkip = reason
            }
            var variables = VariableBindings([("entityIdSourceSystem", .string(sourceId))])
            if let id = record?.targetIds.first { variables["entityIdTargetSystem"] = .string(id) }
            var context = TransformContext(operation: operation, variables: variables, now: now, resolver: resolver, randomSeed: engine.randomSeed)
            context.targetIdPending = takeOverOrSkip != nil
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
                writes.append(PendingWrite(sourceId: sourceId, operation: operation, body: out.value, record: record, hash: storedHash,
                                           assign: assign, unassign: unassign, takeOverOrSkip: takeOverOrSkip))
            }
        }
        return writes
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
