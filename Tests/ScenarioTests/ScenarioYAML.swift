@testable import Scenario

/// Scenarios written inline in tests: a common start and a way to load and run them.
enum ScenarioYAML {
    /// The steps header and a `systems` step: the directory as source, XSUAA (custom origin) as
    /// its target, at a hundred times real time, without rate limits (whether a limit binds at
    /// this scale would depend on the machine's speed; the limits have scenarios of their own).
    static let directoryToXSUAA = """
    steps:
      - systems:
          timeScale: 100
          rateLimits: false
          systems:
            directory: { type: identity-directory, role: source, fake: identity-directory, targets: [btp] }
            btp: { type: xsuaa, role: target, fake: xsuaa, properties: { xsuaa.origin: sap.custom } }

    """

    static func load(_ yaml: String, file: String) throws(ScenarioError) -> Scenario {
        let id = String(file.prefix { $0 != "." })
        return try ScenarioLoader().load(yaml: yaml, entry: .init(file: file, id: id))
    }

    static func run(_ yaml: String, file: String) async throws(ScenarioError) -> ScenarioResult {
        await ScenarioRunner(seed: 1).run(try load(yaml, file: file))
    }
}
