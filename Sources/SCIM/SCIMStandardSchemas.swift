/// The schemas the fakes serve: RFC 7643's User, EnterpriseUser and Group, and SAP's extensions
/// that IPS transformations address (`…:sap:2.0:User`, `…:sap:2.0:Group`, the custom `…:2.0:Group`).
public enum SCIMSchemas {
    public static let userURN = "urn:ietf:params:scim:schemas:core:2.0:User"
    public static let groupURN = "urn:ietf:params:scim:schemas:core:2.0:Group"
    public static let enterpriseUserURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    public static let sapUserURN = "urn:ietf:params:scim:schemas:extension:sap:2.0:User"
    public static let sapGroupURN = "urn:ietf:params:scim:schemas:extension:sap:2.0:Group"
    public static let customUserURN = "urn:sap:cloud:scim:schemas:extension:custom:2.0:User"
    public static let customGroupURN = "urn:sap:cloud:scim:schemas:extension:custom:2.0:Group"
    public static let listResponseURN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
    public static let patchOpURN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    public static let errorURN = "urn:ietf:params:scim:api:messages:2.0:Error"

    private static func multiValuedComplex(_ name: String, types: [String] = [], extra: [SCIMAttribute] = [], valueType: SCIMAttribute.DataType = .string, mutability: SCIMAttribute.Mutability = .readWrite, description: String) -> SCIMAttribute {
        SCIMAttribute(name, .complex, multiValued: true, mutability: mutability, subAttributes: [
            SCIMAttribute("value", valueType, mutability: mutability),
            SCIMAttribute("display", mutability: mutability),
            SCIMAttribute("type", mutability: mutability, canonicalValues: types),
            SCIMAttribute("primary", .boolean, mutability: mutability),
        ] + extra, description: description)
    }

    public static let user = SCIMSchema(id: userURN, name: "User", description: "User Account", attributes: [
        SCIMAttribute("userName", required: true, uniqueness: .server, description: "Unique identifier for the User, used to authenticate."),
        SCIMAttribute("name", .complex, subAttributes: [
            SCIMAttribute("formatted"), SCIMAttribute("familyName"), SCIMAttribute("givenName"),
            SCIMAttribute("middleName"), SCIMAttribute("honorificPrefix"), SCIMAttribute("honorificSuffix"),
        ], description: "The components of the user's real name."),
        SCIMAttribute("displayName"),
        SCIMAttribute("nickName"),
        SCIMAttribute("profileUrl", .reference, referenceTypes: ["external"]),
        SCIMAttribute("title"),
        SCIMAttribute("userType"),
        SCIMAttribute("preferredLanguage"),
        SCIMAttribute("locale"),
        SCIMAttribute("timezone"),
        SCIMAttribute("active", .boolean),
        SCIMAttribute("password", mutability: .writeOnly, returned: .never),
        multiValuedComplex("emails", types: ["work", "home", "other"], description: "Email addresses for the user."),
        multiValuedComplex("phoneNumbers", types: ["work", "home", "mobile", "fax", "pager", "other"], description: "Phone numbers for the User."),
        multiValuedComplex("ims", types: ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"], description: "Instant messaging addresses."),
        multiValuedComplex("photos", types: ["photo", "thumbnail"], valueType: .reference, description: "URLs of images of the user."),
        SCIMAttribute("addresses", .complex, multiValued: true, subAttributes: [
            SCIMAttribute("formatted"), SCIMAttribute("streetAddress"), SCIMAttribute("locality"), SCIMAttribute("region"),
            SCIMAttribute("postalCode"), SCIMAttribute("country"),
            SCIMAttribute("type", canonicalValues: ["work", "home", "other"]), SCIMAttribute("primary", .boolean),
        ], description: "A physical mailing address for this User."),
        SCIMAttribute("groups", .complex, multiValued: true, mutability: .readOnly, subAttributes: [
            SCIMAttribute("value", mutability: .readOnly),
            SCIMAttribute("$ref", .reference, mutability: .readOnly, referenceTypes: ["User", "Group"]),
            SCIMAttribute("display", mutability: .readOnly),
            SCIMAttribute("type", mutability: .readOnly, canonicalValues: ["direct", "indirect"]),
        ], description: "A list of groups to which the user belongs."),
        multiValuedComplex("entitlements", description: "A list of entitlements for the User."),
        multiValuedComplex("roles", description: "A list of roles for the User."),
        multiValuedComplex("x509Certificates", valueType: .binary, description: "A list of certificates issued to the User."),
    ])

    public static let enterpriseUser = SCIMSchema(id: enterpriseUserURN, name: "EnterpriseUser", description: "Enterprise User", attributes: [
        SCIMAttribute("employeeNumber"),
        SCIMAttribute("costCenter"),
        SCIMAttribute("organization"),
        SCIMAttribute("division"),
        SCIMAttribute("department"),
        SCIMAttribute("manager", .complex, subAttributes: [
            SCIMAttribute("value"),
            SCIMAttribute("$ref", .reference, referenceTypes: ["User"]),
            SCIMAttribute("displayName", mutability: .readOnly),
        ]),
    ])

    public static let sapUser = SCIMSchema(id: sapUserURN, name: "SAPUser", description: "SAP user extension", attributes: [
        SCIMAttribute("userUuid", caseExact: true, uniqueness: .server),
        SCIMAttribute("mailVerified", .boolean),
        SCIMAttribute("status", canonicalValues: ["active", "inactive", "new"]),
        SCIMAttribute("validFrom", .dateTime),
        SCIMAttribute("validTo", .dateTime),
        SCIMAttribute("sourceSystemId", caseExact: true),
    ])

    public static let customUser = SCIMSchema(id: customUserURN, name: "CustomUser", description: "Custom attributes", attributes: [
        SCIMAttribute("attributes", .complex, multiValued: true, subAttributes: [SCIMAttribute("name", caseExact: true), SCIMAttribute("value")]),
    ])

    public static let group = SCIMSchema(id: groupURN, name: "Group", description: "Group", attributes: [
        SCIMAttribute("displayName", required: true, uniqueness: .server),
        SCIMAttribute("members", .complex, multiValued: true, subAttributes: [
            SCIMAttribute("value", caseExact: true, mutability: .immutable),
            SCIMAttribute("$ref", .reference, mutability: .immutable, referenceTypes: ["User", "Group"]),
            SCIMAttribute("display", mutability: .readOnly),
            SCIMAttribute("type", mutability: .immutable, canonicalValues: ["User", "Group"]),
        ], description: "A list of members of the Group."),
    ])

    public static let sapGroup = SCIMSchema(id: sapGroupURN, name: "SAPGroup", description: "SAP group extension", attributes: [
        SCIMAttribute("applicationId", caseExact: true),
        SCIMAttribute("type", canonicalValues: ["userGroup", "authorization", "deepLinkActivationPermission"]),
        SCIMAttribute("supportedOperations", canonicalValues: ["readWrite", "readOnly", "userOnlyMembership", "membership"]),
        SCIMAttribute("externalName"),
        SCIMAttribute("externalLocation"),
    ])

    public static let customGroup = SCIMSchema(id: customGroupURN, name: "CustomGroup", description: "Custom group extension", attributes: [
        SCIMAttribute("name", caseExact: true, uniqueness: .server, description: "The group's technical name"),
    ])
}
