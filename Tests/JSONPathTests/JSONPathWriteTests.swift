import JSON
import JSONPath
import Testing

func written(_ expression: String, _ value: JSONValue, into document: JSONValue = [:], merge: Bool = false) throws -> JSONValue {
    var doc = document
    try JSONPath(expression).set(value, in: &doc, mergeObjects: merge)
    return doc
}

@Suite("JSONPath writing")
struct JSONPathWriteTests {
    @Test func createsMissingObjectsAndArrays() throws {
        #expect(try written("$.meta.location", "https://x/Users/1").serialized() == #"{"meta":{"location":"https://x/Users/1"}}"#)
        #expect(try written("$.schemas[0]", "urn:scim:schemas:core:1.0").serialized() == #"{"schemas":["urn:scim:schemas:core:1.0"]}"#)
        #expect(try written("$.a[2]", 1).serialized() == #"{"a":[null,null,1]}"#)
        #expect(try written("$.emails[0].primary", true, into: ["emails": [["value": "a"]]]).serialized() == #"{"emails":[{"value":"a","primary":true}]}"#)
        #expect(try written("$['urn:x:User']['userUuid']", "u").serialized() == #"{"urn:x:User":{"userUuid":"u"}}"#)
        #expect(try written("$.a", 1, into: .null).serialized() == #"{"a":1}"#)
    }

    @Test func laterWritesWinAndKeepPosition() throws {
        var doc: JSONValue = [:]
        try JSONPath("$.id").set("dummy", in: &doc)
        try JSONPath("$.userName").set("u", in: &doc)
        try JSONPath("$.id").set("real", in: &doc)
        #expect(doc.serialized() == #"{"id":"real","userName":"u"}"#)
    }

    @Test func broadcastsIntoEveryElement() throws {
        let members: JSONValue = ["members": [["value": "1"], ["value": "2"]]]
        #expect(try written("$.members[*].type", "USER", into: members).serialized()
            == #"{"members":[{"value":"1","type":"USER"},{"value":"2","type":"USER"}]}"#)
        // Nothing to broadcast into: nothing is written, no empty container appears.
        #expect(try written("$.members[*].type", "USER").serialized() == "{}")
    }

    @Test func writesIntoFilteredElements() throws {
        let emails: JSONValue = ["emails": [["type": "work"], ["type": "home"]]]
        #expect(try written("$.emails[?(@.type == 'home')].primary", false, into: emails).serialized()
            == #"{"emails":[{"type":"work"},{"type":"home","primary":false}]}"#)
    }

    @Test func buildsListsWithTheArrayConstructionForm() throws {
        #expect(try written("$.members[?(@.value)]", ["id1", "id2"]).serialized() == #"{"members":[{"value":"id1"},{"value":"id2"}]}"#)
        #expect(try written("$.countryList[?(@.name)]", "Serbia").serialized() == #"{"countryList":[{"name":"Serbia"}]}"#)
        #expect(try written("$.members[?(@.value)]", ["x"], into: ["members": [["value": "old", "type": "USER"]]]).serialized() == #"{"members":[{"value":"x"}]}"#)
    }

    @Test func mergesObjectsOnlyWhenAsked() throws {
        let base = try written("$.meta.location", "L")
        #expect(try written("$.meta", ["version": "3"], into: base).serialized() == #"{"meta":{"version":"3"}}"#)
        #expect(try written("$.meta", ["version": "3", "location": "B"], into: base, merge: true).serialized() == #"{"meta":{"location":"B","version":"3"}}"#)
        #expect(try written("$.meta", ["version": "3"], into: base, merge: true).serialized() == #"{"meta":{"location":"L","version":"3"}}"#)
        #expect(try written("$.list", [1], into: ["list": [0, 0]], merge: true).serialized() == #"{"list":[1]}"#)
    }

    @Test func replacesTheWholeDocumentAtRoot() throws {
        #expect(try written("$", ["a": 1], into: ["b": 2]) == ["a": 1])
    }

    @Test func refusesImpossibleWrites() {
        #expect(throws: JSONPathWriteError.self) { try written("$.name.first", "x", into: ["name": "John"]) }
        #expect(throws: JSONPathWriteError.self) { try written("$.a[0]", "x", into: ["a": ["k": 1]]) }
        #expect(throws: JSONPathWriteError.self) { try written("$..a", "x") }
        #expect(throws: JSONPathWriteError.self) { try written("@.a", "x") }
        #expect(throws: JSONPathWriteError.self) { try written("$.a.length()", "x") }
        #expect(throws: JSONPathWriteError.self) { try written("$.a[-3]", "x", into: ["a": [1]]) }
    }

    @Test func failedWritesLeaveTheDocumentIntact() throws {
        var doc: JSONValue = ["keep": 1, "name": "John"]
        #expect(throws: JSONPathWriteError.self) { try JSONPath("$.name.first").set("x", in: &doc) }
        #expect(doc == ["keep": 1, "name": "John"])
    }

    @Test func removes() throws {
        var doc: JSONValue = ["a": 1, "b": ["c": 2, "d": 3], "e": [["t": "x"], ["t": "y"], ["t": "x"]]]
        try JSONPath("$.b.c").remove(from: &doc)
        try JSONPath("$.e[?(@.t == 'x')]").remove(from: &doc)
        try JSONPath("$.missing.deeper").remove(from: &doc)
        #expect(doc.serialized() == #"{"a":1,"b":{"d":3},"e":[{"t":"y"}]}"#)
        try JSONPath("$.e[*].t").remove(from: &doc)
        try JSONPath("$.e[0]").remove(from: &doc)
        #expect(doc.serialized() == #"{"a":1,"b":{"d":3},"e":[]}"#)
    }

    @Test func renamesTheLastMember() throws {
        var doc: JSONValue = ["name": ["lastName": "Doe", "givenName": "J"], "list": [["a": 1], ["a": 2]]]
        try JSONPath("$.name.lastName").renameLast(to: "familyName", in: &doc)
        try JSONPath("$.list[*].a").renameLast(to: "b", in: &doc)
        #expect(doc.serialized() == #"{"name":{"familyName":"Doe","givenName":"J"},"list":[{"b":1},{"b":2}]}"#)
        #expect(throws: JSONPathWriteError.self) { try JSONPath("$.list[0]").renameLast(to: "x", in: &doc) }
    }
}

@Suite("Support types")
struct SupportTypeTests {
    @Test func templatesSplitOnce() {
        let template = StringTemplate("https://x/${base}/Users/${id}")
        var variables = VariableBindings()
        variables["base"] = "b"
        variables["id"] = 42
        #expect(template.render(variables) == "https://x/b/Users/42")
        #expect(template.variableNames == ["base", "id"])
        #expect(StringTemplate("plain").isConstant)
        #expect(StringTemplate("${open").render(.empty) == "${open")
    }

    @Test func regexPatternsFollowJava() throws {
        let email = try RegexPattern(#"[a-zA-Z0-9]+(?>\.[a-zA-Z0-9]+)*@example\.com"#)
        #expect(email.matchesWhole("john.doe@example.com"))
        #expect(!email.matchesWhole("john.doe@example.com.evil"))
        let groups = try RegexPattern("(\\w+)@(\\w+)")
        #expect(groups.firstMatchGroup(2, in: "mail: a@b and c@d") == "b")
        #expect(groups.replace(.all, in: "a@b c@d", with: "$2@$1") == "b@a d@c")
        #expect(groups.replace(.first, in: "a@b c@d", with: "X") == "X c@d")
        #expect(groups.replace(.last, in: "a@b c@d", with: "X") == "a@b X")
        #expect(throws: RegexPatternError.self) { try RegexPattern("(") }
    }
}
