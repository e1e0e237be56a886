import Foundation
import JSON
import JSONPath

/// Everything besides the entity that one application of a transformation depends on.
public struct TransformContext: Sendable {
    public var operation: TransformOperation
    /// Predefined and caller-supplied variables: `entityIdTargetSystem` (known for updates and
    /// deletes), `entityIdSourceSystem`, `entityBaseLocation`, and any custom ones.
    public var variables: VariableBindings
    /// The time `currentDate` reports.
    public var now: Date
    /// Maps source IDs to target IDs for `resolveEntityIds`.
    public var resolver: (any EntityIdResolving)?
    /// Makes `randomPassword` reproducible; `nil` uses the system's generator.
    public var randomSeed: UInt64?
    /// An update whose target entity is still to be found (`skipOperations: ["create"]`: the
    /// engine looks it up after transforming): `entityIdTargetSystem` is not bound yet, and
    /// mappings that read it are passed over as on a create.
    public var targetIdPending = false

    public init(
        operation: TransformOperation = .create,
        variables: VariableBindings = .empty,
        now: Date = Date(),
        resolver: (any EntityIdResolving)? = nil,
        randomSeed: UInt64? = nil
    ) {
        self.operation = operation
        self.variables = variables
        self.now = now
        self.resolver = resolver
        self.randomSeed = randomSeed
    }
}

/// Resolves the ID an entity has in the source to the ID(s) it was given in the target — what IPS
/// looks up in its operational store for `resolveEntityIds`. Several IDs come back when one source
/// user became one target user per origin.
public protocol EntityIdResolving: Sendable {
    func targetIds(
        forSourceId sourceId: String,
        entityType: EntityType,
        sourceSystem: String?,
        targetSystem: String?
    ) -> [String]
}

/// A fixed map, for the command line and scenarios: `{"user": {"src-1": "tgt-1"}, "group": {...}}`
/// (a value may also be a list of target IDs).
public struct StaticEntityIdResolver: EntityIdResolving {
    public let map: [EntityType: [String: [String]]]

    public init(map: [EntityType: [String: [String]]]) {
        self.map = map
    }

    /// Reads the JSON form described above.
    public init(json: JSONValue) throws(EntityFailure) {
        guard case .object(let root) = json else {
            throw EntityFailure(rule: "id map", message: "expected an object with 'user' and/or 'group' maps")
        }
        var map: [EntityType: [String: [String]]] = [:]
        for member in root {
            guard let type = EntityType(rawValue: member.key), case .object(let ids) = member.value else {
                throw EntityFailure(rule: "id map", message: "'\(member.key)' is not 'user', 'group' or 'role' with an object of IDs")
            }
            var entries: [String: [String]] = [:]
            for id in ids {
                switch id.value {
                case .string(let s): entries[id.key] = [s]
                case .array(let list): entries[id.key] = list.compactMap(\.stringValue)
                default: throw EntityFailure(rule: "id map", message: "\(member.key).\(id.key) must be a string or a list of strings")
                }
            }
            map[type] = entries
        }
        self.map = map
    }

    public func targetIds(forSourceId sourceId: String, entityType: EntityType, sourceSystem: String?, targetSystem: String?) -> [String] {
        map[entityType]?[sourceId] ?? []
    }
}
