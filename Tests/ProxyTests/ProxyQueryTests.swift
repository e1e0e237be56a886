import Engine
import JSON
import SCIM
import Testing
import TestSupport
import Transformation
@testable import Proxy

/// The proxy's query semantics (docs/fidelity.md, “Proxy systems”): the two filters, their translation for the
/// back-end, first-level projections, and pages filtered by read-transformation conditions.
@Suite("Proxy filters, projections and pages")
struct ProxyQueryTests {
    static func readPlan() throws -> EntityPlan {
        let transformation = try Transformation(text: try #require(BuiltinTransformations.text(named: "xsuaa-proxy-read")), source: "xsuaa-proxy-read")
        return try #require(transformation.plan(for: .user))
    }

    static func renamingPlan() throws -> EntityPlan {
        let document = #"""
        {"user": {"mappings": [
          {"sourcePath": "$.id", "targetPath": "$.id"},
          {"sourcePath": "$.login", "targetPath": "$.userName"},
          {"sourcePath": "$.mail", "targetPath": "$.emails[0].value"},
          {"sourcePath": "$.name.last", "targetPath": "$.name.familyName"},
          {"constant": "x", "targetPath": "$.title"},
          {"sourcePath": "$.login", "targetPath": "$.nickName", "scope": "createEntity"}
        ]}}
        """#
        return try #require(try Transformation(text: document).plan(for: .user))
    }

    private func filterError(_ text: String) -> SCIMError? {
        do {
            _ = try ProxyFilter(parsing: text)
            return nil
        } catch {
            return error
        }
    }

    @Test func theTwoSupportedFilters() throws {
        #expect(try ProxyFilter(parsing: #"userName eq "jdoe""#) == .single(attribute: "userName", value: .string("jdoe")))
        #expect(try ProxyFilter(parsing: #"meta.lastModified gt "2024-02-14T04:42:34Z""#) == .delta(after: "2024-02-14T04:42:34Z"))
        #expect(try ProxyFilter(parsing: #"name.familyName eq "Doe""#) == .single(attribute: "name.familyName", value: .string("Doe")))
    }

    @Test(arguments: [
        #"userName sw "j""#, #"userName eq "a" and displayName eq "b""#, #"meta.lastModified ge "2024-01-01T00:00:00Z""#,
        #"meta.lastModified gt 5"#, #"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a""#, #"emails[type eq "work"]"#, "userName pr",
    ])
    func everythingElseIsAnInvalidFilter(_ text: String) {
        let error = filterError(text)
        #expect(error?.status == 400 && error?.scimType == .invalidFilter, "\(text): \(String(describing: error))")
    }

    @Test func aSyntaxErrorIsAnInvalidFilterToo() {
        #expect(filterError(#"userName eq "#)?.scimType == .invalidFilter)
    }

    @Test func theAttributeIsMappedBackAndCombinedWithTheSystemFilter() throws {
        let byLogin = try ProxyFilter(parsing: #"userName eq "jdoe""#)
        #expect(try byLogin.backendFilter(readPlan: try Self.renamingPlan(), systemFilter: nil) == #"login eq "jdoe""#)
        #expect(try byLogin.backendFilter(readPlan: try Self.renamingPlan(), systemFilter: #"timezone eq "US""#) == #"timezone eq "US" and login eq "jdoe""#)
        #expect(try byLogin.backendFilter(readPlan: try Self.renamingPlan(), systemFilter: #"a eq "1" or b eq "2""#) == #"(a eq "1" or b eq "2") and login eq "jdoe""#)
        #expect(try ProxyFilter(parsing: #"emails eq "j@x.com""#).backendFilter(readPlan: try Self.renamingPlan(), systemFilter: "  ") == #"mail eq "j@x.com""#)
        #expect(try ProxyFilter(parsing: #"name.familyName eq "Doe""#).backendFilter(readPlan: try Self.renamingPlan(), systemFilter: nil) == #"name.last eq "Doe""#)
        #expect(try ProxyFilter(parsing: #"meta.lastModified gt "2024-02-14T04:42:34Z""#).backendFilter(readPlan: try Self.renamingPlan(), systemFilter: #"origin eq "sap.custom""#)
            == #"origin eq "sap.custom" and meta.lastModified gt "2024-02-14T04:42:34Z""#)
    }

    @Test func attributesWithoutAPlainReadMappingCannotBeFiltered() throws {
        for text in [#"title eq "x""#, #"nickName eq "x""#, #"displayName eq "x""#] {
            #expect(throws: SCIMError.self) { try ProxyFilter(parsing: text).backendFilter(readPlan: try Self.renamingPlan(), systemFilter: nil) }
        }
    }

    @Test func theDefaultXSUAAProxyReadMapsUserNameAndEmails() throws {
        #expect(try ProxyFilter(parsing: #"userName eq "jdoe""#).backendFilter(readPlan: try Self.readPlan(), systemFilter: nil) == #"userName eq "jdoe""#)
        #expect(try ProxyFilter(parsing: #"emails.value eq "j@x.com""#).backendFilter(readPlan: try Self.readPlan(), systemFilter: nil).hasPrefix("emails"))
    }

    // MARK: Projection

    static let user: JSONValue = fixtureJSON(#"""
    {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:sap:2.0:User"],
     "id": "u1", "userName": "jdoe", "name": {"familyName": "Doe"}, "emails": [{"value": "j@x.com"}],
     "urn:ietf:params:scim:schemas:extension:sap:2.0:User": {"emails": [{"value": "sap@x.com"}], "userUuid": "u-u"},
     "meta": {"location": "https://proxy/Users/u1"}}
    """#)

    @Test func attributesKeepFirstLevelAttributesAndTheAlwaysReturnedOnes() {
        let projected = ProxyProjection(attributes: "userName, emails", excludedAttributes: nil).apply(Self.user)
        #expect(projected.objectValue?.keys.sorted() == ["emails", "id", "schemas", "userName"])
    }

    @Test func excludedAttributesDropFirstLevelAttributes() {
        let projected = ProxyProjection(attributes: nil, excludedAttributes: "name,meta").apply(Self.user)
        #expect(projected["name"] == nil && projected["meta"] == nil && projected["userName"] == "jdoe")
    }

    @Test func aQualifiedNameSelectsInsideItsSchema() {
        let sap = ProxyProjection(attributes: "urn:ietf:params:scim:schemas:extension:sap:2.0:User:emails", excludedAttributes: nil).apply(Self.user)
        #expect(sap["emails"] == nil)
        #expect(sap["urn:ietf:params:scim:schemas:extension:sap:2.0:User"]?.objectValue?.keys.sorted() == ["emails"])
        let core = ProxyProjection(attributes: "urn:ietf:params:scim:schemas:core:2.0:User:emails", excludedAttributes: nil).apply(Self.user)
        #expect(core["emails"] != nil && core["urn:ietf:params:scim:schemas:extension:sap:2.0:User"] == nil)
        let dropped = ProxyProjection(attributes: nil, excludedAttributes: "urn:ietf:params:scim:schemas:extension:sap:2.0:User:userUuid").apply(Self.user)
        #expect(dropped["urn:ietf:params:scim:schemas:extension:sap:2.0:User"]?.objectValue?.keys.sorted() == ["emails"])
    }

    @Test(arguments: [" ", ",", " , ", "name.familyName"])
    func namesThatSelectNothingReturnEverything(_ value: String) {
        let projection = ProxyProjection(attributes: value, excludedAttributes: nil)
        #expect(projection.isIdentity)
        #expect(projection.apply(Self.user) == Self.user)
    }

    // MARK: Pages

    @Test func withoutAConditionTheBackendsTotalIsReported() {
        let page = ProxyListPage(resources: [], startIndex: 1, count: 100, backendPageSize: 100, backendTotal: 150, conditionApplies: false, strategy: .calculated)
        #expect(page.totalResults == 150)
    }

    /// The reference's example: 150 users, count 100, a condition, strategy Calculated.
    @Test func calculatedTotalsFollowTheDocumentedExample() {
        func total(_ startIndex: Int, read: Int) -> Int {
            ProxyListPage(resources: [], startIndex: startIndex, count: 100, backendPageSize: read, backendTotal: 150, conditionApplies: true, strategy: .calculated).totalResults
        }
        #expect(total(1, read: 100) == 101)
        #expect(total(101, read: 50) == 201)
        #expect(total(201, read: 0) == 150)
    }

    @Test func providedTotalsAreTheBackendsEvenWithACondition() {
        let page = ProxyListPage(resources: [], startIndex: 101, count: 100, backendPageSize: 50, backendTotal: 150, conditionApplies: true, strategy: .provided)
        #expect(page.totalResults == 150)
    }

    @Test func aBackendWithoutTotalsIsEstimatedUntilItsEndShows() {
        func total(_ startIndex: Int, read: Int) -> Int {
            ProxyListPage(resources: [], startIndex: startIndex, count: 50, backendPageSize: read, backendTotal: nil, conditionApplies: false, strategy: .provided).totalResults
        }
        #expect(total(1, read: 50) == 51)
        #expect(total(51, read: 20) == 70)
        #expect(total(71, read: 0) == 70)
    }

    @Test func anEmptyPageStillCountsWhatWasRead() throws {
        let page = ProxyListPage(resources: [], startIndex: 1, count: 2, backendPageSize: 2, backendTotal: 5, conditionApplies: true, strategy: .calculated)
        #expect(page.json == (try JSONParser.parse(#"""
        {"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 3, "itemsPerPage": 2, "startIndex": 1, "Resources": []}
        """#)))
    }
}

@Suite("Proxy system filters")
struct ProxySystemFilterTests {
    @Test func scimNamesWorkAndTheSystemSpecificOneWins() throws {
        let document = try JSONParser.parse(#"""
        {"systems": {"p": {"type": "xsuaa", "role": "proxy", "properties": {"URL": "http://127.0.0.1:1",
          "scim.user.filter": "active eq true", "scim.group.filter": "displayName sw \"A\"", "xsuaa.group.filter": "displayName sw \"B\""}}}}
        """#)
        let systems = try SystemsConfiguration(json: document, loadFile: { (path) throws(SystemsError) -> String in
            throw SystemsError(field: "transformation", message: "cannot read \(path)")
        })
        let filters = try ProxySystem.systemFilters(try #require(systems["p"]))
        #expect(filters[.user] == "active eq true")
        #expect(filters[.group] == #"displayName sw "B""#)
    }
}

@Suite("Proxy endpoints")
struct ProxyEndpointTests {
    @Test func scimEntityEndpointBindsEachEntityType() throws {
        let custom = try Transformation(text: #"""
        {"user": {"scimEntityEndpoint": "Accounts", "mappings": [{"sourcePath": "$", "targetPath": "$"}]},
         "group": {"mappings": [{"sourcePath": "$", "targetPath": "$"}]}}
        """#)
        let endpoints = ProxyService.endpoints(of: custom)
        #expect(endpoints.map(\.endpoint) == ["Accounts", "Groups"])
        #expect(endpoints.map(\.type) == [.user, .group])
        #expect(ProxyService.endpoints(of: nil).map(\.endpoint) == ["Users", "Groups"])
    }
}
