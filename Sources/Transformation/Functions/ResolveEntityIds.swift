import JSON

/// `resolveEntityIds` (target transformations): replaces source IDs by the IDs the entities got in
/// the target. Works on ID strings and on member objects (`{"value": id, …}`, the `value` is
/// replaced). An ID that resolves to several target IDs (one user per origin) yields one element
/// each; an ID that was never provisioned to the target is dropped with a warning.
struct ResolveEntityIds: MappingFunction {
    let entityType: EntityType
    let sourceSystemName: String?
    let targetSystemName: String?
    var shape: FunctionShape { .perElement }
    var flattensResults: Bool { true }

    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue? {
        guard let resolver = environment.context.resolver else {
            throw FunctionError("no ID resolver is available to map source IDs to target IDs")
        }
        let sourceId: String
        var member: JSONObject?
        switch value {
        case .string(let s):
            sourceId = s
        case .number(let n):
            sourceId = n.text
        case .object(let o):
            guard let id = o["value"]?.idText else { throw FunctionError("a member object has no 'value' to resolve") }
            sourceId = id
            member = o
        default:
            throw FunctionError("expects IDs or member objects, got \(value.typeName)")
        }
        let targets = resolver.targetIds(
            forSourceId: sourceId, entityType: entityType,
            sourceSystem: sourceSystemName, targetSystem: targetSystemName)
        guard !targets.isEmpty else {
            environment.warnings.append("resolveEntityIds: \(entityType.rawValue) '\(sourceId)' has not been provisioned to the target; left out")
            return nil
        }
        let resolved: [JSONValue] = targets.map { id in
            guard var m = member else { return .string(id) }
            m["value"] = .string(id)
            return .object(m)
        }
        return resolved.count == 1 ? resolved[0] : .array(resolved)
    }
}
