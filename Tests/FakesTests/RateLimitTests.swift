import Chrono
import Fakes
import Foundation
import Hosting
import JSON
import Testing

@Suite("Rate limiting")
struct RateLimitTests {
    @Test("AFC: a burst of 8 concurrent requests gets 3 through and 5 answered 429 with Retry-After")
    func concurrentBurst() async throws {
        try await RunningFake.afc().use { fake in
            let token = try await fake.token()
            // Slow requests down so the burst overlaps; latency holds the concurrency slot. Five
            // seconds: eight concurrent requests arrive within that even on a saturated machine.
            _ = try await fake.control(.POST, "faults", ["method": "GET", "path": "/scim2/Users", "latencyMs": 5000])
            let responses = try await withThrowingTaskGroup(of: HTTP.Response.self) { group in
                for _ in 0..<8 { group.addTask { try await HTTP.json(.GET, fake.scim + "/Users", token: token) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let limited = responses.filter { $0.status == 429 }
            let succeeded = responses.filter { $0.status == 200 }
            #expect(succeeded.count == 3)
            #expect(responses.filter { $0.status == 200 }.count == 3)
            #expect(limited.count == 5)
            for r in limited {
                #expect(r.header("retry-after") == "1")
                #expect(r.json["status"] == "429")
                #expect(r.json["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"])
            }
            let journal = try await fake.control(.GET, "journal").json.arrayValue ?? []
            let refusals = journal.filter { $0["fault"] == "rate-limit" }
            #expect(refusals.count == 5)
        }
    }

    @Test("AFC: the 10,001st request within an hour is refused until the window moves on")
    func hourlyBudget() {
        let clock = SimulatedClock(scale: 0.000_001)  // time stands still unless advanced
        let limiter = RateLimiter(limits: AdvancedFinancialClosing.documentedLimits, clock: clock)
        #expect(AdvancedFinancialClosing.documentedLimits.windowRequests == 10_000)
        #expect(AdvancedFinancialClosing.documentedLimits.windowSeconds == 3600)
        #expect(AdvancedFinancialClosing.documentedLimits.maxConcurrent == 3)
        for _ in 0..<10_000 {
            guard case .admitted = limiter.admit() else {
                Issue.record("refused within the budget")
                return
            }
            limiter.release()
        }
        guard case .rejected(let retryAfter, let reason) = limiter.admit() else {
            Issue.record("request 10,001 was admitted")
            return
        }
        #expect((3599...3600).contains(retryAfter))
        #expect(reason.contains("10000 requests in 3600 s"))
        clock.advance(seconds: 1800)
        #expect(limiter.admit() != .admitted(waitSeconds: 0), "half an hour later the budget is still spent")
        clock.advance(seconds: 1801)
        #expect(limiter.admit() == .admitted(waitSeconds: 0))
    }

    @Test("time scaling: Retry-After is in real seconds; the budget returns when the simulated hour has passed")
    func timeScaledWindow() async throws {
        // A hundred real seconds per simulated hour: even a saturated machine sends six requests
        // in one window, and the hour's 3,600 s become at most 100 s of Retry-After.
        let clock = SimulatedClock(scale: 36)
        let limits = RateLimits(windowRequests: 5, windowSeconds: 3600)
        try await RunningFake.afc(clock: clock, limits: limits).use { fake in
            let token = try await fake.token()
            for _ in 0..<5 { #expect(try await HTTP.json(.GET, fake.scim + "/Users", token: token).status == 200) }
            let limited = try await HTTP.json(.GET, fake.scim + "/Users", token: token)
            #expect(limited.status == 429)
            #expect((1...100).contains(Int(limited.header("retry-after") ?? "") ?? 0), "Retry-After: \(limited.header("retry-after") ?? "none")")
            // The token endpoint is exempt: a client can always renew its token.
            _ = try await fake.token()
            clock.advance(seconds: 3600)
            #expect(try await HTTP.json(.GET, fake.scim + "/Users", token: token).status == 200)
        }
    }

    @Test("per-second limit: requests queue up to the queue depth, then 429")
    func perSecondQueue() {
        let clock = SimulatedClock(scale: 0.000_001)
        let limiter = RateLimiter(limits: RateLimits(perSecond: 3, queueDepth: 2), clock: clock)
        var decisions: [RateLimiter.Decision] = []
        for _ in 0..<6 { decisions.append(limiter.admit()) }
        let waits = decisions.prefix(5).map { decision -> Double in
            if case .admitted(let wait) = decision { return wait }
            return -1
        }
        // A burst of three starts at once, two wait a second, the sixth is refused.
        #expect(waits.map { ($0 * 1000).rounded() / 1000 } == [0, 0, 0, 1, 1])
        guard case .rejected(let retryAfter, _) = decisions[5] else {
            Issue.record("the sixth should be refused: \(decisions[5])")
            return
        }
        #expect(retryAfter == 1)
    }

    @Test("soft limit: beyond slowAfter requests in the window each is slowed, beyond windowRequests refused")
    func slowedThenRefused() {
        let clock = SimulatedClock(scale: 0.000_001)
        let limiter = RateLimiter(limits: RateLimits(windowRequests: 5, windowSeconds: 60, slowAfter: 3, slowDelaySeconds: 0.4), clock: clock)
        var waits: [Double] = []
        for _ in 0..<5 {
            guard case .admitted(let wait) = limiter.admit() else { Issue.record("refused too early"); return }
            waits.append(wait)
            limiter.release()
        }
        #expect(waits == [0, 0, 0, 0.4, 0.4])
        guard case .rejected(_, let reason) = limiter.admit() else { Issue.record("the sixth should be refused"); return }
        #expect(reason == "more than 5 requests in 60 s")
        #expect(RateLimits(windowRequests: 5, windowSeconds: 60, slowAfter: 3, slowDelaySeconds: 0.4).json["slowAfter"] == 3)
    }

    @Test("limits are read and replaced through the control API; bad limits are refused")
    func limitsControl() async throws {
        try await RunningFake.afc().use { fake in
            let current = try await fake.control(.GET, "limits").json
            #expect(current["windowRequests"] == 10_000)
            #expect(current["maxConcurrent"] == 3)
            let replaced = try await fake.control(.PUT, "limits", ["windowRequests": 1, "windowSeconds": 60])
            #expect(replaced.status == 200)
            let token = try await fake.token()
            #expect(try await HTTP.json(.GET, fake.scim + "/Users", token: token).status == 200)
            let refused = try await HTTP.json(.GET, fake.scim + "/Users", token: token)
            #expect(refused.status == 429)
            #expect(refused.json["detail"]?.stringValue?.contains("more than 1 requests in 60 s") == true)
            // The control API itself is never limited.
            #expect(try await fake.control(.GET, "state").status == 200)
            #expect(try await fake.control(.PUT, "limits", [:]).status == 200)
            #expect(try await HTTP.json(.GET, fake.scim + "/Users", token: token).status == 200)
            let bad = try await fake.control(.PUT, "limits", ["requestsPerHour": 5])
            #expect(bad.status == 400)
            #expect(bad.json["error"]?.stringValue?.contains("requestsPerHour") == true)
        }
    }
}
