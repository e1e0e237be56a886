/// A loaded, validated scenario: a named sequence of steps from one YAML file.
public struct Scenario: Sendable {
    /// Stable identifier: the file path relative to the directory it was found in, without the
    /// extension (`transformations/xsuaa-proxy-read`). Used for sharding and as the JUnit classname.
    public let id: String
    public let name: String
    public let description: String
    public let file: String
    public let tags: [String]
    /// A seed fixed by the scenario itself; otherwise the run's seed applies.
    public let seed: UInt64?
    public let steps: [PlannedStep]

    /// The systems its `systems` steps declare (what `--target` may name).
    public var declaredSystems: Set<String> {
        Set(steps.compactMap { $0.step as? SystemsStep }.flatMap { $0.systemsJSON["systems"]?.objectValue?.keys ?? [] })
    }

    /// The JUnit classname: the id with `/` turned into `.`.
    public var classname: String {
        id.split(separator: "/").joined(separator: ".")
    }
}

/// One step as written: its unique name, where it is, and the compiled step.
public struct PlannedStep: Sendable {
    public let name: String
    public let kind: String
    public let line: Int?
    public let step: any ScenarioStep
}
