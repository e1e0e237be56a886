import Foundation
import JSON
import JSONPath
import Transformation

/// One expectation that did not hold: a one-line message and the detail for the report.
struct ExpectationProblem {
    let message: String
    let details: String
}

/// The `expect:` block of a `transform:` step.
struct TransformExpectation {
    static let shape = JSONShape.object("What the transformation must give (default: the entity is transformed).", [
        .optional("output", .any("The whole output, exactly.")),
        .optional("ordered", .boolean("With output: the keys are also in the same order (default false).")),
        .optional("contains", .any("A subset of the output.")),
        .optional("paths", StepShapes.pathTable),
        .optional("absent", .list(of: .text("a JSONPath"), "JSONPaths that must find nothing in the output.")),
        .optional("skipped", outcome.described("The entity is skipped: true, or text the reason contains.")),
        .optional("failed", outcome.described("The entity fails: true, or text the reason contains.")),
        .optional("variables", .map(of: .anyValue, "Variables' values after the transformation.")),
        .optional("correlation", .any("The values of correlationAttribute mappings, in order (one or a list).")),
        .optional("warnings", StepShapes.texts.described("Each text appears in a warning ([]: no warnings).")),
        .optional("counts", countsShape),
        .optional("outputFile", .text("An NDJSON file of the expected outputs, relative to the scenario.")),
        .optional("each", StepShapes.pathTable.described("JSONPaths to values every output must have.")),
    ])
    static let countsShape = JSONShape.object("Outcomes over an input file.", [
        .optional("transformed", .integer("entities transformed", 0...Int.max)),
        .optional("skipped", .integer("entities skipped", 0...Int.max)),
        .optional("failed", .integer("entities failed", 0...Int.max)),
    ])
    private static let outcome = JSONShape.anyOf([.boolean("true: for any reason"), .text("text the reason contains")], "")
    static let singleOnly: Set<String> = ["output", "ordered", "contains", "paths", "absent", "skipped", "failed", "variables", "correlation", "warnings"]

    enum Outcome {
        case transformed
        /// `nil` text: any reason; otherwise the reason must contain it.
        case skipped(String?)
        case failed(String?)
    }

    var outcome: Outcome = .transformed
    var output: JSONValue?
    var ordered = false
    var contains: JSONValue?
    var paths: [(JSONPath, JSONValue)] = []
    var absent: [JSONPath] = []
    var variables: [(String, JSONValue)] = []
    var correlation: [JSONValue]?
    var warnings: [String]?
    var counts: (transformed: Int?, skipped: Int?, failed: Int?)?
    var outputs: [JSONValue]?
    var each: [(JSONPath, JSONValue)] = []
    let multiple: Bool

    init(_ node: ScenarioNode?, inputCount: Int, context: StepLoadContext, stepNode: ScenarioNode) throws(ScenarioError) {
        multiple = inputCount > 1
        guard let node else { return }
        try node.rejectUnknownKeys(Self.shape)
        if multiple {
            for key in try node.keys() where Self.singleOnly.contains(key) {
                throw try node.required(key).error("'\(key)' checks one entity, but the input holds \(inputCount); use counts, outputFile or each")
            }
        }
        output = try node["output"]?.json()
        ordered = try node.bool("ordered") ?? false
        contains = try node["contains"]?.json()
        paths = try Self.pathTable(node["paths"])
        each = try Self.pathTable(node["each"])
        if let list = node["absent"] {
            absent = try list.elements().map { (n) throws(ScenarioError) -> JSONPath in try Self.path(try n.string(), n) }
        }
        if let v = node["variables"] {
            variables = try v.entries().map { (entry) throws(ScenarioError) -> (String, JSONValue) in (entry.key, try entry.value.json()) }
        }
        if let c = node["correlation"] {
            let value = try c.json()
            correlation = value.arrayValue ?? [value]
        }
        if let w = node["warnings"] {
            warnings = try w.elements().map { (n) throws(ScenarioError) -> String in try n.string() }
        }
        switch (node["skipped"], node["failed"]) {
        case (.some, .some):
            throw try node.required("failed").error("an entity cannot be both skipped and failed")
        case (let s?, nil):
            outcome = .skipped(try Self.outcomeText(s))
        case (nil, let f?):
            outcome = .failed(try Self.outcomeText(f))
        default:
            break
        }
        if let c = node["counts"] {
            try c.rejectUnknownKeys(Self.countsShape)
            counts = (try c["transformed"]?.int(), try c["skipped"]?.int(), try c["failed"]?.int())
        }
        if let file = node["outputFile"] {
            outputs = try TransformStep.loadInputs(file, context: context).map(\.value)
        }
    }

    /// `true` (any reason) or text the reason must contain; `nil` means "any".
    private static func outcomeText(_ node: ScenarioNode) throws(ScenarioError) -> String? {
        if let b = try? node.bool() {
            guard b else { throw node.error("use true, or text the reason must contain; leave the key out for 'not expected'") }
            return nil
        }
        return try node.string()
    }

    static func path(_ text: String, _ node: ScenarioNode) throws(ScenarioError) -> JSONPath {
        do throws(JSONPathError) {
            return try JSONPath(text)
        } catch {
            throw node.error("invalid JSONPath '\(text)' at \(error)")
        }
    }

    static func pathTable(_ node: ScenarioNode?) throws(ScenarioError) -> [(JSONPath, JSONValue)] {
        guard let node else { return [] }
        return try node.entries().map { (entry) throws(ScenarioError) -> (JSONPath, JSONValue) in
            (try path(entry.key, entry.value), try entry.value.json())
        }
    }

    func summary(_ results: [TransformResult]) -> String {
        let transformed = results.filter { if case .transformed = $0 { return true } else { return false } }.count
        let skipped = results.filter { if case .skipped = $0 { return true } else { return false } }.count
        return "\(results.count) entit\(results.count == 1 ? "y" : "ies"): \(transformed) transformed, \(skipped) skipped, \(results.count - transformed - skipped) failed"
    }

    func check(_ results: [TransformResult]) -> [ExpectationProblem] {
        if multiple || counts != nil || outputs != nil {
            return checkMany(results)
        }
        return checkOne(results[0])
    }

    private func checkOne(_ result: TransformResult) -> [ExpectationProblem] {
        switch (result, outcome) {
        case (.skipped(let reason), .skipped(let text)):
            return text.map { reason.contains($0) } ?? true ? [] : [problem("the skip reason does not contain '\(text!)'", "reason: \(reason)")]
        case (.failed(let failure), .failed(let text)):
            return text.map { failure.description.contains($0) } ?? true ? [] : [problem("the failure does not mention '\(text!)'", "failure: \(failure)")]
        case (.skipped(let reason), _):
            return [problem("the entity was skipped: \(reason)", "expected: \(describe(outcome))\nreason: \(reason)")]
        case (.failed(let failure), _):
            return [problem("the entity failed: \(failure)", "expected: \(describe(outcome))\nfailure: \(failure)")]
        case (.transformed(let t), .skipped), (.transformed(let t), .failed):
            return [problem("expected the entity to be \(describe(outcome)), but it was transformed", "output:\n\(t.value.serialized(pretty: true))")]
        case (.transformed(let t), .transformed):
            return checkTransformed(t)
        }
    }

    private func checkTransformed(_ t: TransformedEntity) -> [ExpectationProblem] {
        var problems: [ExpectationProblem] = []
        if let output {
            let differences = JSONDiff.differences(expected: output, actual: t.value)
            if !differences.isEmpty {
                problems.append(problem("output differs: \(differences[0])", JSONDiff.report(differences, expected: output, actual: t.value)))
            } else if ordered, output.serialized() != t.value.serialized() {
                problems.append(problem("output has the expected content but not the expected key order",
                                        "expected:\n\(output.serialized(pretty: true))\nactual:\n\(t.value.serialized(pretty: true))"))
            }
        }
        if let contains {
            let differences = JSONDiff.differences(expected: contains, actual: t.value, subset: true)
            if !differences.isEmpty {
                problems.append(problem("output does not contain the expected values: \(differences[0])", JSONDiff.report(differences, expected: contains, actual: t.value)))
            }
        }
        problems += checkPaths(paths, in: t.value, label: "")
        for path in absent {
            if let found = path.read(t.value), found != .array([]) {
                problems.append(problem("\(path) should find nothing but finds \(found.serialized())", "output:\n\(t.value.serialized(pretty: true))"))
            }
        }
        for (name, expected) in variables {
            let actual = t.variables[name]
            if actual != expected {
                problems.append(problem("variable \(name): expected \(expected.serialized()), actual \(actual?.serialized() ?? "(unset)")", ""))
            }
        }
        if let correlation, correlation != t.correlationValues {
            problems.append(problem("correlation values: expected \(JSONValue.array(correlation).serialized()), actual \(JSONValue.array(t.correlationValues).serialized())", ""))
        }
        if let warnings {
            for expected in warnings where !t.warnings.contains(where: { $0.contains(expected) }) {
                problems.append(problem("no warning mentions '\(expected)'", "warnings:\n" + t.warnings.joined(separator: "\n")))
            }
            if warnings.isEmpty && !t.warnings.isEmpty {
                problems.append(problem("expected no warnings, got \(t.warnings.count)", t.warnings.joined(separator: "\n")))
            }
        }
        return problems
    }

    private func checkPaths(_ table: [(JSONPath, JSONValue)], in value: JSONValue, label: String) -> [ExpectationProblem] {
        var problems: [ExpectationProblem] = []
        for (path, expected) in table {
            let actual = path.read(value)
            if actual != expected {
                problems.append(problem("\(label)\(path): expected \(expected.serialized()), actual \(actual?.serialized() ?? "(nothing found)")",
                                        "output:\n\(value.serialized(pretty: true))"))
            }
        }
        return problems
    }

    private func checkMany(_ results: [TransformResult]) -> [ExpectationProblem] {
        var problems: [ExpectationProblem] = []
        var transformed: [(index: Int, entity: TransformedEntity)] = []
        var skipped = 0
        var failed = 0
        var firstUnexpected: String?
        for (index, result) in results.enumerated() {
            switch result {
            case .transformed(let t): transformed.append((index, t))
            case .skipped(let reason):
                skipped += 1
                if firstUnexpected == nil { firstUnexpected = "entity \(index + 1) was skipped: \(reason)" }
            case .failed(let failure):
                failed += 1
                if firstUnexpected == nil { firstUnexpected = "entity \(index + 1) failed: \(failure)" }
            }
        }
        if let counts {
            for (label, expected, actual) in [("transformed", counts.transformed, transformed.count), ("skipped", counts.skipped, skipped), ("failed", counts.failed, failed)] {
                if let expected, expected != actual {
                    problems.append(problem("\(label): expected \(expected), actual \(actual)", summary(results)))
                }
            }
        } else if let firstUnexpected {
            problems.append(problem(firstUnexpected, summary(results)))
        }
        if let outputs {
            if outputs.count != transformed.count {
                problems.append(problem("outputFile holds \(outputs.count) entities, but \(transformed.count) were transformed", summary(results)))
            }
            for (expected, actual) in zip(outputs, transformed) {
                let differences = JSONDiff.differences(expected: expected, actual: actual.entity.value)
                if !differences.isEmpty {
                    problems.append(problem("entity \(actual.index + 1): \(differences[0])", JSONDiff.report(differences, expected: expected, actual: actual.entity.value)))
                }
            }
        }
        for (index, entity) in transformed {
            problems += checkPaths(each, in: entity.value, label: "entity \(index + 1): ")
        }
        return problems
    }

    private func describe(_ outcome: Outcome) -> String {
        switch outcome {
        case .transformed: return "transformed"
        case .skipped(let text): return text.map { "skipped (reason containing '\($0)')" } ?? "skipped"
        case .failed(let text): return text.map { "failed (mentioning '\($0)')" } ?? "failed"
        }
    }

    private func problem(_ message: String, _ details: String) -> ExpectationProblem {
        ExpectationProblem(message: message, details: details.isEmpty ? message : message + "\n" + details)
    }
}
