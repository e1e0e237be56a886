/// Default proxy transformations of "SAP BTP Platform Members (Cloud Foundry)".
///
/// Printed in the SAP documentation as the system's default, kept here verbatim (comments and all)
/// so that what provsim checks is exactly what IPS ships.
enum PlatformMembersProxyTransformations {
    static let read = #"""
{
  "user": {
    "scimEntityEndpoint": "Users",
    "mappings": [
      {
        "sourcePath": "$.id",
        "targetPath": "$.id",
        "targetVariable": "entityIdSourceSystem"
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
        "optional": true,
        "correlationAttribute": true
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
        "sourcePath": "$.meta",
        "targetPath": "$.meta",
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
        "sourceVariable": "entityBaseLocation",
        "targetPath": "$.meta.location",
        "targetVariable": "entityLocationSourceSystem",
        "functions": [
          {
            "type": "concatString",
            "suffix": "${entityIdSourceSystem}"
          }
        ]
      }
    ]
  },
  "group": {
    "scimEntityEndpoint": "Groups",
    "mappings": [
      {
        "sourcePath": "$.id",
        "targetPath": "$.id",
        "targetVariable": "entityIdSourceSystem"
      },
      {
        "sourcePath": "$.id",
        "targetPath": "$['urn:sap:cloud:scim:schemas:extension:custom:2.0:Group']['name']"
	   //The attribute group extension name is used to map the read users and user assignments of a role 
	   //to the relevant Cloud Foundry organization or space.
	   //the organization group extension name follows the pattern: <org_ID> <org_role>
	   //the space group extension name follows the pattern: <org_ID> <space_ID> <space_role>
      },
      {
        "constant": [
          "urn:ietf:params:scim:schemas:core:2.0:Group"
        ],
        "targetPath": "$.schemas"
      },
      {
        "sourcePath": "$.displayName",
        "targetPath": "$.displayName",
	   //the organization group display name follows the pattern: <btp.cf.pm.group.prefix>_<btp.cf.pm.landscape>:<org_name>:<org_role>
	  //the space group display name follows the pattern: <btp.cf.pm.group.prefix>_<btp.cf.pm.landscape>:<org_name>:<space_name>:<space_role>
        "functions": [
          {
            "condition": "'%btp.cf.pm.group.prefix%' !== 'null'",
            "function": "concatString",
            "prefix": "%btp.cf.pm.group.prefix%"
          }
        ]
      },
      {
        "sourcePath": "$.members",
        "targetPath": "$.members",
        "preserveArrayWithSingleElement": true,
        "optional": true
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
        "constant": "authorization",
        "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['type']"
      },
      {
        "constant": "userOnlyMembership",
        "targetPath": "$['urn:ietf:params:scim:schemas:extension:sap:2.0:Group']['supportedOperations']"
      }
    ]
  }
}
"""#

    static let write = #"""
{
  "user": {
    "skipOperations": [
      "update"
    ],
    "mappings": [
      {
        "sourceVariable": "entityIdTargetSystem",
        "targetPath": "$.id"
      },
      {
        "sourcePath": "$.userName",
        "targetPath": "$.userName"
      },
      {
        "sourcePath": "$.name.givenName",
        "targetPath": "$.name.givenName",
        "optional": true
      },
      {
        "sourcePath": "$.name.familyName",
        "targetPath": "$.name.familyName",
        "optional": true
      },
      {
        "sourcePath": "$.name.formatted",
        "targetPath": "$.name.formatted",
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
        "constant": "urn:scim:schemas:core:1.0",
        "targetPath": "$.schemas[0]"
      }
    ],
    "scimEntityEndpoint": "Users"
  },
  "group": {
    "mappings": [
      {
        "sourcePath": "$['urn:sap:cloud:scim:schemas:extension:custom:2.0:Group']['name']",
	   //The attribute group extension name is used to map the users and user assignments of a role 
	   //to the relevant Cloud Foundry organization or space.
	   //the organization group extension name follows the pattern: <org_ID> <org_role>
	   //the space group extension name follows the pattern: <org_ID> <space_ID> <space_role>
        "targetVariable": "entityIdTargetSystem",
        "scope": "createEntity"
      },
      {
        "sourceVariable": "entityIdTargetSystem",
        "targetPath": "$.id"
      },
      {
        "sourcePath": "$.displayName",
        "targetPath": "$.displayName"
	   //the organization group display name follows the pattern: <btp.cf.pm.group.prefix>_<btp.cf.pm.landscape>:<org_name>:<org_role>
	  //the space group display name follows the pattern: <btp.cf.pm.group.prefix>_<btp.cf.pm.landscape>:<org_name>:<space_name>:<space_role>
      },
      {
        "sourcePath": "$.members",
        "targetPath": "$.members",
        "preserveArrayWithSingleElement": true,
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
