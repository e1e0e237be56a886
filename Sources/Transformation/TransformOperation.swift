/// What the transformation is applied for. It decides which scoped mappings run:
///
/// | operation | mappings that run |
/// |---|---|
/// | `read` (source and proxy read transformations) | un-scoped |
/// | `create` | un-scoped and `createEntity` |
/// | `update` (PUT, or PATCH of changed attributes) | un-scoped |
/// | `patch` (a client PATCH through a proxy) | `patchEntity` only |
/// | `delete` (entity gone from the source) | `deleteEntity` only; the entity condition is ignored |
public enum TransformOperation: String, Sendable, CaseIterable {
    case read
    case create
    case update
    case patch
    case delete

    /// The name `skipOperations` uses for this operation, if it can be skipped.
    var skipName: String? {
        switch self {
        case .create: return "create"
        case .update, .patch: return "update"
        case .delete: return "delete"
        case .read: return nil
        }
    }
}

/// The `scope` of a mapping.
public enum MappingScope: String, Sendable, CaseIterable {
    case createEntity
    case patchEntity
    case deleteEntity
}

extension TransformOperation {
    func runs(_ scope: MappingScope?) -> Bool {
        switch (self, scope) {
        case (.read, nil), (.create, nil), (.update, nil): return true
        case (.create, .createEntity?): return true
        case (.patch, .patchEntity?): return true
        case (.delete, .deleteEntity?): return true
        default: return false
        }
    }
}
