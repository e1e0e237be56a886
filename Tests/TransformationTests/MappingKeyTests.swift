import JSON
import JSONPath
import Testing
@testable import Transformation

@Suite("Mapping keys")
struct MappingKeyTests {
    let input: JSONValue = [
        "id": "u1", "userName": "jdoe", "name": ["givenName": "John", "familyName": "Doe"],
        "emails": [["value": "j@x.example", "type": "work"]],
        "phones": [["value": "1"], ["value": "2"]],
        "status": "A", "country": "DE", "nothing": .null,
    ]

    @Test func sourcePathToTargetPath() throws {
        #expect(try mapped(#"{"sourcePath": "$.name.givenName", "targetPath": "$.first"}"#, input) == ["first": "John"])
        #expect(try mapped(#"{"sourcePath": "$", "targetPath": "$"}"#, input) == input)
    }

    @Test func missingMandatoryValueFailsNamingRuleAndPath() throws {
        let result = try transform(userDocument(#"{"sourcePath": "$.id", "targetPath": "$.id"}, {"sourcePath": "$.title", "targetPath": "$.title"}"#), input)
        #expect(result.failure == EntityFailure(rule: "user.mappings[1]", message: "sourcePath $.title has no value and the mapping is not optional"))
        // JSON null and an empty list count as missing too.
        #expect(try transform(userDocument(#"{"sourcePath": "$.nothing", "targetPath": "$.x"}"#), input).failure != nil)
        #expect(try transform(userDocument(#"{"sourcePath": "$.emails[?(@.primary == true)].value", "targetPath": "$.x"}"#), input).failure != nil)
    }

    @Test func optionalAndDefaultValue() throws {
        #expect(try mapped(#"{"sourcePath": "$.title", "targetPath": "$.title", "optional": true}"#, input) == [:])
        #expect(try mapped(#"{"sourcePath": "$.title", "targetPath": "$.title", "optional": true, "defaultValue": "n/a"}"#, input) == ["title": "n/a"])
        #expect(try mapped(#"{"sourcePath": "$.title", "targetPath": "$.title", "optional": true, "defaultValue": {"a": [1, null]}}"#, input) == ["title": ["a": [1, .null]]])
        // The default stands in for optional mappings only: a mandatory one still fails (docs/fidelity.md, “Transformation language”).
        #expect(try transform(userDocument(#"{"sourcePath": "$.title", "targetPath": "$.title", "defaultValue": "n/a"}"#), input).failure?.message
                == "sourcePath $.title has no value and the mapping is not optional")
        // Without any source, the default is the value.
        #expect(try mapped(#"{"defaultValue": "d", "targetPath": "$.d"}"#, input) == ["d": "d"])
        #expect(try mapped(#"{"sourcePath": "$.userName", "targetPath": "$.u", "defaultValue": "n/a"}"#, input) == ["u": "jdoe"])
    }

    @Test func constantsOfEveryType() throws {
        #expect(try mapped(#"{"constant": "x", "targetPath": "$.s"}, {"constant": 3, "targetPath": "$.i"}, {"constant": true, "targetPath": "$.b"}, {"constant": {"k": "v"}, "targetPath": "$.o"}, {"constant": ["one"], "targetPath": "$.a"}"#, input)
            == ["s": "x", "i": 3, "b": true, "o": ["k": "v"], "a": ["one"]])  // a one-element constant list stays a list
    }

    @Test func preserveArrayWithSingleElement() throws {
        #expect(try mapped(#"{"sourcePath": "$.emails", "targetPath": "$.emails"}"#, input) == ["emails": ["value": "j@x.example", "type": "work"]])
        #expect(try mapped(#"{"sourcePath": "$.emails", "targetPath": "$.emails", "preserveArrayWithSingleElement": true}"#, input) == ["emails": [["value": "j@x.example", "type": "work"]]])
        #expect(try mapped(#"{"sourcePath": "$.emails[*].value", "targetPath": "$.mail"}"#, input) == ["mail": "j@x.example"])
        #expect(try mapped(#"{"sourcePath": "$.phones[*].value", "targetPath": "$.p"}"#, input) == ["p": ["1", "2"]])
    }

    @Test func variablesCarryValuesBetweenMappings() throws {
        let result = try transform(userDocument(#"""
            {"sourcePath": "$.id", "targetVariable": "entityIdSourceSystem"},
            {"sourcePath": "$.phones", "targetVariable": "phoneList", "preserveArrayWithSingleElement": true},
            {"sourceVariable": "phoneList", "variablePath": "$[*].value", "targetPath": "$.numbers"},
            {"sourceVariable": "entityIdSourceSystem", "targetPath": "$.copy", "targetVariable": "copied"}
        """#), input)
        #expect(result.output == ["numbers": ["1", "2"], "copy": "u1"])
        #expect(result.entity?.entityIdSourceSystem == "u1")
        #expect(result.entity?.variables["copied"] == "u1")
        #expect(result.entity?.variables["phoneList"] == [["value": "1"], ["value": "2"]])
    }

    @Test func unsetVariableIsMissing() throws {
        #expect(try transform(userDocument(#"{"sourceVariable": "nope", "targetPath": "$.x"}"#), input).failure?.message == "sourceVariable nope has no value and the mapping is not optional")
        #expect(try mapped(#"{"sourceVariable": "nope", "targetPath": "$.x", "optional": true}"#, input) == [:])
    }

    @Test func entityIdTargetSystemIsUnknownOnCreateAndGivenOnUpdate() throws {
        let mapping = #"{"constant": "dummy", "targetPath": "$.id", "scope": "createEntity"}, {"sourceVariable": "entityIdTargetSystem", "targetPath": "$.id"}"#
        #expect(try mapped(mapping, input, operation: .create) == ["id": "dummy"])
        #expect(try mapped(mapping, input, operation: .update, variables: ["entityIdTargetSystem": "t-9"]) == ["id": "t-9"])
    }

    @Test func predefinedVariables() throws {
        let result = try transform(userDocument(#"""
            {"sourcePath": "$.id", "targetPath": "$.id", "targetVariable": "entityIdSourceSystem"},
            {"sourceVariable": "entityBaseLocation", "targetPath": "$.meta.location", "targetVariable": "entityLocationSourceSystem",
             "functions": [{"type": "concatString", "suffix": "${entityIdSourceSystem}"}]},
            {"sourceVariable": "currentDate", "targetPath": "$.stamp"}
        """#), input, variables: ["entityBaseLocation": "https://proxy/Users/"])
        #expect(result.output == ["id": "u1", "meta": ["location": "https://proxy/Users/u1"], "stamp": "2023-11-14 22:13:20.123"])
        #expect(result.entity?.variables["entityLocationSourceSystem"] == "https://proxy/Users/u1")
    }

    @Test func currentDateFollowsTheDateFormatProperty() throws {
        let result = try transform(userDocument(#"{"sourceVariable": "currentDate", "targetPath": "$.d"}, {"condition": "'${currentDate}' > '2023-01-01'", "constant": true, "targetPath": "$.after"}"#),
                                   input, properties: ["ips.date.variable.format": "yyyy-MM-dd"])
        #expect(result.output == ["d": "2023-11-14", "after": true])
    }

    @Test func mappingConditions() throws {
        #expect(try mapped(#"{"condition": "$.country == 'DE'", "constant": "EUR", "targetPath": "$.currency"}, {"condition": "$.country == 'US'", "constant": "USD", "targetPath": "$.currency"}"#, input) == ["currency": "EUR"])
        // A false condition skips the mapping, even a mandatory one.
        #expect(try mapped(#"{"condition": "$.country == 'US'", "sourcePath": "$.missing", "targetPath": "$.x"}"#, input) == [:])
    }

    @Test func laterMappingsWin() throws {
        #expect(try mapped(#"{"constant": "a", "targetPath": "$.v"}, {"constant": "b", "targetPath": "$.v"}"#, input) == ["v": "b"])
    }

    @Test func objectsWrittenOntoObjectsMerge() throws {
        #expect(try mapped(#"{"constant": "L", "targetPath": "$.meta.location"}, {"constant": {"version": "1"}, "targetPath": "$.meta"}"#, input)?.serialized()
            == #"{"meta":{"location":"L","version":"1"}}"#)
    }

    @Test func ignoreSkipsAMapping() throws {
        #expect(try mapped(#"{"constant": "a", "targetPath": "$.v", "ignore": true}, {"constant": "b", "targetPath": "$.w"}"#, input) == ["w": "b"])
    }

    @Test func correlationAttributes() throws {
        let result = try transform(userDocument(#"""
            {"sourcePath": "$.userName", "targetPath": "$.userName", "correlationAttribute": true},
            {"sourcePath": "$.emails[?(@.primary == true)].value", "correlationAttribute": true},
            {"sourcePath": "$.emails[0].value", "correlationAttribute": true}
        """#), input)
        #expect(result.entity?.correlationValues == ["jdoe", "j@x.example"])
        #expect(result.output == ["userName": "jdoe"])
    }

    @Test func scopes() throws {
        let mappings = #"""
            {"constant": "all", "targetPath": "$.plain"},
            {"constant": "c", "targetPath": "$.create", "scope": "createEntity"},
            {"sourcePath": "$.Operations", "targetPath": "$.Operations", "scope": "patchEntity", "preserveArrayWithSingleElement": true},
            {"constant": false, "targetPath": "$.active", "scope": "deleteEntity"}
        """#
        let patchBody: JSONValue = ["Operations": [["op": "add", "path": "members", "value": [["value": "u"]]]]]
        #expect(try mapped(mappings, input, operation: .create) == ["plain": "all", "create": "c"])
        #expect(try mapped(mappings, input, operation: .update) == ["plain": "all"])
        #expect(try mapped(mappings, input, operation: .read) == ["plain": "all"])
        #expect(try mapped(mappings, patchBody, operation: .patch) == ["Operations": [["op": "add", "path": "members", "value": [["value": "u"]]]]])
        #expect(try mapped(mappings, input, operation: .delete) == ["active": false])
        #expect(try Transformation(text: userDocument(mappings)).plan(for: .user)?.hasDeleteEntityMappings == true)
    }

    @Test func removeMappings() throws {
        #expect(try mapped(#"{"sourcePath": "$.name", "targetPath": "$.name"}, {"condition": "$.name.familyName EMPTY false", "type": "remove", "targetPath": "$.name.givenName"}"#, input)
            == ["name": ["familyName": "Doe"]])
    }

    @Test func renameMappings() throws {
        #expect(try mapped(#"{"sourcePath": "$.name", "targetPath": "$.name"}, {"type": "rename", "targetPath": "$.name.familyName", "constant": "lastName"}"#, input)?.serialized()
            == #"{"name":{"givenName":"John","lastName":"Doe"}}"#)
    }

    @Test func valueMappings() throws {
        let single = #"{"type": "valueMapping", "sourcePaths": ["$.status"], "targetPath": "$.state", "defaultValue": "unknown", "valueMappings": [{"key": ["A"], "mappedValue": "active"}, {"key": ["I"], "mappedValue": "inactive"}]}"#
        #expect(try mapped(single, input) == ["state": "active"])
        #expect(try mapped(single, ["status": "X"]) == ["state": "unknown"])
        #expect(try mapped(single, [:]) == ["state": "unknown"])
        let composite = #"{"type": "valueMapping", "sourcePaths": ["$.status", "$.country"], "targetPath": "$.team", "valueMappings": [{"key": ["A", "US"], "mappedValue": "us-team"}, {"key": ["A", "DE"], "mappedValue": {"team": "de"}}]}"#
        #expect(try mapped(composite, input) == ["team": ["team": "de"]])
        let noDefault = try transform(userDocument(composite), ["status": "I", "country": "DE"])
        #expect(noDefault.failure?.rule == "user.mappings[0]")
    }

    @Test func propertySubstitution() throws {
        let m = #"{"constant": "%xsuaa.origin%", "targetPath": "$.origin"}, {"constant": "pre-%unset.property%-post", "targetPath": "$.x"}, {"constant": "%xsuaa.origin%[]", "targetPath": "$.origins"}"#
        #expect(try mapped(m, input, properties: ["xsuaa.origin": "idp1;idp2"]) == ["origin": "idp1;idp2", "x": "pre-null-post", "origins": ["idp1", "idp2"]])
        #expect(try mapped(m, input, properties: ["xsuaa.origin": "sap.custom"]) == ["origin": "sap.custom", "x": "pre-null-post", "origins": ["sap.custom"]])
        // Single pass: a value that itself contains a reference is not expanded again.
        #expect(try mapped(#"{"constant": "%a%", "targetPath": "$.v"}"#, input, properties: ["a": "%b%", "b": "deep"]) == ["v": "%b%"])
        // Substitution reaches paths and conditions too.
        #expect(try mapped(#"{"sourcePath": "$.%attr%", "targetPath": "$.v", "condition": "'%attr%' !== 'null'"}"#, input, properties: ["attr": "userName"]) == ["v": "jdoe"])
        #expect(try mapped(#"{"sourcePath": "$.%attr%", "targetPath": "$.v", "condition": "'%attr%' !== 'null'"}"#, input) == [:])
    }

    @Test func arrayConstructionTarget() throws {
        #expect(try mapped(#"{"sourcePath": "$.phones[*].value", "targetPath": "$.list[?(@.number)]"}"#, input) == ["list": [["number": "1"], ["number": "2"]]])
        #expect(try mapped(#"{"sourcePath": "$.emails[*].value", "targetPath": "$.list[?(@.value)]"}"#, input) == ["list": [["value": "j@x.example"]]])
    }

    @Test func broadcastTarget() throws {
        #expect(try mapped(#"{"sourcePath": "$.phones", "targetPath": "$.phones", "preserveArrayWithSingleElement": true}, {"constant": "mobile", "targetPath": "$.phones[*].type"}"#, input)
            == ["phones": [["value": "1", "type": "mobile"], ["value": "2", "type": "mobile"]]])
    }
}

@Suite("Entity-level keys")
struct EntityKeyTests {
    @Test func entityConditionSkipsWithIPSWording() throws {
        let doc = userDocument(#"{"sourcePath": "$.userName", "targetPath": "$.userName"}"#, entityKeys: #""condition": "$.active == true""#)
        #expect(try transform(doc, ["userName": "a", "active": false]).skipReason == "Entity condition [$.active == true] is not fulfilled")
        #expect(try transform(doc, ["userName": "a", "active": true]).output == ["userName": "a"])
        // Deletions ignore the entity condition.
        #expect(try transform(doc, ["userName": "a", "active": false], operation: .delete).output == [:])
    }

    @Test func skipOperations() throws {
        let doc = userDocument(#"{"sourcePath": "$.userName", "targetPath": "$.userName"}"#, entityKeys: #""skipOperations": ["update", "delete"]"#)
        #expect(try transform(doc, ["userName": "a"], operation: .create).output == ["userName": "a"])
        #expect(try transform(doc, ["userName": "a"], operation: .update).skipReason == "Operation [update] is skipped in target transformation")
        #expect(try transform(doc, ["userName": "a"], operation: .patch).skipReason == "Operation [update] is skipped in target transformation")
        #expect(try transform(doc, ["userName": "a"], operation: .delete).skipReason == "Operation [delete] is skipped in target transformation")
        // The condition is evaluated first.
        let both = userDocument(#"{"constant": 1, "targetPath": "$.x"}"#, entityKeys: #""skipOperations": ["create"], "condition": "$.x == 2""#)
        #expect(try transform(both, [:]).skipReason == "Entity condition [$.x == 2] is not fulfilled")
    }

    @Test func ignoredEntityType() throws {
        let doc = userDocument(#"{"constant": 1, "targetPath": "$.x"}"#, entityKeys: #""ignore": true"#)
        #expect(try transform(doc, [:]).skipReason == "Entity type [user] is ignored in the transformation")
    }

    @Test func scimEntityEndpointAndBlocks() throws {
        let t = try Transformation(text: #"{"user": {"scimEntityEndpoint": "Users", "mappings": []}, "group": {"scimEntityEndpoint": "Groups", "mappings": []}}"#)
        #expect(t.plan(for: .user)?.scimEntityEndpoint == "Users")
        #expect(t.plan(for: .group)?.scimEntityEndpoint == "Groups")
        #expect(t.entityTypes == [.user, .group])
        #expect(t.apply([:], as: .role, context: TransformContext()).failure?.message == "the transformation has no 'role' block")
    }
}
