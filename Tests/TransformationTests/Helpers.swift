import Foundation
import JSON
import JSONPath
import Testing
@testable import Transformation

/// Compiles a document given as JSON text (comments allowed) and applies one entity block.
func transform(
    _ document: String,
    _ input: JSONValue,
    entity: EntityType = .user,
    operation: TransformOperation = .create,
    properties: [String: String] = [:],
    variables: [String: JSONValue] = [:],
    resolver: (any EntityIdResolving)? = nil,
    seed: UInt64? = 7,
    now: Date = Date(timeIntervalSince1970: 1_700_000_000.123)
) throws -> TransformResult {
    let transformation = try Transformation(text: document, source: "test.json", properties: properties)
    let context = TransformContext(
        operation: operation, variables: VariableBindings(variables.map { ($0.key, $0.value) }),
        now: now, resolver: resolver, randomSeed: seed)
    return transformation.apply(input, as: entity, context: context)
}

/// A document with one user block holding the given mappings (JSON text of the array's elements).
func userDocument(_ mappings: String, entityKeys: String = "") -> String {
    "{\"user\": {\(entityKeys)\(entityKeys.isEmpty ? "" : ",") \"mappings\": [\(mappings)]}}"
}

extension TransformResult {
    var output: JSONValue? {
        if case .transformed(let t) = self { return t.value }
        return nil
    }

    var entity: TransformedEntity? {
        if case .transformed(let t) = self { return t }
        return nil
    }

    var skipReason: String? {
        if case .skipped(let reason) = self { return reason }
        return nil
    }

    var failure: EntityFailure? {
        if case .failed(let f) = self { return f }
        return nil
    }
}

/// Applies a single mapping to `input` and returns the output.
func mapped(_ mapping: String, _ input: JSONValue, operation: TransformOperation = .create, properties: [String: String] = [:], variables: [String: JSONValue] = [:], resolver: (any EntityIdResolving)? = nil) throws -> JSONValue? {
    let result = try transform(userDocument(mapping), input, operation: operation, properties: properties, variables: variables, resolver: resolver)
    if let failure = result.failure { Issue.record("unexpected failure: \(failure)") }
    return result.output
}
