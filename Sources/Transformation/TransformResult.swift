import JSON
import JSONPath

/// The outcome of transforming one entity.
public enum TransformResult: Sendable {
    case transformed(TransformedEntity)
    /// The entity was deliberately not processed; the reason uses IPS's log wording.
    case skipped(reason: String)
    case failed(EntityFailure)
}

/// A transformed entity with what the transformation recorded on the side.
public struct TransformedEntity: Sendable {
    /// The output JSON.
    public var value: JSONValue
    /// Variables after the last mapping (`entityIdSourceSystem`, `entityIdTargetSystem`, custom ones).
    public var variables: VariableBindings
    /// Values of mappings marked `correlationAttribute`, in order.
    public var correlationValues: [JSONValue]
    /// Non-fatal remarks, e.g. group members that could not be resolved and were dropped.
    public var warnings: [String]

    public var entityIdSourceSystem: String? { variables["entityIdSourceSystem"]?.idText }
    public var entityIdTargetSystem: String? { variables["entityIdTargetSystem"]?.idText }
}
