import Foundation
import JSON
import JSONPath
import SCIM
import Transformation

/// What a proxy write answers: the status, the entity through the read transformation, and —
/// when the write transformation skipped the operation — IPS's skip reason.
public struct ProxyWriteResult: Sendable, Equatable {
    public var status: Int
    public var body: JSONValue?
    public var skipReason: String?
}

/// The write side of a proxy system (docs/fidelity.md, “Proxy systems”): the client's body through the proxy
/// write transformation (`createEntity` mappings on POST, un-scoped ones on PUT, `patchEntity`
/// ones on PATCH), the back-end call, then the back-end's entity through the read transformation.
///
/// Where the reference is silent (docs/fidelity.md): a write the transformation skips does not
/// reach the back-end; PUT and PATCH then answer the entity as it is (200), DELETE answers 204,
/// POST answers 400 with the skip reason (nothing was created). An entity the transformation
/// fails on is `400 invalidValue` naming the mapping.
public struct ProxyWriter: Sendable {
    public let reader: ProxyReader
    public let transformation: Transformation

    public init(reader: ProxyReader, transformation: Transformation) {
        self.reader = reader
        self.transformation = transformation
    }

    var backend: any ProxyBackend { reader.backend }

    public func create(_ type: EntityType, _ body: JSONValue) async throws(SCIMError) -> ProxyWriteResult {
        switch try transform(body, type: type, operation: .create, id: nil) {
        case .skipped(let reason):
            return ProxyWriteResult(status: 400, body: SCIMError.badRequest(.invalidValue, reason).json, skipReason: reason)
        case .write(let out):
            let created = try await backend.create(type, out)
            return ProxyWriteResult(status: 201, body: try shown(created, type: type))
        }
    }

    public func replace(_ type: EntityType, id: String, _ body: JSONValue) async throws(SCIMError) -> ProxyWriteResult {
        switch try transform(body, type: type, operation: .update, id: id) {
        case .skipped(let reason):
            return ProxyWriteResult(status: 200, body: try await current(type, id: id), skipReason: reason)
        case .write(let out):
            let stored = try await backend.replace(type, id: id, out)
            return ProxyWriteResult(status: 200, body: try shown(stored, type: type))
        }
    }

    public func patch(_ type: EntityType, id: String, _ body: JSONValue) async throws(SCIMError) -> ProxyWriteResult {
        switch try transform(body, type: type, operation: .patch, id: id) {
        case .skipped(let reason):
            return ProxyWriteResult(status: 200, body: try await current(type, id: id), skipReason: reason)
        case .write(let out):
            // A back-end that answers without the entity (XSUAA's member endpoints unless
            // xsuaa.patch.response.with.resource) leaves the proxy nothing to return.
            guard let stored = try await backend.patch(type, id: id, out) else { return ProxyWriteResult(status: 204, body: nil) }
            return ProxyWriteResult(status: 200, body: try shown(stored, type: type))
        }
    }

    public func delete(_ type: EntityType, id: String) async throws(SCIMError) -> ProxyWriteResult {
        guard let plan = transformation.plan(for: type), !plan.isIgnored else { throw noBlock(type) }
        if let reason = plan.skipReason(for: .delete) {
            return ProxyWriteResult(status: 204, body: nil, skipReason: reason)
        }
        try await backend.delete(type, id: id)
        return ProxyWriteResult(status: 204, body: nil)
    }

    enum Prepared {
        case write(JSONValue)
        case skipped(String)
    }

    private func transform(_ body: JSONValue, type: EntityType, operation: TransformOperation, id: String?) throws(SCIMError) -> Prepared {
        guard let plan = transformation.plan(for: type), !plan.isIgnored else { throw noBlock(type) }
        guard case .object = body else { throw .badRequest(.invalidSyntax, "the request body must be a JSON object") }
        let variables = VariableBindings(id.map { [("entityIdTargetSystem", JSONValue.string($0))] } ?? [])
        let context = TransformContext(operation: operation, variables: variables, now: Date())
        switch plan.apply(to: body, context: context) {
        case .transformed(let out): return .write(out.value)
        case .skipped(let reason): return .skipped(reason)
        case .failed(let failure): throw .badRequest(.invalidValue, failure.description)
        }
    }

    /// The back-end's entity through the read transformation; as stored when the read
    /// condition hides it (the write happened; the client still learns its ID).
    private func shown(_ stored: JSONValue, type: EntityType) throws(SCIMError) -> JSONValue {
        guard let plan = reader.transformation.plan(for: type), !plan.isIgnored else { return stored }
        return reader.transformed(stored, type: type, plan: plan) ?? stored
    }

    private func current(_ type: EntityType, id: String) async throws(SCIMError) -> JSONValue {
        try shown(try await backend.entity(type, id: id), type: type)
    }

    private func noBlock(_ type: EntityType) -> SCIMError {
        SCIMError(status: 404, detail: "the proxy write transformation has no \(type.rawValue) block")
    }
}
