import Foundation
import JSON
import Yams

/// Finds scenario files and compiles them. Everything that can be checked without running is
/// checked here, so a broken file fails the run before any step starts (exit code 2).
public struct ScenarioLoader: Sendable {
    public var registry: StepRegistry
    /// Breakage applied to every step loaded (tests of the suite itself).
    public var sabotage: Sabotage

    public init(registry: StepRegistry = .standard, sabotage: Sabotage = .none) {
        self.registry = registry
        self.sabotage = sabotage
    }

    /// A scenario file; `step` stands for any one step (see `ScenarioSchema`).
    static let shape = JSONShape.object("A provsim scenario: steps that run in order against fakes and the provisioning engine.", otherNames: .extensions, [
        .optional("name", .text("The scenario's name in reports (default: the file's path below the suite).")),
        .optional("description", .text("What the scenario shows.")),
        .optional("tags", .list(of: .text("a tag"), "Tags, shown in the HTML report and as a JUnit property.")),
        .optional("seed", .integer("The seed of everything random in the run (default: the run's).", 0...Int.max)),
        .required("steps", .list(of: .reference("step"), "The steps, in order; each has one kind key.", minimumCount: 1)),
    ])
    /// Keys every step may have besides its kind.
    static let stepCommonMembers: [JSONShape.Member] = [
        .optional("name", .text("The step's name in reports (default: kind #n).")),
        .optional("description", .text("What the step shows.")),
    ]
    static let stepCommonKeys = Set(stepCommonMembers.map(\.name))

    /// A scenario file and the id it gets.
    public struct Entry: Sendable, Equatable {
        public let file: String
        public let id: String

        public init(file: String, id: String) {
            self.file = file
            self.id = id
        }
    }

    /// Files given are taken as they are; directories are searched recursively for `*.yaml` and
    /// `*.yml`, skipping directories named `fixtures` (where scenarios keep their data files).
    /// Results are sorted by id so runs and shards are deterministic.
    public func scenarioFiles(in paths: [String]) throws(ScenarioError) -> [Entry] {
        var entries: [Entry] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ScenarioError(file: path, message: "no such file or directory")
            }
            if !isDirectory.boolValue {
                entries.append(Entry(file: path, id: Self.stem(URL(fileURLWithPath: path).lastPathComponent)))
                continue
            }
            let root = path.hasSuffix("/") ? String(path.dropLast()) : path
            guard let walker = fm.enumerator(atPath: root) else { continue }
            while let relative = walker.nextObject() as? String {
                let components = relative.split(separator: "/")
                if components.dropLast().contains("fixtures") { continue }
                guard relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") else { continue }
                entries.append(Entry(file: root + "/" + relative, id: Self.stem(relative)))
            }
        }
        let sorted = entries.sorted { $0.id < $1.id }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.id == b.id {
            throw ScenarioError(file: b.file, message: "has the same scenario id '\(b.id)' as \(a.file)")
        }
        return sorted
    }

    private static func stem(_ relative: String) -> String {
        for ext in [".yaml", ".yml"] where relative.hasSuffix(ext) {
            return String(relative.dropLast(ext.count))
        }
        return relative
    }

    /// Loads every scenario; problems are collected rather than stopping at the first.
    public func loadAll(_ paths: [String]) -> (scenarios: [Scenario], errors: [ScenarioError]) {
        let entries: [Entry]
        do throws(ScenarioError) {
            entries = try scenarioFiles(in: paths)
        } catch {
            return ([], [error])
        }
        var scenarios: [Scenario] = []
        var errors: [ScenarioError] = []
        for entry in entries {
            do throws(ScenarioError) {
                scenarios.append(try load(entry))
            } catch {
                errors.append(error)
            }
        }
        return (scenarios, errors)
    }

    public func load(_ entry: Entry) throws(ScenarioError) -> Scenario {
        let text: String
        do {
            text = try String(contentsOfFile: entry.file, encoding: .utf8)
        } catch {
            throw ScenarioError(file: entry.file, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try load(yaml: text, entry: entry)
    }

    public func load(yaml: String, entry: Entry) throws(ScenarioError) -> Scenario {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw Self.yamlError(error, file: entry.file)
        }
        guard let node else { throw ScenarioError(file: entry.file, message: "the file is empty") }
        // `x-…` keys hold what anchors define for the steps to reuse (`x-user: &user {…}`).
        let root = ScenarioNode(node: YAMLMergeKeys.droppingExtensions(try YAMLMergeKeys.expand(node, file: entry.file)), file: entry.file, field: "")
        try root.rejectUnknownKeys(Self.shape)
        var context = StepLoadContext(directory: (entry.file as NSString).deletingLastPathComponent, file: entry.file)
        context.sabotage = sabotage

        let name = try root.string("name") ?? entry.id
        let description = try root.string("description") ?? ""
        let tags = try root["tags"]?.elements().map { (n) throws(ScenarioError) -> String in try n.string() } ?? []
        var seed: UInt64?
        if let s = root["seed"] {
            let value = try s.int()
            guard value >= 0 else { throw s.error("the seed must not be negative") }
            seed = UInt64(value)
        }
        let stepNodes = try root.required("steps").elements()
        guard !stepNodes.isEmpty else { throw try root.required("steps").error("a scenario needs at least one step") }

        var steps: [PlannedStep] = []
        var names: [String: Int] = [:]
        for (index, stepNode) in stepNodes.enumerated() {
            let keys = try stepNode.keys()
            let kindKeys = keys.filter { !Self.stepCommonKeys.contains($0) }
            guard kindKeys.count == 1, let kindKey = kindKeys.first else {
                let known = registry.keys.joined(separator: ", ")
                throw stepNode.error(kindKeys.isEmpty
                    ? "a step needs one of: \(known)"
                    : "a step has exactly one kind, found \(kindKeys.joined(separator: " and ")) (known: \(known))")
            }
            guard let kind = registry.kind(kindKey) else {
                throw try stepNode.required(kindKey).error("unknown step kind '\(kindKey)' (known: \(registry.keys.joined(separator: ", ")))")
            }
            let body = try stepNode.required(kindKey)
            let step = try kind.parse(body, context)
            var stepName = try stepNode.string("name") ?? "\(kindKey) #\(index + 1)"
            if stepName.trimmingCharacters(in: .whitespaces).isEmpty { throw try stepNode.required("name").error("the step name is empty") }
            // Names must be unique within a scenario (they become JUnit test case names).
            names[stepName, default: 0] += 1
            if names[stepName]! > 1 { stepName += " (\(names[stepName]!))" }
            steps.append(PlannedStep(name: stepName, kind: kindKey, line: stepNode.line, step: step))
        }
        return Scenario(id: entry.id, name: name, description: description, file: entry.file, tags: tags, seed: seed, steps: steps)
    }

    static func yamlError(_ error: any Error, file: String) -> ScenarioError {
        if let yaml = error as? YamlError {
            switch yaml {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
                let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
                return ScenarioError(file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(text)")
            case .composer(let context, let problem, let mark, _):
                let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
                return ScenarioError(file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(text)")
            default:
                break
            }
        }
        return ScenarioError(file: file, message: "invalid YAML: \(error)")
    }
}
