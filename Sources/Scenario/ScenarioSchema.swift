import Engine
import JSON

/// The JSON Schemas of scenario and systems files (`provsim schema`), built from the shapes the
/// loaders check keys with, so that an editor's completion and the loader agree.
public enum ScenarioSchema {
    /// Scenario files, with every step kind of `registry`.
    public static func scenario(_ registry: StepRegistry = .standard) -> JSONSchemaDocument {
        let steps = registry.keys.compactMap(registry.kind).map { kind in
            JSONShape.object("\(kind.key): \(kind.summary)", ScenarioLoader.stepCommonMembers + [.required(kind.key, kind.shape)])
        }
        return JSONSchemaDocument(id: "urn:provsim:schema:scenario", title: "provsim scenario", root: ScenarioLoader.shape, definitions: [
            ("step", .anyOf(steps, "One step: name, description and one kind key (\(registry.keys.joined(separator: ", "))).")),
            ("system", SystemsConfiguration.systemShape),
        ])
    }

    /// Systems files (`provsim job run --systems`, `provsim serve`).
    public static let systems = JSONSchemaDocument(id: "urn:provsim:schema:systems", title: "provsim systems", root: SystemsConfiguration.shape,
                                                   definitions: [("system", SystemsConfiguration.systemShape)])
}
