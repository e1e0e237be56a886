import Foundation
import Synchronization
import JSON

/// `refused:` expects that something is refused when it loads, with an error containing a text:
/// a transformation, a systems declaration or a whole scenario file. The step itself loads either
/// way; it fails when the thing loads, or when the error says something else.
///
/// ```yaml
/// - refused:
///     transformation: { user: { mappings: [{ sourcePath: $.a, targetPath: $.b, functions: [{ type: nope }] }] } }
///     error: "unknown function"       # text the error contains
/// - refused:
///     systems: { btp: { type: xsuaa, role: target, fake: xsuaa, properties: { xsuaa.origin.filter.enabled: "true" } } }
///     error: xsuaa.origin
/// - refused: { scenario: fixtures/bad.yaml, error: "bad.yaml:3:5" }
/// ```
struct RefusedStep: ScenarioStep {
    static let kind = StepKind(key: "refused", summary: "expect a transformation, systems declaration or scenario file to be refused when it loads", shape: shape) { (node, context) throws(ScenarioError) -> any ScenarioStep in
        try RefusedStep(node, context)
    }

    static let shape = JSONShape.object("Expect something to be refused when it loads; give one of transformation, systems, scenario.", [
        .optional("transformation", .any("A transformation that must not compile: builtin:NAME, a file path, or inline.")),
        .optional("systems", .map(of: .anyValue, "Systems that must not load, written as in a systems step (the schema does not check them: they are meant to be wrong).")),
        .optional("scenario", .text("A scenario file that must not load, relative to this one.")),
        .optional("properties", .map(of: StepShapes.scalar, "Properties for the transformation.")),
        .required("error", .text("Text the error contains.")),
    ])

    /// The scenario files being loaded through `scenario:` right now, outermost first: files that
    /// name each other would otherwise load each other without end.
    @TaskLocal static var loading: [String] = []
    static let maximumNesting = 8
    /// Scenario files one top-level load may load through `scenario:` in all: ten files that each
    /// name ten others would otherwise mean millions of loads.
    static let maximumLoads = 32

    /// What is left of `maximumLoads` for the load under way.
    final class LoadBudget: Sendable {
        private let remaining = Mutex(RefusedStep.maximumLoads)

        /// Takes one load; false when none is left.
        func take() -> Bool {
            remaining.withLock { left in
                guard left > 0 else { return false }
                left -= 1
                return true
            }
        }
    }

    @TaskLocal static var budget: LoadBudget?

    /// What was loaded, and the error it gave (nil: it loaded).
    let subject: String
    let error: String?
    let expected: String

    init(_ node: ScenarioNode, _ context: StepLoadContext) throws(ScenarioError) {
        try node.rejectUnknownKeys(Self.shape)
        expected = try node.required("error").string()
        let subjects = ["transformation", "systems", "scenario"].filter { node[$0] != nil }
        guard subjects.count == 1, let key = subjects.first, let subjectNode = node[key] else {
            throw node.error("give one of transformation, systems or scenario (found \(subjects.isEmpty ? "none" : subjects.joined(separator: " and ")))")
        }
        if node["properties"] != nil, key != "transformation" { throw node.error("properties: only for a transformation") }
        let outcome: Result<Void, ScenarioError>
        switch key {
        case "transformation":
            let properties = try node["properties"]?.stringMap() ?? [:]
            outcome = Result { () throws(ScenarioError) in _ = try TransformStep.loadTransformation(subjectNode, properties: properties, context: context) }
            subject = "the transformation"
        case "systems":
            outcome = Result { () throws(ScenarioError) in _ = try SystemsStep(ScenarioNode(wrapping: subjectNode, key: "systems"), context) }
            subject = "the systems"
        default:
            let path = context.resolve(try subjectNode.string())
            let id = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            let chain = Self.loading.isEmpty ? [context.file] : Self.loading
            let canonical = (path as NSString).standardizingPath
            guard !chain.map({ ($0 as NSString).standardizingPath }).contains(canonical), chain.count < Self.maximumNesting else {
                throw subjectNode.error("scenario files name each other in a loop: \((chain + [path]).joined(separator: " → "))")
            }
            guard FileManager.default.fileExists(atPath: path) else { throw subjectNode.error("no scenario file \(path)") }
            let budget = Self.budget ?? context.loadBudget
            guard budget.take() else {
                throw subjectNode.error("more than \(Self.maximumLoads) scenario files loaded through refused: scenario: in one file")
            }
            outcome = Self.$loading.withValue(chain + [path]) {
                Self.$budget.withValue(budget) {
                    Result { () throws(ScenarioError) in _ = try ScenarioLoader().load(.init(file: path, id: id)) }
                }
            }
            subject = path
        }
        switch outcome {
        case .success: error = nil
        case .failure(let failure): error = failure.description
        }
    }

    func run(in world: World) async -> StepOutcome {
        guard let error else { return .failed("\(subject) loaded, but it must be refused with an error containing '\(expected)'") }
        guard error.contains(expected) else {
            return .failed("\(subject) is refused, but the error does not contain '\(expected)'", details: error, transcript: error)
        }
        return .passed("\(subject) is refused: \(error)", transcript: error)
    }
}
