import Synchronization

/// One `FuzzFleet` for every target of a campaign that needs fakes: started by the first target
/// that asks, stopped when the last one is done.
public actor SharedFleet {
    private let seed: UInt64
    private var fleet: FuzzFleet?
    private var users = 0

    public init(seed: UInt64) {
        self.seed = seed
    }

    public func acquire() async throws -> FuzzFleet {
        users += 1
        if let fleet { return fleet }
        let started = try await FuzzFleet.start(seed: seed)
        fleet = started
        return started
    }

    public func release() async {
        users -= 1
        guard users <= 0, let fleet else { return }
        self.fleet = nil
        await fleet.stop()
    }
}

/// The fleet a target holds between `prepare` and `finish`.
final class FleetSlot: Sendable {
    private let shared: SharedFleet
    private let slot = Mutex<FuzzFleet?>(nil)

    init(_ shared: SharedFleet) {
        self.shared = shared
    }

    var fleet: FuzzFleet? { slot.withLock { $0 } }

    func acquire() async throws {
        let fleet = try await shared.acquire()
        slot.withLock { $0 = fleet }
    }

    func release() async {
        guard slot.withLock({ $0 }) != nil else { return }
        slot.withLock { $0 = nil }
        await shared.release()
    }
}
