/// Default source and target transformations of "SAP BTP Platform Members (Cloud Foundry)".
///
/// Not printed in the seeds: written from the summaries in the behaviour reference (section 7.4).
/// Groups are CF roles: the group ID is `<org_ID> <org_role>` or `<org_ID> <space_ID> <space_role>`.
enum PlatformMembersTransformations {
    static let write = #"""
{
  "user": {
    "skipOperations": ["update"],
    "condition": "(('%btp.cf.pm.group.prefix%' === 'null') || ($.groups[?(@.display =~ /%btp.cf.pm.group.prefix%%btp.cf.pm.landscape%.+/)] empty false)) && $.groups[?(@.display === 'cf-user-provisioning')] empty true",
    "mappings": [
      { "sourceVariable": "entityIdTargetSystem", "targetPath": "$.id" },
      { "sourcePath": "$.userName", "targetPath": "$.userName" },
      { "sourcePath": "$.name.givenName", "targetPath": "$.name.givenName", "optional": true },
      { "sourcePath": "$.name.familyName", "targetPath": "$.name.familyName", "optional": true },
      { "sourcePath": "$.name.formatted", "targetPath": "$.name.formatted", "optional": true },
      { "sourcePath": "$.active", "targetPath": "$.active", "optional": true, "defaultValue": true },
      { "constant": true, "targetPath": "$.active", "scope": "createEntity" },
      { "sourcePath": "$.verified", "targetPath": "$.verified", "optional": true },
      { "sourcePath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['mailVerified']", "targetPath": "$.verified", "optional": true },
      { "constant": true, "targetPath": "$.verified", "scope": "createEntity" },
      { "sourcePath": "$.emails", "targetPath": "$.emails", "preserveArrayWithSingleElement": true },
      { "condition": "$.emails[?(@.primary == true)].value == []", "constant": true, "targetPath": "$.emails[0].primary" },
      { "constant": "urn:scim:schemas:core:1.0", "targetPath": "$.schemas[0]" }
    ]
  },
  "group": {
    "condition": "('%btp.cf.pm.group.prefix%' === 'null') || ($.displayName =~ /%btp.cf.pm.group.prefix%%btp.cf.pm.landscape%.+/)",
    "mappings": [
      { "sourcePath": "$['urn:sap:cloud:scim:schemas:extension:custom:2.0:Group']['name']", "targetVariable": "entityIdTargetSystem", "scope": "createEntity" },
      { "sourceVariable": "entityIdTargetSystem", "targetPath": "$.id" },
      { "sourcePath": "$.displayName", "targetPath": "$.displayName" },
      {
        "sourcePath": "$.members[*].value",
        "targetPath": "$.members[?(@.value)]",
        "preserveArrayWithSingleElement": true,
        "optional": true,
        "functions": [ { "function": "resolveEntityIds" } ]
      }
    ]
  }
}
"""#

    static let read = #"""
{
  "user": {
    "mappings": [
      { "sourcePath": "$.id", "targetPath": "$.id", "targetVariable": "entityIdSourceSystem" },
      { "constant": "urn:ietf:params:scim:schemas:core:2.0:User", "targetPath": "$.schemas[0]" },
      { "sourcePath": "$.userName", "targetPath": "$.userName", "correlationAttribute": true },
      { "sourcePath": "$.name", "targetPath": "$.name", "optional": true },
      { "sourcePath": "$.emails", "targetPath": "$.emails", "preserveArrayWithSingleElement": true, "optional": true },
      { "sourcePath": "$.emails[?(@.primary == true)].value", "correlationAttribute": true, "optional": true },
      { "sourcePath": "$.active", "targetPath": "$.active", "optional": true },
      { "sourcePath": "$.verified", "targetPath": "$.verified", "optional": true },
      { "sourcePath": "$.origin", "targetPath": "$.origin", "optional": true },
      { "sourcePath": "$.zoneId", "targetPath": "$.zoneId", "optional": true }
    ]
  },
  "group": {
    "mappings": [
      { "sourcePath": "$.id", "targetVariable": "entityIdSourceSystem" },
      { "sourcePath": "$.id", "targetPath": "$['urn:sap:cloud:scim:schemas:extension:custom:2.0:Group']['name']" },
      { "constant": "urn:ietf:params:scim:schemas:core:2.0:Group", "targetPath": "$.schemas[0]" },
      {
        "sourcePath": "$.displayName",
        "targetPath": "$.displayName",
        "functions": [
          { "condition": "'%btp.cf.pm.group.prefix%' !== 'null'", "function": "concatString", "prefix": "%btp.cf.pm.group.prefix%" }
        ]
      },
      { "sourcePath": "$.displayName", "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['externalName']" },
      { "sourcePath": "$.members", "targetPath": "$.members", "preserveArrayWithSingleElement": true, "optional": true },
      { "condition": "'%ips.application.id%' !== 'null'", "constant": "%ips.application.id%", "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['applicationId']" },
      { "constant": "authorization", "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['type']" },
      { "constant": "userOnlyMembership", "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['supportedOperations']" }
    ]
  }
}
"""#
}
