import Chrono
import Engine
import Fakes
import Hosting
import JSON
import Proxy
import Simulation

/// `systems:` starts a simulation (fakes on loopback ports, unless the runner runs in process) and
/// declares the systems jobs run on. A system written with `fake: <service>` gets that fake's URL
/// and credentials as its properties.
///
/// ```yaml
/// - systems:
///     timeScale: 100            # simulated seconds per real second (fakes and engine)
///     rateLimits: true          # the fakes' documented limits (default on)
///     pacing: true              # the engine paces under them (default: each system's provsim.pacing)
///     tokenLifetime: 120        # access-token validity in simulated seconds (default 43199)
///     proxy:                    # IPS's proxy and real-time APIs (started anyway for role: proxy systems)
///       discovery: true         # /ServiceProviderConfig, /ResourceTypes, /Schemas (default on)
///       inboundLimit: true      # 150/min slowed, 200/min 429 (default: as rateLimits)
///       technicalUsers: [{ clientId: idm, secret: s, permissions: [proxy, real-time] }]
///     systems:
///       directory: { type: identity-directory, role: source, fake: identity-directory, targets: [btp] }
///       btp: { type: xsuaa, role: target, fake: xsuaa, properties: { xsuaa.origin: sap.custom } }
/// ```
struct SystemsStep: ScenarioStep {
    static let kind = StepKind(key: "systems", summary: "start the fakes and declare source and target systems", shape: shape) { (node, context) throws(ScenarioError) -> any ScenarioStep in
        try SystemsStep(node, context)
    }

    static let technicalUserShape = JSONShape.object("A technical user of the proxy and real-time APIs.", [
        .required("clientId", .text("Its client ID.")),
        .required("secret", .text("Its secret.")),
        .required("permissions", .list(of: .choice(["proxy", "real-time"], "Access Proxy System API, or Access Real-Time Provisioning API"), "What it may call.")),
    ])
    static let proxyShape = JSONShape.object("How IPS's proxy and real-time APIs are served (started anyway for proxy systems).", [
        .optional("discovery", .boolean("/ServiceProviderConfig, /ResourceTypes, /Schemas (default true).")),
        .optional("inboundLimit", .boolean("150 requests/min slowed, 200/min answered 429 (default: as rateLimits).")),
        .optional("technicalUsers", .list(of: technicalUserShape, "Who may call the APIs.")),
    ])
    static let shape = JSONShape.object("Start the fakes and declare the systems jobs run on.", [
        .required("systems", SystemsConfiguration.systemsShape),
        .optional("fakes", .list(of: .choice(FakeFleet.serviceNames, "a fake service"), "The fakes to start (default: those the systems name, with what they need).")),
        .optional("timeScale", .number("Simulated seconds per real second, for fakes and engine (default 1).", SimulatedClock.scales)),
        .optional("rateLimits", .boolean("The fakes' documented rate limits (default true).")),
        .optional("pacing", .boolean("The engine paces under the limits (default: each system's provsim.pacing).")),
        .optional("tokenLifetime", .integer("Access-token validity in simulated seconds (default 43199).", TokenIssuer.lifetimes)),
        .optional("proxy", proxyShape),
    ])

    /// How to serve the proxy and real-time APIs, when they are served.
    struct ProxyOptions: Sendable {
        var discovery = true
        var inboundLimit: Bool?
        var technicalUsers: [ProxyTechnicalUser] = []
    }

    /// The `systems:` mapping wrapped as `{systems: …}`, and the scenario file.
    let systemsJSON: JSONValue
    let file: String
    let fakes: [String]
    let timeScale: Double
    let rateLimits: Bool
    let pacing: Bool?
    let tokenLifetime: Int?
    let defects: Set<FakeDefect>
    /// System name → fake service, for request expectations and charts.
    let fakeOfSystem: [String: String]
    /// Set when the proxy is served (a `proxy:` key, or a system with role proxy).
    let proxy: ProxyOptions?

    init(_ node: ScenarioNode, _ context: StepLoadContext) throws(ScenarioError) {
        try node.rejectUnknownKeys(Self.shape)
        let systems = try node.required("systems")
        // Wrapped so field paths read `systems.<name>…` as in a systems file.
        let systemsNode = ScenarioNode(wrapping: systems)
        systemsJSON = context.sabotage.apply(toSystems: try systemsNode.json())
        defects = context.sabotage.fakeDefects
        file = node.file
        var named: [String] = []
        var fakeOfSystem: [String: String] = [:]
        var hasProxySystem = false
        for (name, system) in try systems.entries() {
            if try system.string("role") == "proxy" { hasProxySystem = true }
            guard let fake = try system.string("fake") else { continue }
            fakeOfSystem[name] = fake
            if !named.contains(fake) { named.append(fake) }
        }
        self.fakeOfSystem = fakeOfSystem
        if let proxyNode = node["proxy"] {
            proxy = try Self.proxyOptions(proxyNode)
        } else {
            proxy = hasProxySystem ? ProxyOptions() : nil
        }
        if let list = node["fakes"] {
            fakes = try list.elements().map { (n) throws(ScenarioError) -> String in try n.string() }
        } else {
            fakes = FakeFleet.withDependencies(named)
        }
        for (i, fake) in fakes.enumerated() where !FakeFleet.serviceNames.contains(fake) {
            throw (node["fakes"]?.descendant(atField: "[\(i)]") ?? node).error("unknown fake '\(fake)' (known: \(FakeFleet.serviceNames.joined(separator: ", ")))")
        }
        let declaredScale = try node["timeScale"].map { (n) throws(ScenarioError) -> Double in try n.double(in: SimulatedClock.scales) } ?? 1
        timeScale = context.sabotage.timeScale ?? declaredScale
        rateLimits = try node.bool("rateLimits") ?? true
        let declaredPacing = try node.bool("pacing")
        pacing = context.sabotage.pacing ?? declaredPacing
        tokenLifetime = try node["tokenLifetime"].map { (n) throws(ScenarioError) -> Int in try n.int(in: TokenIssuer.lifetimes) }
        // Check names, properties and transformations now, with stand-in connections and
        // environment variables (their values come when the step runs).
        let standIns: JSONValue
        var ignored: [String] = []
        switch ExternalSystems.substituting(try systemsNode.json(), secrets: &ignored, ExternalSystems.standIn(for:)) {
        case .success(let json): standIns = json
        case .failure(let failure): throw systems.error(failure.message)
        }
        _ = try SystemsFile.load(systemsNode, json: standIns) { (_, fake) throws(SystemsError) -> [String: String] in
            guard FakeFleet.serviceNames.contains(fake) else { throw SystemsError(field: "fake", message: "unknown fake '\(fake)' (known: \(FakeFleet.serviceNames.joined(separator: ", ")))") }
            return ["URL": "http://127.0.0.1", "User": "-", "Password": "-"]
        }
    }

    static func proxyOptions(_ node: ScenarioNode) throws(ScenarioError) -> ProxyOptions {
        try node.rejectUnknownKeys(Self.proxyShape)
        var options = ProxyOptions()
        options.discovery = try node.bool("discovery") ?? true
        options.inboundLimit = try node.bool("inboundLimit")
        for user in try node["technicalUsers"]?.elements() ?? [] {
            try user.rejectUnknownKeys(Self.technicalUserShape)
            var permissions: Set<ProxyPermission> = []
            for entry in try user.required("permissions").elements() {
                switch try entry.string() {
                case "proxy": permissions.insert(.proxySystemAPI)
                case "real-time": permissions.insert(.realTimeProvisioningAPI)
                default: throw entry.error("a permission is 'proxy' (Access Proxy System API) or 'real-time' (Access Real-Time Provisioning API)")
                }
            }
            options.technicalUsers.append(ProxyTechnicalUser(clientId: try user.required("clientId").string(), secret: try user.required("secret").string(), permissions: permissions))
        }
        return options
    }

    func run(in world: World) async -> StepOutcome {
        var configuration = SimulationConfiguration()
        configuration.fakes.services = fakes
        configuration.fakes.timeScale = timeScale
        configuration.fakes.rateLimits = rateLimits
        if let tokenLifetime { configuration.fakes.tokenLifetime = tokenLifetime }
        configuration.fakes.defects = defects
        configuration.fakes.deterministic = true
        configuration.fakes.seed = await world.nextSeed()
        configuration.transport = world.transport
        let simulation: Simulation
        do {
            simulation = try await Simulation.start(configuration)
        } catch {
            return .error("the fakes did not start: \(error)")
        }
        // Systems sent elsewhere (`--target`), then secrets from the environment.
        let targeted = ExternalSystems.targeting(systemsJSON, world.options.targets)
        let environment = world.options.environment
        let declared: JSONValue
        var secrets: [String] = []
        switch ExternalSystems.substituting(targeted.systems, runId: world.options.runId, secrets: &secrets, { environment[$0] }) {
        case .success(let json):
            declared = json
            await world.hide(secrets)
        case .failure(let failure):
            await simulation.stop()
            return .error("\(file): \(failure.message)")
        }
        let systems: SystemsConfiguration
        do throws(SystemsError) {
            systems = try SystemsFile.load(json: declared, file: file, connection: simulation.fakeConnection)
        } catch {
            await simulation.stop()
            return .error("\(file): \(error.description)")
        }
        let engine = simulation.engine(systems: systems, pacing: pacing, randomSeed: await world.nextSeed())
        await world.start(simulation: simulation, engine: engine, fakeOfSystem: fakeOfSystem.filter { targeted.external[$0.key] == nil },
                          declaration: World.SystemsDeclaration(json: declared, file: file, pacing: pacing),
                          external: targeted.external, redirected: targeted.redirected)
        var lines = simulation.fleet.hosts.map { "\($0.service.name) \($0.baseURL)" }
        lines += targeted.external.sorted { $0.key < $1.key }.map { "\($0.key) external \($0.value)" }
        if let proxy {
            let seed = await world.nextSeed()
            let user = ProxyTechnicalUser.standard(seed: seed, deterministic: simulation.clock.deterministic)
            var settings = ProxyServiceSettings(technicalUsers: [user] + proxy.technicalUsers)
            settings.discoveryEndpoints = proxy.discovery
            let service = ProxyService(engine: engine, settings: settings, realTime: EngineRealTimeProvisioner(engine: engine, store: simulation.store), clock: simulation.clock, seed: seed)
            do {
                let endpoint = try await simulation.serveProxy(service, seed: seed, inboundLimit: proxy.inboundLimit ?? rateLimits)
                await world.attach(proxy: World.ScenarioProxy(endpoint: endpoint, technicalUser: user))
                lines.append("proxy \(endpoint.baseURL)")
            } catch {
                await world.shutdown()
                return .error("the proxy did not start: \(error)")
            }
        }
        return .passed("started \(fakes.joined(separator: ", ")); systems \(systems.order.joined(separator: ", "))", transcript: lines.joined(separator: "\n"))
    }
}
