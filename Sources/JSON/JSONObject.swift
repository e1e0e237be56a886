/// A JSON object that keeps its members in insertion order.
///
/// Members live in one contiguous array: SCIM resources have a few dozen keys at most, where a
/// linear scan beats hashing and the parser can build the whole object with one allocation.
/// Setting an existing key replaces its value in place (so duplicate keys in a document keep the
/// first position and the last value, as JavaScript's `JSON.parse` does).
public struct JSONObject: Sendable {
    public struct Member: Sendable {
        public var key: String
        public var value: JSONValue

        @inlinable
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    @usableFromInline
    internal var members: [Member]

    @inlinable
    public init() {
        members = []
    }

    /// Builds an object from pairs in order; a repeated key keeps its first position and last value.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, JSONValue) {
        members = []
        for (key, value) in pairs { self[key] = value }
    }

    /// The array form of the above; being non-generic it lets literals inside the pairs infer.
    public init(_ pairs: [(String, JSONValue)]) {
        members = []
        members.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    /// Takes members that the caller guarantees to have distinct keys.
    @inlinable
    internal init(uniqueMembers: [Member]) {
        members = uniqueMembers
    }

    @inlinable
    public var count: Int { members.count }

    @inlinable
    public var isEmpty: Bool { members.isEmpty }

    /// The keys in order.
    public var keys: [String] { members.map(\.key) }

    /// The values in key order.
    public var values: [JSONValue] { members.map(\.value) }

    /// Member names are compared by UTF-8 length first: the length of a native string is stored,
    /// and most names differ in length, which skips the comparatively slow string comparison.
    @inlinable
    public func index(forKey key: String) -> Int? {
        let length = key.utf8.count
        return members.firstIndex { $0.key.utf8.count == length && $0.key == key }
    }

    @inlinable
    public subscript(key: String) -> JSONValue? {
        get {
            let length = key.utf8.count
            for member in members where member.key.utf8.count == length && member.key == key { return member.value }
            return nil
        }
        set {
            if let i = index(forKey: key) {
                if let newValue {
                    members[i].value = newValue
                } else {
                    members.remove(at: i)
                }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
            }
        }
    }

    /// Changes the value stored under `key` in place, without copying it first.
    /// Returns `false` when the key is absent.
    @inlinable
    public mutating func modifyValue(forKey key: String, _ body: (inout JSONValue) throws -> Void) rethrows -> Bool {
        guard let i = index(forKey: key) else { return false }
        try body(&members[i].value)
        return true
    }

    /// Changes the value stored under `key` in place, inserting `nil` first when the key is absent
    /// (one scan instead of a lookup and an append). When `body` leaves it `nil`, nothing is kept.
    @inlinable
    public mutating func withValue<R, E: Error>(forKey key: String, _ body: (inout JSONValue?) throws(E) -> R) throws(E) -> R {
        if let i = index(forKey: key) {
            var value: JSONValue? = members[i].value
            members[i].value = .null  // keep the value uniquely referenced while body changes it
            defer {
                if let value { members[i].value = value } else { members.remove(at: i) }
            }
            return try body(&value)
        }
        var value: JSONValue?
        defer { if let value { members.append(Member(key: key, value: value)) } }
        return try body(&value)
    }

    /// Removes the member and returns its value.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let i = index(forKey: key) else { return nil }
        return members.remove(at: i).value
    }

    /// Renames a key in place, keeping its position. A member already named `newKey` is replaced.
    public mutating func renameKey(_ key: String, to newKey: String) {
        guard key != newKey, let i = index(forKey: key) else { return }
        if let j = index(forKey: newKey) {
            members[j].value = members[i].value
            members.remove(at: i)
        } else {
            members[i].key = newKey
        }
    }
}

extension JSONObject: Sequence {
    public func makeIterator() -> IndexingIterator<[Member]> {
        members.makeIterator()
    }
}

extension JSONObject: Equatable {
    /// Order-insensitive: two objects are equal when they hold the same keys with equal values.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for member in lhs.members {
            guard let other = rhs[member.key], other == member.value else { return false }
        }
        return true
    }
}

extension JSONObject: Hashable {
    public func hash(into hasher: inout Hasher) {
        // Order-insensitive, to agree with ==: combine per-member hashes commutatively.
        var combined = 0
        for member in members {
            var h = Hasher()
            h.combine(member.key)
            h.combine(member.value)
            combined ^= h.finalize()
        }
        hasher.combine(members.count)
        hasher.combine(combined)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}
