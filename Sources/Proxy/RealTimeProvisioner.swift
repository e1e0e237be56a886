import Engine
import Transformation

/// Runs real-time provisioning for the proxy's real-time API with somebody's operational store:
/// a scenario's (shared with its jobs) or the proxy's own.
public protocol RealTimeProvisioner: Sendable {
    func provision(source: String, type: EntityType, id: String, deleted: Bool) async throws(RealTimeError) -> RealTimeLog
}

/// Real-time provisioning with a store shared with whoever else writes it (a served proxy's
/// own, or a simulation's), one request at a time: two requests for the same entity must not
/// interleave their writes to the store.
public struct EngineRealTimeProvisioner: RealTimeProvisioner {
    public let engine: ProvisioningEngine
    public let store: SharedOperationalStore

    public init(engine: ProvisioningEngine, store: SharedOperationalStore) {
        self.engine = engine
        self.store = store
    }

    public func provision(source: String, type: EntityType, id: String, deleted: Bool) async throws(RealTimeError) -> RealTimeLog {
        let engine = engine
        return try await store.update { store in
            let before = store  // a refused request leaves the store as it was
            do throws(RealTimeError) {
                return Result<RealTimeLog, RealTimeError>.success(try await engine.provisionRealTime(source: source, type: type, sourceId: id, deleted: deleted, store: &store))
            } catch {
                store = before
                return .failure(error)
            }
        }.get()
    }
}
