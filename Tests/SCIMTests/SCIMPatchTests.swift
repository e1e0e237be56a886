import JSON
import Testing
@testable import SCIM

func patched(_ operations: String, _ resource: JSONValue = bjensen, type: SCIMResourceType = userType) throws -> JSONValue {
    let body = try JSONValue(parsing: #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": \#(operations)}"#)
    return try SCIMPatch(json: body).apply(to: resource, resourceType: type)
}

func patchError(_ operations: String, _ resource: JSONValue = bjensen, type: SCIMResourceType = userType) -> SCIMError? {
    do {
        _ = try patched(operations, resource, type: type)
        return nil
    } catch let error as SCIMError {
        return error
    } catch {
        return nil
    }
}

let team: JSONValue = ["schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g1", "displayName": "Team",
                       "members": [["value": "u1", "type": "User"], ["value": "u2", "type": "User"]]]

@Suite("SCIM PATCH")
struct SCIMPatchTests {
    @Test func addAppendsToMultiValuedWithoutDuplicates() throws {
        let r = try patched(#"[{"op": "add", "path": "members", "value": [{"value": "u2", "type": "User"}, {"value": "u3"}]}]"#, team, type: groupType)
        #expect(r["members"] == [["value": "u1", "type": "User"], ["value": "u2", "type": "User"], ["value": "u3"]])
    }

    @Test func addWithoutPathMergesAttributesAndExtensions() throws {
        let r = try patched(#"[{"op": "Add", "value": {"nickName": "Babs", "emails": [{"value": "b@x.org", "type": "other"}], "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Tours"}}}]"#)
        #expect(r["nickName"] == "Babs")
        #expect(r["emails"]?.arrayValue?.count == 3)
        #expect(r["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]?["department"] == "Tours")
        #expect(r["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]?["employeeNumber"] == "701984")
    }

    @Test func extensionObjectsMayEchoTheirSchemas() throws {
        let ext = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        let r = try patched(#"[{"op": "add", "path": "\#(ext)", "value": {"schemas": ["\#(ext)"], "costCenter": "4130"}}]"#)
        #expect(r[ext]?["costCenter"] == "4130")
        #expect(r[ext]?["schemas"] == nil)
        #expect(throws: SCIMError.self) { try patched(#"[{"op": "add", "path": "schemas", "value": ["urn:x"]}]"#) }
    }

    @Test func addToAComplexAttributeMerges() throws {
        let r = try patched(#"[{"op": "add", "path": "name", "value": {"middleName": "Jane"}}]"#)
        #expect(r["name"] == ["familyName": "Jensen", "givenName": "Barbara", "middleName": "Jane"])
    }

    @Test func replaceSimpleSubAndFilteredTargets() throws {
        let r = try patched(#"""
        [{"op": "replace", "path": "displayName", "value": "B. Jensen"},
         {"op": "replace", "path": "name.givenName", "value": "Barb"},
         {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "barbara@example.com"},
         {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "value": "9"}]
        """#)
        #expect(r["displayName"] == "B. Jensen")
        #expect(r["name"]?["givenName"] == "Barb")
        #expect(r["emails"]?[0]?["value"] == "barbara@example.com")
        #expect(r["emails"]?[1]?["value"] == "babs@jensen.org")
        #expect(r["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]?["employeeNumber"] == "9")
    }

    @Test func replaceOnAMissingAttributeAdds() throws {
        let r = try patched(#"[{"op": "replace", "path": "nickName", "value": "B"}, {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:sap:2.0:User:mailVerified", "value": true}]"#)
        #expect(r["nickName"] == "B")
        #expect(r["urn:ietf:params:scim:schemas:extension:sap:2.0:User"] == ["mailVerified": true])
        #expect(r["schemas"]?.arrayValue?.contains("urn:ietf:params:scim:schemas:extension:sap:2.0:User") == true)
    }

    @Test func replaceWithoutPath() throws {
        let r = try patched(#"[{"op": "replace", "value": {"active": false, "emails": [{"value": "only@x.org"}]}}]"#)
        #expect(r["active"] == false)
        #expect(r["emails"] == [["value": "only@x.org"]])
    }

    @Test func removeByFilterAndByValue() throws {
        let byFilter = try patched(#"[{"op": "remove", "path": "members[value eq \"u1\"]"}]"#, team, type: groupType)
        #expect(byFilter["members"] == [["value": "u2", "type": "User"]])
        let byValue = try patched(#"[{"op": "remove", "path": "members", "value": [{"value": "u2"}]}]"#, team, type: groupType)
        #expect(byValue["members"] == [["value": "u1", "type": "User"]])
        let all = try patched(#"[{"op": "remove", "path": "members"}]"#, team, type: groupType)
        #expect(all["members"] == nil)
        let last = try patched(#"[{"op": "remove", "path": "members[value eq \"u1\"]"}, {"op": "remove", "path": "members[value eq \"u2\"]"}]"#, team, type: groupType)
        #expect(last["members"] == nil)  // no values left: the attribute is unassigned
        let unmatched = try patched(#"[{"op": "remove", "path": "members[value eq \"nobody\"]"}]"#, team, type: groupType)
        #expect(unmatched == team)
        let sub = try patched(#"[{"op": "remove", "path": "emails[type eq \"work\"].primary"}, {"op": "remove", "path": "name.givenName"}]"#)
        #expect(sub["emails"]?[0] == ["value": "bjensen@example.com", "type": "work"])
        #expect(sub["name"] == ["familyName": "Jensen"])
    }

    @Test(arguments: [
        (#"[{"op": "remove"}]"#, 400, SCIMError.ScimType.noTarget),
        (#"[{"op": "replace", "path": "emails[type eq \"fax\"].value", "value": "x"}]"#, 400, .noTarget),
        (#"[{"op": "add", "path": "emails[type eq \"fax\"].value", "value": "x"}]"#, 400, .noTarget),
        (#"[{"op": "replace", "path": "id", "value": "x"}]"#, 400, .mutability),
        (#"[{"op": "add", "path": "groups", "value": [{"value": "g"}]}]"#, 400, .mutability),
        (#"[{"op": "replace", "path": "meta.version", "value": "x"}]"#, 400, .mutability),
        (#"[{"op": "remove", "path": "userName"}]"#, 400, .mutability),
        (#"[{"op": "replace", "path": "emails[type eq", "value": "x"}]"#, 400, .invalidPath),
        (#"[{"op": "replace", "path": "a..b", "value": "x"}]"#, 400, .invalidPath),
        (#"[{"op": "replace", "path": "emails.value", "value": "x"}]"#, 400, .invalidPath),
        (#"[{"op": "replace", "path": "displayName[value eq \"x\"]", "value": "x"}]"#, 400, .invalidPath),
        (#"[{"op": "replace", "path": "active", "value": "yes"}]"#, 400, .invalidValue),
        (#"[{"op": "add", "path": "emails", "value": ["not an object"]}]"#, 400, .invalidValue),
        (#"[{"op": "add", "path": "nickName"}]"#, 400, .invalidValue),
        (#"[{"op": "copy", "path": "nickName", "value": "x"}]"#, 400, .invalidSyntax),
        (#"[]"#, 400, .invalidSyntax),
    ])
    func errors(_ operations: String, _ status: Int, _ type: SCIMError.ScimType) {
        let error = patchError(operations)
        #expect(error?.status == status, "\(operations)")
        #expect(error?.scimType == type, "\(operations): \(String(describing: error))")
    }

    @Test func patchIsAtomic() throws {
        // The second operation fails, so the first must not show.
        let error = patchError(#"[{"op": "replace", "path": "displayName", "value": "changed"}, {"op": "replace", "path": "id", "value": "x"}]"#)
        #expect(error?.scimType == .mutability)
        // (apply returns a new value; the stored resource is untouched by construction)
    }

    @Test func requiresThePatchOpSchema() {
        #expect(throws: SCIMError.self) { try SCIMPatch(json: ["Operations": [["op": "add", "path": "x", "value": 1]]]) }
        #expect(throws: SCIMError.self) { try SCIMPatch(json: "nope") }
    }
}

@Suite("SCIM lists and projections")
struct SCIMListTests {
    let users: [JSONValue] = (1...7).map { i in
        ["id": .string("u\(i)"), "userName": .string(["delta", "Alpha", "charlie", "bravo", "echo", "golf", "foxtrot"][i - 1]),
         "name": ["givenName": .string("G\(i)"), "familyName": .string("F\(i)")], "schemas": [.string(SCIMSchemas.userURN)]]
    }

    @Test func queryParameters() throws {
        let q = try SCIMListQuery(query: ["filter": #"userName sw "a""#, "startIndex": "0", "count": "-4", "sortBy": "userName", "sortOrder": "Descending", "attributes": "userName, name.givenName"])
        #expect(q.startIndex == 1)
        #expect(q.count == 0)
        #expect(q.sortDescending)
        #expect(q.attributes == ["userName", "name.givenName"])
        #expect(throws: SCIMError.self) { try SCIMListQuery(query: ["count": "ten"]) }
        #expect(throws: SCIMError.self) { try SCIMListQuery(query: ["sortOrder": "up"]) }
        #expect((try? SCIMListQuery(query: ["filter": "bad"])) == nil)
    }

    @Test func pagesAndSorts() throws {
        var q = try SCIMListQuery(query: ["sortBy": "userName", "startIndex": "2", "count": "3"])
        var (page, total) = SCIMPaging.page(users, query: q, defaultCount: 100, maxCount: 100, resourceType: userType)
        #expect(total == 7)
        #expect(page.map { $0["userName"]!.stringValue! } == ["bravo", "charlie", "delta"])  // case-insensitive order
        q.sortDescending = true
        (page, _) = SCIMPaging.page(users, query: q, defaultCount: 100, maxCount: 100, resourceType: userType)
        #expect(page.map { $0["userName"]!.stringValue! } == ["foxtrot", "echo", "delta"])
        q = try SCIMListQuery(query: ["startIndex": "7"])
        (page, _) = SCIMPaging.page(users, query: q, defaultCount: 100, maxCount: 100, resourceType: userType)
        #expect(page.count == 1)
        q = try SCIMListQuery(query: ["startIndex": "9"])
        (page, total) = SCIMPaging.page(users, query: q, defaultCount: 100, maxCount: 100, resourceType: userType)
        #expect(page.isEmpty && total == 7)
        (page, _) = SCIMPaging.page(users, query: SCIMListQuery(), defaultCount: 100, maxCount: 5, resourceType: userType)
        #expect(page.count == 5)  // capped at the server's maximum
    }

    @Test func listResponseShape() {
        let body = SCIMPaging.listResponse([["id": "a"]], totalResults: 7, startIndex: 3)
        #expect(body.serialized() == #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":7,"itemsPerPage":1,"startIndex":3,"Resources":[{"id":"a"}]}"#)
    }

    @Test func projections() {
        let only = SCIMProjection(attributes: ["userName", "name.familyName", "emails.value", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"], excludedAttributes: [], resourceType: userType).apply(to: bjensen)
        #expect(only.objectValue?.keys == ["schemas", "id", "userName", "name", "emails", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"])
        #expect(only["name"] == ["familyName": "Jensen"])
        #expect(only["emails"] == [["value": "bjensen@example.com"], ["value": "babs@jensen.org"]])
        #expect(only["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] == ["employeeNumber": "701984"])
        let without = SCIMProjection(attributes: [], excludedAttributes: ["emails", "name.givenName", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "id"], resourceType: userType).apply(to: bjensen)
        #expect(without["emails"] == nil)
        #expect(without["name"] == ["familyName": "Jensen"])
        #expect(without["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] == nil)
        #expect(without["id"] != nil)  // returned: always
        let unqualified = SCIMProjection(attributes: ["employeeNumber"], excludedAttributes: [], resourceType: userType).apply(to: bjensen)
        #expect(unqualified["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] == ["employeeNumber": "701984"])
    }

    @Test func errorBodies() {
        let error = SCIMError.badRequest(.invalidFilter, "bad")
        #expect(error.json.serialized() == #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"scimType":"invalidFilter","detail":"bad","status":"400"}"#)
        #expect(SCIMError.notFound("x").json["scimType"] == nil)
    }

    @Test func discoveryDocuments() {
        let config = SCIMServiceProviderConfig(maxResults: 100, authenticationSchemes: [SCIMServiceProviderConfig.oauthBearer]).json(location: "http://h/ServiceProviderConfig")
        #expect(config["patch"]?["supported"] == true)
        #expect(config["bulk"]?["supported"] == false)
        #expect(config["filter"]?["maxResults"] == 100)
        #expect(config["authenticationSchemes"]?[0]?["type"] == "oauthbearertoken")
        let type = userType.json(location: "http://h/ResourceTypes/User")
        #expect(type["schemaExtensions"]?[0]?["schema"] == "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
        let schema = SCIMSchemas.user.json(location: "http://h/Schemas/x")
        #expect(schema["attributes"]?[0]?["name"] == "userName")
        #expect(schema["attributes"]?[0]?["uniqueness"] == "server")
    }
}
