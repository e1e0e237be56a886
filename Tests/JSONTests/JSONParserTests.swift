import Testing
@testable import JSON

@Suite("JSON parser")
struct JSONParserTests {
    @Test func parsesScalars() throws {
        #expect(try JSONValue(parsing: "null") == .null)
        #expect(try JSONValue(parsing: " true ") == .bool(true))
        #expect(try JSONValue(parsing: "false") == .bool(false))
        #expect(try JSONValue(parsing: "\"hi\"") == .string("hi"))
        #expect(try JSONValue(parsing: "42") == 42)
        #expect(try JSONValue(parsing: "-0.5e-3").numberValue?.text == "-0.5e-3")
    }

    @Test func keepsObjectKeyOrder() throws {
        let value = try JSONValue(parsing: #"{"z":1,"a":2,"m":{"y":true,"b":null}}"#)
        #expect(value.objectValue?.keys == ["z", "a", "m"])
        #expect(value["m"]?.objectValue?.keys == ["y", "b"])
        #expect(value.serialized() == #"{"z":1,"a":2,"m":{"y":true,"b":null}}"#)
    }

    @Test func duplicateKeysKeepFirstPositionAndLastValue() throws {
        let value = try JSONValue(parsing: #"{"a":1,"b":2,"a":3}"#)
        #expect(value.serialized() == #"{"a":3,"b":2}"#)
        // Differently escaped spellings of the same name are the same key.
        let escaped = try JSONValue(parsing: #"{"ab":1,"\u0061b":2}"#)
        #expect(escaped.serialized() == #"{"ab":2}"#)
        // Many keys: the duplicate check must still work beyond the Bloom filter's 64 bits.
        var text = "{"
        for i in 0..<200 { text += "\"k\(i)\":\(i)," }
        text += "\"k7\":\"last\"}"
        let big = try JSONValue(parsing: text)
        #expect(big.objectValue?.count == 200)
        #expect(big["k7"] == "last")
        #expect(big.objectValue?.keys[7] == "k7")
    }

    @Test(arguments: ["1.0", "1", "-0", "0.10", "1e5", "1E+5", "12345678901234567890123", "-3.14159265358979323846264338327950288"])
    func keepsNumbersExact(_ literal: String) throws {
        let value = try JSONValue(parsing: "[\(literal)]")
        #expect(value.serialized() == "[\(literal)]")
    }

    @Test func comparesNumbersNumerically() throws {
        #expect(try JSONValue(parsing: "1.0") == JSONValue(parsing: "1"))
        #expect(try JSONValue(parsing: "1e2") == 100)
        #expect(try JSONValue(parsing: "2") != 3)
        #expect(JSONNumber(text: "10")! > JSONNumber(text: "9.5")!)
        #expect(try JSONValue(parsing: "7").intValue == 7)
        #expect(try JSONValue(parsing: "7.5").intValue == nil)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONValue(parsing: #""a\"b\\c\/d\b\f\n\r\t\u00e9\uD83D\uDE00""#)
        #expect(value == .string("a\"b\\c/d\u{8}\u{C}\n\r\té😀"))
        #expect(try JSONValue(parsing: "\"Grüße 日本\"") == .string("Grüße 日本"))
    }

    @Test(arguments: [
        (#""\uD83D""#, "unpaired high surrogate"),
        (#""\uDE00""#, "unpaired low surrogate"),
        (#""\uD83Dx""#, "unpaired high surrogate"),
        (#""\x""#, "invalid escape"),
        (#""\u12G4""#, "invalid hex digit"),
        ("\"a\u{1}b\"", "control character U+0001"),
        ("\"abc", "unterminated string"),
        ("[1,]", "unexpected character ']'"),
        ("{\"a\" 1}", "expected ':'"),
        ("{\"a\":1,}", "expected a member name"),
        ("{a:1}", "expected a member name"),
        ("[1 2]", "expected ',' or ']'"),
        ("01", "leading zeros"),
        ("1.", "expected a digit after '.'"),
        ("1e", "expected a digit in the exponent"),
        ("-", "expected a digit"),
        ("tru", "expected 'true'"),
        ("nul", "expected 'null'"),
        ("", "unexpected end of input"),
        ("[", "unexpected end of input"),
        ("{} x", "unexpected content after the JSON value"),
        ("// c\n{}", "unexpected character '/'"),
    ])
    func rejectsInvalidInput(_ input: String, _ expected: String) {
        #expect {
            try JSONValue(parsing: input)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.message.contains(expected)
        }
    }

    @Test func reportsLineAndColumn() {
        let text = "{\n  \"a\": 1,\n  \"b\": [1, 2,, 3]\n}"
        do {
            _ = try JSONValue(parsing: text)
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 14)
            #expect(error.description == "line 3, column 14: unexpected character ',', expected a value")
        }
    }

    @Test func columnsCountCharactersNotBytes() {
        do {
            _ = try JSONValue(parsing: "[\"é\" x]")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 1)
            #expect(error.column == 6)
        }
    }

    @Test func rejectsInvalidUTF8() {
        let bytes: [UInt8] = [0x22, 0x61, 0xC3, 0x28, 0x22]  // "a\xC3(" — a broken two-byte sequence
        #expect {
            try JSONParser.parse(bytes)
        } throws: { error in
            (error as? JSONParseError)?.message == "invalid UTF-8 in string" && (error as? JSONParseError)?.offset == 2
        }
    }

    @Test func acceptsCommentsOnlyWhenAsked() throws {
        let text = """
        {
          // a line comment
          "a": 1, /* a block
          comment */ "b": "// not a comment"
             //trailing
        }
        """
        let value = try JSONValue(parsing: text, options: .allowComments)
        #expect(value == ["a": 1, "b": "// not a comment"])
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: "{} /* open", options: .allowComments) }
    }

    @Test func limitsNestingDepth() throws {
        let ok = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        #expect(throws: Never.self) { try JSONValue(parsing: ok) }
        let deep = String(repeating: "[", count: JSONParser.maximumDepth + 1) + String(repeating: "]", count: JSONParser.maximumDepth + 1)
        #expect {
            try JSONValue(parsing: deep)
        } throws: { error in
            (error as? JSONParseError)?.message.contains("nesting is deeper") == true
        }
    }

    @Test func recordsValueLocations() throws {
        let text = """
        {
          "user": {
            "mappings": [
              { "sourcePath": "$.a" },
              {
                "sourcePath": "$.b",
                "functions": [ { "type": "x" } ]
              }
            ]
          }
        }
        """
        let (_, locations) = try JSONParser.parseWithLocations(text)
        #expect(locations.line(of: "/user/mappings/0") == 4)
        #expect(locations.line(of: "/user/mappings/1") == 5)
        #expect(locations.line(of: "/user/mappings/1/sourcePath") == 6)
        #expect(locations.line(of: "/user/mappings/1/functions/0/type") == 7)
        #expect(locations.line(of: "/user/nope") == nil)
    }
}
