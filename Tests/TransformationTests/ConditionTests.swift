import JSON
import JSONPath
import Testing
@testable import Transformation

/// Whether an entity condition holds for `entity` (using a user block with one constant mapping).
func condition(_ text: String, _ entity: JSONValue, properties: [String: String] = [:]) throws -> Bool {
    let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    let doc = "{\"user\": {\"condition\": \"\(escaped)\", \"mappings\": [{\"constant\": 1, \"targetPath\": \"$.ok\"}]}}"
    switch try transform(doc, entity, properties: properties) {
    case .transformed: return true
    case .skipped: return false
    case .failed(let f): throw f
    }
}

@Suite("IPS conditions")
struct ConditionTests {
    let user: JSONValue = [
        "userName": "jdoe", "userType": "Employee",
        "emails": [["value": "john.doe@example.com", "primary": true], ["value": "bad@", "primary": false]],
        "groups": [["display": "XSUAA_Admins"], ["display": "Other"]],
        "memberOf": ["group1", "group2"],
        "validityPeriod": ["startDate": "2023-01-01 00:00:00.000"],
    ]

    @Test func documentedForms() throws {
        #expect(try condition("$.userType === 'Employee'", user))
        #expect(try condition("$.emails[?(@.primary == true)].value == []", ["emails": [["value": "a@b.c"]]]))
        #expect(try !condition("$.emails[?(@.primary == true)].value == []", user))
        #expect(try condition("$.emails[0].value =~ /.*@example.com/", user))
        #expect(try condition("!($.emails[0].value =~ /.*contractorsCompany.com/)", user))
        #expect(try condition("$.memberOf contains 'group1'", user))
        #expect(try condition("$.emails.length() > 0", user))
        #expect(try condition("$.emails[0].length() > 0", user))
        #expect(try condition("$.displayName EMPTY true", user))
        #expect(try condition("$.userName empty false", user))
        #expect(try condition("($.validityPeriod.startDate <= '${currentDate}')", user))
        #expect(try condition("$.groups[?(@.display NIN ['a', 'b'])] empty false", user))
        #expect(try condition("$.userName !== 'x' && ($.userName != 'y' || false)", user))
    }

    @Test func propertyPlaceholdersInConditions() throws {
        let text = "('%xsuaa.group.prefix%' === 'null') || ($.groups[?(@.display =~ /%xsuaa.group.prefix%.*/)] empty false)"
        #expect(try condition(text, user))  // no prefix configured: every user passes
        #expect(try condition(text, user, properties: ["xsuaa.group.prefix": "XSUAA_"]))
        #expect(try !condition(text, user, properties: ["xsuaa.group.prefix": "AFC_"]))
    }

    @Test func isValidEmail() throws {
        #expect(try condition("isValidEmail($.emails[0].value)", user))
        #expect(try !condition("isValidEmail($.emails[1].value)", user))
        #expect(try !condition("isValidEmail($.emails[*].value)", user))  // every email is checked
        #expect(try condition("isValidEmail($.emails[*].value)", ["emails": [["value": "a.b@c.de"], ["value": "x+y@sub.example.org"]]]))
        #expect(try !condition("isValidEmail($.emails[0].value)", [:]))
        for valid in ["a@b.co", "first.last@example.com", "o'brien@example.ie", "x_y-z@a-b.example"] {
            #expect(try condition("isValidEmail($.e)", ["e": .string(valid)]), "\(valid)")
        }
        for invalid in ["plain", "a@b", "a@.com", ".a@b.com", "a..b@c.com", "a@b..com", "a b@c.com", "a@-b.com"] {
            #expect(try !condition("isValidEmail($.e)", ["e": .string(invalid)]), "\(invalid)")
        }
    }

    @Test func groupKindFunctions() throws {
        let ext = "urn:ietf:params:scim:schemas:extension:sap:2.0:Group"
        let regular: JSONValue = ["displayName": "g"]
        let appGroup: JSONValue = ["displayName": "g", ext: ["applicationId": "app1", "supportedOperations": "readOnly"]]
        #expect(try condition("isRegularGroup()", regular))
        #expect(try !condition("isRegularGroup()", appGroup))
        #expect(try condition("isRegularGroup()", ["x": 1, ext: ["applicationId": "app1"]]))
        #expect(try !condition("isApplicationSpecificGroup()", appGroup))
        #expect(try condition("isApplicationSpecificGroup()", appGroup, properties: ["ips.application.id": "app1"]))
        #expect(try !condition("isApplicationSpecificGroup()", appGroup, properties: ["ips.application.id": "app2"]))
        #expect(try condition("isRegularGroup() || isApplicationSpecificGroup()", appGroup, properties: ["ips.application.id": "app1"]))
    }

    @Test func prefixFunctions() throws {
        let p = ["xsuaa.group.prefix": "XSUAA_"]
        #expect(try condition("isAttributeWithOptionalPrefix($.displayName, xsuaa.group.prefix)", ["displayName": "XSUAA_a"], properties: p))
        #expect(try !condition("isAttributeWithOptionalPrefix($.displayName, xsuaa.group.prefix)", ["displayName": "a"], properties: p))
        #expect(try condition("isAttributeWithOptionalPrefix($.displayName, xsuaa.group.prefix)", [:], properties: p))  // attribute missing
        #expect(try condition("isAttributeWithOptionalPrefix($.displayName, xsuaa.group.prefix)", ["displayName": "a"]))  // property missing
        #expect(try condition("isAttributeWithMandatoryPrefix($.displayName, xsuaa.group.prefix)", ["displayName": "XSUAA_a"], properties: p))
        #expect(try !condition("isAttributeWithMandatoryPrefix($.displayName, xsuaa.group.prefix)", [:], properties: p))
        #expect(try !condition("isAttributeWithMandatoryPrefix($.displayName, xsuaa.group.prefix)", ["displayName": "XSUAA_a"]))
    }

    @Test func functionConditionsSeeTheCurrentValue() throws {
        let doc = #"{"user": {"mappings": [{"sourcePath": "$.displayName", "targetPath": "$.displayName", "functions": [{"type": "replaceFirstString", "regex": "%xsuaa.group.prefix%", "replacement": "", "condition": "isAttributeWithMandatoryPrefix(@, xsuaa.group.prefix)"}]}]}}"#
        #expect(try transform(doc, ["displayName": "XSUAA_Admins"], properties: ["xsuaa.group.prefix": "XSUAA_"]).output == ["displayName": "Admins"])
        #expect(try transform(doc, ["displayName": "Other"], properties: ["xsuaa.group.prefix": "XSUAA_"]).output == ["displayName": "Other"])
        #expect(try transform(doc, ["displayName": "XSUAA_Admins"]).output == ["displayName": "XSUAA_Admins"])
    }

    @Test func wrongConditionFunctionUse() {
        #expect(throws: TransformationCompileError.self) { try condition("isValidEmail(x.y)", [:]) }
        #expect(throws: TransformationCompileError.self) { try condition("isRegularGroup($.a)", [:]) }
        #expect(throws: TransformationCompileError.self) { try condition("isAttributeWithOptionalPrefix($.a)", [:]) }
    }
}
