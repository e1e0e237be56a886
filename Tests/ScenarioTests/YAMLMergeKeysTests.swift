import JSON
import Testing
import Yams
@testable import Scenario

/// Merge keys: defined once under an anchor, reused with changes.
@Suite("YAML merge keys")
struct YAMLMergeKeysTests {
    private func expanded(_ yaml: String) throws -> JSONValue {
        let node = try #require(try Yams.compose(yaml: yaml))
        return try ScenarioNode(node: try YAMLMergeKeys.expand(node, file: "m.yaml"), file: "m.yaml", field: "").json()
    }

    private func expansionError(_ yaml: String) -> String? {
        do {
            _ = try expanded(yaml)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func ownKeysWinThenTheFirstMergedMappingAndMergedKeysStandWhereTheMergeKeyIs() throws {
        let value = try expanded("""
        base: &base { a: 1, b: 2, c: 3 }
        more: &more { c: 30, d: 40 }
        one: { x: 0, <<: *base, b: 20 }
        two: { <<: [*more, *base] }
        nested: { inner: { <<: *base, a: 10 } }
        quoted: { "<<": kept }
        """)
        #expect(value["one"] == JSONValue.object(JSONObject([("x", 0), ("a", 1), ("c", 3), ("b", 20)])))
        #expect(value["two"] == JSONValue.object(JSONObject([("c", 30), ("d", 40), ("a", 1), ("b", 2)])))
        #expect(value["nested"]?["inner"] == JSONValue.object(JSONObject([("b", 2), ("c", 3), ("a", 10)])))
        #expect(value["quoted"]?["<<"] == "kept")
    }

    @Test func onlyMappingsMerge() {
        #expect(expansionError("a: { <<: 3 }")?.contains("<<: merges mappings") == true)
        #expect(expansionError("a: { <<: [{ x: 1 }, 2] }")?.contains("<<: merges mappings") == true)
    }

    @Test func nestedAliasesCannotExpandWithoutBound() {
        // Ten levels of ten: 10^10 values if expanded.
        var yaml = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 { yaml += "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        yaml += "top: { <<: { v: *l9 } }\n"
        #expect(expansionError(yaml)?.contains("expands to more than") == true)
    }

    @Test func scenariosReuseStepsAndDefinitionsUnderXKeys() throws {
        let scenario = try load("""
        name: Reuse
        x-create: &create { entity: user, operation: create }
        x-transformation: &t { user: { mappings: [{ sourcePath: $.userName, targetPath: $.name }] } }
        steps:
          - transform: { <<: *create, transformation: *t, input: { userName: a }, expect: { output: { name: a } } }
          - &again
            transform: { <<: *create, transformation: *t, input: { userName: b }, expect: { output: { name: b } } }
          - *again
        """)
        #expect(scenario.steps.count == 3)
        #expect(loadError("name: R\ny-other: 1\nsteps: [{ advance: { seconds: 1 } }]")?.contains("unknown key 'y-other'") == true)
    }

    @Test func systemsFilesTakeXKeysAndMergeKeys() throws {
        let configuration = try SystemsFile.load(text: """
        x-target: &target { type: xsuaa, role: target, properties: { URL: "http://a.example", xsuaa.origin: sap.custom } }
        systems:
          d: { type: identity-directory, role: source, targets: [a, b], properties: { URL: "http://d.example" } }
          a: *target
          b: { <<: *target, properties: { URL: "http://b.example" } }
        """, file: "systems.yaml")
        #expect(configuration["a"]?.properties["xsuaa.origin"] == "sap.custom")
        #expect(configuration["b"]?.properties["URL"] == "http://b.example")
        #expect(configuration["b"]?.properties["xsuaa.origin"] == nil, "a merged key is replaced whole, not merged deeply")
    }
}
