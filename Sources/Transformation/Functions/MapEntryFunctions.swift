import JSON

/// `copyMapEntry`: copies `sourceKey` to `targetKey` in each map element, keeping the original.
struct CopyMapEntry: MappingFunction {
    let sourceKey: String
    let targetKey: String
    var shape: FunctionShape { .perElement }

    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue? {
        guard case .object(var object) = value, let v = object[sourceKey] else { return value }
        object[targetKey] = v
        return .object(object)
    }
}

/// `renameMapEntry`: renames `sourceKey` to `targetKey` in each map element.
struct RenameMapEntry: MappingFunction {
    let sourceKey: String
    let targetKey: String
    var shape: FunctionShape { .perElement }

    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue? {
        guard case .object(var object) = value else { return value }
        object.renameKey(sourceKey, to: targetKey)
        return .object(object)
    }
}

/// `putIfAbsent`: sets `key` to `defaultValue` where it has no value (missing, null or "").
struct PutIfAbsent: MappingFunction {
    let key: String
    let defaultValue: JSONValue
    var shape: FunctionShape { .perElement }

    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue? {
        guard case .object(var object) = value else { return value }
        if object[key].map({ $0.isNull || $0 == "" }) ?? true {
            object[key] = defaultValue
        }
        return .object(object)
    }
}

/// `putIfPresent`: where `key` has a value different from `defaultValue`, sets it to `defaultValue`.
struct PutIfPresent: MappingFunction {
    let key: String
    let defaultValue: JSONValue
    var shape: FunctionShape { .perElement }

    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue? {
        guard case .object(var object) = value, let current = object[key], !current.isNull, current != defaultValue else {
            return value
        }
        object[key] = defaultValue
        return .object(object)
    }
}
