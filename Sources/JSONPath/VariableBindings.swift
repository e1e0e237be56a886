import JSON

/// Named values visible to `${name}` interpolation while a path or condition is evaluated.
///
/// A transformation binds a handful of variables per entity, so a small array with linear lookup
/// is cheaper than a dictionary (no hashing, one allocation on first use).
public struct VariableBindings: Sendable {
    private var entries: [(name: String, value: JSONValue)] = []

    public init() {}

    public init(_ pairs: [(String, JSONValue)]) {
        for (name, value) in pairs { self[name] = value }
    }

    public static let empty = VariableBindings()

    public subscript(name: String) -> JSONValue? {
        get {
            for entry in entries where entry.name == name { return entry.value }
            return nil
        }
        set {
            if let i = entries.firstIndex(where: { $0.name == name }) {
                if let newValue {
                    entries[i].value = newValue
                } else {
                    entries.remove(at: i)
                }
            } else if let newValue {
                if entries.capacity == 0 { entries.reserveCapacity(8) }
                entries.append((name, newValue))
            }
        }
    }

    /// All bindings in the order they were first set.
    public var all: [(name: String, value: JSONValue)] {
        entries
    }
}
