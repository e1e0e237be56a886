import Testing
@testable import Engine

/// Two origins of one source user must not both claim one target user.
@Suite("Shared target entities")
struct SharedTargetTests {
    @Test func aLaterOriginThatMatchedTheSameUserFails() {
        let results = TargetRun.refusingSharedTargets([.updated(id: "A", existedBefore: true), .updated(id: "A", existedBefore: true), .created(id: "B"), .updated(id: "B", existedBefore: false)])
        let failed = results.compactMap { result -> String? in
            if case .failed(let f, _) = result { return f.message }
            return nil
        }
        #expect(failed.count == 2)
        #expect(failed.allSatisfy { $0.contains("xsuaa.user.unique.attribute=userName,origin") })
        if case .updated(let id, _) = results[0] { #expect(id == "A") } else { Issue.record("the first keeps its update") }
    }
}
