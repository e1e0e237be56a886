import JSON
import Testing
import Transformation
@testable import Engine

/// `resolveEntityIds` looks IDs up in the operational store: this job's pair by default,
/// another source or target when `sourceSystemName`/`targetSystemName` say so (docs/fidelity.md, “Transformation language”).
@Suite("resolveEntityIds in the store")
struct StoreResolverTests {
    @Test func theNamedSourceAndTargetArePairedWithTheDefaults() throws {
        let store = try OperationalStore(json: try JSONParser.parse(#"""
        {"version": 1, "sources": {}, "pairs": [
          {"source": "dir", "target": "afc", "user": {"a": {"targetIds": ["afc-a"], "existedBefore": false, "hash": "1"}}},
          {"source": "dir", "target": "btp", "user": {"a": {"targetIds": ["btp-a1", "btp-a2"], "existedBefore": false, "hash": "1"}}},
          {"source": "hr", "target": "afc", "user": {"a": {"targetIds": ["afc-hr-a"], "existedBefore": false, "hash": "1"}}}]}
        """#))
        let resolver = store.resolver(target: "afc", defaultSource: "dir")
        #expect(resolver.targetIds(forSourceId: "a", entityType: .user, sourceSystem: nil, targetSystem: nil) == ["afc-a"])
        #expect(resolver.targetIds(forSourceId: "a", entityType: .user, sourceSystem: nil, targetSystem: "btp") == ["btp-a1", "btp-a2"])
        #expect(resolver.targetIds(forSourceId: "a", entityType: .user, sourceSystem: "hr", targetSystem: nil) == ["afc-hr-a"])
        #expect(resolver.targetIds(forSourceId: "a", entityType: .user, sourceSystem: "hr", targetSystem: "btp") == [])
        #expect(resolver.targetIds(forSourceId: "a", entityType: .group, sourceSystem: nil, targetSystem: nil) == [])
    }
}
