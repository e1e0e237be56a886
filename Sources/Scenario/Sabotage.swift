import Engine
import Fakes
import Hosting
import JSON
import Transformation

/// Deliberate breakage applied while scenarios load, to prove that the suite notices wrong
/// behaviour: a fake that breaks one of its service's rules, an engine that does not pace,
/// system properties overridden, a default transformation replaced by a wrong one. Empty by
/// default; the suite's own tests switch parts on and expect the right scenarios to fail.
public struct Sabotage: Sendable {
    /// Rules the fakes break (see `FakeDefect`).
    public var fakeDefects: Set<FakeDefect>
    /// Overrides `pacing` of every `systems:` step.
    public var pacing: Bool?
    /// Overrides `timeScale` of every `systems:` step: slower simulated time makes a rate limit
    /// bind even when the machine is busy.
    public var timeScale: Double?
    /// System type (`xsuaa`, `afc`, `cf-platform-members`, `identity-directory`) → properties set
    /// on every system of that type, over what the scenario says.
    public var properties: [String: [String: String]]
    /// A transformation reference as scenarios write it (`builtin:xsuaa-write`,
    /// `fixtures/hr-source-read.json`) → the document used instead, also where a system falls
    /// back to its default (`builtin:<type>-write`).
    public var transformations: [String: String]

    public init(fakeDefects: Set<FakeDefect> = [], pacing: Bool? = nil, timeScale: Double? = nil, properties: [String: [String: String]] = [:], transformations: [String: String] = [:]) {
        self.fakeDefects = fakeDefects
        self.pacing = pacing
        self.timeScale = timeScale
        self.properties = properties
        self.transformations = transformations
    }

    public static let none = Sabotage()

    /// A systems document (`{systems: {name: {type, role, properties, transformation}}}`) with the
    /// property overrides and replaced default transformations applied.
    func apply(toSystems document: JSONValue) -> JSONValue {
        guard !properties.isEmpty || !transformations.isEmpty, case .object(var systems)? = document["systems"] else { return document }
        for member in systems {
            let name = member.key
            guard case .object(var system) = member.value, let type = system["type"]?.stringValue else { continue }
            if let overrides = properties[type] {
                var merged = system["properties"]?.objectValue ?? JSONObject()
                for (key, value) in overrides { merged[key] = .string(value) }
                system["properties"] = .object(merged)
            }
            // The references as written, or the defaults the engine falls back to.
            let role = system["role"]?.stringValue.flatMap(SystemRole.init(rawValue:))
            let defaults = role.flatMap { SystemType(rawValue: type)?.defaultTransformations(as: $0) }
            for (key, fallback) in [("transformation", defaults?.transformation), ("writeTransformation", defaults?.write)] {
                let reference = system[key]?.stringValue ?? (system[key] == nil ? fallback.map { BuiltinTransformations.prefix + $0 } : nil)
                if let reference, let replacement = transformations[reference], let parsed = try? JSONParser.parse(replacement) {
                    system[key] = parsed
                }
            }
            systems[name] = .object(system)
        }
        var result = document
        result["systems"] = .object(systems)
        return result
    }
}
