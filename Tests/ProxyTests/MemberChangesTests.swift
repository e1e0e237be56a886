import JSON
import SCIM
import Testing
@testable import Proxy

/// A group PATCH as member changes: operations net out in their order.
@Suite("Member changes of a group PATCH")
struct MemberChangesTests {
    func changes(_ operations: String) throws -> MemberChanges {
        try MemberChanges(patch: try JSONParser.parse(#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": \#(operations)}"#))
    }

    @Test func laterOperationsUndoEarlierOnes() throws {
        let addThenRemove = try changes(#"[{"op": "add", "path": "members", "value": [{"value": "x"}]}, {"op": "remove", "path": "members[value eq \"x\"]"}]"#)
        #expect(addThenRemove.additions.isEmpty && addThenRemove.removals == ["x"])
        #expect(addThenRemove.memberIds(after: ["a", "x"]) == ["a"])
        let removeThenAdd = try changes(#"[{"op": "remove", "path": "members[value eq \"x\"]"}, {"op": "add", "path": "members", "value": [{"value": "x"}]}]"#)
        #expect(removeThenAdd.removals.isEmpty && removeThenAdd.memberIds(after: ["x"]) == ["x"])
    }

    @Test func replacingOrRemovingAllStartsOver() throws {
        let removeAll = try changes(#"[{"op": "add", "path": "members", "value": [{"value": "y"}]}, {"op": "remove", "path": "members"}, {"op": "add", "path": "members", "value": [{"value": "z"}]}]"#)
        #expect(removeAll.memberIds(after: ["a"]) == ["z"])
        let replace = try changes(#"[{"op": "replace", "path": "members", "value": [{"value": "a"}, {"value": "b"}]}, {"op": "remove", "path": "members[value eq \"a\"]"}]"#)
        #expect(replace.memberIds(after: ["c"]) == ["b"])
    }

    @Test func otherAttributesAreRefused() throws {
        let error = #expect(throws: SCIMError.self) { try changes(#"[{"op": "replace", "path": "displayName", "value": "x"}]"#) }
        #expect(error?.scimType == .invalidValue && error?.detail.contains("operation 1 changes 'displayName'") == true)
    }
}
