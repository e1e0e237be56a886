import JSON
import SCIM
import Synchronization
import Testing
import TestSupport
import Transformation
@testable import Proxy

/// A back-end in memory: users in order, `attr eq "value"` filters on top-level attributes
/// (joined by `and`; `gt` matches everything), writes, and a record of what it was asked.
final class MemoryBackend: ProxyBackend {
    struct State {
        var users: [JSONValue]
        var filters: [String?] = []
        var writes: [String] = []
        var nextId = 100
    }

    let reportsTotals: Bool
    /// Whether PATCH answers with the entity (XSUAA: only with xsuaa.patch.response.with.resource).
    let patchAnswersWithEntity: Bool
    private let state: Mutex<State>

    init(_ users: [JSONValue], reportsTotals: Bool = true, patchAnswersWithEntity: Bool = false) {
        self.reportsTotals = reportsTotals
        self.patchAnswersWithEntity = patchAnswersWithEntity
        state = Mutex(State(users: users))
    }

    var users: [JSONValue] { state.withLock { $0.users } }
    var filters: [String?] { state.withLock { $0.filters } }
    /// `POST`, `PUT id-1 {body}` …: what reached the back-end.
    var writes: [String] { state.withLock { $0.writes } }

    func page(_ type: EntityType, startIndex: Int, count: Int, filter: String?) async throws(SCIMError) -> BackendPage {
        var matching = state.withLock { s in
            s.filters.append(filter)
            return s.users
        }
        for clause in (filter ?? "").components(separatedBy: " and ") where !clause.isEmpty {
            let parts = clause.split(separator: " ", maxSplits: 2).map(String.init)
            guard parts.count == 3, ["eq", "gt"].contains(parts[1]) else { throw .badRequest(.invalidFilter, "memory backend: \(clause)") }
            guard parts[1] == "eq" else { continue }  // every user is newer than any delta watermark
            guard let value = try? JSONParser.parse(parts[2]) else { throw .badRequest(.invalidFilter, "memory backend: not a JSON value: \(parts[2])") }
            matching = matching.filter { $0[parts[0]] == value }
        }
        let slice = Array(matching.dropFirst(startIndex - 1).prefix(count))
        return BackendPage(resources: slice, totalResults: reportsTotals ? matching.count : nil)
    }

    func entity(_ type: EntityType, id: String) async throws(SCIMError) -> JSONValue {
        guard let user = users.first(where: { $0["id"]?.stringValue == id }) else { throw .notFound("User \(id) not found") }
        return user
    }

    func create(_ type: EntityType, _ body: JSONValue) async throws(SCIMError) -> JSONValue {
        try state.withLock { (s) throws(SCIMError) -> JSONValue in
            if s.users.contains(where: { $0["userName"] == body["userName"] }) { throw .conflict("userName \(body["userName"]?.stringValue ?? "") exists") }
            var user = body
            user["id"] = .string("id-\(s.nextId)")
            s.nextId += 1
            s.users.append(user)
            s.writes.append("POST \(body.serialized())")
            return user
        }
    }

    func replace(_ type: EntityType, id: String, _ body: JSONValue) async throws(SCIMError) -> JSONValue {
        try state.withLock { (s) throws(SCIMError) -> JSONValue in
            guard let index = s.users.firstIndex(where: { $0["id"]?.stringValue == id }) else { throw .notFound("User \(id) not found") }
            var user = body
            user["id"] = .string(id)
            s.users[index] = user
            s.writes.append("PUT \(id) \(body.serialized())")
            return user
        }
    }

    func patch(_ type: EntityType, id: String, _ body: JSONValue) async throws(SCIMError) -> JSONValue? {
        try state.withLock { (s) throws(SCIMError) -> JSONValue? in
            guard let index = s.users.firstIndex(where: { $0["id"]?.stringValue == id }) else { throw .notFound("User \(id) not found") }
            s.writes.append("PATCH \(id) \(body.serialized())")
            // Enough PATCH for the tests: replace operations on top-level attributes.
            for operation in body["Operations"]?.arrayValue ?? [] {
                if let path = operation["path"]?.stringValue, let value = operation["value"] { s.users[index][path] = value }
            }
            return patchAnswersWithEntity ? s.users[index] : nil
        }
    }

    func delete(_ type: EntityType, id: String) async throws(SCIMError) {
        try state.withLock { (s) throws(SCIMError) in
            guard let index = s.users.firstIndex(where: { $0["id"]?.stringValue == id }) else { throw .notFound("User \(id) not found") }
            s.users.remove(at: index)
            s.writes.append("DELETE \(id)")
        }
    }
}

@Suite("Proxy reads")
struct ProxyReaderTests {
    static func user(_ n: Int, active: Bool = true, userName: String? = nil, origin: String = "sap.custom") -> JSONValue {
        fixtureJSON(#"{"id": "id-\#(n)", "userName": "\#(userName ?? "u\(n)")", "origin": "\#(origin)", "active": \#(active), "emails": [{"value": "u\#(n)@x.com", "primary": true}]}"#)
    }

    /// The users' read side with a condition: only active users are exposed.
    static let activeOnly = #"""
    {"user": {"condition": "$.active == true", "mappings": [
      {"sourcePath": "$.id", "targetPath": "$.id", "targetVariable": "entityIdSourceSystem"},
      {"sourceVariable": "entityBaseLocation", "targetPath": "$.meta.location", "functions": [{"type": "concatString", "suffix": "${entityIdSourceSystem}"}]},
      {"sourcePath": "$.userName", "targetPath": "$.userName"},
      {"sourcePath": "$.emails", "targetPath": "$.emails", "preserveArrayWithSingleElement": true},
      {"constant": "urn:ietf:params:scim:schemas:core:2.0:User", "targetPath": "$.schemas[0]"}
    ]}}
    """#

    static let base = "https://tenant.example/ipsproxy/service/api/v1/scim/1b2c3d"

    func reader(_ backend: MemoryBackend, transformation: Transformation? = nil, strategy: TotalResultsStrategy = .calculated,
                systemFilter: String? = nil) throws -> ProxyReader {
        ProxyReader(backend: backend, transformation: try transformation ?? Transformation(text: Self.activeOnly), baseLocation: Self.base,
                    systemFilters: systemFilter.map { [.user: $0] } ?? [:], strategy: strategy)
    }

    @Test func aPageCarriesLocationsAndTheBackendsPageSize() async throws {
        let backend = MemoryBackend((1...5).map { Self.user($0) })
        let page = try await reader(backend).list(.user, .init(startIndex: 1, count: 2))
        #expect(page["itemsPerPage"] == 2 && page["startIndex"] == 1)
        // A condition applies, so the total is estimated: startIndex + count.
        #expect(page["totalResults"] == 3)
        #expect(page["Resources"]?[0]?["meta"]?["location"] == .string(Self.base + "/Users/id-1"))
        #expect(page["Resources"]?.arrayValue?.map { $0["userName"]?.stringValue } == ["u1", "u2"])
    }

    @Test func conditionsFilterAfterTheBackendPageSoPagesMayBeEmpty() async throws {
        let backend = MemoryBackend([Self.user(1), Self.user(2, active: false), Self.user(3, active: false), Self.user(4, active: false), Self.user(5)])
        let reader = try reader(backend)
        var startIndex = 1
        var seen: [String] = []
        var pages: [(items: Int, resources: Int, total: Int)] = []
        // The documented client loop: advance by itemsPerPage, stop past totalResults.
        while true {
            let page = try await reader.list(.user, .init(startIndex: startIndex, count: 2))
            let items = page["itemsPerPage"]!.intValue!, total = page["totalResults"]!.intValue!
            let resources = page["Resources"]!.arrayValue!
            pages.append((items, resources.count, total))
            seen += resources.compactMap { $0["userName"]?.stringValue }
            guard items > 0 else { break }
            startIndex += items
            if startIndex > total { break }
        }
        #expect(seen == ["u1", "u5"])
        #expect(pages.map(\.items) == [2, 2, 1, 0])
        #expect(pages.map(\.resources) == [1, 0, 1, 0])
        #expect(pages.map(\.total) == [3, 5, 7, 5])
    }

    @Test func providedStrategyReportsTheBackendTotal() async throws {
        let backend = MemoryBackend([Self.user(1), Self.user(2, active: false), Self.user(3)])
        let page = try await reader(backend, strategy: .provided).list(.user, .init(startIndex: 1, count: 2))
        #expect(page["totalResults"] == 3 && page["Resources"]?.arrayValue?.count == 1)
    }

    @Test func aSingleEntityFilterIsTranslatedCombinedAndAnsweredAsAList() async throws {
        let backend = MemoryBackend([Self.user(1), Self.user(2)])
        let page = try await reader(backend, systemFilter: #"origin eq "sap.custom""#).list(.user, .init(filter: #"userName eq "u2""#))
        #expect(backend.filters == [#"origin eq "sap.custom" and userName eq "u2""#])
        #expect(page["totalResults"] == 1 && page["Resources"]?[0]?["id"] == "id-2")
        let none = try await reader(backend).list(.user, .init(filter: #"userName eq "nobody""#))
        #expect(none["totalResults"] == 0 && none["Resources"] == .array([]))
    }

    @Test func moreThanOneMatchIsTooMany() async throws {
        let backend = MemoryBackend([Self.user(1, userName: "same", origin: "idp1"), Self.user(2, userName: "same", origin: "idp2")])
        let unfiltered = try reader(backend)
        do throws(SCIMError) {
            _ = try await unfiltered.list(.user, .init(filter: #"userName eq "same""#))
            Issue.record("two matches must fail")
        } catch {
            #expect(error.status == 400 && error.scimType == .tooMany)
            #expect(error.json["scimType"] == "tooMany")
        }
        // With the system's origin filter only one remains.
        let one = try await reader(backend, systemFilter: #"origin eq "idp2""#).list(.user, .init(filter: #"userName eq "same""#))
        #expect(one["Resources"]?[0]?["id"] == "id-2")
    }

    @Test func aDeltaFilterPagesLikeAFullRead() async throws {
        let backend = MemoryBackend([Self.user(1)])
        _ = try await reader(backend).list(.user, .init(filter: #"meta.lastModified gt "2024-01-01T00:00:00Z""#))
        #expect(backend.filters == [#"meta.lastModified gt "2024-01-01T00:00:00Z""#])
    }

    @Test func singleEntitiesGoThroughTheReadTransformation() async throws {
        let backend = MemoryBackend([Self.user(1), Self.user(2, active: false)])
        let reader = try reader(backend)
        let one = try await reader.entity(.user, id: "id-1", attributes: "userName")
        #expect(one.objectValue?.keys.sorted() == ["id", "schemas", "userName"])
        for id in ["id-2", "id-9"] {
            await #expect(throws: SCIMError.notFound(id == "id-2" ? "User id-2 not found" : "User id-9 not found")) {
                _ = try await reader.entity(.user, id: id)
            }
        }
    }

    @Test func theDefaultXSUAAProxyReadTransformationExposesUAAUsers() async throws {
        let xsuaa = try Transformation(text: BuiltinTransformations.text(named: "xsuaa-proxy-read")!)
        let backend = MemoryBackend([Self.user(1)])
        let page = try await reader(backend, transformation: xsuaa).list(.user, .init(count: 10))
        let resource = try #require(page["Resources"]?[0])
        #expect(resource["meta"]?["location"] == .string(Self.base + "/Users/id-1"))
        #expect(resource["userName"] == "u1")
        // No condition: the back-end's total.
        #expect(page["totalResults"] == 1)
    }

    @Test(arguments: [
        (["count": "x"], "count must be an integer, not 'x'"),
        (["startIndex": "1.5"], "startIndex must be an integer, not '1.5'"),
    ])
    func badPagingParametersAreInvalidValues(_ parameters: [String: String], _ message: String) {
        #expect(throws: SCIMError.badRequest(.invalidValue, message)) { try ProxyReader.Query(parameters: parameters) }
    }

    @Test func pagingParametersAreClamped() throws {
        let query = try ProxyReader.Query(parameters: ["startIndex": "0", "count": "1000"])
        #expect(query.startIndex == 1 && query.count == 100)
        #expect(try ProxyReader.Query(parameters: [:]).count == 25)
    }
}
