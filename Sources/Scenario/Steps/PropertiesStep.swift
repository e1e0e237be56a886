import Engine
import JSON

/// `properties:` changes a declared system's properties mid-scenario, keeping the fakes, their
/// data, the clock and the operational store (a second `systems` step starts afresh): what an
/// administrator does between two jobs.
///
/// ```yaml
/// - properties:
///     system: btp
///     set: { ips.delete.existedbefore.entities: "true" }
///     remove: [xsuaa.user.unique.attribute]
/// ```
struct PropertiesStep: ScenarioStep {
    static let kind = StepKind(key: "properties", summary: "change a system's properties, keeping the fakes, their data and the operational store", shape: shape) { (node, _) throws(ScenarioError) -> any ScenarioStep in
        try PropertiesStep(node)
    }

    static let shape = JSONShape.object("Change a declared system's properties; give set, remove or both.", [
        .required("system", StepShapes.system),
        .optional("set", .map(of: StepShapes.scalar, "Properties to set.")),
        .optional("remove", StepShapes.texts.described("Properties to remove.")),
    ])

    let system: String
    let set: [(key: String, value: String)]
    let remove: [String]

    init(_ node: ScenarioNode) throws(ScenarioError) {
        try node.rejectUnknownKeys(Self.shape)
        system = try node.required("system").string()
        set = try (node["set"]?.entries() ?? []).map { (entry) throws(ScenarioError) -> (key: String, value: String) in
            guard let text = SystemsConfiguration.propertyText(try entry.value.json()) else {
                throw entry.value.error("set: \(entry.key): a property's value is text (or a number, true or false)")
            }
            return (entry.key, text)
        }
        remove = try node["remove"]?.elements().map { (n) throws(ScenarioError) -> String in try n.string() } ?? []
        guard !set.isEmpty || !remove.isEmpty else { throw node.error("give set: {property: value} or remove: [property]") }
        if let entry = set.first(where: { $0.value.contains("${env:") }) {
            throw node.error("set: \(entry.key): ${env:…} is filled in by systems steps only")
        }
        if let both = remove.first(where: { name in set.contains { $0.key == name } }) {
            throw node.error("'\(both)' is both set and removed")
        }
    }

    func run(in world: World) async -> StepOutcome {
        guard let provisioning = await world.provisioning else { return .error("no systems are declared: a 'systems' step must come first") }
        guard provisioning.proxy == nil else {
            return .error("the proxy of this simulation was started with the systems as declared; change properties in the systems step instead")
        }
        if provisioning.external[system] != nil, set.contains(where: { $0.key == "URL" }) || remove.contains("URL") {
            return .error("\(system) is not a fake: its URL comes from the systems step or --target, and what the scenario created there is cleaned up there")
        }
        var declaration = provisioning.declaration
        guard var systems = declaration.json["systems"]?.objectValue, var entry = systems[system]?.objectValue else {
            let names = declaration.json["systems"]?.objectValue?.map(\.key) ?? []
            return .error("no system named '\(system)' (systems: \(names.joined(separator: ", ")))")
        }
        var properties = entry["properties"]?.objectValue ?? JSONObject()
        var changes: [String] = []
        for name in remove {
            guard properties[name] != nil else { return .error("\(system) has no property '\(name)' to remove") }
            properties[name] = nil
            changes.append("-\(name)")
        }
        for (key, value) in set {
            properties[key] = .string(value)
            changes.append("\(key)=\(SecretNames.shown(key, value))")
        }
        entry["properties"] = .object(properties)
        systems[system] = .object(entry)
        declaration.json["systems"] = .object(systems)
        let configuration: SystemsConfiguration
        do throws(SystemsError) {
            configuration = try SystemsFile.load(json: declaration.json, file: declaration.file, connection: provisioning.simulation.fakeConnection)
        } catch {
            return .error("\(system): \(error.description)")
        }
        let engine = provisioning.simulation.engine(systems: configuration, pacing: declaration.pacing, randomSeed: await world.nextSeed())
        await world.replace(engine: engine, declaration: declaration)
        return .passed("\(system): \(changes.joined(separator: ", "))")
    }
}
