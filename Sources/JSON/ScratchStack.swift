/// A growable stack whose top elements can be *moved* into a new array in one step.
///
/// The parser collects a container's children here and then hands them to the finished array or
/// object. With a plain `Array` that would copy each child (a retain) and then drop the scratch copy
/// (a release); moving the memory instead avoids both, which matters at millions of values a second.
final class ScratchStack<Element> {
    private var storage: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 64) {
        self.capacity = capacity
        storage = .allocate(capacity: capacity)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    @inline(__always)
    func push(_ element: consuming Element) {
        if count == capacity { grow() }
        (storage + count).initialize(to: element)
        count += 1
    }

    @inline(__always)
    func withElement<R>(at index: Int, _ body: (inout Element) -> R) -> R {
        body(&storage[index])
    }

    /// Moves the elements from `start` to the top into a new array and pops them.
    func popArray(from start: Int) -> [Element] {
        let n = count - start
        let result = [Element](unsafeUninitializedCapacity: n) { buffer, initialized in
            buffer.baseAddress!.moveInitialize(from: storage + start, count: n)
            initialized = n
        }
        count = start
        return result
    }

    /// Drops everything (after an error, for reuse).
    func removeAll() {
        storage.deinitialize(count: count)
        count = 0
    }

    private func grow() {
        let newCapacity = capacity * 2
        let newStorage = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newStorage.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = newStorage
        capacity = newCapacity
    }
}
