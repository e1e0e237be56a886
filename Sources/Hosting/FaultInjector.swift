import Determinism
import JSON
import Synchronization

/// One fault: which requests it hits and what happens to them.
///
/// JSON form (control API and scenarios):
/// `{"id": "f1", "method": "POST", "path": "/scim/Users*", "status": 503, "retryAfter": 2,
///   "every": 3, "times": 5}` or `{"latencyMs": 200, "jitterMs": 50}`, `{"reset": true}`,
/// `{"empty": true}`, `{"malformed": true}`, `{"hang": true}`, with `probability: 0.3` instead of
/// `every`.
public struct FaultRule: Sendable, Equatable {
    public enum Effect: Sendable, Equatable {
        case status(Int, retryAfter: Double?, body: JSONValue?)
        case latency(milliseconds: Int, jitter: Int)
        case reset
        case empty
        case malformed
        /// The service handles the request (its change takes place), but no answer is sent until
        /// the client gives up: a client timeout, however busy the machine is.
        case hang
    }

    public var id: String
    public var method: String?
    /// A path pattern; `*` matches any run of characters. `nil` matches every path.
    public var path: String?
    public var effect: Effect
    /// Hit every Nth matching request (1 = every one).
    public var every: Int?
    /// Hit each matching request with this probability (from the fake's seeded generator).
    public var probability: Double?
    /// Stop after this many hits.
    public var times: Int?
    /// Counters, reported by the control API.
    public var matched = 0
    public var fired = 0

    public init(id: String, method: String? = nil, path: String? = nil, effect: Effect, every: Int? = nil, probability: Double? = nil, times: Int? = nil) {
        self.id = id
        self.method = method?.uppercased()
        self.path = path
        self.effect = effect
        self.every = every
        self.probability = probability
        self.times = times
    }

    /// Reads the JSON form; problems name the field and what it accepts.
    public init(json: JSONValue, defaultID: String, context: String = "fault") throws(FakeRequestError) {
        let known: Set<String> = ["id", "method", "path", "status", "retryAfter", "body", "latencyMs", "jitterMs", "reset", "empty", "malformed", "hang", "every", "probability", "times"]
        let f = try ControlFields(json, context: context, known: known)
        let r = FaultRule.ranges
        id = try f.string("id", maxLength: 200) ?? defaultID
        method = try f.string("method", maxLength: 32)?.uppercased()
        path = try f.string("path")
        every = try f.int("every", in: r.every)
        probability = try f.double("probability", in: 0...1)
        times = try f.int("times", in: r.times)
        var effects: [Effect] = []
        if let code = try f.int("status", in: 100...599) {
            effects.append(.status(code, retryAfter: try f.double("retryAfter", in: r.retryAfter), body: f.object["body"]))
        } else if f.has("retryAfter") || f.has("body") {
            throw FakeRequestError("\(context): retryAfter and body go with status")
        }
        if f.has("latencyMs") || f.has("jitterMs") {
            effects.append(.latency(milliseconds: try f.int("latencyMs", in: r.milliseconds) ?? 0, jitter: try f.int("jitterMs", in: r.milliseconds) ?? 0))
        }
        if try f.bool("reset") == true { effects.append(.reset) }
        if try f.bool("empty") == true { effects.append(.empty) }
        if try f.bool("malformed") == true { effects.append(.malformed) }
        if try f.bool("hang") == true { effects.append(.hang) }
        guard effects.count == 1, let only = effects.first else {
            throw FakeRequestError("\(context): a fault needs exactly one effect: status, latencyMs/jitterMs, reset, empty, malformed or hang")
        }
        effect = only
        if every != nil && probability != nil { throw FakeRequestError("\(context): give every or probability, not both") }
    }

    /// What the control API accepts. Latencies stop at ten minutes (a request held longer is a
    /// hang, which `empty` or a client timeout expresses better), so sums of them cannot overflow.
    public static let ranges = (every: 1...1_000_000_000, times: 0...1_000_000_000, retryAfter: 0...86_400.0, milliseconds: 0...600_000)

    public var json: JSONValue {
        var m: [(String, JSONValue)] = [("id", .string(id))]
        if let method { m.append(("method", .string(method))) }
        if let path { m.append(("path", .string(path))) }
        switch effect {
        case .status(let code, let retryAfter, let body):
            m.append(("status", JSONValue(code)))
            if let retryAfter, let n = JSONNumber(retryAfter) { m.append(("retryAfter", .number(n))) }
            if let body { m.append(("body", body)) }
        case .latency(let ms, let jitter):
            m += [("latencyMs", JSONValue(ms)), ("jitterMs", JSONValue(jitter))]
        case .reset: m.append(("reset", true))
        case .empty: m.append(("empty", true))
        case .malformed: m.append(("malformed", true))
        case .hang: m.append(("hang", true))
        }
        if let every { m.append(("every", JSONValue(every))) }
        if let probability, let n = JSONNumber(probability) { m.append(("probability", .number(n))) }
        if let times { m.append(("times", JSONValue(times))) }
        m += [("matched", JSONValue(matched)), ("fired", JSONValue(fired))]
        return .object(JSONObject(m))
    }

    func matches(_ request: FakeRequest) -> Bool {
        if let method, method != request.method { return false }
        if let path, !FaultRule.glob(path, request.path) { return false }
        return true
    }

    /// `*` matches any run of characters; everything else literally.
    public static func glob(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern)
        let t = Array(text)
        var (pi, ti, star, mark) = (0, 0, -1, 0)
        while ti < t.count {
            if pi < p.count, p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}

/// The faults set on one fake, applied in the order they were added.
public final class FaultInjector: Sendable {
    private let state: Mutex<(rules: [FaultRule], random: SeededRandom, nextID: Int)>

    public init(seed: UInt64) {
        state = Mutex(([], SeededRandom(seed: seed ^ 0x6661_756C_7473), 1))
    }

    public var rules: [FaultRule] { state.withLock { $0.rules } }

    public func add(_ rule: FaultRule) {
        state.withLock { s in
            s.rules.removeAll { $0.id == rule.id }
            s.rules.append(rule)
        }
    }

    /// A fresh ID for a rule added without one.
    public func nextID() -> String {
        state.withLock { s in
            defer { s.nextID += 1 }
            return "fault-\(s.nextID)"
        }
    }

    @discardableResult
    public func remove(id: String) -> Bool {
        state.withLock { s in
            let before = s.rules.count
            s.rules.removeAll { $0.id == id }
            return s.rules.count != before
        }
    }

    public func clear() {
        state.withLock { $0.rules.removeAll() }
    }

    /// The effects that hit this request: any latency, and at most one terminating effect.
    public func effects(for request: FakeRequest) -> (latencyMilliseconds: Int, terminal: (id: String, effect: FaultRule.Effect)?) {
        state.withLock { s in
            var latency = 0
            var terminal: (String, FaultRule.Effect)?
            for i in s.rules.indices where s.rules[i].matches(request) {
                s.rules[i].matched += 1
                let rule = s.rules[i]
                if let times = rule.times, rule.fired >= times { continue }
                let hit: Bool
                if let every = rule.every {
                    hit = rule.matched % every == 0
                } else if let p = rule.probability {
                    hit = Double.random(in: 0..<1, using: &s.random) < p
                } else {
                    hit = true
                }
                guard hit else { continue }
                switch rule.effect {
                case .latency(let ms, let jitter):
                    // Each rule adds at most 20 minutes; the sum is capped at an hour.
                    latency = min(latency + ms + (jitter > 0 ? Int.random(in: 0...jitter, using: &s.random) : 0), 3_600_000)
                    s.rules[i].fired += 1
                default:
                    if terminal == nil {
                        terminal = (rule.id, rule.effect)
                        s.rules[i].fired += 1
                    }
                }
            }
            return (latency, terminal)
        }
    }
}
