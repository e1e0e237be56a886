/// Default source and target transformations of "SAP Advanced Financial Closing".
///
/// Not printed in the seeds: written from the summaries in the behaviour reference (section 8.1).
enum AFCTransformations {
    static let write = #"""
{
  "user": {
    "condition": "('%s4hana.afc.group.prefix%' === 'null') || ($.groups[?(@.display =~ /%s4hana.afc.group.prefix%.+/)] empty false)",
    "mappings": [
      { "constant": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "urn:ietf:params:scim:schemas:extension:sap:2.0:User"], "targetPath": "$.schemas", "preserveArrayWithSingleElement": true },
      { "sourcePath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['userUuid']", "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['userUuid']", "optional": true },
      { "sourceVariable": "entityIdTargetSystem", "targetPath": "$.id" },
      { "sourcePath": "$.userName", "targetPath": "$.userName" },
      { "sourcePath": "$.name.formatted", "targetPath": "$.name.formatted", "optional": true },
      { "sourcePath": "$.name.familyName", "targetPath": "$.name.familyName", "optional": true },
      { "sourcePath": "$.name.givenName", "targetPath": "$.name.givenName", "optional": true },
      { "sourcePath": "$.displayName", "targetPath": "$.displayName", "optional": true },
      { "sourcePath": "$.locale", "targetPath": "$.locale", "optional": true },
      { "sourcePath": "$.active", "targetPath": "$.active", "optional": true },
      {
        "sourcePath": "$.emails",
        "targetPath": "$.emails",
        "preserveArrayWithSingleElement": true,
        "optional": true,
        "functions": [ { "function": "putIfAbsent", "key": "type", "defaultValue": "work" } ]
      },
      { "condition": "$.emails[0].length() > 0", "constant": true, "targetPath": "$.emails[0].primary" },
      { "sourcePath": "$.phoneNumbers", "targetPath": "$.phoneNumbers", "preserveArrayWithSingleElement": true, "optional": true },
      { "sourcePath": "$.groups", "targetPath": "$.groups", "preserveArrayWithSingleElement": true, "optional": true }
    ]
  },
  "group": {
    "condition": "isAttributeWithOptionalPrefix($.displayName, s4hana.afc.group.prefix) && isAttributeWithOptionalPrefix($['urn:sap:cloud:scim:schemas:extension:custom:2.0:Group']['name'], s4hana.afc.group.prefix) && (isRegularGroup() || isApplicationSpecificGroup())",
    "mappings": [
      { "sourceVariable": "entityIdTargetSystem", "targetPath": "$.id" },
      { "constant": ["urn:ietf:params:scim:schemas:core:2.0:Group", "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group"], "targetPath": "$.schemas", "preserveArrayWithSingleElement": true },
      {
        "sourcePath": "$.displayName",
        "targetPath": "$.displayName",
        "functions": [
          { "condition": "isAttributeWithMandatoryPrefix(@, s4hana.afc.group.prefix)", "function": "replaceFirstString", "regex": "%s4hana.afc.group.prefix%", "replacement": "" }
        ]
      },
      {
        "sourcePath": "$.displayName",
        "targetPath": "$['urn:sap:cloud:scim:schemas:extension:custom:2.0:Group']['name']",
        "functions": [
          { "condition": "isAttributeWithMandatoryPrefix(@, s4hana.afc.group.prefix)", "function": "replaceFirstString", "regex": "%s4hana.afc.group.prefix%", "replacement": "" }
        ]
      },
      {
        "sourcePath": "$['urn:sap:cloud:scim:schemas:extension:custom:2.0:Group']['name']",
        "targetPath": "$['urn:sap:cloud:scim:schemas:extension:custom:2.0:Group']['name']",
        "optional": true,
        "functions": [
          { "condition": "isAttributeWithMandatoryPrefix(@, s4hana.afc.group.prefix)", "function": "replaceFirstString", "regex": "%s4hana.afc.group.prefix%", "replacement": "" }
        ]
      },
      {
        "sourcePath": "$.members[*].value",
        "targetPath": "$.members[?(@.value)]",
        "preserveArrayWithSingleElement": true,
        "optional": true,
        "functions": [ { "function": "resolveEntityIds" } ]
      },
      { "sourcePath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['type']", "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['type']", "optional": true },
      { "sourcePath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['supportedOperations']", "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['supportedOperations']", "optional": true }
    ]
  }
}
"""#

    static let read = #"""
{
  "user": {
    "mappings": [
      { "sourcePath": "$.schemas", "targetPath": "$.schemas", "preserveArrayWithSingleElement": true, "optional": true },
      { "sourcePath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['userUuid']", "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['userUuid']", "optional": true },
      { "sourcePath": "$.id", "targetVariable": "entityIdSourceSystem" },
      { "sourcePath": "$.userName", "targetPath": "$.userName", "correlationAttribute": true },
      { "sourcePath": "$.name", "targetPath": "$.name", "optional": true },
      { "sourcePath": "$.displayName", "targetPath": "$.displayName", "optional": true },
      { "sourcePath": "$.externalId", "targetPath": "$.externalId", "optional": true },
      { "sourcePath": "$.locale", "targetPath": "$.locale", "optional": true },
      { "sourcePath": "$.active", "targetPath": "$.active", "optional": true },
      { "sourcePath": "$.emails", "targetPath": "$.emails", "preserveArrayWithSingleElement": true, "optional": true },
      {
        "sourcePath": "$.groups",
        "targetPath": "$.groups",
        "preserveArrayWithSingleElement": true,
        "optional": true,
        "functions": [
          { "condition": "'%s4hana.afc.group.prefix%' !== 'null'", "function": "concatString", "applyOnElements": true, "applyOnAttribute": "display", "prefix": "%s4hana.afc.group.prefix%" }
        ]
      },
      { "sourcePath": "$.roles", "targetPath": "$.roles", "preserveArrayWithSingleElement": true, "optional": true },
      { "sourcePath": "$.phoneNumbers", "targetPath": "$.phoneNumbers", "preserveArrayWithSingleElement": true, "optional": true }
    ]
  },
  "group": {
    "mappings": [
      { "sourcePath": "$.id", "targetVariable": "entityIdSourceSystem" },
      {
        "sourcePath": "$.displayName",
        "targetPath": "$.displayName",
        "functions": [
          { "condition": "'%s4hana.afc.group.prefix%' !== 'null'", "function": "concatString", "prefix": "%s4hana.afc.group.prefix%" }
        ]
      },
      {
        "sourcePath": "$['urn:sap:cloud:scim:schemas:extension:custom:2.0:Group']['name']",
        "targetPath": "$['urn:sap:cloud:scim:schemas:extension:custom:2.0:Group']['name']",
        "optional": true,
        "functions": [
          { "condition": "'%s4hana.afc.group.prefix%' !== 'null'", "function": "concatString", "prefix": "%s4hana.afc.group.prefix%" }
        ]
      },
      { "sourcePath": "$.displayName", "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['externalName']" },
      { "sourcePath": "$.members", "targetPath": "$.members", "preserveArrayWithSingleElement": true, "optional": true },
      { "condition": "'%ips.application.id%' !== 'null'", "constant": "%ips.application.id%", "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['applicationId']" },
      { "sourcePath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['type']", "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['type']", "optional": true },
      { "sourcePath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['supportedOperations']", "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['supportedOperations']", "optional": true }
    ]
  }
}
"""#
}
