import JSON

/// A step that can run inside a scenario. Steps are compiled when the file is loaded, so a broken
/// step is reported before anything runs.
public protocol ScenarioStep: Sendable {
    func run(in world: World) async -> StepOutcome
}

/// One kind of step, keyed by its YAML key (`transform:`, and later `seed:`, `run:`, `assert:` …).
public struct StepKind: Sendable {
    public typealias Parse = @Sendable (ScenarioNode, StepLoadContext) throws(ScenarioError) -> any ScenarioStep

    public let key: String
    /// One line for `provsim run --list-steps` and the docs.
    public let summary: String
    /// The keys the step takes, with their types and meanings: the parser rejects keys from it
    /// and `provsim schema scenario` prints it.
    public let shape: JSONShape
    public let parse: Parse

    public init(key: String, summary: String, shape: JSONShape, parse: @escaping Parse) {
        self.key = key
        self.summary = summary
        self.shape = shape
        self.parse = parse
    }
}

/// What a step parser may need besides its node.
public struct StepLoadContext: Sendable {
    /// The directory of the scenario file; relative paths in steps are resolved against it.
    public let directory: String
    public let file: String
    /// Deliberate breakage to apply (none in a normal run).
    public var sabotage: Sabotage = .none
    /// Scenario files this file's `refused` steps may still load (shared with the files they load).
    let loadBudget = RefusedStep.LoadBudget()

    /// Resolves a path written in the scenario.
    public func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : (directory.isEmpty ? path : directory + "/" + path)
    }
}

/// The step kinds a runner understands. Later modules add kinds without touching the runner.
public struct StepRegistry: Sendable {
    private(set) var kinds: [String: StepKind] = [:]

    public init(_ kinds: [StepKind] = []) {
        for kind in kinds { register(kind) }
    }

    public mutating func register(_ kind: StepKind) {
        kinds[kind.key] = kind
    }

    public func kind(_ key: String) -> StepKind? {
        kinds[key]
    }

    public var keys: [String] { kinds.keys.sorted() }

    /// The kinds this module ships.
    public static let standard = StepRegistry([
        TransformStep.kind, SystemsStep.kind, SeedStep.kind, ChangeStep.kind, RunJobStep.kind,
        AssertStep.kind, FaultStep.kind, AdvanceStep.kind, RequestStep.kind, ProxyRequestStep.kind, ProxyLoadStep.kind,
        RealTimeStep.kind, PropertiesStep.kind, RefusedStep.kind, ControlStep.kind, BurstStep.kind,
    ])
}
