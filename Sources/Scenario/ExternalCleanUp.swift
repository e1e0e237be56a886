import Engine
import JSON
import Transformation

/// Deleting what a scenario created in systems that are not fakes, when the scenario ends (or a
/// second `systems` step replaces them), whether its steps passed or not: a real service keeps
/// nothing of a test run.
extension World {
    /// What one clean-up did: entities deleted, and those it could not delete.
    struct CleanUpReport: Sendable {
        var deleted: [String] = []
        var failures: [String] = []
        /// What was not deleted on purpose: real data, kept entities, Cloud Foundry.
        var keptOut: Set<String> = []

        var isEmpty: Bool { deleted.isEmpty && failures.isEmpty && keptOut.isEmpty }

        /// Adds what a later clean-up did.
        mutating func append(_ later: CleanUpReport) {
            deleted += later.deleted
            failures += later.failures
            keptOut.formUnion(later.keptOut)
        }
    }

    /// Deletes, in the external systems, what seeds and changes created through their APIs and
    /// what jobs created there (the operational store's entities that did not exist before):
    /// groups before users, newest first, and only entities whose name carries the run ID; then
    /// whatever else the systems list with the run ID in its name. Cloud Foundry systems lose
    /// the users and roles named with the run ID. Does nothing when the run keeps them
    /// (`--keep-created`), but say what it keeps.
    func cleanUpExternal() async -> CleanUpReport {
        // Even while the run is being interrupted: a task of its own does not inherit the
        // cancellation, and a cancelled request would delete nothing.
        await Task.detached { await self.cleaningUpExternal() }.value
    }

    private func cleaningUpExternal() async -> CleanUpReport {
        var report = CleanUpReport()
        guard let provisioning, !provisioning.external.isEmpty else { return report }
        var entities = provisioning.createdExternally
        let store = await provisioning.simulation.store.snapshot
        for source in provisioning.engine.systems.sources {
            for target in source.targets where provisioning.external[target] != nil {
                for type in [EntityType.user, .group] {
                    for record in store.records(source: source.name, target: target, type: type).values where !record.existedBefore {
                        for id in record.targetIds where !entities.contains(World.ExternalEntity(system: target, type: type, id: id)) {
                            entities.append(World.ExternalEntity(system: target, type: type, id: id))
                        }
                    }
                }
            }
        }
        // Cloud Foundry's users and roles go by their users' names (ExternalCloudFoundry+CleanUp).
        let cloudFoundry = provisioning.external.keys.sorted().filter { provisioning.engine.systems[$0]?.type == .cfPlatformMembers }
        for system in cloudFoundry {
            let platform = ExternalCloudFoundry(system: system, world: self)
            report.append(options.cleanUp
                ? await platform.cleanUp(runId: options.runId, created: entities.filter { $0.system == system })
                : await platform.kept(runId: options.runId))
        }
        entities.removeAll { cloudFoundry.contains($0.system) }
        guard options.cleanUp else {
            if !entities.isEmpty {
                report.keptOut.insert("kept \(entities.count) entities in \(Set(entities.map(\.system)).sorted().joined(separator: ", ")) (--keep-created)")
            }
            return report
        }
        let ordered = entities.reversed().filter { $0.type == .group } + entities.reversed().filter { $0.type != .group }
        var connections: [String: ConnectionPool.Connection] = [:]
        for entity in ordered {
            if connections[entity.system] == nil {
                do throws(ConnectorError) {
                    connections[entity.system] = try await provisioning.engine.connection(of: entity.system)
                } catch {
                    report.failures.append("\(entity.system): \(error.message)")
                    continue
                }
            }
            guard let connection = connections[entity.system], let reader = connection.source, let writer = connection.target else { continue }
            // Only what carries the run ID is deleted: an entity a job took over from the
            // service (a conflict, a group found by name) is real data, whatever the store says.
            let current: JSONValue?
            do throws(ConnectorError) {
                current = try await reader.read(entity.type, id: entity.id)
            } catch {
                report.failures.append("\(entity.system) \(entity.type.rawValue) \(entity.id): \(error.message)")
                continue
            }
            guard let current else { continue }  // gone already (a job or a change deleted it)
            let name = AssertStep.name(of: current) ?? ""
            guard name.carriesRunId(options.runId) else {
                report.keptOut.insert("\(entity.system) \(entity.type.rawValue) '\(name)': its name does not carry the run ID \(options.runId), so it is left alone")
                continue
            }
            switch await writer.delete(entity.type, id: entity.id) {
            case .success:
                report.deleted.append("\(entity.system) \(entity.type.rawValue) \(name)")
            case .failure(let failure):
                report.failures.append("\(entity.system) \(entity.type.rawValue) \(name): \(failure.message)")
            }
        }
        // Then what no record names (a request step's POST, a write that failed half-way, a
        // retried create): whatever carries the run ID in the systems' listings.
        for system in provisioning.external.keys.sorted() where provisioning.engine.systems[system]?.type.isSCIMBased == true {
            var found = connections[system]
            if found == nil { found = try? await provisioning.engine.connection(of: system) }
            guard let connection = found, let reader = connection.source, let writer = connection.target else { continue }
            for type in [EntityType.group, .user] {
                // Twice: delete what the listing shows, then make sure the service lists none.
                for pass in 1...2 {
                    let listed: [JSONValue]
                    do throws(ConnectorError) {
                        listed = try await reader.read(type, modifiedAfter: nil)
                    } catch {
                        report.failures.append("\(system): listing \(type.rawValue)s to find what is left: \(error.message)")
                        break
                    }
                    for entity in listed {
                        let name = AssertStep.name(of: entity) ?? ""
                        guard name.carriesRunId(options.runId), let id = entity["id"]?.idText else { continue }
                        guard pass == 1 else {
                            report.failures.append("\(system) \(type.rawValue) \(name): still listed after its deletion")
                            continue
                        }
                        switch await writer.delete(type, id: id) {
                        case .success: report.deleted.append("\(system) \(type.rawValue) \(name)")
                        case .failure(let failure): report.failures.append("\(system) \(type.rawValue) \(name): \(failure.message)")
                        }
                    }
                }
            }
        }
        return report
    }
}
