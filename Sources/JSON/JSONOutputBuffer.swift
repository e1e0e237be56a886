#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable byte buffer the JSON writer fills through a raw pointer, reused across documents.
///
/// The writer works on a `ByteCursor` copied out of the buffer and stored back when it is done:
/// stored properties of a class are subject to dynamic exclusivity checks on every access (about
/// 8% of serialization time when measured), while an `inout` struct is checked at compile time.
public final class JSONOutputBuffer {
    var cursor: ByteCursor

    public init(capacity: Int = 4096) {
        cursor = ByteCursor(capacity: capacity)
    }

    deinit {
        cursor.deallocate()
    }

    public var count: Int { cursor.count }

    /// Runs `body` on the cursor and keeps what it wrote.
    @inline(__always)
    func withCursor<R>(_ body: (inout ByteCursor) -> R) -> R {
        var local = cursor
        defer { cursor = local }
        return body(&local)
    }

    public func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        withCursor { $0.append(bytes) }
    }

    public func append(_ byte: UInt8) {
        withCursor { $0.append(byte) }
    }

    public func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Forgets the content, keeping the memory.
    public func removeAll() {
        cursor.count = 0
    }

    /// A copy of the content.
    public var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: cursor.base, count: cursor.count))
    }

    public func withUnsafeBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: cursor.base, count: cursor.count))
    }
}

/// The write position of a `JSONOutputBuffer`: raw storage with manual growth.
struct ByteCursor {
    private(set) var base: UnsafeMutablePointer<UInt8>
    var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    func deallocate() {
        base.deallocate()
    }

    /// Makes room for `n` more bytes.
    @inline(__always)
    mutating func reserve(_ n: Int) {
        if count &+ n > capacity { grow(to: count &+ n) }
    }

    /// Appends without checking capacity; call `reserve` first.
    @inline(__always)
    mutating func appendReserved(_ byte: UInt8) {
        base[count] = byte
        count &+= 1
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        appendReserved(byte)
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        memcpy(base + count, source, bytes.count)
        count &+= bytes.count
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
