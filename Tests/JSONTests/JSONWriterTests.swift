import Testing
import JSON

@Suite("JSON writer")
struct JSONWriterTests {
    @Test func escapesWhatJSONRequires() {
        let value: JSONValue = .string("q\"b\\s/n\nt\tc\u{1}\u{1F}é😀")
        #expect(value.serialized() == #""q\"b\\s/n\nt\tc\u0001\u001fé😀""#)
    }

    @Test func prettyPrintsWithTwoSpaces() {
        let value: JSONValue = ["a": 1, "b": [true, .null], "c": [:], "d": []]
        #expect(value.serialized(pretty: true) == """
        {
          "a": 1,
          "b": [
            true,
            null
          ],
          "c": {},
          "d": []
        }
        """)
    }

    @Test func roundTripsDocuments() throws {
        let text = #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"2819c223","userName":"bjensen@example.com","name":{"familyName":"Jensen","givenName":"Barbara"},"emails":[{"value":"bjensen@example.com","type":"work","primary":true}],"meta":{"version":"W/\"3694e05e9dff591\"","lastModified":"2011-05-13T04:42:34Z"},"score":1.50,"big":123456789012345678901234567890}"#
        let value = try JSONValue(parsing: text)
        #expect(value.serialized() == text)
        #expect(try JSONValue(parsing: value.serialized(pretty: true)) == value)
    }

    @Test func objectsCompareRegardlessOfOrderButSerializeInOrder() {
        let a: JSONValue = ["x": 1, "y": 2]
        let b: JSONValue = ["y": 2, "x": 1]
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a.serialized() != b.serialized())
    }

    @Test func objectEditingKeepsPositions() {
        var object: JSONObject = ["a": 1, "b": 2, "c": 3]
        object["b"] = "two"
        object.renameKey("a", to: "alpha")
        object["d"] = 4
        object.removeValue(forKey: "c")
        #expect(JSONValue.object(object).serialized() == #"{"alpha":1,"b":"two","d":4}"#)
        object.renameKey("alpha", to: "b")  // replaces the existing "b"
        #expect(JSONValue.object(object).serialized() == #"{"b":1,"d":4}"#)
    }

    @Test func doublesBecomeValidLiterals() {
        #expect(JSONNumber(1.5)?.text == "1.5")
        #expect(JSONNumber(1.0)?.text == "1.0")
        #expect(JSONNumber(Double.nan) == nil)
        #expect(JSONNumber(Double.infinity) == nil)
        #expect(JSONNumber(text: "1.") == nil)
        #expect(JSONNumber(text: "-0") != nil)
    }

    @Test func textValueOfEachType() {
        #expect(JSONValue.string("s").textValue == "s")
        #expect(JSONValue(12).textValue == "12")
        #expect(JSONValue.bool(false).textValue == "false")
        #expect(JSONValue.null.textValue == "null")
        #expect(JSONValue.object(["a": [1]]).textValue == #"{"a":[1]}"#)
    }
}

@Suite("JSON lines")
struct JSONLinesTests {
    @Test func readsOnePrettyPrintedDocument() {
        let entries = JSONLines.entries(in: Array("\n{\n  \"a\": 1\n}\n".utf8))
        #expect(entries.count == 1)
        #expect(entries[0].line == 2)
        #expect((try? entries[0].result.get()) == ["a": 1])
    }

    @Test func readsNDJSONWithLineNumbersAndKeepsGoingPastBadLines() {
        let text = "{\"a\":1}\n\n{\"a\":2\n{\"a\":3}\n"
        let entries = JSONLines.entries(in: Array(text.utf8))
        #expect(entries.map(\.line) == [1, 3, 4])
        #expect((try? entries[0].result.get()) == ["a": 1])
        guard case .failure(let error) = entries[1].result else {
            Issue.record("line 3 should fail")
            return
        }
        #expect(error.line == 3)
        #expect((try? entries[2].result.get()) == ["a": 3])
    }

    @Test func reportsABrokenSingleDocumentAsOneError() {
        let entries = JSONLines.entries(in: Array("{\n  \"a\": ,\n}".utf8))
        #expect(entries.count == 1)
        guard case .failure(let error) = entries[0].result else {
            Issue.record("should fail")
            return
        }
        #expect(error.line == 2)
    }
}
