import JSON
import JSONPath
import Testing

/// Paths that once crashed the process, or could overflow its stack, kept as named tests.
@Suite("JSONPath crash regressions")
struct JSONPathCrashRegressionTests {
    @Test("removing through a union that names one element twice ($.a[0,0], $.a[1,-1]) removes it once (found by the fuzzer)", arguments: [
        ("$.a[0,0]", [2, 3]), ("$.a[1,-2]", [1, 3]), ("$.a[2,-1,2]", [1, 2]), ("$.a[0,1,2,0]", []),
    ])
    func removeDuplicateIndexes(path: String, remaining: [Int]) throws {
        var document: JSONValue = ["a": [1, 2, 3]]
        try JSONPath(path).remove(from: &document)
        #expect(document["a"] == .array(remaining.map { JSONValue($0) }))
    }

    @Test("nesting beyond 100 levels is a compile error at a column, not a stack overflow", arguments: [
        String(repeating: "!", count: 50_000) + "@.a",
        String(repeating: "(", count: 50_000) + "@.a" + String(repeating: ")", count: 50_000),
        "@.a in " + String(repeating: "[", count: 50_000),
        "$" + String(repeating: "[?(@.a", count: 20_000) + String(repeating: ")]", count: 20_000),
    ])
    func deepNesting(expression: String) {
        let text = expression.hasPrefix("$") ? expression : "$[?(\(expression))]"
        #expect(throws: JSONPathError.self) { try JSONPath(text) }
    }

    @Test("a path of more than 256 segments is refused")
    func longPaths() throws {
        #expect(throws: JSONPathError.self) { try JSONPath("$" + String(repeating: ".a", count: 300)) }
        _ = try JSONPath("$" + String(repeating: ".a", count: 256))
    }

    @Test("an || chain of 100,000 terms evaluates (a balanced tree, not 100,000 frames deep)")
    func longChains() throws {
        let chain = (0..<100_000).map { "@.k == \($0)" }.joined(separator: " || ")
        let path = try JSONPath("$.items[?(\(chain))]")
        let document: JSONValue = ["items": [["k": 99_999], ["k": -1]]]
        #expect(path.read(document) == [["k": 99_999]])
    }

    @Test("slices whose bounds leave the negative or positive part empty do not build an inverted range", arguments: ["$[1:3]", "$[-4:-3]", "$[-1:-5]", "$[5:1]", "$[-9:-8]", "$[0:0]"])
    func sliceBounds(path: String) throws {
        let compiled = try JSONPath(path)
        for count in 0..<8 {
            _ = compiled.read(.array(Array(repeating: 1, count: count)))
            var document: JSONValue = .array(Array(repeating: 1, count: count))
            _ = try? compiled.set(2, in: &document)
        }
    }

    @Test("indexes beyond 32 bits are invalid paths (Jayway reads Java ints), so none is ever allocated", arguments: ["$.a[99999999999]", "$.a[9223372036854775807]", "$.a[-2147483649]", "$.a[0:99999999999]"])
    func indexesBeyond32Bits(path: String) {
        #expect(throws: JSONPathError.self) { try JSONPath(path) }
    }

    @Test("writing an array index above 10,000 is refused at compile time instead of allocating it", arguments: ["$.a[0,10001]", "$.a[2147483647]"])
    func hugeWriteIndexes(path: String) throws {
        let compiled = try JSONPath(path)
        #expect(compiled.writeProblem?.contains("above 10000") == true)
        var document: JSONValue = [:]
        #expect(throws: JSONPathWriteError.self) { try compiled.set("x", in: &document) }
        _ = compiled.read(["a": [1]])  // reading such an index is fine: it finds nothing or the first element
    }
}
