import JSON
import SCIM
import Testing

/// SCIM filters from requests: nesting is bounded, chains of any length stay shallow.
@Suite("SCIM filter limits")
struct FilterLimitTests {
    @Test("64 levels of nesting parse; 65 are 400 invalidFilter naming the limit", arguments: ["(", "not (", "emails["])
    func nestingLimit(open: String) throws {
        let close = open == "emails[" ? "]" : ")"
        let inner = open == "emails[" ? "value eq \"a\"" : "userName eq \"a\""
        _ = try SCIMFilter(parsing: String(repeating: open, count: 64) + inner + String(repeating: close, count: 64))
        #expect {
            try SCIMFilter(parsing: String(repeating: open, count: 65) + inner + String(repeating: close, count: 65))
        } throws: { error in
            (error as? SCIMError)?.scimType == .invalidFilter && (error as? SCIMError)?.detail.contains("nested deeper than 64 levels") == true
        }
    }

    @Test("an or-chain of 200,000 terms parses into a tree of depth about 18 and evaluates")
    func longChains() throws {
        let filter = try SCIMFilter(parsing: (0..<200_000).map { "userName eq \"u\($0)\"" }.joined(separator: " or "))
        func depth(_ f: SCIMFilter) -> Int {
            switch f {
            case .and(let a, let b), .or(let a, let b): return 1 + max(depth(a), depth(b))
            case .not(let f), .valuePath(_, let f): return 1 + depth(f)
            default: return 1
            }
        }
        #expect(depth(filter) <= 19)
        #expect(filter.attributePaths.count == 200_000)
        let type = SCIMResourceType(name: "User", endpoint: "/Users", description: "", schema: SCIMSchemas.user)
        #expect(SCIMFilterEvaluator(resourceType: type).matches(filter, ["userName": "u199999"]))
        #expect(!SCIMFilterEvaluator(resourceType: type).matches(filter, ["userName": "v"]))
    }

    @Test("and/or keep their meaning in balanced trees: and binds tighter than or, terms left to right")
    func semantics() throws {
        let type = SCIMResourceType(name: "User", endpoint: "/Users", description: "", schema: SCIMSchemas.user)
        let evaluator = SCIMFilterEvaluator(resourceType: type)
        let filter = try SCIMFilter(parsing: #"userName eq "a" and active eq true or userName eq "b" and active eq false or displayName pr"#)
        #expect(evaluator.matches(filter, ["userName": "a", "active": true]))
        #expect(!evaluator.matches(filter, ["userName": "a", "active": false]))
        #expect(evaluator.matches(filter, ["userName": "b", "active": false]))
        #expect(evaluator.matches(filter, ["userName": "c", "displayName": "x"]))
        #expect(!evaluator.matches(filter, ["userName": "c"]))
    }

    @Test("an error quotes at most 200 characters of a long filter")
    func shortErrors() {
        let text = String(repeating: "x", count: 100_000) + " eq"
        #expect { try SCIMFilter(parsing: text) } throws: { error in
            ((error as? SCIMError)?.detail.count ?? .max) < 400
        }
    }
}
