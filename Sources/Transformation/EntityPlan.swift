import Chrono
import Foundation
import Determinism
import JSON
import JSONPath

/// A compiled entity block (`user`, `group` or `role`) of a transformation.
public struct EntityPlan: Sendable {
    public let entityType: EntityType
    /// `"ignore": true` on the block: entities of this type are not processed.
    public let isIgnored: Bool
    /// The entity condition as written in the document.
    public let conditionText: String?
    let condition: FilterExpression?
    /// Operations listed in `skipOperations` (`create`, `update`, `delete`).
    public let skipOperations: Set<String>
    /// The proxy endpoint name (`Users`, `Groups`) for proxy transformations.
    public let scimEntityEndpoint: String?
    let rules: [MappingRule]
    /// Set when the document refers to `currentDate`: the format it is rendered in.
    let currentDateFormat: JavaDateFormat?

    /// Whether a deleted entity is updated (with only these mappings) instead of being deleted.
    public var hasDeleteEntityMappings: Bool {
        rules.contains { $0.scope == .deleteEntity }
    }

    /// IPS's reason when `skipOperations` skips `operation` (`update` also covers `patch`), nil
    /// when it runs.
    public func skipReason(for operation: TransformOperation) -> String? {
        guard let name = operation.skipName, skipOperations.contains(name) else { return nil }
        return "Operation [\(name)] is skipped in target transformation"
    }

    /// The source path an un-scoped mapping reads for `targetPath` (`$.userName` → `$.userName`,
    /// `$.emails[0].value` → `$.emails[0].value`): how a proxy maps a client's filter attribute
    /// back to the back-end's. The first mapping writing that exact path wins.
    public func sourcePath(writing targetPath: String) -> String? {
        for rule in rules where rule.scope == nil {
            guard case .path(let source) = rule.source, rule.targetPath?.description == targetPath else { continue }
            return source.description
        }
        return nil
    }

    /// Transforms one entity. Never throws: failures and skips are outcomes, with IPS's wording.
    public func apply(to entity: JSONValue, context: TransformContext) -> TransformResult {
        if isIgnored {
            return .skipped(reason: "Entity type [\(entityType.rawValue)] is ignored in the transformation")
        }
        let variables = bindings(context)
        let operation = context.operation
        if operation != .delete, !conditionHolds(entity, variables) {
            return .skipped(reason: "Entity condition [\(conditionText ?? "")] is not fulfilled")
        }
        if let reason = skipReason(for: operation) { return .skipped(reason: reason) }
        var state = ApplyState(
            input: entity, operation: operation, context: context,
            variables: variables, random: EntropySource(seed: context.randomSeed))
        for rule in rules where operation.runs(rule.scope) {
            do throws(EntityFailure) {
                try rule.run(&state)
            } catch {
                return .failed(error)
            }
        }
        return .transformed(TransformedEntity(
            value: state.output, variables: state.variables,
            correlationValues: state.correlationValues, warnings: state.warnings))
    }
}

extension EntityPlan {
    /// Whether the entity passes the entity condition (no condition: it does). A skip that is not
    /// the condition's comes from `skipOperations` or `ignore`: the entity is still there.
    public func conditionHolds(for entity: JSONValue, context: TransformContext) -> Bool {
        conditionHolds(entity, bindings(context))
    }

    private func conditionHolds(_ entity: JSONValue, _ variables: VariableBindings) -> Bool {
        guard let condition else { return true }
        return condition.evaluate(FilterScope(root: entity, variables: variables))
    }

    /// The context's variables plus `currentDate` when the document uses it.
    func bindings(_ context: TransformContext) -> VariableBindings {
        var variables = context.variables
        if let currentDateFormat, variables["currentDate"] == nil {
            variables["currentDate"] = .string(currentDateFormat.format(CivilDateTime(date: context.now)))
        }
        return variables
    }
}

extension CivilDateTime {
    init(date: Date) {
        let interval = date.timeIntervalSince1970
        let seconds = Int(interval.rounded(.down))
        // Round to microseconds: a Double of ~1.7e9 seconds cannot hold nanoseconds exactly, and
        // truncation would turn .123 into .122999.
        let micros = min(999_999, Int(((interval - Double(seconds)) * 1e6).rounded()))
        self.init(epochSeconds: seconds, nanosecond: micros * 1000)
    }
}
