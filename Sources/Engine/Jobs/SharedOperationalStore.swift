/// One operational store that jobs and real-time requests of a simulation share, one writer at a
/// time and in arrival order: a job or real-time request works on the store from start to end,
/// and the next starts only then, so overlapping requests never lose each other's updates.
public actor SharedOperationalStore {
    private var store: OperationalStore
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(_ store: OperationalStore = OperationalStore()) {
        self.store = store
    }

    /// The store as it is between writers.
    public var snapshot: OperationalStore { store }

    /// Runs `work` with the store once the writers before it are done, and keeps what it changed.
    /// `work` must not call back into this store (it would wait for itself).
    public func update<Result: Sendable>(_ work: @Sendable (inout OperationalStore) async -> Result) async -> Result {
        if busy {
            // The finishing writer hands the store over directly, so nobody can overtake.
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
        var working = store
        let result = await work(&working)
        store = working
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        return result
    }
}
