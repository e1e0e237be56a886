/// Default transformations of SCIM 2.0 systems: "Local Identity Directory" and the generic
/// "SCIM System". Both pass SCIM 2.0 through, since the intermediate model is SCIM 2.0.
///
/// Reads drop what the source owns (`id`, `meta`); writes drop what a SCIM server computes
/// (`groups` of a user is read-only per RFC 7643) and translate member IDs. Writes set the core
/// schema (not printed by SAP; INFERRED, as Identity Authentication's default does): sources such
/// as XSUAA read no `schemas`, and a SCIM 2.0 server refuses a resource without its core schema.
enum SCIMSystemTransformations {
    static let read = #"""
{
  "user": {
    "mappings": [
      { "sourcePath": "$", "targetPath": "$" },
      { "sourcePath": "$.id", "targetVariable": "entityIdSourceSystem" },
      { "sourcePath": "$.userName", "correlationAttribute": true },
      { "type": "remove", "targetPath": "$.id" },
      { "type": "remove", "targetPath": "$.meta" }
    ]
  },
  "group": {
    "mappings": [
      { "sourcePath": "$", "targetPath": "$" },
      { "sourcePath": "$.id", "targetVariable": "entityIdSourceSystem" },
      { "type": "remove", "targetPath": "$.id" },
      { "type": "remove", "targetPath": "$.meta" }
    ]
  }
}
"""#

    static let write = #"""
{
  "user": {
    "mappings": [
      { "sourcePath": "$", "targetPath": "$" },
      { "sourceVariable": "entityIdTargetSystem", "targetPath": "$.id", "optional": true },
      { "constant": "urn:ietf:params:scim:schemas:core:2.0:User", "targetPath": "$.schemas[0]" },
      { "type": "remove", "targetPath": "$.groups" },
      { "type": "remove", "targetPath": "$.meta" }
    ]
  },
  "group": {
    "mappings": [
      { "sourcePath": "$", "targetPath": "$" },
      { "sourceVariable": "entityIdTargetSystem", "targetPath": "$.id", "optional": true },
      { "constant": "urn:ietf:params:scim:schemas:core:2.0:Group", "targetPath": "$.schemas[0]" },
      { "type": "remove", "targetPath": "$.meta" },
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
}
