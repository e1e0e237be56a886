import Chrono
import JSON
import JSONPath
import Testing
import TestSupport
@testable import Transformation

/// The default transformations printed in the SAP documentation, run on realistic entities.
@Suite("Default transformations from the seeds")
struct DefaultTransformationTests {
    static let uaaUser: JSONValue = fixtureJSON("""
    {
      "id": "4d2f7a1e-0b1c-4e55-9a39-1c1b6f0a2b11",
      "externalId": "E1001",
      "meta": {"version": 2, "created": "2024-01-10T10:11:12.123Z", "lastModified": "2024-02-10T10:11:12.123Z"},
      "userName": "jdoe",
      "name": {"familyName": "Doe", "givenName": "John"},
      "emails": [{"value": "john.doe@example.com", "primary": false}],
      "groups": [{"value": "Admins", "display": "Admins", "type": "DIRECT"}],
      "approvals": [],
      "phoneNumbers": [{"value": "+49 6227 7"}],
      "active": true,
      "verified": true,
      "origin": "sap.custom",
      "zoneId": "zone-1",
      "passwordLastModified": "2024-01-10T10:11:12.000Z",
      "schemas": ["urn:scim:schemas:core:1.0"]
    }
    """)

    func compile(_ name: String, _ properties: [String: String] = [:]) throws -> Transformation {
        try Transformation(text: try #require(BuiltinTransformations.text(named: name)), source: "builtin:\(name)", properties: properties)
    }

    func context(_ operation: TransformOperation, _ variables: [(String, JSONValue)] = []) -> TransformContext {
        TransformContext(operation: operation, variables: VariableBindings(variables))
    }

    @Test func everyBuiltinCompiles() throws {
        for (name, text) in BuiltinTransformations.all {
            let t = try Transformation(text: text, source: name)
            #expect(t.entityTypes == [.user, .group], "\(name)")
        }
    }

    @Test func xsuaaProxyReadUser() throws {
        let t = try compile("xsuaa-proxy-read")
        let result = t.apply(Self.uaaUser, as: .user, context: context(.read, [("entityBaseLocation", "https://tenant.example/ipsproxy/service/api/v1/scim/sys-1/Users/")]))
        let out = try #require(result.entity)
        #expect(out.value.serialized(pretty: true) == """
        {
          "id": "4d2f7a1e-0b1c-4e55-9a39-1c1b6f0a2b11",
          "meta": {
            "location": "https://tenant.example/ipsproxy/service/api/v1/scim/sys-1/Users/4d2f7a1e-0b1c-4e55-9a39-1c1b6f0a2b11",
            "version": 2,
            "created": "2024-01-10T10:11:12.123Z",
            "lastModified": "2024-02-10T10:11:12.123Z"
          },
          "userName": "jdoe",
          "name": {
            "familyName": "Doe",
            "givenName": "John"
          },
          "emails": [
            {
              "value": "john.doe@example.com",
              "primary": false
            }
          ],
          "groups": [
            {
              "value": "Admins",
              "display": "Admins",
              "type": "DIRECT"
            }
          ],
          "phoneNumbers": [
            {
              "value": "+49 6227 7"
            }
          ],
          "active": true,
          "externalId": "E1001",
          "origin": "sap.custom",
          "zoneId": "zone-1",
          "verified": true,
          "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User"
          ]
        }
        """)
        #expect(out.entityIdSourceSystem == "4d2f7a1e-0b1c-4e55-9a39-1c1b6f0a2b11")
        #expect(out.correlationValues == ["jdoe"])  // no primary email: that correlation finds nothing
    }

    @Test func xsuaaProxyReadUserWithoutEmailsFails() throws {
        var user = Self.uaaUser
        user["emails"] = nil
        let result = try compile("xsuaa-proxy-read").apply(user, as: .user, context: context(.read, [("entityBaseLocation", "b/")]))
        #expect(result.failure == EntityFailure(rule: "user.mappings[4]", message: "sourcePath $.emails has no value and the mapping is not optional"))
    }

    @Test func xsuaaProxyReadGroup() throws {
        let group: JSONValue = ["id": "Admins", "displayName": "Admins", "description": "Role collection", "zoneId": "zone-1",
                                "members": [["value": "u1", "type": "USER", "origin": "sap.custom"]],
                                "meta": ["version": 0], "schemas": ["urn:scim:schemas:core:1.0"]]
        let result = try compile("xsuaa-proxy-read").apply(group, as: .group, context: context(.read, [("entityBaseLocation", "https://p/Groups/")]))
        #expect(result.output?.serialized() == #"{"id":"Admins","meta":{"location":"https://p/Groups/Admins","version":0},"displayName":"Admins","description":"Role collection","members":[{"value":"u1","type":"USER","origin":"sap.custom"}],"zoneId":"zone-1","schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"urn:ietf:params:scim:schemas:extension:sap:2.0:Group":{"type":"authorization"}}"#)
        // zoneId is mandatory in the proxy group read.
        var noZone = group
        noZone["zoneId"] = nil
        #expect(try compile("xsuaa-proxy-read").apply(noZone, as: .group, context: context(.read, [("entityBaseLocation", "b/")])).failure?.rule == "group.mappings[5]")
    }

    @Test func xsuaaProxyWriteUserCreateAndUpdate() throws {
        let t = try compile("xsuaa-proxy-write", ["xsuaa.origin": "sap.custom"])
        let scim: JSONValue = ["schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "jdoe", "externalId": "E1",
                               "name": ["givenName": "John", "familyName": "Doe"],
                               "emails": [["value": "john.doe@example.com", "type": "work"]], "active": true]
        let created = t.apply(scim, as: .user, context: context(.create))
        #expect(created.output?.serialized() == #"{"id":"xsuaa-dummy-value","userName":"jdoe","name":{"givenName":"John","familyName":"Doe"},"emails":[{"value":"john.doe@example.com","type":"work","primary":true}],"externalId":"E1","active":true,"origin":"sap.custom","schemas":["urn:scim:schemas:core:1.0"]}"#)
        let updated = t.apply(scim, as: .user, context: context(.update, [("entityIdTargetSystem", "t-1")]))
        #expect(updated.output?["id"] == "t-1")
        // An existing primary email is left alone.
        var primary = scim
        primary["emails"] = [["value": "a@b.c"], ["value": "d@e.f", "primary": true]]
        #expect(t.apply(primary, as: .user, context: context(.create)).output?["emails"] == [["value": "a@b.c"], ["value": "d@e.f", "primary": true]])
        // Without the origin property the documented text "null" is written.
        #expect(try compile("xsuaa-proxy-write").apply(scim, as: .user, context: context(.create)).output?["origin"] == "null")
    }

    @Test func xsuaaProxyWriteGroupPutAndPatch() throws {
        let t = try compile("xsuaa-proxy-write")
        let put: JSONValue = ["displayName": "Admins", "description": "d", "members": [["value": "u1"], ["value": "u2", "display": "x"]]]
        let updated = t.apply(put, as: .group, context: context(.update, [("entityIdTargetSystem", "Admins")]))
        #expect(updated.output?.serialized() == #"{"id":"Admins","displayName":"Admins","description":"d","schemas":["urn:scim:schemas:core:1.0"],"members":[{"value":"u1","type":"USER"},{"value":"u2","display":"x","type":"USER"}]}"#)
        let patch: JSONValue = ["schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [["op": "add", "path": "members", "value": [["value": "u3"]]]]]
        let patched = t.apply(patch, as: .group, context: context(.patch, [("entityIdTargetSystem", "Admins")]))
        #expect(patched.output == patch)
    }

    @Test func platformMembersProxyReadGroupWithAndWithoutPrefix() throws {
        let group: JSONValue = ["id": "0c1d org-guid organization_manager", "displayName": "cf-eu10-002:my-org:organization_manager", "members": [["value": "user-guid"]]]
        let withPrefix = try compile("cf-platform-members-proxy-read", ["btp.cf.pm.group.prefix": "BTP_CF_PM_"])
            .apply(group, as: .group, context: context(.read, [("entityBaseLocation", "https://p/Groups/")]))
        #expect(withPrefix.output?.serialized() == #"{"id":"0c1d org-guid organization_manager","urn:sap:cloud:scim:schemas:extension:custom:2.0:Group":{"name":"0c1d org-guid organization_manager"},"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"BTP_CF_PM_cf-eu10-002:my-org:organization_manager","members":[{"value":"user-guid"}],"meta":{"location":"https://p/Groups/0c1d org-guid organization_manager"},"urn:ietf:params:scim:schemas:extension:sap:2.0:Group":{"type":"authorization","supportedOperations":"userOnlyMembership"}}"#)
        let noPrefix = try compile("cf-platform-members-proxy-read").apply(group, as: .group, context: context(.read, [("entityBaseLocation", "b/")]))
        #expect(noPrefix.output?["displayName"] == "cf-eu10-002:my-org:organization_manager")
    }

    @Test func platformMembersProxyReadUser() throws {
        let result = try compile("cf-platform-members-proxy-read").apply(Self.uaaUser, as: .user, context: context(.read, [("entityBaseLocation", "https://p/Users/")]))
        let out = try #require(result.output)
        #expect(out.objectValue?.keys == ["id", "userName", "name", "emails", "active", "verified", "meta", "origin", "zoneId"])
        #expect(out["meta"]?["location"] == "https://p/Users/4d2f7a1e-0b1c-4e55-9a39-1c1b6f0a2b11")
        #expect(out["meta"]?["version"] == 2)
    }

    @Test func platformMembersProxyWrite() throws {
        let t = try compile("cf-platform-members-proxy-write")
        let user: JSONValue = ["userName": "jdoe@example.com", "name": ["givenName": "J", "familyName": "D", "middleName": "x"], "emails": [["value": "jdoe@example.com"]]]
        #expect(t.apply(user, as: .user, context: context(.create)).output?.serialized() == #"{"userName":"jdoe@example.com","name":{"givenName":"J","familyName":"D"},"emails":[{"value":"jdoe@example.com","primary":true}],"schemas":["urn:scim:schemas:core:1.0"]}"#)
        #expect(t.apply(user, as: .user, context: context(.update, [("entityIdTargetSystem", "u")])).skipReason == "Operation [update] is skipped in target transformation")
        let group: JSONValue = ["displayName": "BTP:cf:org:space:space_developer", "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group": ["name": "org-1 space-1 space_developer"], "members": [["value": "u1"]]]
        let created = t.apply(group, as: .group, context: context(.create))
        #expect(created.output?.serialized() == #"{"id":"org-1 space-1 space_developer","displayName":"BTP:cf:org:space:space_developer","members":[{"value":"u1"}]}"#)
        #expect(created.entity?.entityIdTargetSystem == "org-1 space-1 space_developer")
    }
}

@Suite("Java date patterns")
struct JavaDateFormatTests {
    @Test func formatsTheDefaultCurrentDatePattern() throws {
        let f = try JavaDateFormat("yyyy-MM-dd HH:mm:ss.SSS")
        #expect(f.format(CivilDateTime(epochSeconds: 0)) == "1970-01-01 00:00:00.000")
        #expect(f.format(CivilDateTime(epochSeconds: 951_782_400, nanosecond: 7_000_000)) == "2000-02-29 00:00:00.007")
        #expect(f.format(CivilDateTime(epochSeconds: -1)) == "1969-12-31 23:59:59.000")
    }

    @Test func roundTripsManyPatterns() throws {
        let t = CivilDateTime(year: 2024, month: 3, day: 5, hour: 13, minute: 7, second: 9, nanosecond: 120_000_000)
        for pattern in ["yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "dd.MM.yy", "yyyyMMdd", "EEE, d MMM yyyy hh:mm:ss a", "MMMM d'st' yyyy", "D HH", "yyyy-MM-dd'T'HH:mm:ssZ"] {
            let f = try JavaDateFormat(pattern)
            let text = f.format(t)
            let parsed = try #require(f.parse(text), "\(pattern): \(text)")
            #expect(f.format(parsed) == text, "\(pattern)")
        }
        #expect(try JavaDateFormat("EEE, d MMM yyyy hh:mm a").format(t) == "Tue, 5 Mar 2024 01:07 PM")
        #expect(try JavaDateFormat("yyyy-MM-dd'T'HH:mm:ssXXX").parse("2024-03-05T13:07:09+02:00")?.epochSeconds == 1_709_636_829)
    }

    @Test func rejectsImpossibleDates() throws {
        let f = try JavaDateFormat("yyyy-MM-dd")
        #expect(f.parse("2023-02-29") == nil)
        #expect(f.parse("2024-13-01") == nil)
        #expect(f.parse("2024-01-01x") == nil)
        #expect(f.parse("2024-02-29") != nil)
    }

    @Test func monthArithmeticClampsTheDay() {
        let jan31 = CivilDateTime(year: 2023, month: 1, day: 31)
        #expect(jan31.adding(months: 1) == CivilDateTime(year: 2023, month: 2, day: 28))
        #expect(jan31.adding(years: 1, months: 1) == CivilDateTime(year: 2024, month: 2, day: 29))
        #expect(jan31.adding(months: -2) == CivilDateTime(year: 2022, month: 11, day: 30))
        #expect(jan31.adding(days: 1, hours: 25) == CivilDateTime(year: 2023, month: 2, day: 2, hour: 1))
    }
}
