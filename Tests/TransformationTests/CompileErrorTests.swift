import JSON
import Testing
@testable import Transformation

@Suite("Transformation compile errors")
struct CompileErrorTests {
    func error(_ text: String, properties: [String: String] = [:]) -> String? {
        do {
            _ = try Transformation(text: text, source: "t.json", properties: properties)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func namesFileLineAndField() {
        let text = """
        {
          "user": {
            "mappings": [
              { "sourcePath": "$.id", "targetPath": "$.id" },
              {
                "sourcePath": "$.emails[?(@.primary = true)]",
                "targetPath": "$.email"
              }
            ]
          }
        }
        """
        #expect(error(text) == "t.json:6: user.mappings[1].sourcePath: invalid JSONPath '$.emails[?(@.primary = true)]' at column 22: '=' is not an operator; use '==' to compare")
    }

    @Test(arguments: [
        (#"{"users": {"mappings": []}}"#, "t.json:1: users: unknown entity type 'users' (expected user, group or role)"),
        (#"[1]"#, "t.json:1: a transformation is a JSON object with \"user\", \"group\" and/or \"role\" blocks"),
        (#"{"user": {}}"#, "t.json:1: user.mappings: missing \"mappings\" list"),
        (#"{"user": {"mapping": []}}"#, "t.json:1: user.mapping: unknown key 'mapping' (known: condition, ignore, mappings, scimEntityEndpoint, skipOperations)"),
        (#"{"user": {"mappings": [{"sourcepath": "$.a", "targetPath": "$.a"}]}}"#, "unknown key 'sourcepath' in a mapping"),
        (#"{"user": {"mappings": [{"sourcePath": "$.a"}]}}"#, "user.mappings[0]: a mapping needs a targetPath or targetVariable"),
        (#"{"user": {"mappings": [{"targetPath": "$.a"}]}}"#, "a mapping needs sourcePath, sourceVariable, constant, defaultValue or a generating function"),
        (#"{"user": {"mappings": [{"sourcePath": "$.a", "constant": 1, "targetPath": "$.a"}]}}"#, "user.mappings[0].constant: a mapping takes one of sourcePath, sourceVariable and constant, not sourcePath and constant"),
        (#"{"user": {"mappings": [{"sourcePath": "$.a", "targetPath": "$..a"}]}}"#, "user.mappings[0].targetPath: cannot write to '$..a': '..' does not name a place to write"),
        (#"{"user": {"mappings": [{"sourcePath": "$.a", "targetPath": "$.a", "scope": "updateEntity"}]}}"#, "user.mappings[0].scope: must be createEntity, patchEntity or deleteEntity, not 'updateEntity'"),
        (#"{"user": {"mappings": [{"sourcePath": "$.a", "targetPath": "$.a", "optional": "yes"}]}}"#, "user.mappings[0].optional: must be true or false, not \"yes\""),
        (#"{"user": {"mappings": [{"sourcePath": "$.a", "targetPath": "$.a", "type": "copy"}]}}"#, "user.mappings[0].type: must be set, remove, rename or valueMapping, not 'copy'"),
        (#"{"user": {"mappings": [{"type": "rename", "targetPath": "$.a"}]}}"#, "user.mappings[0].constant: a rename mapping needs the new name as a text constant"),
        (#"{"user": {"mappings": [{"type": "remove", "sourcePath": "$.a", "targetPath": "$.a"}]}}"#, "user.mappings[0].sourcePath: a remove mapping takes no sourcePath"),
        (#"{"user": {"mappings": [{"type": "valueMapping", "sourcePaths": ["$.a", "$.b"], "targetPath": "$.c", "valueMappings": [{"key": ["x"], "mappedValue": 1}]}]}}"#, "user.mappings[0].valueMappings[0].key: has 1 value(s) but there are 2 source path(s)"),
        (#"{"user": {"mappings": [{"sourcePaths": ["$.a"], "targetPath": "$.c"}]}}"#, "user.mappings[0].sourcePaths: sourcePaths only works with \"type\": \"valueMapping\""),
        (#"{"user": {"mappings": [{"constant": 1, "targetPath": "$.c", "variablePath": "$.x"}]}}"#, "user.mappings[0].variablePath: variablePath only works together with sourceVariable"),
        (#"{"user": {"condition": "$.a = 1", "mappings": []}}"#, "user.condition: invalid condition '$.a = 1' at column 5"),
        (#"{"user": {"skipOperations": ["upsert"], "mappings": []}}"#, "user.skipOperations[0]: must be \"create\", \"update\" or \"delete\", not \"upsert\""),
        (#"{"user": {"mappings": [{"sourcePath": "$.a", "targetPath": "$.a", "functions": [{"type": "concat"}]}]}}"#, "user.mappings[0].functions[0]: concat: unknown function (known: concatString"),
        (#"{"user": {"mappings": [{"sourcePath": "$.a", "targetPath": "$.a", "functions": [{"prefix": "x"}]}]}}"#, "user.mappings[0].functions[0]: a function needs \"function\" (or \"type\") naming it"),
        (#"{"user": {"mappings": [{"sourcePath": "$.a", "targetPath": "$.a", "functions": [{"type": "concatString", "prefx": "x"}]}]}}"#, "user.mappings[0].functions[0].prefx: concatString: unknown parameter 'prefx' (known: applyOnAttribute, applyOnElements, assignToAttribute, condition, prefix, suffix)"),
        (#"{"user": {"mappings": [{"sourcePath": "$.a", "targetPath": "$.a", "functions": [{"type": "substring"}]}]}}"#, "user.mappings[0].functions[0]: substring: missing required parameter 'beginIndex'"),
        (#"{"user": {"mappings": [{"sourcePath": "$.a", "targetPath": "$.a", "functions": [{"type": "replaceAllString", "regex": "(", "replacement": ""}]}]}}"#, "user.mappings[0].functions[0].regex: replaceAllString: invalid regular expression /(/"),
        (#"{"user": {"mappings": [{"sourcePath": "$.a", "targetPath": "$.a", "functions": [{"type": "getMatchedRegexGroup", "regex": "(a)", "groupIndex": 2}]}]}}"#, "groupIndex: getMatchedRegexGroup: is 2 but /(a)/ has 1 group(s)"),
        (##"{"user": {"mappings": [{"targetPath": "$.p", "functions": [{"type": "randomPassword", "passwordLength": 4, "minimumNumberOfLowercaseLetters": 1, "minimumNumberOfUppercaseLetters": 1, "minimumNumberOfDigits": 1, "minimumNumberOfSpecialSymbols": 0, "specialSymbols": "#"}]}]}}"##, "minimumNumberOfSpecialSymbols: randomPassword: must not be 0 when specialSymbols is given"),
        (#"{"user": {"mappings": [{"sourcePath": "$.a", "targetPath": "$.a", "functions": [{"type": "manipulateDate", "sourceDateFormat": "yyyy-MM-dd zzz"}]}]}}"#, "sourceDateFormat: manipulateDate: pattern letter 'z' in 'yyyy-MM-dd zzz' is not supported"),
        (#"{"user": {"mappings": [{"sourcePath": "$.a", "targetPath": "$.a", "functions": [{"type": "encode", "algorithm": "hex"}]}]}}"#, "algorithm: encode: must be base32 or base64, not 'hex'"),
        (#"{"user": {"mappings": [{"sourcePath": "$.a", "targetPath": "$.a", "functions": [{"type": "concatString", "condition": "@ = 1"}]}]}}"#, "user.mappings[0].functions[0].condition: concatString: invalid condition at column 3"),
        (#"{"user": {"mappings": [ {"a": 1} "#, "t.json:1: invalid JSON at column 34: unexpected end of input"),
    ])
    func reportsProblems(_ text: String, _ expected: String) {
        let message = error(text)
        #expect(message?.contains(expected) == true, "got: \(message ?? "no error")")
    }

    @Test func substitutedConditionIsShownWhenInvalid() {
        let message = error(#"{"user": {"condition": "$.a =~ /%p%/", "mappings": []}}"#, properties: ["p": "(["])
        #expect(message?.contains("(after property substitution: '$.a =~ /([/')") == true, "\(message ?? "")")
    }

    @Test func badDateFormatProperty() {
        let message = error(#"{"user": {"mappings": [{"sourceVariable": "currentDate", "targetPath": "$.d"}]}}"#, properties: ["ips.date.variable.format": "yyyy-MM-dd VV"])
        #expect(message == "t.json: ips.date.variable.format: pattern letter 'V' in 'yyyy-MM-dd VV' is not supported")
    }
}
