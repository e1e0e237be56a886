import Engine
import Foundation
import JSON
import Testing
@testable import Scenario

/// `provsim schema`: the schemas come from the shapes the loaders check keys with; the copies in
/// schemas/ are current; the wrong files that tools/schema-check.py shows the schema refusing are
/// refused by the loader too, for the reason their first line gives.
@Suite("Scenario and systems schemas")
struct ScenarioSchemaTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("schemas/ holds what provsim schema prints (make schemas rewrites them)", arguments: ["scenario", "systems"])
    func committedSchemasAreCurrent(_ name: String) throws {
        let committed = try String(contentsOf: Self.root.appendingPathComponent("schemas/\(name).schema.json"), encoding: .utf8)
        let printed = name == "scenario" ? ScenarioSchema.scenario().text : ScenarioSchema.systems.text
        #expect(committed == printed, "schemas/\(name).schema.json is out of date: run make schemas")
    }

    @Test("every step kind is in the schema, as an object with its key required, and every member says what it is for")
    func everyStepKindIsDescribed() throws {
        let schema = ScenarioSchema.scenario().json
        let steps = try #require(schema["definitions"]?["step"]?["anyOf"]?.arrayValue)
        let registry = StepRegistry.standard
        #expect(steps.count == registry.keys.count)
        for (kind, step) in zip(registry.keys, steps) {
            #expect(step["required"] == .array([.string(kind)]), "\(kind)")
            #expect(step["additionalProperties"] == .bool(false), "\(kind)")
            #expect(step["properties"]?["name"] != nil && step["properties"]?[kind] != nil, "\(kind)")
        }
        var undescribed: [String] = []
        func walk(_ shape: JSONShape, _ at: String) {
            switch shape.kind {
            case .object(let members, _):
                for member in members {
                    if member.shape.summary.isEmpty, !member.shape.isReference { undescribed.append("\(at).\(member.name)") }
                    walk(member.shape, "\(at).\(member.name)")
                }
            case .list(let element, _): walk(element, at + "[]")
            case .map(let value, _): walk(value, at + ".*")
            case .anyOf(let shapes): shapes.forEach { walk($0, at) }
            default: break
            }
        }
        for kind in registry.keys.compactMap(registry.kind) { walk(kind.shape, kind.key) }
        walk(SystemsConfiguration.systemShape, "system")
        #expect(undescribed.isEmpty, "members without a description: \(undescribed)")
    }

    @Test("a schema is JSON Schema 2020-12: types, required members, other names, references")
    func schemaDocument() {
        let shape = JSONShape.object("a thing", otherNames: .extensions, [
            .required("name", .text("its name", pattern: "^[a-z]+$")),
            .optional("size", .integer("its size", 1...Int.max)),
            .optional("parts", .list(of: .reference("part"), "its parts", minimumCount: 1)),
            .optional("labels", .map(of: .anyOf([.text("text"), .null("none")], "a label"), "labels", namePattern: "^l")),
            .optional("note", .text("free text")),
            .optional("method", .choiceInAnyCase(["GET", "PUT"], "a method")),
        ])
        let document = JSONSchemaDocument(id: "urn:test", title: "test", root: shape, definitions: [("part", .choice(["a", "b"], "a part"))])
        let json = document.json
        #expect(json["$schema"] == "http://json-schema.org/draft-07/schema#")
        #expect(json["required"] == .array(["name"]))
        #expect(json["additionalProperties"] == .bool(false))
        #expect(json["patternProperties"]?["^x-"] == .object(JSONObject()))
        #expect(json["properties"]?["name"]?["pattern"] == "^[a-z]+$")
        #expect(json["properties"]?["size"]?["minimum"] == 1 && json["properties"]?["size"]?["maximum"] == nil)
        #expect(json["properties"]?["parts"]?["items"]?["$ref"] == "#/definitions/part")
        #expect(json["properties"]?["parts"]?["minItems"] == 1)
        #expect(json["properties"]?["labels"]?["propertyNames"]?["pattern"] == "^l")
        #expect(json["properties"]?["labels"]?["additionalProperties"]?["anyOf"]?[1]?["type"] == "null")
        #expect(json["definitions"]?["part"]?["enum"] == .array(["a", "b"]))
        #expect(json["properties"]?["name"]?["type"] == "string", "a pattern applies to text only")
        #expect(json["properties"]?["note"]?["type"] == .array(["string", "number", "boolean"]), "the loader reads 2024 as text")
        #expect(json["properties"]?["method"]?["anyOf"]?[1]?["pattern"] == "^([Gg][Ee][Tt]|[Pp][Uu][Tt])$")
    }

    /// File → what the loader's error names (field and problem).
    static let wrongScenarios: [(String, String)] = [
        ("misspelt-key", "run.expect.statistic: unknown key 'statistic'"),
        ("wrong-choice", "run.job: must be read, resync or simulate, not 'reed'"),
        ("wrong-type", "request.expect.status: expected a whole number"),
        ("unknown-property", "unknown property 'xsuaa.orign'"),
        ("two-kinds", "a step has exactly one kind, found advance and seed"),
    ]

    @Test("the wrong files the schema refuses, the loader refuses too", arguments: wrongScenarios)
    func wrongFilesAreRefusedByTheLoader(_ file: String, _ message: String) throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/schema/\(file)", withExtension: "yaml"))
        let error = #expect(throws: ScenarioError.self) { try ScenarioLoader().load(.init(file: url.path, id: file)) }
        #expect(error.map { "\($0)".contains(message) } == true, "\(String(describing: error))")
    }

    @Test("the wrong systems file the schema refuses, the systems loader refuses too")
    func wrongSystemsFileIsRefused() throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/schema/systems/unknown-role", withExtension: "yaml"))
        let error = #expect(throws: ScenarioError.self) { try SystemsFile.load(path: url.path) }
        #expect(error.map { "\($0)".contains("systems.directory.role: 'origin' is not a role") } == true, "\(String(describing: error))")
    }
}

extension ScenarioSchemaTests {
    @Test("every shipped scenario names the schema in its first line, for editors")
    func shippedScenariosNameTheSchema() throws {
        let scenarios = Self.root.appendingPathComponent("scenarios")
        let files = try FileManager.default.subpathsOfDirectory(atPath: scenarios.path).filter { $0.hasSuffix(".yaml") && !$0.contains("fixtures/") }
        #expect(files.count >= 27)
        for file in files {
            let url = scenarios.appendingPathComponent(file)
            let first = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
            let prefix = "# yaml-language-server: $schema="
            #expect(first.hasPrefix(prefix), "\(file)")
            let schema = url.deletingLastPathComponent().appendingPathComponent(String(first.dropFirst(prefix.count))).standardizedFileURL
            #expect(schema.path == Self.root.appendingPathComponent("schemas/scenario.schema.json").standardizedFileURL.path, "\(file)")
        }
    }
}
