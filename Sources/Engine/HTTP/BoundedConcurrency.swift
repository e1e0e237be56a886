/// Runs `work` for `0..<count` with at most `limit` calls in flight, starting the next as one
/// finishes, and hands each result to `collect` in the order they finish: a load of requests
/// that keeps a fixed number at the server (the request floor, a `burst` step).
public func withBoundedConcurrency<T: Sendable>(count: Int, limit: Int, _ work: @escaping @Sendable (Int) async -> T,
                                                collect: (T) -> Void) async {
    await withTaskGroup(of: T.self) { group in
        var next = 0
        func start() {
            let index = next
            next += 1
            group.addTask { await work(index) }
        }
        while next < min(max(limit, 1), count) { start() }
        for await result in group {
            collect(result)
            if next < count { start() }
        }
    }
}
