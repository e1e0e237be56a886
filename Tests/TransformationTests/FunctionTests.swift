import JSON
import JSONPath
import Testing
@testable import Transformation

/// Applies one function (given as the JSON of its object) to `value` via a mapping from `$.v` to `$.r`.
func fn(_ function: String, _ value: JSONValue, extra: String = "", variables: [String: JSONValue] = [:], resolver: (any EntityIdResolving)? = nil, input: JSONValue? = nil) throws -> JSONValue? {
    var document: JSONValue = input ?? [:]
    document["v"] = value
    let mapping = #"{"sourcePath": "$.v", "targetPath": "$.r", "optional": true, "preserveArrayWithSingleElement": true \#(extra), "functions": [\#(function)]}"#
    let result = try transform(userDocument(mapping), document, variables: variables, resolver: resolver)
    if let failure = result.failure { throw failure }
    return result.output?["r"]
}

func fnFailure(_ function: String, _ value: JSONValue) throws -> String? {
    do {
        _ = try fn(function, value)
        return nil
    } catch let failure as EntityFailure {
        return failure.description
    }
}

@Suite("Mapping functions")
struct FunctionTests {
    @Test func concatString() throws {
        #expect(try fn(#"{"type": "concatString", "prefix": "ABC_", "suffix": "_x"}"#, "john") == "ABC_john_x")
        #expect(try fn(#"{"function": "concatString", "suffix": 123}"#, "johnsmith") == "johnsmith123")
        #expect(try fn(#"{"function": "concatString", "suffix": true}"#, 5) == "5true")
        #expect(try fn(#"{"type": "concatString", "suffix": "${id}"}"#, "https://x/", variables: ["id": "u1"]) == "https://x/u1")
        #expect(try fnFailure(#"{"type": "concatString", "prefix": "a"}"#, ["x", "y"])
            == "user.mappings[0].functions[0]: concatString: concatString works on text, but the value is an array (use applyOnElements or applyOnAttribute)")
    }

    @Test func compositeId() throws {
        #expect(try fn(#"{"type": "compositeId", "separator": ":", "subId": "e0123456"}"#, "johnsmith") == "johnsmith:e0123456")
        #expect(try fn(#"{"type": "compositeId", "separator": "-", "subId": "$.emp"}"#, "js", input: ["emp": 42]) == "js-42")
        #expect(try fnFailure(#"{"type": "compositeId", "separator": "-", "subId": "$.emp"}"#, "js")?.contains("subId path $.emp finds no value") == true)
    }

    @Test func mapEntryFunctions() throws {
        let emails: JSONValue = [["value": "a", "type": "work"], ["value": "b"]]
        #expect(try fn(#"{"type": "copyMapEntry", "sourceKey": "value", "targetKey": "display"}"#, emails)
            == [["value": "a", "type": "work", "display": "a"], ["value": "b", "display": "b"]])
        #expect(try fn(#"{"type": "renameMapEntry", "sourceKey": "value", "targetKey": "address"}"#, emails)
            == [["address": "a", "type": "work"], ["address": "b"]])
        #expect(try fn(#"{"type": "putIfAbsent", "key": "type", "defaultValue": "work"}"#, emails)
            == [["value": "a", "type": "work"], ["value": "b", "type": "work"]])
        let typed: JSONValue = [["type": "work"], ["type": "home"], ["type": "other"], ["value": "none"]]
        #expect(try fn(#"{"type": "putIfPresent", "key": "type", "defaultValue": "work", "condition": "(@.type NIN ['work', 'home'])"}"#, typed)
            == [["type": "work"], ["type": "home"], ["type": "work"], ["value": "none"]])
        // A lone map is treated as one element.
        #expect(try fn(#"{"type": "putIfAbsent", "key": "type", "defaultValue": "work"}"#, ["value": "a"]) == ["value": "a", "type": "work"])
    }

    @Test func encodeAndDecode() throws {
        #expect(try fn(#"{"type": "encode", "algorithm": "base32"}"#, "JOHN*SMITH/Junior") == "JJHUQTRKKNGUSVCIF5FHK3TJN5ZA====")
        #expect(try fn(#"{"type": "encode", "algorithm": "base32", "skipPadding": true}"#, "JOHN*SMITH/Junior") == "JJHUQTRKKNGUSVCIF5FHK3TJN5ZA")
        #expect(try fn(#"{"type": "encode", "algorithm": "base64"}"#, "hello") == "aGVsbG8=")
        #expect(try fn(#"{"type": "decode", "algorithm": "base64"}"#, "aGk=") == [104, 105])
        #expect(try fn(#"{"type": "decode", "algorithm": "base32"}, {"type": "toString"}"#, "JJHUQTRKKNGUSVCIF5FHK3TJN5ZA") == "JOHN*SMITH/Junior")
        #expect(try fn(#"{"type": "decode", "algorithm": "base64", "skipPadding": true}, {"type": "toString"}"#, "aGk") == "hi")
        #expect(try fnFailure(#"{"type": "decode", "algorithm": "base64"}"#, "***")?.contains("not valid Base64") == true)
    }

    @Test func toStringOfValues() throws {
        #expect(try fn(#"{"type": "toString"}"#, 12) == "12")
        #expect(try fn(#"{"type": "toString"}"#, true) == "true")
        #expect(try fn(#"{"type": "toString"}"#, ["a": 1]) == #"{"a":1}"#)
    }

    @Test func elementAt() throws {
        #expect(try fn(#"{"type": "elementAt", "index": 1}"#, ["a", "b"]) == "b")
        #expect(try fn(#"{"type": "elementAt", "index": 5}"#, ["a", "b"]) == nil)
        #expect(try fn(#"{"type": "elementAt", "index": 0}"#, "lone") == "lone")
    }

    @Test func regexFunctions() throws {
        #expect(try fn(#"{"type": "getMatchedRegexGroup", "regex": "(\\w+)@(\\w+)", "groupIndex": 2}"#, "john@example") == "example")
        #expect(try fn(#"{"type": "getMatchedRegexGroup", "regex": "(\\d+)", "groupIndex": 0}"#, "no digits") == nil)
        #expect(try fn(#"{"type": "matchRegex", "regex": "[a-z]+"}"#, "abc") == true)
        #expect(try fn(#"{"type": "matchRegex", "regex": "[a-z]+"}"#, "abc1") == false)
        #expect(try fn(#"{"type": "replaceFirstString", "regex": "o", "replacement": "0"}"#, "foo boo") == "f0o boo")
        #expect(try fn(#"{"type": "replaceLastString", "regex": "o", "replacement": "0"}"#, "foo boo") == "foo bo0")
        #expect(try fn(#"{"type": "replaceAllString", "regex": "(\\w)o", "replacement": "$1!"}"#, "foo boo") == "f!o b!o")
        #expect(try fn(#"{"type": "replaceAllString", "regex": "${r}", "replacement": "-"}"#, "a.b.c", variables: ["r": "\\."]) == "a-b-c")
        #expect(try fn(#"{"type": "replaceString", "target": ".", "replacement": "_"}"#, "a.b.c") == "a_b_c")
    }

    @Test func stringFunctions() throws {
        #expect(try fn(#"{"type": "splitStringToArray", "separator": ","}"#, "a,b,,c,,") == ["a", "b", "", "c"])
        #expect(try fn(#"{"type": "splitStringToArray", "separator": "."}"#, "x.y") == ["x", "y"])
        #expect(try fn(#"{"type": "substring", "beginIndex": 1, "endIndex": 3}"#, "hello") == "el")
        #expect(try fn(#"{"type": "substring", "beginIndex": 2}"#, "hello") == "llo")
        #expect(try fn(#"{"type": "substring", "beginIndex": 1, "endIndex": 2}"#, "😀x") != nil)  // UTF-16 units, as Java
        #expect(try fnFailure(#"{"type": "substring", "beginIndex": 4, "endIndex": 9}"#, "hello")?.contains("out of range") == true)
        #expect(try fn(#"{"type": "toUpperCaseString"}"#, "Straße") == "STRASSE")
        #expect(try fn(#"{"type": "toLowerCaseString", "locale": "tr_TR"}"#, "I") == "ı")
        #expect(try fn(#"{"type": "toLowerCaseString"}"#, "ABC") == "abc")
    }

    @Test func manipulateDate() throws {
        #expect(try fn(#"{"type": "manipulateDate", "sourceDateFormat": "yyyy-MM-dd", "days": "+2"}"#, "2024-02-28") == "2024-03-01")
        #expect(try fn(#"{"type": "manipulateDate", "sourceDateFormat": "yyyy-MM-dd", "targetDateFormat": "dd.MM.yyyy", "months": 1}"#, "2024-01-31") == "29.02.2024")
        #expect(try fn(#"{"type": "manipulateDate", "sourceDateFormat": "yyyyMMddHHmmss", "targetDateFormat": "yyyy-MM-dd'T'HH:mm:ssXXX", "hours": "-25"}"#, "20240301103000") == "2024-02-29T09:30:00Z")
        #expect(try fn(#"{"type": "manipulateDate", "sourceDateFormat": "Date(milliseconds)", "targetDateFormat": "yyyy-MM-dd HH:mm:ss.SSS", "years": -1}"#, "/Date(1519809649123-0240)/") == "2017-02-28 09:20:49.123")
        #expect(try fn(#"{"type": "manipulateDate", "days": 1}"#, "2024-12-31T23:00:00Z") == "2025-01-01T23:00:00Z")
        #expect(try fn(#"{"type": "manipulateDate", "sourceDateFormat": "MMM d, yyyy h:mm a", "targetDateFormat": "EEEE yyyy-MM-dd HH:mm"}"#, "Mar 5, 2024 1:07 PM") == "Tuesday 2024-03-05 13:07")
        #expect(try fnFailure(#"{"type": "manipulateDate", "sourceDateFormat": "yyyy-MM-dd"}"#, "05/03/2024")?.contains("does not match the sourceDateFormat") == true)
    }

    @Test("randomPassword whose minimums exceed the length loads, and fails each entity when it runs (docs/fidelity.md, “Transformation language”)")
    func randomPasswordWithInconsistentMinimumsFailsAtRunTime() throws {
        let document = userDocument(#"{"sourcePath": "$.userName", "targetPath": "$.userName"}, {"targetPath": "$.password", "functions": [{"type": "randomPassword", "passwordLength": 4, "minimumNumberOfLowercaseLetters": 2, "minimumNumberOfUppercaseLetters": 2, "minimumNumberOfDigits": 1, "minimumNumberOfSpecialSymbols": 0}]}"#)
        _ = try Transformation(text: document)  // loads
        let result = try transform(document, ["userName": "a"])
        #expect(result.output == nil)
        let failure = try #require(result.failure)
        #expect(failure.description.contains("randomPassword: the minimums add up to 5, more than passwordLength 4"), "\(failure.description)")
        // A length of 0 with a minimum is the same error, at run time too.
        let empty = userDocument(#"{"targetPath": "$.password", "functions": [{"type": "randomPassword", "passwordLength": 0, "minimumNumberOfLowercaseLetters": 1, "minimumNumberOfUppercaseLetters": 0, "minimumNumberOfDigits": 0, "minimumNumberOfSpecialSymbols": 0}]}"#)
        #expect(try transform(empty, ["userName": "a"]).failure?.description.contains("the minimums add up to 1, more than passwordLength 0") == true)
    }

    @Test func randomPasswordIsSeededAndMeetsMinimums() throws {
        let f = ##"{"type": "randomPassword", "passwordLength": 16, "minimumNumberOfLowercaseLetters": 2, "minimumNumberOfUppercaseLetters": 3, "minimumNumberOfDigits": 4, "minimumNumberOfSpecialSymbols": 1, "specialSymbols": "#!"}"##
        let mapping = #"{"targetPath": "$.password", "scope": "createEntity", "functions": [\#(f)]}"#
        let a = try transform(userDocument(mapping), [:], seed: 42).output?["password"]?.stringValue
        let b = try transform(userDocument(mapping), [:], seed: 42).output?["password"]?.stringValue
        let c = try transform(userDocument(mapping), [:], seed: 43).output?["password"]?.stringValue
        let password = try #require(a)
        #expect(a == b)
        #expect(a != c)
        #expect(password.count == 16)
        #expect(password.filter(\.isLowercase).count >= 2)
        #expect(password.filter(\.isUppercase).count >= 3)
        #expect(password.filter(\.isNumber).count >= 4)
        #expect(password.filter { "#!".contains($0) }.count >= 1)
        #expect(password.allSatisfy { $0.isLetter || $0.isNumber || "#!".contains($0) })
        // A zero minimum leaves the class out entirely.
        let digitsOnly = #"{"targetPath": "$.pin", "functions": [{"type": "randomPassword", "passwordLength": 6, "minimumNumberOfLowercaseLetters": 0, "minimumNumberOfUppercaseLetters": 0, "minimumNumberOfDigits": 6, "minimumNumberOfSpecialSymbols": 0}]}"#
        #expect(try transform(userDocument(digitsOnly), [:]).output?["pin"]?.stringValue?.allSatisfy(\.isNumber) == true)
    }

    @Test func resolveEntityIds() throws {
        let resolver = StaticEntityIdResolver(map: [.user: ["s1": ["t1"], "s2": ["t2a", "t2b"]], .group: ["g1": ["G1"]]])
        let members: JSONValue = [["value": "s1", "type": "User"], ["value": "s2"], ["value": "s3"], ["value": "g1", "type": "Group"]]
        // On ID strings: several targets per ID become several entries; unknown IDs are left out.
        #expect(try fn(#"{"type": "resolveEntityIds"}"#, ["s1", "s2", "s3"], resolver: resolver) == ["t1", "t2a", "t2b"])
        // On member objects, with per-element conditions that pass other elements through unchanged.
        let resolved = try fn(#"{"type": "resolveEntityIds", "condition": "@.type != 'Group'"}, {"type": "resolveEntityIds", "entityType": "group", "condition": "@.type == 'Group'"}"#, members, resolver: resolver)
        #expect(resolved == [["value": "t1", "type": "User"], ["value": "t2a"], ["value": "t2b"], ["value": "G1", "type": "Group"]])
        // A lone manager ID.
        #expect(try fn(#"{"type": "resolveEntityIds"}"#, "s1", resolver: resolver) == "t1")
        let result = try transform(userDocument(#"{"sourcePath": "$.m", "targetPath": "$.m", "functions": [{"type": "resolveEntityIds"}]}"#), ["m": ["s1", "s9"]], resolver: resolver)
        #expect(result.entity?.warnings == ["resolveEntityIds: user 's9' has not been provisioned to the target; left out"])
        #expect(try fnFailure(#"{"type": "resolveEntityIds"}"#, "s1")?.contains("no ID resolver") == true)
    }

    @Test func modifiers() throws {
        let groups: JSONValue = [["value": "1", "display": "admins"], ["value": "2", "display": "users"]]
        // applyOnAttribute changes one key of each map; assignToAttribute writes the result elsewhere.
        #expect(try fn(#"{"type": "concatString", "prefix": "P_", "applyOnAttribute": "display"}"#, groups)
            == [["value": "1", "display": "P_admins"], ["value": "2", "display": "P_users"]])
        #expect(try fn(#"{"type": "concatString", "prefix": "P_", "applyOnJsonAttribute": "display"}"#, groups)
            == [["value": "1", "display": "P_admins"], ["value": "2", "display": "P_users"]])
        #expect(try fn(#"{"type": "toUpperCaseString", "applyOnAttribute": "display", "assignToAttribute": "upper", "condition": "@.display == 'users'"}"#, groups)
            == [["value": "1", "display": "admins"], ["value": "2", "display": "users", "upper": "USERS"]])
        // applyOnElements works element by element.
        #expect(try fn(#"{"type": "concatString", "suffix": "!", "applyOnElements": true, "condition": "@ != 'b'"}"#, ["a", "b"]) == ["a!", "b"])
        // A condition on the whole value.
        #expect(try fn(#"{"type": "replaceFirstString", "regex": "ABC_", "replacement": "", "condition": "isAttributeWithMandatoryPrefix(@, p)"}"#, "ABC_x") == "ABC_x")
        #expect(try fn(#"{"type": "concatString", "prefix": "!", "condition": "@ == 'y'"}"#, "x") == "x")
        // Functions chain in order.
        #expect(try fn(#"{"type": "toLowerCaseString"}, {"type": "concatString", "suffix": "@x"}, {"type": "replaceString", "target": "@", "replacement": " at "}"#, "JOHN") == "john at x")
    }

    @Test func unsupportedFunctionsAreRefusedByName() throws {
        do {
            _ = try Transformation(text: userDocument(#"{"sourcePath": "$.c", "targetPath": "$.c", "functions": [{"type": "convertCountryCode", "outputFormat": "alpha2"}]}"#), source: "t.json")
            Issue.record("should not compile")
        } catch {
            #expect(error.description == "t.json:1: user.mappings[0].functions[0]: convertCountryCode is not supported yet by provsim")
        }
    }
}
