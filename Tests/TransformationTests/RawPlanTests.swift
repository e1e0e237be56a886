import Foundation
import JSON
import JSONPath
import Synthetic
import Testing
@testable import Transformation

/// The raw path must write exactly what parsing, applying and writing would, byte for byte, or
/// decline; these tests hold it to that on the default transformations and on mappings written
/// to reach each of its branches, with inputs mutated in the ways that defeat raw copying.
@Suite("Raw transformation path")
struct RawPlanTests {
    private static let variables: VariableBindings = {
        var v = VariableBindings()
        v["entityBaseLocation"] = "https://proxy.example/Users/"
        v["entityIdTargetSystem"] = "t-1"
        v["list"] = ["only"]
        v["escaped"] = "https://x.example/\"q\"\\é\t/"
        v["number"] = 7
        return v
    }()

    private func builtin(_ name: String) throws -> Transformation {
        try Transformation(text: try #require(BuiltinTransformations.text(named: name)), source: name)
    }

    private struct Outcome {
        var raw = 0
        var declined = 0
    }

    /// Checks every line against the value path; returns how many the raw path took.
    @discardableResult
    private func compare(_ transformation: Transformation, _ type: EntityType, _ operation: TransformOperation, _ lines: [String],
                         sourceLocation: SourceLocation = #_sourceLocation) -> Outcome {
        var outcome = Outcome()
        guard let plan = transformation.rawPlan(for: type, operation: operation) else { return outcome }
        let scratch = RawPlan.Scratch()
        let out = JSONOutputBuffer()
        for (index, line) in lines.enumerated() {
            let context = TransformContext(operation: operation, variables: Self.variables, randomSeed: UInt64(index))
            out.removeAll()
            let bytes = Array(line.utf8)
            let took = bytes.withUnsafeBufferPointer { plan.transform($0, context: context, scratch: scratch, into: out) }
            guard took else {
                #expect(out.count == 0, "a declined entity leaves nothing behind", sourceLocation: sourceLocation)
                outcome.declined += 1
                continue
            }
            outcome.raw += 1
            let expected: [UInt8]?
            if let value = try? JSONParser.parse(bytes), case .transformed(let t) = transformation.apply(value, as: type, context: context), t.warnings.isEmpty {
                expected = JSONWriter().bytes(t.value)
            } else {
                expected = nil
            }
            if expected != out.bytes {
                Issue.record("\(type) \(operation): \(line)\n  raw: \(String(decoding: out.bytes, as: UTF8.self))\n want: \(expected.map { String(decoding: $0, as: UTF8.self) } ?? "no transformation")",
                             sourceLocation: sourceLocation)
            }
        }
        return outcome
    }

    private func syntheticUsers(_ count: Int) -> [String] {
        let users = SyntheticUsers(seed: 3)
        return (0..<count).map { JSONWriter().string(users.user($0)) }
    }

    /// Edits that each defeat one assumption of raw copying, applied one at a time.
    private func mutations(of line: String) -> [String] {
        var out: [String] = []
        let replacements: [(String, String)] = [
            (#"":"#, #"" : "#), (",", ", "), (#""name":{"#, #""name":null,"x":{"#), ("\"emails\":[", "\"emails\":[{\"value\":\"a@b\"},"),
            ("\"active\":true", "\"active\":[true]"), ("\"active\":true", "\"active\":[]"), ("\"meta\":{", "\"meta\":{\"location\":{\"a\":1},"),
            ("\"meta\":{", "\"meta\":\"flat\",\"m\":{"), ("oskar", "\\u006fskar"), ("a", "é"), ("\"zoneId\"", "\"zoneId\":1,\"zoneId\""),
            ("\"version\":0", "\"version\":-0.50e+3"), ("\"version\":0", "\"version\":01"), ("\"userName\":", "\"userName\":null,\"u\":"),
            ("\"id\":", "\"id\":123,\"x\":"), ("{\"id\"", "{\"meta\":{\"version\":9},\"id\""), ("\"groups\":[", "\"groups\":[[[[[[[[[]]]]]]]],"),
            ("}", "}\t"), ("\"verified\":true", "\"verified\":\"\u{7F}\u{2028}\""), ("\"verified\":true", "\"verified\":{\"a\":1,\"a\":2}"),
        ]
        for (from, to) in replacements {
            if let range = line.range(of: from) { out.append(line.replacingCharacters(in: range, with: to)) }
        }
        out.append(String(line.dropLast()))
        out.append(line + " ")
        out.append("[" + line + "]")
        return out
    }

    @Test("the XSUAA proxy read on generated users: raw for all of them, identical to the value path")
    func xsuaaProxyReadOnGeneratedUsers() throws {
        let transformation = try builtin("xsuaa-proxy-read")
        let outcome = compare(transformation, .user, .read, syntheticUsers(300))
        #expect(outcome.raw == 300 && outcome.declined == 0)
    }

    @Test("every default transformation, operation and entity type: raw output equals the value path's on users, groups and mutations")
    func everyDefaultTransformationAgrees() throws {
        let users = syntheticUsers(40)
        let groups = (0..<10).map { #"{"id":"g\#($0)","displayName":"Group \#($0)","description":"d","members":[{"value":"u\#($0)","type":"USER"}],"meta":{"version":1}}"# }
        var corpus = users + groups
        corpus += users.prefix(5).flatMap(mutations(of:)) + groups.prefix(2).flatMap(mutations(of:))
        var raw = 0
        for (name, _) in BuiltinTransformations.all {
            let transformation = try builtin(name)
            for type in transformation.entityTypes {
                for operation in TransformOperation.allCases {
                    raw += compare(transformation, type, operation, corpus).raw
                }
            }
        }
        #expect(raw > 1000, "the raw path must take a real share, or this test checks nothing")
    }

    @Test("mutations: each is either declined or written exactly as the value path writes it")
    func mutationsAreDeclinedOrExact() throws {
        let transformation = try builtin("xsuaa-proxy-read")
        let mutated = syntheticUsers(20).flatMap(mutations(of:))
        let outcome = compare(transformation, .user, .read, mutated)
        #expect(outcome.declined > 0 && outcome.raw > 0)
        // Random byte edits too: nothing may crash, and whatever is taken must be exact.
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(max(bound, 1)))
        }
        let alphabet = Array(#"{}[]:,"\ 0-1.eEtrufalsn"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xA9, 0xED, 0xA0, 0xF4, 0x90]
        var edited: [String] = []
        for base in syntheticUsers(60) {
            var bytes = Array(base.utf8)
            for _ in 0..<(1 + next(3)) {
                let at = next(bytes.count)
                switch next(3) {
                case 0: bytes[at] = alphabet[next(alphabet.count)]
                case 1: bytes.insert(alphabet[next(alphabet.count)], at: at)
                default: bytes.remove(at: at)
                }
            }
            edited.append(String(decoding: bytes, as: UTF8.self))
        }
        compare(transformation, .user, .read, edited)
    }

    @Test("mappings that reach each branch: renames, a root attribute written twice, variables, nested constants, one-element arrays")
    func branches() throws {
        let document = #"""
        {"user": {"mappings": [
          {"sourcePath": "$.id", "targetPath": "$.key", "targetVariable": "entityIdSourceSystem"},
          {"sourceVariable": "entityBaseLocation", "targetPath": "$.meta.location", "functions": [{"type": "concatString", "prefix": "<", "suffix": "${entityIdSourceSystem}>"}]},
          {"sourcePath": "$.meta", "targetPath": "$.meta", "optional": true},
          {"sourcePath": "$.extra", "targetPath": "$.meta", "optional": true},
          {"sourcePath": "$.tags", "targetPath": "$.tags", "optional": true},
          {"sourcePath": "$.kept", "targetPath": "$.kept", "optional": true, "preserveArrayWithSingleElement": true},
          {"sourcePath": "$.userName", "targetPath": "$.userName"},
          {"sourcePath": "$.userName", "targetPath": "$.alias"},
          {"constant": "x", "targetPath": "$.schemas[1]"},
          {"constant": {"a": {"b": 1}}, "targetPath": "$.deep"},
          {"sourcePath": "$.deep", "targetPath": "$.deep", "optional": true},
          {"sourceVariable": "entityIdTargetSystem", "targetPath": "$.target"},
          {"sourceVariable": "entityIdTargetSystem", "targetPath": "$.ids.target", "functions": [{"type": "concatString", "prefix": "t:"}]},
          {"sourceVariable": "missing", "targetPath": "$.ids.missing", "optional": true, "functions": [{"type": "concatString", "prefix": "m:"}]},
          {"sourceVariable": "list", "targetPath": "$.fromList", "functions": [{"type": "concatString", "suffix": "!"}]},
          {"sourceVariable": "entityBaseLocation", "targetPath": "$.alias", "functions": [{"type": "concatString", "suffix": "/again"}]},
          {"sourcePath": "$.active", "targetPath": "$.active", "optional": true, "defaultValue": [true]},
          {"sourcePath": "$.a", "targetPath": "$.K", "optional": true},
          {"sourcePath": "$.b", "targetPath": "$['\u212A']", "optional": true},
          {"sourcePath": "$.emails[0].value", "correlationAttribute": true}
        ]}}
        """#
        let transformation = try Transformation(text: document)
        let lines = [
            #"{"id":"1","userName":"a","meta":{"version":2,"location":"old"},"tags":["one"],"kept":["one"]}"#,
            #"{"id":"2","userName":"b","tags":["one","two"],"kept":[],"extra":{"z":true}}"#,
            #"{"id":"3","userName":"c","meta":{"version":2},"extra":{"location":"over","y":[1]},"deep":{"a":{"c":2},"d":3}}"#,
            #"{"id":"4","userName":"d","meta":{"location":{"nested":1}},"deep":7}"#,
            #"{"id":"5","meta":{"version":2}}"#,
            #"{"id":"6","userName":"é","meta":null,"tags":null,"extra":[{"a":1}],"deep":{"a":null}}"#,
            #"{"id":"7","userName":"g","active":false,"a":1,"b":2}"#,
            #"{"id":"8","userName":"h","active":null,"a":{"x":1},"b":{"y":2}}"#,
        ]
        for operation in [TransformOperation.create, .update] {
            let outcome = compare(transformation, .user, operation, lines)
            #expect(outcome.raw >= 4, "\(operation)")
        }
    }

    @Test("variables kept as bytes: chained concatStrings, escapes, values that are not strings, and a rule that needs them as values")
    func variablesAsBytes() throws {
        let document = #"""
        {"user": {"mappings": [
          {"sourcePath": "$.id", "targetPath": "$.id", "targetVariable": "id"},
          {"sourceVariable": "escaped", "targetPath": "$.meta.location", "targetVariable": "location", "functions": [{"type": "concatString", "prefix": "\"<\u00e9\t", "suffix": "${id}"}]},
          {"sourceVariable": "location", "targetPath": "$.links.self.href", "targetVariable": "again", "functions": [{"type": "concatString", "suffix": "?${id}&${unset}"}]},
          {"sourceVariable": "id", "targetPath": "$.copy", "functions": [{"type": "concatString", "prefix": "${again}|${number}"}]},
          {"sourceVariable": "id", "targetPath": "$.plain", "functions": [{"type": "concatString", "prefix": "p:"}]},
          {"sourcePath": "$.meta", "targetPath": "$.meta", "optional": true},
          {"sourcePath": "$.userName", "targetPath": "$.userName", "targetVariable": "id", "optional": true},
          {"sourceVariable": "entityBaseLocation", "targetPath": "$.fromRule", "optional": true, "functions": [{"type": "concatString", "suffix": "${id}${location}"}]},
          {"sourcePath": "$.links", "targetPath": "$.links", "optional": true},
          {"sourcePath": "$.emails", "targetPath": "$.emails", "optional": true}
        ]}}
        """#
        let transformation = try Transformation(text: document)
        let lines = [
            #"{"id":"1","userName":"a","meta":{"version":2,"location":"old"}}"#,
            #"{"id":"é😀","userName":"b","links":{"self":{"x":1},"other":2},"emails":["one"]}"#,
            #"{"id":7,"userName":"c","meta":{"version":2}}"#,
            #"{"id":true,"meta":{"location":{"a":1}}}"#,
            #"{"id":"3","userName":["x"],"links":"flat"}"#,
            #"{"id":"4","links":{"self":{"href":"kept"}}}"#,
        ]
        for operation in [TransformOperation.create, .read] {
            let outcome = compare(transformation, .user, operation, lines)
            #expect(outcome.raw >= 4, "\(operation)")
        }
    }

    @Test("blocks the raw path cannot reproduce get no raw plan")
    func ineligibleBlocks() throws {
        let documents = [
            #"{"user": {"condition": "$.active == true", "mappings": [{"sourcePath": "$.id", "targetPath": "$.id"}]}}"#,
            #"{"user": {"mappings": [{"sourcePath": "$.name.givenName", "targetPath": "$.first"}]}}"#,
            #"{"user": {"mappings": [{"sourcePath": "$.id", "targetPath": "$.id", "functions": [{"type": "toUpperCaseString"}]}]}}"#,
            #"{"user": {"mappings": [{"targetPath": "$.p", "functions": [{"type": "randomPassword", "passwordLength": 8, "minimumNumberOfLowercaseLetters": 1, "minimumNumberOfUppercaseLetters": 1, "minimumNumberOfDigits": 1, "minimumNumberOfSpecialSymbols": 1}]}]}}"#,
            #"{"user": {"mappings": [{"sourcePath": "$.id", "targetPath": "$.id", "condition": "$.active == true"}]}}"#,
            #"{"user": {"mappings": [{"targetPath": "$.id", "type": "remove"}]}}"#,
            // One name spelled two ways (canonically equivalent): which spelling is written depends on the entity.
            #"{"user": {"mappings": [{"sourcePath": "$.x", "targetPath": "$['a\u0301\u0316']", "optional": true}, {"sourcePath": "$.y", "targetPath": "$['a\u0316\u0301']"}]}}"#,
        ]
        for document in documents {
            let transformation = try Transformation(text: document)
            #expect(transformation.rawPlan(for: .user, operation: .create) == nil, "\(document)")
        }
        let skipping = try Transformation(text: #"{"user": {"skipOperations": ["create"], "mappings": [{"sourcePath": "$.id", "targetPath": "$.id"}]}}"#)
        #expect(skipping.rawPlan(for: .user, operation: .create) == nil)
        #expect(skipping.rawPlan(for: .user, operation: .update) != nil)
    }
}
