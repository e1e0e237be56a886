import JSON
import Transformation

/// Writing what is new or changed, target entity by target entity: creates with their conflict
/// resolution, updates (an entity deleted in the target is created again), take-overs of
/// `skipOperations: ["create"]`, `assignGroup`/`unassignGroup`, and the statistics IPS keeps.
extension TargetRun {
    func write(_ writes: [PendingWrite], type: EntityType, connector: any TargetConnector) async -> [WriteOutcome] {
        if type == .group { return await writeGroups(writes, connector: connector) }
        let parallel = target.properties.int("provsim.parallel.requests") ?? 8
        return await withTaskGroup(of: (Int, WriteOutcome).self) { group in
            var results = [WriteOutcome?](repeating: nil, count: writes.count)
            var next = 0
            func launch() {
                let index = next
                let w = writes[index]
                next += 1
                group.addTask { (index, await writeUser(w, connector: connector)) }
            }
            while next < writes.count, next < parallel { launch() }
            while let (index, outcome) = await group.next() {
                results[index] = outcome
                if next < writes.count { launch() }
            }
            return results.compactMap { $0 }
        }
    }

    /// One source user: one target user, or one per origin.
    private func writeUser(_ w: PendingWrite, connector: any TargetConnector) async -> WriteOutcome {
        let bodies = connector.targetBodies(.user, w.body)
        var results: [TargetResult] = []
        if let reason = w.takeOverOrSkip {
            for body in bodies { results.append(await takeOver(body, type: .user, connector: connector, skipReason: reason)) }
        } else if let record = w.record, record.targetIds.count == bodies.count {
            for (id, body) in zip(record.targetIds, bodies) {
                let first = await connector.update(.user, ids: [id], body)
                results.append(await finish(body, targetId: id, existedBefore: record.existedBefore, first: first, type: .user, connector: connector))
            }
        } else if target.type.isSCIMBased, let reason = target.transformation.plan(for: .user)?.skipReason(for: .create) {
            // Its target users no longer match its origins (one was skipped or failed last time),
            // and creating is skipped: each is taken over again rather than created.
            for body in bodies { results.append(await takeOver(body, type: .user, connector: connector, skipReason: reason)) }
        } else {
            // New, or its target users no longer match its origins (one failed last time): each
            // is created, and one that exists already is found through the conflict and updated.
            for body in bodies {
                let first = await connector.create(.user, body)
                results.append(await finish(body, targetId: nil, existedBefore: false, first: first, type: .user, connector: connector))
            }
        }
        results = Self.refusingSharedTargets(results)
        return WriteOutcome(write: w, results: await assignments(w, results, connector: connector))
    }

    /// Two origins of one source user found the same target user (the unique attribute does not
    /// name the origin): the later ones fail instead of overwriting it with another origin's body.
    static func refusingSharedTargets(_ results: [TargetResult]) -> [TargetResult] {
        var seen: Set<String> = []
        return results.map { result in
            guard case .updated(let id, _) = result else {
                if case .created(let id) = result { seen.insert(id) }
                return result
            }
            guard seen.insert(id).inserted else {
                return .failed(WriteFailure(.conflict, "another origin of this user already matched target user \(id): make the unique attribute name the origin (xsuaa.user.unique.attribute=userName,origin)"), id: nil)
            }
            return result
        }
    }

    /// Groups go to the connector together (Cloud Foundry orders its role changes across them);
    /// take-overs are found first and written as updates of the group found.
    private func writeGroups(_ writes: [PendingWrite], connector: any TargetConnector) async -> [WriteOutcome] {
        var decided: [Int: TargetResult] = [:]
        var batch: [(index: Int, targetId: String?, existedBefore: Bool, takenOver: Bool)] = []
        for (index, w) in writes.enumerated() {
            if target.type.honoursSupportedOperations, let operations = GroupOperations(group: w.body), operations != .readWrite {
                decided[index] = operations == .readOnly ? .skipped(reason: GroupOperations.unsupported)
                    : await writeMembers(w, operations, connector: connector)
                continue
            }
            guard let reason = w.takeOverOrSkip else {
                batch.append((index, w.record?.targetIds.first, w.record?.existedBefore ?? false, false))
                continue
            }
            switch await findOne(w.body, type: .group, connector: connector) {
            case .failure(let f): decided[index] = .failed(f, id: nil)
            case .success(.nothing): decided[index] = .skipped(reason: reason)
            case .success(.one(let id)): batch.append((index, id, true, true))
            case .success(let several): decided[index] = .failed(WriteFailure(.conflict, several.description(of: .group)), id: nil)
            }
        }
        let first = await connector.writeGroups(batch.map { GroupWrite(targetId: $0.targetId, body: writes[$0.index].body) })
        for (entry, result) in zip(batch, first) {
            decided[entry.index] = await finish(writes[entry.index].body, targetId: entry.targetId, existedBefore: entry.existedBefore,
                                                first: result, type: .group, connector: connector, mayCreate: !entry.takenOver)
        }
        return writes.indices.map { WriteOutcome(write: writes[$0], results: decided[$0].map { [$0] } ?? []) }
    }

    /// An application-specific group whose members alone IPS writes (`userOnlyMembership`,
    /// `membership`): into the group provisioned before, or on create into the existing group
    /// found by the unique attribute; a group that is not there fails (docs/fidelity.md, “The provisioning engine”).
    private func writeMembers(_ w: PendingWrite, _ operations: GroupOperations, connector: any TargetConnector) async -> TargetResult {
        var targetId = w.record?.targetIds.first
        var existedBefore = w.record?.existedBefore ?? false
        if targetId == nil {
            switch await findOne(w.body, type: .group, connector: connector) {
            case .failure(let f):
                return .failed(f, id: nil)
            case .success(.one(let id)):
                targetId = id
                existedBefore = true
            case .success(let other):
                let problem = other.count == 0 ? "no group matches" : "\(other.count) groups match"
                return .failed(WriteFailure(.notFound, "\(operations.rawValue) application-specific group: \(problem) \(other.criteria), whose members IPS would update"), id: nil)
            }
        }
        guard let id = targetId else { return .failed(WriteFailure(.notFound, "no group to update"), id: nil) }
        switch await connector.replaceMembers(group: id, with: operations.members(of: w.body), keepingGroupMembers: operations == .userOnlyMembership) {
        case .success: return .updated(id: id, existedBefore: existedBefore)
        case .failure(let f):
            let failure = f.kind == .notFound ? WriteFailure(.notFound, "\(operations.rawValue) application-specific group \(id) was not found in the target: \(f.message)", status: f.status) : f
            return .failed(failure, id: id)
        }
    }

    /// Follows up a first attempt: a create conflict is resolved through the unique attributes,
    /// an update of an entity deleted in the target creates it again.
    /// `mayCreate` is false for a take-over (`skipOperations: ["create"]`): a group found and then
    /// gone is not created.
    private func finish(_ body: JSONValue, targetId: String?, existedBefore: Bool, first: WriteResult, type: EntityType,
                        connector: any TargetConnector, mayCreate: Bool = true) async -> TargetResult {
        switch first {
        case .success(let ids):
            guard let id = ids.first ?? targetId else { return .failed(WriteFailure(.other, "the target answered without the entity's ID"), id: nil) }
            return targetId == nil ? .created(id: id) : .updated(id: id, existedBefore: existedBefore)
        case .failure(let failure) where failure.kind == .conflict && targetId == nil:
            switch await resolveConflict(body, type: type, connector: connector, failure: failure) {
            case .success(let id): return .updated(id: id, existedBefore: true)
            case .failure(let f): return .failed(f, id: nil)
            }
        case .failure(let failure) where failure.kind == .notFound && targetId != nil && mayCreate:
            // Deleted in the target behind IPS's back: provision it again.
            switch await connector.create(type, body) {
            case .success(let ids):
                guard let id = ids.first else { return .failed(WriteFailure(.other, "the target answered without the entity's ID"), id: targetId) }
                return .created(id: id)
            case .failure(let f): return .failed(f, id: targetId)
            }
        case .failure(let failure):
            return .failed(failure, id: targetId)
        }
    }

    /// `skipOperations: ["create"]`: the entity the target already has is found through the
    /// unique attributes and updated; none found, neither created nor updated (skipped).
    private func takeOver(_ body: JSONValue, type: EntityType, connector: any TargetConnector, skipReason: String) async -> TargetResult {
        switch await findOne(body, type: type, connector: connector) {
        case .failure(let f):
            return .failed(f, id: nil)
        case .success(.nothing):
            return .skipped(reason: skipReason)
        case .success(.one(let id)):
            switch await overwrite(id, with: body, type: type, connector: connector) {
            case .success: return .updated(id: id, existedBefore: true)
            case .failure(let f): return .failed(f, id: nil)
            }
        case .success(let several):
            return .failed(WriteFailure(.conflict, several.description(of: type)), id: nil)
        }
    }

    /// The target says the entity exists: find it by the unique attribute(s) and overwrite it.
    private func resolveConflict(_ body: JSONValue, type: EntityType, connector: any TargetConnector, failure: WriteFailure) async -> Result<String, WriteFailure> {
        if type == .user, !target.properties.scimBool("user.automatic.conflict.resolution", default: true) {
            return .failure(WriteFailure(.conflict, "409, uniqueness: \(failure.message)"))
        }
        switch await findOne(body, type: type, connector: connector) {
        case .failure(let f):
            return .failure(WriteFailure(.conflict, "\(failure.message); \(f.message)"))
        case .success(.one(let id)):
            return await overwrite(id, with: body, type: type, connector: connector).map { _ in id }
        case .success(let other):
            return .failure(WriteFailure(.conflict, "\(failure.message); \(other.description(of: type))"))
        }
    }

    /// Writes `body` over the target entity `id` (the one the unique attributes found).
    private func overwrite(_ id: String, with body: JSONValue, type: EntityType, connector: any TargetConnector) async -> WriteResult {
        await connector.update(type, ids: [id], body.removing("id").adding("id", .string(id)))
    }

    /// What the unique attributes found in the target.
    enum Match {
        case nothing(criteria: String)
        case one(String)
        case several(Int, criteria: String)

        var count: Int {
            switch self {
            case .nothing: return 0
            case .one: return 1
            case .several(let n, _): return n
            }
        }

        var criteria: String {
            switch self {
            case .nothing(let c), .several(_, let c): return c
            case .one: return ""
            }
        }

        /// "no existing users match userName = 'a'", "2 existing groups match …".
        func description(of type: EntityType) -> String {
            "\(count == 0 ? "no" : String(count)) existing \(type.rawValue)s match \(criteria)"
        }
    }

    /// The target entity the unique attributes find, if exactly one.
    private func findOne(_ body: JSONValue, type: EntityType, connector: any TargetConnector) async -> Result<Match, WriteFailure> {
        await findExisting(body, type: type, connector: connector).map { found in
            switch found.ids.count {
            case 0: return .nothing(criteria: found.criteria)
            case 1: return .one(found.ids[0])
            default: return .several(found.ids.count, criteria: found.criteria)
            }
        }
    }

    /// The target entities whose unique attributes (`*.user.unique.attribute`, default
    /// `userName`; `*.group.unique.attribute`, default `displayName`) equal the body's.
    private func findExisting(_ body: JSONValue, type: EntityType, connector: any TargetConnector) async -> Result<(ids: [String], criteria: String), WriteFailure> {
        let p = target.properties
        let attributes = type == .group ? p.uniqueAttributes(for: "group", default: "displayName") : p.uniqueAttributes(for: "user", default: "userName")
        var pairs: [(attribute: String, value: String)] = []
        for attribute in attributes {
            guard let value = body.text(atAttributePath: attribute) else {
                return .failure(WriteFailure(.conflict, "the entity has no '\(attribute)' to find the existing one by"))
            }
            pairs.append((attribute, value))
        }
        let criteria = pairs.map { "\($0.attribute) = '\($0.value)'" }.joined(separator: " and ")
        do throws(ConnectorError) {
            return .success((try await connector.find(type, matching: pairs), criteria))
        } catch {
            return .failure(WriteFailure(.conflict, "searching the existing entity failed: \(error.message)"))
        }
    }

    /// The user's `assignGroup`/`unassignGroup`, for each target user written; a failure fails
    /// that target user.
    private func assignments(_ w: PendingWrite, _ results: [TargetResult], connector: any TargetConnector) async -> [TargetResult] {
        guard !w.assign.isEmpty || !w.unassign.isEmpty else { return results }
        var out: [TargetResult] = []
        for result in results {
            let id: String
            switch result {
            case .created(let i), .updated(let i, _): id = i
            case .skipped, .failed:
                out.append(result)
                continue
            }
            var failure: WriteFailure?
            for group in w.assign where failure == nil {
                if case .failure(let f) = await connector.assign(user: id, toGroup: group) { failure = WriteFailure(.other, "assignGroup '\(group)': \(f.message)") }
            }
            for group in w.unassign where failure == nil {
                if case .failure(let f) = await connector.unassign(user: id, fromGroup: group) { failure = WriteFailure(.other, "unassignGroup '\(group)': \(f.message)") }
            }
            out.append(failure.map { .failed($0, id: id) } ?? result)
        }
        return out
    }

    /// Counts every target entity and keeps the record: the IDs written (in order), whether any
    /// existed before, and the hash unless something failed or was skipped (so the next Read
    /// tries again).
    func apply(_ outcome: WriteOutcome, type: EntityType, store: inout OperationalStore, log: inout JobLog) {
        let w = outcome.write
        var ids: [String] = []
        // An entity created now was not there before, whatever its record said (re-created after
        // a deletion behind IPS's back); one updated or left failed keeps what it was.
        var existedBefore = false
        var complete = true
        for result in outcome.results {
            switch result {
            case .created(let id):
                ids.append(id)
                log.count(type, target.name, .write) { $0.created += 1 }
                log.traces.append(EntityEvent(entity: type, system: target.name, sourceId: w.sourceId, targetId: id, operation: .create, message: nil))
            case .updated(let id, let existed):
                ids.append(id)
                existedBefore = existedBefore || existed
                log.count(type, target.name, .write) { $0.updated += 1 }
                let remark: String?
                if w.takeOverOrSkip != nil {
                    remark = "skipOperations create: found by its unique attributes, updated and marked as existed before"
                } else if w.record == nil && existed {
                    remark = "existed in the target: updated and marked as existed before"
                } else {
                    remark = nil
                }
                log.traces.append(EntityEvent(entity: type, system: target.name, sourceId: w.sourceId, targetId: id, operation: .update, message: remark))
            case .skipped(let reason):
                complete = false
                log.count(type, target.name, .write) { $0.skipped += 1 }
                log.record(EntityEvent(entity: type, system: target.name, sourceId: w.sourceId, targetId: nil, operation: .skip, message: reason))
            case .failed(let failure, let id):
                complete = false
                if let id {
                    ids.append(id)
                    existedBefore = existedBefore || (w.record?.existedBefore ?? false)
                }
                log.count(type, target.name, .write) { $0.failed += 1 }
                log.record(EntityEvent(entity: type, system: target.name, sourceId: w.sourceId, targetId: id ?? w.record?.targetIds.first, operation: .fail, message: failure.message))
            }
        }
        // Nothing in the target (a create that failed, a take-over that found nothing): no record,
        // so the next Read starts over.
        guard !ids.isEmpty else { return }
        let operations = type == .group && target.type.honoursSupportedOperations ? GroupOperations(group: w.body) : nil
        store.set(OperationalStore.Record(targetIds: ids, existedBefore: existedBefore, hash: complete ? w.hash : 0, supportedOperations: operations?.rawValue),
                  source: source.name, target: target.name, type: type, sourceId: w.sourceId)
    }
}
