/// Default source and target transformations of "SAP BTP XS Advanced UAA (Cloud Foundry)".
///
/// Not printed in the seeds: written from the summaries in the behaviour reference (sections 5.4
/// and 5.5), keeping SAP's mapping order, conditions and scopes.
enum XSUAATransformations {
    static let write = #"""
{
  "user": {
    "condition": "isValidEmail($.emails[0].value) && (('%xsuaa.group.prefix%' === 'null') || ($.groups[?(@.display =~ /%xsuaa.group.prefix%.*/)] empty false))",
    "mappings": [
      { "constant": "xsuaa-dummy-value", "targetPath": "$.id", "scope": "createEntity" },
      { "sourceVariable": "entityIdTargetSystem", "targetPath": "$.id" },
      { "sourcePath": "$.userName", "targetPath": "$.userName" },
      { "sourcePath": "$.name.givenName", "targetPath": "$.name.givenName", "optional": true },
      { "sourcePath": "$.name.familyName", "targetPath": "$.name.familyName", "optional": true },
      { "sourcePath": "$.active", "targetPath": "$.active", "optional": true, "defaultValue": true },
      { "constant": true, "targetPath": "$.active", "scope": "createEntity" },
      { "sourcePath": "$.verified", "targetPath": "$.verified", "optional": true },
      { "sourcePath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['mailVerified']", "targetPath": "$.verified", "optional": true },
      { "constant": true, "targetPath": "$.verified", "scope": "createEntity" },
      { "constant": "%xsuaa.origin%", "targetPath": "$.origin" },
      { "sourcePath": "$.phoneNumbers", "targetPath": "$.phoneNumbers", "preserveArrayWithSingleElement": true, "optional": true },
      { "sourcePath": "$.emails", "targetPath": "$.emails", "preserveArrayWithSingleElement": true },
      { "condition": "$.emails[?(@.primary == true)].value == []", "constant": true, "targetPath": "$.emails[0].primary" },
      { "constant": "urn:scim:schemas:core:1.0", "targetPath": "$.schemas[0]" }
    ]
  },
  "group": {
    "condition": "isAttributeWithOptionalPrefix($.displayName, xsuaa.group.prefix) && isAttributeWithOptionalPrefix($['urn:sap:cloud:scim:schemas:extension:custom:2.0:Group']['name'], xsuaa.group.prefix) && (isRegularGroup() || isApplicationSpecificGroup())",
    "mappings": [
      {
        "sourcePath": "$.displayName",
        "targetPath": "$.displayName",
        "targetVariable": "entityIdTargetSystem",
        "functions": [
          { "condition": "isAttributeWithMandatoryPrefix(@, xsuaa.group.prefix)", "function": "replaceFirstString", "regex": "%xsuaa.group.prefix%", "replacement": "" }
        ]
      },
      { "sourceVariable": "entityIdTargetSystem", "targetPath": "$.id" },
      { "sourcePath": "$.description", "targetPath": "$.description", "optional": true },
      { "constant": "urn:scim:schemas:core:1.0", "targetPath": "$.schemas[0]" },
      {
        "sourcePath": "$.members",
        "targetPath": "$.members",
        "preserveArrayWithSingleElement": true,
        "optional": true,
        "functions": [ { "function": "resolveEntityIds" } ]
      },
      { "constant": "USER", "targetPath": "$.members[*].type", "preserveArrayWithSingleElement": true, "optional": true }
    ]
  }
}
"""#

    static let read = #"""
{
  "user": {
    "mappings": [
      { "sourcePath": "$.id", "targetVariable": "entityIdSourceSystem" },
      { "sourcePath": "$.userName", "targetPath": "$.userName", "correlationAttribute": true },
      { "sourcePath": "$.name.givenName", "targetPath": "$.name.givenName", "optional": true },
      { "sourcePath": "$.name.familyName", "targetPath": "$.name.familyName", "optional": true },
      { "sourcePath": "$.emails", "targetPath": "$.emails", "preserveArrayWithSingleElement": true, "optional": true },
      { "sourcePath": "$.emails[?(@.primary == true)].value", "correlationAttribute": true, "optional": true },
      {
        "sourcePath": "$.groups",
        "targetPath": "$.groups",
        "preserveArrayWithSingleElement": true,
        "optional": true,
        "functions": [
          { "condition": "'%xsuaa.group.prefix%' !== 'null'", "function": "concatString", "applyOnElements": true, "applyOnAttribute": "display", "prefix": "%xsuaa.group.prefix%" }
        ]
      },
      { "sourcePath": "$.phoneNumbers", "targetPath": "$.phoneNumbers", "preserveArrayWithSingleElement": true, "optional": true },
      { "sourcePath": "$.active", "targetPath": "$.active", "optional": true },
      { "sourcePath": "$.verified", "targetPath": "$.verified", "optional": true },
      { "sourcePath": "$.externalId", "targetPath": "$.externalId", "optional": true },
      { "sourcePath": "$.origin", "targetPath": "$.origin", "optional": true },
      { "sourcePath": "$.zoneId", "targetPath": "$.zoneId", "optional": true }
    ]
  },
  "group": {
    "mappings": [
      { "sourcePath": "$.id", "targetVariable": "entityIdSourceSystem" },
      {
        "sourcePath": "$.displayName",
        "targetPath": "$.displayName",
        "functions": [
          { "condition": "'%xsuaa.group.prefix%' !== 'null'", "function": "concatString", "prefix": "%xsuaa.group.prefix%" }
        ]
      },
      { "sourcePath": "$.displayName", "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['externalName']" },
      { "sourcePath": "$.description", "targetPath": "$.description", "optional": true },
      { "sourcePath": "$.zoneId", "targetPath": "$.zoneId", "optional": true },
      { "sourcePath": "$.members", "targetPath": "$.members", "preserveArrayWithSingleElement": true, "optional": true },
      { "condition": "'%ips.application.id%' !== 'null'", "constant": "%ips.application.id%", "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['applicationId']" },
      { "constant": "authorization", "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['type']" },
      { "sourcePath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['supportedOperations']", "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['supportedOperations']", "optional": true }
    ]
  }
}
"""#
}
