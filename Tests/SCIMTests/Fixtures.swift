import JSON
import Testing
import TestSupport
@testable import SCIM

let userType = SCIMResourceType(
    name: "User", endpoint: "/Users", description: "User Account", schema: SCIMSchemas.user,
    extensions: [(SCIMSchemas.enterpriseUser, false), (SCIMSchemas.sapUser, false)])
let groupType = SCIMResourceType(name: "Group", endpoint: "/Groups", description: "Group", schema: SCIMSchemas.group,
                                 extensions: [(SCIMSchemas.sapGroup, false), (SCIMSchemas.customGroup, false)])

let bjensen: JSONValue = fixtureJSON("""
{
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
  "id": "2819c223-7f76-453a-919d-413861904646",
  "externalId": "bjensen",
  "userName": "bjensen@example.com",
  "name": {"familyName": "Jensen", "givenName": "Barbara"},
  "displayName": "Babs Jensen",
  "title": "Tour Guide",
  "userType": "Employee",
  "active": true,
  "emails": [
    {"value": "bjensen@example.com", "type": "work", "primary": true},
    {"value": "babs@jensen.org", "type": "home"}
  ],
  "phoneNumbers": [{"value": "555-555-8377", "type": "work"}],
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "701984", "manager": {"value": "26118915"}},
  "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z", "lastModified": "2011-05-13T04:42:34Z", "version": "W/\\"3\\""}
}
""")
