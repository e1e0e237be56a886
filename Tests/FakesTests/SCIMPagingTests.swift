import Chrono
import JSON
import SCIM
import Testing
@testable import Fakes

/// Pages are read by position in the creation order (O(N) to page through N resources); they
/// must list exactly what the whole listing lists, however resources were removed, re-created or hidden.
@Suite("SCIM paging by position")
struct SCIMPagingTests {
    /// Deletes hide users whose name ends in an odd digit instead of removing them.
    struct HideOdd: SCIMDirectoryRules {
        func delete(_ record: inout SCIMRecord, type: SCIMResourceType, state: SCIMDirectoryState) throws(SCIMError) -> Bool {
            guard let last = record.resource["userName"]?.stringValue?.last, let digit = last.wholeNumberValue, digit % 2 == 1 else { return false }
            record.hidden = true
            return true
        }
    }

    private func check(_ directory: SCIMDirectory, _ type: SCIMResourceType, sourceLocation: SourceLocation = #_sourceLocation) {
        let all = directory.renderedAll(type, baseURL: "http://x")
        for (start, count) in [(1, 1000), (1, 7), (8, 7), (50, 100), (all.count, 5), (all.count + 1, 5), (3, 0)] {
            let (page, total) = directory.renderedPage(type, startIndex: start, count: count, baseURL: "http://x")
            #expect(total == all.count, sourceLocation: sourceLocation)
            let expected = start - 1 < all.count && count > 0 ? Array(all[(start - 1)..<min(all.count, start - 1 + count)]) : []
            #expect(page == expected, "start \(start) count \(count)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [false, true])
    func pagesMatchTheWholeListing(hiding: Bool) throws {
        let service = IdentityDirectory(clock: SimulatedClock(), seed: 5)
        let directory = hiding ? SCIMDirectory(types: service.directory.types, basePath: "/scim", clock: SimulatedClock(), seed: 5, rules: HideOdd())
                               : service.directory
        let type = try #require(directory.type(named: "User"))
        var ids: [String] = []
        for i in 0..<120 {
            let user: JSONValue = .object(JSONObject([("schemas", .array([.string(type.schema.id)])), ("userName", .string("user\(i)"))]))
            ids.append(try directory.create(type, user).id)
        }
        check(directory, type)
        for (n, id) in ids.enumerated() where n % 7 == 3 { try directory.delete(type, id: id, ifMatch: nil) }
        check(directory, type)
        // Created again after the removals: last in the order, listed once.
        for i in [10, 24] {
            let user: JSONValue = .object(JSONObject([("schemas", .array([.string(type.schema.id)])), ("userName", .string("again\(i)"))]))
            _ = try directory.create(type, user, id: ids[i])
        }
        check(directory, type)
        for text in [#"userName sw "user1""#, #"userName eq "user22""#, #"meta.lastModified gt "2000-01-01T00:00:00Z""#, #"userName sw "none""#] {
            let filter = try SCIMFilter(parsing: text)
            let all = directory.renderedMatching(type, filter: filter, baseURL: "http://x")
            for (start, count) in [(1, 1000), (1, 3), (4, 3), (max(all.count, 1), 2), (all.count + 1, 2), (2, 0)] {
                let (page, total) = directory.renderedMatchingPage(type, filter: filter, startIndex: start, count: count, baseURL: "http://x")
                let expected = start - 1 < all.count && count > 0 ? Array(all[(start - 1)..<min(all.count, start - 1 + count)]) : []
                #expect(total == all.count && page == expected, "\(text) start \(start) count \(count)")
            }
        }
        let listed = directory.renderedAll(type, baseURL: "http://x").compactMap { $0["id"]?.stringValue }
        #expect(Set(listed).count == listed.count)
        #expect(listed.suffix(2) == [ids[10], ids[24]])
    }

    @Test func creationOrderSqueezesItsHoles() {
        var order = CreationOrder()
        for id in ["a", "b", "c", "d"] { order.append(id) }
        order.remove("b")
        order.remove("zz")
        #expect(order.count == 3 && order.all == ["a", "c", "d"])
        #expect(Array(order.slice(1..<3)) == ["c", "d"])
        order.append("a")
        #expect(order.all == ["c", "d", "a"] && order.count == 3)
        #expect(Array(order.slice(0..<10)) == ["c", "d", "a"])
        order.remove("d")
        #expect(Array(order.slice(1..<2)) == ["a"])
    }
}
