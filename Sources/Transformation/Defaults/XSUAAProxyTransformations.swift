/// Default proxy transformations of "SAP BTP XS Advanced UAA (Cloud Foundry)".
///
/// Printed in the SAP documentation as the system's default, kept here verbatim (comments and all)
/// so that what provsim checks is exactly what IPS ships.
enum XSUAAProxyTransformations {
    static let read = #"""
{
   "user": {
      "mappings": [
         {
            "sourcePath": "$.id",
            "targetPath": "$.id",
            "targetVariable": "entityIdSourceSystem"
         },
         {
            "sourceVariable": "entityBaseLocation",
            "targetPath": "$.meta.location",
            "targetVariable": "entityLocationSourceSystem",
            "functions": [
               {
                  "type": "concatString",
                  "suffix": "${entityIdSourceSystem}"
               }
            ]
         },
         {
            "sourcePath": "$.userName",
            "targetPath": "$.userName",
            "correlationAttribute": true
         },
         {
            "sourcePath": "$.name",
            "targetPath": "$.name",
            "optional": true
         },
         {
            "sourcePath": "$.emails",
            "targetPath": "$.emails",
            "preserveArrayWithSingleElement": true
         },
         {
            "sourcePath": "$.emails[?(@.primary== true)].value",
            "correlationAttribute": true
         },
         {
            "sourcePath": "$.groups",
            "targetPath": "$.groups",
            "preserveArrayWithSingleElement": true,
            "optional": true
         },
         {
            "sourcePath": "$.phoneNumbers",
            "targetPath": "$.phoneNumbers",
            "preserveArrayWithSingleElement": true,
            "optional": true
         },
         {
            "sourcePath": "$.active",
            "targetPath": "$.active",
            "optional": true
         },
         {
            "sourcePath": "$.meta",
            "targetPath": "$.meta",
            "optional": true
         },
         {
            "sourcePath": "$.externalId",
            "targetPath": "$.externalId",
            "optional": true
         },
         {
            "sourcePath": "$.origin",
            "targetPath": "$.origin",
            "optional": true
         },
         {
            "sourcePath": "$.zoneId",
            "targetPath": "$.zoneId",
            "optional": true
         },
         {
            "sourcePath": "$.verified",
            "targetPath": "$.verified",
            "optional": true
         },
         {
            "constant": "urn:ietf:params:scim:schemas:core:2.0:User",
            "targetPath": "$.schemas[0]"
         }
      ],
      "scimEntityEndpoint": "Users"
   },
   "group": {
      "mappings": [
         {
            "sourcePath": "$.id",
            "targetPath": "$.id",
            "targetVariable": "entityIdSourceSystem"
         },
         {
            "sourceVariable": "entityBaseLocation",
            "targetPath": "$.meta.location",
            "targetVariable": "entityLocationSourceSystem",
            "functions": [
               {
                  "function": "concatString",
                  "suffix": "${entityIdSourceSystem}"
               }
            ]
         },
         {
            "sourcePath": "$.displayName",
            "targetPath": "$.displayName"
         },
         {
            "sourcePath": "$.description",
            "targetPath": "$.description",
            "optional": true
         },
         {
            "sourcePath": "$.members",
            "targetPath": "$.members",
            "preserveArrayWithSingleElement": true,
            "optional": true
         },
         {
            "sourcePath": "$.zoneId",
            "targetPath": "$.zoneId"
         },
         {
            "sourcePath": "$.meta",
            "targetPath": "$.meta",
            "optional": true
         },
         {
            "constant": "urn:ietf:params:scim:schemas:core:2.0:Group",
            "targetPath": "$.schemas[0]"
         },
         {
            "constant": "authorization",
            "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['type']"
         },
         {
            "sourcePath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['supportedOperations']",
            "optional": true,
            "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['supportedOperations']"
         }
      ],
      "scimEntityEndpoint": "Groups"
   }
}
"""#

    static let write = #"""
{
  "user": {
    "mappings": [
      {
        "constant": "xsuaa-dummy-value",
        "targetPath": "$.id",
        "scope": "createEntity"
      },
      {
        "sourceVariable": "entityIdTargetSystem",
        "targetPath": "$.id"
      },
      {
        "sourcePath": "$.userName",
        "targetPath": "$.userName"
      },
      {
        "sourcePath": "$.name",
        "targetPath": "$.name",
        "optional": true
      },
      {
        "sourcePath": "$.emails",
        "targetPath": "$.emails",
        "preserveArrayWithSingleElement": true
      },
      {
        "condition": "$.emails[?(@.primary == true)].value == []",
        "targetPath": "$.emails[0].primary",
        "constant": true
      },
      {
        "sourcePath": "$.phoneNumbers",
        "preserveArrayWithSingleElement": true,
        "targetPath": "$.phoneNumbers",
        "optional": true
      },
      {
        "sourcePath": "$.externalId",
        "targetPath": "$.externalId",
        "optional": true
      },
      {
        "sourcePath": "$.active",
        "targetPath": "$.active",
        "optional": true
      },
      {
        "sourcePath": "$.verified",
        "targetPath": "$.verified",
        "optional": true
      },
      {
        "constant": "%xsuaa.origin%",
        "targetPath": "$.origin"
      },
      {
        "constant": "urn:scim:schemas:core:1.0",
        "targetPath": "$.schemas[0]"
      }
    ],
    "scimEntityEndpoint": "Users"
  },
  "group": {
    "mappings": [
      {
        "sourceVariable": "entityIdTargetSystem",
        "targetPath": "$.id"
      },
      {
        "sourcePath": "$.displayName",
        "targetPath": "$.displayName"
      },
      {
        "sourcePath": "$.description",
        "targetPath": "$.description",
        "optional": true
      },
      {
        "constant": "urn:scim:schemas:core:1.0",
        "targetPath": "$.schemas[0]"
      },
      {
        "sourcePath": "$.members",
        "targetPath": "$.members",
        "preserveArrayWithSingleElement": true,
        "optional": true
      },
      {
        "constant": "USER",
        "preserveArrayWithSingleElement": true,
        "targetPath": "$.members[*].type",
        "optional": true
      },
      {
        "sourcePath": "$.Operations",
        "targetPath": "$.Operations",
        "preserveArrayWithSingleElement": true,
        "scope": "patchEntity"
      },
      {
        "sourcePath": "$.schemas",
        "targetPath": "$.schemas",
        "preserveArrayWithSingleElement": true,
        "scope": "patchEntity"
      }
    ],
    "scimEntityEndpoint": "Groups"
  }
}
"""#
}
