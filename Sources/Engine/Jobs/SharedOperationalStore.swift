/// One operational store that jobs and real-time requests of a simulation share, one writer at a
/// time: a job or real-time request works on the store from start to end, and the next starts
/// only then, so overlapping requests never lose each other's updates (IPS runs one job per
/// source at a time and serialises real-time requests the same way).
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
    public func update<Result: Sendable>(_ work: @Sendable (inout OperationalStore) async -> Result) async -> Result {
        while busy {
            await withCheckedContinuation { waiting.append($0) }
        }
        busy = true
        var working = store
        let result = await work(&working)
        store = working
        busy = false
        if !waiting.isEmpty { waiting.removeFirst().resume() }
        return result
    }

    /// Empties the store (a new set of systems starts from nothing).
    public func reset() async {
        await update { $0 = OperationalStore() }
    }
}
