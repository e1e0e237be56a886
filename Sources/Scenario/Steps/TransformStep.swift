import Foundation
import JSON
import JSONPath
import Transformation

/// `transform:` feeds one entity (or an NDJSON file of them) through a transformation and checks
/// the outcome.
///
/// ```yaml
/// - name: the primary email is marked
///   transform:
///     transformation: builtin:xsuaa-proxy-write   # or a file path, or an inline document
///     entity: user                                 # user | group | role
///     operation: create                            # read | create | update | patch | delete
///     properties: { xsuaa.origin: sap.custom }
///     variables: { entityIdTargetSystem: "u-1" }
///     input: { userName: jdoe, emails: [{ value: jdoe@example.com }] }
///     expect:
///       paths: { "$.emails[0].primary": true }
/// ```
struct TransformStep: ScenarioStep {
    static let kind = StepKind(
        key: "transform",
        summary: "run entities through a transformation and check the output, skip or failure",
        shape: shape
    ) { (node, context) throws(ScenarioError) -> any ScenarioStep in
        try TransformStep(node, context)
    }

    static let shape = JSONShape.object("Run one entity (input) or an NDJSON file of them (inputFile) through a transformation and check the outcome.", [
        .required("transformation", .anyOf([
            .text("builtin:NAME (a default transformation) or a file path, relative to the scenario"),
            .object("the transformation document inline", otherNames: .any, []),
        ], "The transformation to run.")),
        .optional("entity", .choice(EntityType.allCases.map(\.rawValue), "The entity type's block to run (default user).")),
        .optional("operation", .choice(TransformOperation.allCases.map(\.rawValue), "The operation the transformation runs for (default create).")),
        .optional("properties", .map(of: StepShapes.scalar, "System properties the transformation reads (%name%).")),
        .optional("variables", .map(of: .anyValue, "Variables set before the transformation runs (entityIdTargetSystem …).")),
        .optional("input", .any("One source entity.")),
        .optional("inputFile", .text("An NDJSON file of source entities, relative to the scenario.")),
        .optional("idMap", .any("Target IDs of source entities, for functions that resolve them.")),
        .optional("now", .text("The time the transformation sees, ISO 8601 (2024-01-31T12:00:00Z).")),
        .optional("expect", TransformExpectation.shape),
    ])

    let transformation: Transformation
    let entity: EntityType
    let operation: TransformOperation
    let variables: VariableBindings
    let inputs: [(line: Int?, value: JSONValue)]
    let resolver: StaticEntityIdResolver?
    let now: Date?
    let expectation: TransformExpectation

    init(_ node: ScenarioNode, _ context: StepLoadContext) throws(ScenarioError) {
        try node.rejectUnknownKeys(Self.shape)
        let properties = try node["properties"]?.stringMap() ?? [:]
        transformation = try Self.loadTransformation(try node.required("transformation"), properties: properties, context: context)

        let entityText = try node.string("entity") ?? "user"
        guard let entity = EntityType(rawValue: entityText) else {
            throw try node.required("entity").error("must be user, group or role, not '\(entityText)'")
        }
        guard transformation.plan(for: entity) != nil else {
            throw try node.required("transformation").error("the transformation has no '\(entity.rawValue)' block")
        }
        self.entity = entity

        let operationText = try node.string("operation") ?? "create"
        guard let operation = TransformOperation(rawValue: operationText) else {
            throw try node.required("operation").error("must be one of \(TransformOperation.allCases.map(\.rawValue).joined(separator: ", ")), not '\(operationText)'")
        }
        self.operation = operation

        var variables = VariableBindings()
        if let v = node["variables"] {
            for (key, value) in try v.entries() { variables[key] = try value.json() }
        }
        self.variables = variables

        switch (node["input"], node["inputFile"]) {
        case (let input?, nil):
            inputs = [(input.line, try input.json())]
        case (nil, let file?):
            inputs = try Self.loadInputs(file, context: context)
        case (.some, .some):
            throw try node.required("inputFile").error("give either input or inputFile, not both")
        case (nil, nil):
            throw node.error("missing required key 'input' (or 'inputFile')")
        }

        if let idMap = node["idMap"] {
            let json = try idMap.json()
            do throws(EntityFailure) {
                resolver = try StaticEntityIdResolver(json: json)
            } catch {
                throw idMap.error(error.message)
            }
        } else {
            resolver = nil
        }

        if let nowNode = node["now"] {
            let text = try nowNode.string()
            guard let date = ISO8601DateFormatter().date(from: text) else {
                throw nowNode.error("must be an ISO 8601 time such as 2024-01-31T12:00:00Z")
            }
            now = date
        } else {
            now = nil
        }

        expectation = try TransformExpectation(node["expect"], inputCount: inputs.count, context: context, stepNode: node)
    }

    static func loadTransformation(_ node: ScenarioNode, properties: [String: String], context: StepLoadContext) throws(ScenarioError) -> Transformation {
        enum Source {
            case document(JSONValue, name: String)
            case text(String, name: String)
        }
        let source: Source
        if node.isMapping {
            source = .document(try node.json(), name: "\(context.file) (inline)")
        } else {
            let reference = try node.string()
            if let replacement = context.sabotage.transformations[reference] {
                source = .text(replacement, name: "\(reference) (sabotaged)")
            } else if let text = BuiltinTransformations.text(forReference: reference) {
                source = .text(text, name: reference)
            } else if reference.hasPrefix(BuiltinTransformations.prefix) {
                let names = BuiltinTransformations.all.map(\.name).joined(separator: ", ")
                throw node.error("no built-in transformation '\(reference)' (known: \(names))")
            } else {
                let path = context.resolve(reference)
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw node.error("cannot read the transformation file \(path)")
                }
                source = .text(text, name: path)
            }
        }
        do throws(TransformationCompileError) {
            switch source {
            case .document(let document, let name):
                return try Transformation(document: document, source: name, properties: properties)
            case .text(let text, let name):
                return try Transformation(text: text, source: name, properties: properties)
            }
        } catch {
            throw node.error(error.description)
        }
    }

    static func loadInputs(_ node: ScenarioNode, context: StepLoadContext) throws(ScenarioError) -> [(line: Int?, value: JSONValue)] {
        let path = context.resolve(try node.string())
        guard let data = FileManager.default.contents(atPath: path) else {
            throw node.error("cannot read the input file \(path)")
        }
        var inputs: [(line: Int?, value: JSONValue)] = []
        for entry in JSONLines.entries(in: [UInt8](data)) {
            switch entry.result {
            case .success(let value): inputs.append((entry.line, value))
            case .failure(let error): throw node.error("\(path): line \(entry.line), column \(error.column): \(error.message)")
            }
        }
        guard !inputs.isEmpty else { throw node.error("\(path) holds no entities") }
        return inputs
    }

    func run(in world: World) async -> StepOutcome {
        let seed = await world.nextSeed()
        var context = TransformContext(operation: operation, variables: variables, resolver: resolver)
        if let now { context.now = now }
        var results: [TransformResult] = []
        results.reserveCapacity(inputs.count)
        for (index, input) in inputs.enumerated() {
            context.randomSeed = seed &+ UInt64(index)
            results.append(transformation.apply(input.value, as: entity, context: context))
        }
        let transcript = Self.transcript(results, inputs: inputs)
        let problems = expectation.check(results)
        guard let first = problems.first else {
            return .passed(expectation.summary(results), transcript: transcript)
        }
        let more = problems.count > 1 ? " (and \(problems.count - 1) more problem\(problems.count > 2 ? "s" : ""))" : ""
        return .failed(first.message + more, details: problems.map(\.details).joined(separator: "\n\n"), transcript: transcript)
    }

    static func transcript(_ results: [TransformResult], inputs: [(line: Int?, value: JSONValue)]) -> String {
        var lines: [String] = []
        for (index, result) in results.prefix(20).enumerated() {
            let at = inputs[index].line.map { "line \($0)" } ?? "entity \(index + 1)"
            switch result {
            case .transformed(let t):
                lines.append("\(at): transformed: \(t.value.serialized())")
                for warning in t.warnings { lines.append("\(at): warning: \(warning)") }
            case .skipped(let reason):
                lines.append("\(at): skipped: \(reason)")
            case .failed(let failure):
                lines.append("\(at): failed: \(failure)")
            }
        }
        if results.count > 20 { lines.append("… \(results.count - 20) more entities") }
        return lines.joined(separator: "\n")
    }
}
