import Engine
import Transformation

/// Runs real-time provisioning for the proxy's real-time API with somebody's operational store:
/// a scenario's (shared with its jobs) or the proxy's own.
public protocol RealTimeProvisioner: Sendable {
    func provision(source: String, type: EntityType, id: String, deleted: Bool) async throws(RealTimeError) -> RealTimeLog
}

/// Real-time provisioning with a store of its own, one request at a time (as two requests for
/// the same entity must not interleave their writes to the store).
public actor EngineRealTimeProvisioner: RealTimeProvisioner {
    public let engine: ProvisioningEngine
    public private(set) var store: OperationalStore
    private var previous: Task<Void, Never>?

    public init(engine: ProvisioningEngine, store: OperationalStore = OperationalStore()) {
        self.engine = engine
        self.store = store
    }

    public func provision(source: String, type: EntityType, id: String, deleted: Bool) async throws(RealTimeError) -> RealTimeLog {
        let before = previous
        let work = Task { () async -> Result<RealTimeLog, RealTimeError> in
            await before?.value
            return await self.run(source: source, type: type, id: id, deleted: deleted)
        }
        previous = Task { _ = await work.value }
        return try await work.value.get()
    }

    private func run(source: String, type: EntityType, id: String, deleted: Bool) async -> Result<RealTimeLog, RealTimeError> {
        var working = store
        do throws(RealTimeError) {
            let log = try await engine.provisionRealTime(source: source, type: type, sourceId: id, deleted: deleted, store: &working)
            store = working
            return .success(log)
        } catch {
            return .failure(error)
        }
    }
}
