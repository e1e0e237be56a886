import Engine
import Transformation

/// Deleting what a scenario created in systems that are not fakes, when the scenario ends (or a
/// second `systems` step replaces them), whether its steps passed or not: a real service keeps
/// nothing of a test run.
extension World {
    /// What one clean-up did: entities deleted, and those it could not delete.
    struct CleanUpReport: Sendable {
        var deleted: [String] = []
        var failures: [String] = []

        var isEmpty: Bool { deleted.isEmpty && failures.isEmpty }
    }

    /// Deletes, in the external systems, what seeds and changes created through their APIs and
    /// what jobs created there (the operational store's entities that did not exist before):
    /// groups before users, newest first. Does nothing when the run keeps them (`--keep-created`).
    func cleanUpExternal() async -> CleanUpReport {
        var report = CleanUpReport()
        guard let provisioning, !provisioning.external.isEmpty else { return report }
        guard options.cleanUp else {
            if !provisioning.createdExternally.isEmpty {
                report.deleted.append("kept \(provisioning.createdExternally.count) entities in \(Set(provisioning.createdExternally.map(\.system)).sorted().joined(separator: ", ")) (--keep-created)")
            }
            return report
        }
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
        let ordered = entities.reversed().filter { $0.type == .group } + entities.reversed().filter { $0.type != .group }
        var connectors: [String: any TargetConnector] = [:]
        for entity in ordered {
            if connectors[entity.system] == nil {
                do throws(ConnectorError) {
                    connectors[entity.system] = try await provisioning.engine.connection(of: entity.system).target
                } catch {
                    report.failures.append("\(entity.system): \(error.message)")
                    continue
                }
            }
            guard let connector = connectors[entity.system] else { continue }
            switch await connector.delete(entity.type, id: entity.id) {
            case .success:
                report.deleted.append("\(entity.system) \(entity.type.rawValue) \(entity.id)")
            case .failure(let failure) where failure.kind == .notFound:
                break  // gone already (a job or a change deleted it)
            case .failure(let failure):
                report.failures.append("\(entity.system) \(entity.type.rawValue) \(entity.id): \(failure.message)")
            }
        }
        forgetExternalEntities()
        return report
    }
}
