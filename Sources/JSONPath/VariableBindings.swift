import JSON

/// Named values visible to `${name}` interpolation while a path or condition is evaluated.
///
/// A transformation binds a handful of variables per entity, so a small array with linear lookup
/// is cheaper than a dictionary (no hashing, one allocation on first use).
public struct VariableBindings: Sendable {
    private var names: [String] = []
    private var values: [JSONValue] = []

    public init() {}

    public init(_ pairs: [(String, JSONValue)]) {
        for (name, value) in pairs { self[name] = value }
    }

    public static let empty = VariableBindings()

    public subscript(name: String) -> JSONValue? {
        get {
            guard let i = names.firstIndex(of: name) else { return nil }
            return values[i]
        }
        set {
            if let i = names.firstIndex(of: name) {
                if let newValue {
                    values[i] = newValue
                } else {
                    names.remove(at: i)
                    values.remove(at: i)
                }
            } else if let newValue {
                names.append(name)
                values.append(newValue)
            }
        }
    }

    /// All bindings in the order they were first set.
    public var all: [(name: String, value: JSONValue)] {
        Array(zip(names, values))
    }
}
