import Determinism
import Engine
import Foundation
import JSON
import JSONPath
import Report
import SCIM
import Scenario
import Transformation

/// The parsers and file formats provsim reads, each as a fuzz target.
public enum ParserTargets {
    /// JSON: parse; what parses must write and parse back to the same value.
    public static let json = ParserTarget(name: "json", generate: { JSONGrammar.text(&$0) }) { text in
        guard let value = try? JSONParser.parse(text) else { return .handled }
        guard let again = try? JSONParser.parse(value.serialized()), again == value else {
            return .malformed(detail: "writing and parsing again changed the value")
        }
        return .handled
    }

    /// SCIM filters: parse, then evaluate against a user (what every list and PATCH path does).
    public static let scimFilter = ParserTarget(name: "scim-filter", generate: { SCIMFilterGrammar.filter(&$0) }) { text in
        guard let filter = try? SCIMFilter(parsing: text) else { return .handled }
        let evaluator = SCIMFilterEvaluator(resourceType: SCIMResourceType(name: "User", endpoint: "/Users", description: "", schema: SCIMSchemas.user))
        _ = evaluator.matches(filter, sampleUser)
        _ = (filter.operators, filter.referencedAttributes, filter.equalityTerms, filter.attributePaths, filter.usesPresence)
        return .handled
    }

    /// JSONPath: compile, read from a document, and write into a copy where the path is writable.
    public static let jsonPath = ParserTarget(name: "jsonpath", generate: { JSONPathGrammar.path(&$0) }) { text in
        guard let path = try? JSONPath(text) else { return .handled }
        _ = path.select(in: sampleUser)
        var copy = sampleUser
        if path.writeProblem == nil { try? path.set("x", in: &copy) }
        try? path.remove(from: &copy)
        _ = copy.serialized()
        return .handled
    }

    /// IPS conditions (filter expressions with IPS's functions), through a transformation.
    public static let condition = ParserTarget(name: "condition", generate: { JSONPathGrammar.condition(&$0) }) { text in
        let document: JSONValue = ["user": ["condition": .string(text), "mappings": [["sourcePath": "$.userName", "targetPath": "$.userName"]]]]
        guard let transformation = try? Transformation(document: document, properties: ["xsuaa.group.prefix": "T_"]) else { return .handled }
        _ = transformation.apply(sampleUser, as: .user, context: TransformContext(operation: .create, now: fixedNow, randomSeed: 1))
        return .handled
    }

    /// Transformation documents: compile, then apply to an entity in every operation.
    public static let transformation = ParserTarget(name: "transformation", generate: { random in
        TransformationGrammar.document(&random)
    }) { text in
        guard let transformation = try? Transformation(text: text, properties: ["xsuaa.origin": "sap.default", "xsuaa.group.prefix": "T_"]) else { return .handled }
        var random = SeededRandom(seed: UInt64(truncatingIfNeeded: text.utf8.count))
        let entity = TransformationGrammar.entity(&random)
        for operation in [TransformOperation.create, .update, .delete, .read] {
            for type in [EntityType.user, .group] {
                let result = transformation.apply(entity, as: type, context: TransformContext(operation: operation, now: fixedNow, randomSeed: 1))
                _ = result
            }
        }
        return .handled
    }

    /// JUnit XML reports: read, write, merge and summarize what reads (`provsim report`).
    public static let junitXML = ParserTarget(name: "junit-xml", generate: { random in
        Mutations.mutate(sampleReport, &random)
    }) { text in
        guard let document = try? JUnitXMLReader.read(text) else { return .handled }
        _ = JUnitXMLWriter.xml(document.report)
        if let merged = try? JUnitReport.merged([document.report]) {
            _ = JUnitXMLWriter.xml(merged)
            _ = merged.summary
        }
        return .handled
    }

    /// Scenario files: mutants of the shipped scenarios (and of their systems steps), loaded as
    /// `provsim run` loads them.
    public static func scenarioFile(samples: [String]) -> ParserTarget {
        ParserTarget(name: "scenario-file", generate: { random in
            samples.isEmpty ? JSONGrammar.text(&random) : Mutations.mutate(random.pick(samples), &random)
        }) { text in
            _ = try? ScenarioLoader().load(yaml: text, entry: .init(file: "fuzz.yaml", id: "fuzz"))
            return .handled
        }
    }

    /// Systems files of `provsim job run`: mutants of a valid one.
    public static let systemsFile = ParserTarget(name: "systems-file", generate: { random in
        Mutations.mutate(sampleSystems, &random)
    }) { text in
        _ = try? SystemsFile.load(text: text, file: "fuzz-systems.yaml") { (_, _) throws(SystemsError) -> [String: String] in
            ["URL": "http://127.0.0.1:1", "User": "u", "Password": "p"]
        }
        return .handled
    }

    /// NDJSON input of `provsim transform`.
    public static let ndjson = ParserTarget(name: "ndjson", generate: { random in
        (0..<random.int(1...5)).map { _ in JSONGrammar.text(&random) }.joined(separator: random.pick(["\n", "\r\n", "\n\n"]))
    }) { text in
        _ = JSONLines.entries(in: Array(text.utf8))
        return .handled
    }

    /// The raw path of `provsim transform`: what the scanner accepts must parse and write back
    /// byte for byte, and the XSUAA proxy read must write exactly what the value path writes, or decline.
    public static let rawTransform = ParserTarget(name: "raw-transform", generate: { random in
        random.int(0...3) == 0 ? JSONGrammar.text(&random) : Mutations.mutate(sampleUser.serialized(), &random)
    }) { text in
        let bytes = Array(text.utf8)
        let scanner = RawJSONScanner()
        if bytes.withUnsafeBufferPointer({ scanner.scan($0) }) {
            guard let value = try? JSONParser.parse(bytes) else { return .malformed(detail: "the raw scanner accepted what the parser refuses") }
            guard JSONWriter().bytes(value) == bytes else { return .malformed(detail: "the raw scanner accepted text the writer does not reproduce") }
        }
        guard let plan = proxyRead?.rawPlan(for: .user, operation: .read), let transformation = proxyRead else { return .handled }
        var variables = VariableBindings()
        variables["entityBaseLocation"] = "https://proxy.example/Users/"
        let context = TransformContext(operation: .read, variables: variables, now: fixedNow, randomSeed: 1)
        let out = JSONOutputBuffer()
        guard bytes.withUnsafeBufferPointer({ plan.transform($0, context: context, scratch: RawPlan.Scratch(), into: out) }) else { return .handled }
        guard let value = try? JSONParser.parse(bytes), case .transformed(let t) = transformation.apply(value, as: .user, context: context),
              JSONWriter().bytes(t.value) == out.bytes else {
            return .malformed(detail: "the raw path wrote what the value path does not")
        }
        return .handled
    }

    static let proxyRead: Transformation? = BuiltinTransformations.text(named: "xsuaa-proxy-read").flatMap { try? Transformation(text: $0) }

    /// NDJSON read in batches (`provsim transform` on a stream): any batch size gives the lines
    /// and line numbers of reading the text whole.
    public static let lineBatches = ParserTarget(name: "line-batches", generate: { random in
        (0..<random.int(1...8)).map { _ in JSONGrammar.text(&random) }.joined(separator: random.pick(["\n", "\r\n", "\n\n", "\n \n"]))
    }) { text in
        let bytes = Array(text.utf8)
        let expected = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
            .filter { !$0.element.allSatisfy { [0x20, 0x09, 0x0D].contains($0) } }
            .map { ($0.offset + 1, Array($0.element)) }
        var offset = 0
        var reader = LineBatchReader(batchBytes: 1 + bytes.count % 17) { buffer in
            let count = min(buffer.count, 1 + offset % 5, bytes.count - offset)
            for i in 0..<count { buffer[i] = bytes[offset + i] }
            offset += count
            return count
        }
        var found: [(Int, [UInt8])] = []
        // Half the inputs hand each batch's bytes back to be filled again, as the transform does.
        let recycling = bytes.count % 2 == 0
        while let batch = try? reader.next() {
            for line in batch.lines { found.append((line.number, Array(batch.bytes[line.range]))) }
            if recycling { reader.recycle(batch.bytes) }
        }
        guard found.map(\.0) == expected.map(\.0), found.map(\.1) == expected.map(\.1) else {
            return .malformed(detail: "batched lines differ from the whole text's lines")
        }
        return .handled
    }

    /// Every parser target; scenario files are mutated from `scenarioSamples`.
    public static func all(scenarioSamples: [String]) -> [ParserTarget] {
        [json, scimFilter, jsonPath, condition, transformation, junitXML, scenarioFile(samples: scenarioSamples), systemsFile, ndjson,
         rawTransform, lineBatches]
    }

    static let fixedNow = Date(timeIntervalSince1970: 1_735_689_600)

    static let sampleUser: JSONValue = [
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "u1", "userName": "alice", "active": true,
        "name": ["givenName": "Alice", "familyName": "Doe"], "emails": [["value": "alice@example.com", "type": "work", "primary": true], ["value": "a@home.example"]],
        "groups": [["value": "g1", "display": "T_Admins"]], "meta": ["created": "2024-01-01T00:00:00Z", "lastModified": "2024-06-01T12:00:00Z", "version": "W/\"3\""],
        "a": [1, "2", [3], ["b": .null]],
    ]

    static let sampleReport = """
    <?xml version="1.0" encoding="UTF-8"?>
    <testsuites name="provsim" tests="2" failures="1" errors="0" skipped="0" time="1.250">
      <testsuite name="lifecycle/onboarding" tests="2" failures="1" errors="0" skipped="0" time="1.250" timestamp="2026-01-01T00:00:00" hostname="h" package="provsim">
        <properties><property name="seed" value="1"/></properties>
        <testcase name="step one" classname="lifecycle.onboarding" time="0.500"/>
        <testcase name="step two" classname="lifecycle.onboarding" time="0.750"><failure message="expected 1, actual 2" type="expectation">details</failure></testcase>
        <system-out>log</system-out>
      </testsuite>
    </testsuites>
    """

    static let sampleSystems = """
    systems:
      directory: { type: identity-directory, role: source, targets: [btp], properties: { ips.full.read.force.count: "3" } }
      btp:
        type: xsuaa
        role: target
        properties: { xsuaa.origin: sap.custom, xsuaa.user.unique.attribute: userName, provsim.page.size: "100" }
        transformation: { user: { mappings: [ { sourcePath: "$.userName", targetPath: "$.userName" } ] } }
    """
}
