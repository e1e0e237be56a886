import Determinism
import JSON
import Synchronization

/// One fault: which requests it hits and what happens to them.
///
/// JSON form (control API and scenarios):
/// `{"id": "f1", "method": "POST", "path": "/scim/Users*", "status": 503, "retryAfter": 2,
///   "every": 3, "times": 5}` or `{"latencyMs": 200, "jitterMs": 50}`, `{"reset": true}`,
/// `{"empty": true}`, `{"malformed": true}`, with `probability: 0.3` instead of `every`.
public struct FaultRule: Sendable, Equatable {
    public enum Effect: Sendable, Equatable {
        case status(Int, retryAfter: Double?, body: JSONValue?)
        case latency(milliseconds: Int, jitter: Int)
        case reset
        case empty
        case malformed
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

    /// Reads the JSON form; problems name the field.
    public init(json: JSONValue, defaultID: String) throws(FakeRequestError) {
        guard case .object(let o) = json else { throw FakeRequestError("a fault must be an object") }
        let known: Set<String> = ["id", "method", "path", "status", "retryAfter", "body", "latencyMs", "jitterMs", "reset", "empty", "malformed", "every", "probability", "times"]
        if let unknown = o.keys.first(where: { !known.contains($0) }) {
            throw FakeRequestError("unknown fault field '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        id = o["id"]?.stringValue ?? defaultID
        method = o["method"]?.stringValue?.uppercased()
        path = o["path"]?.stringValue
        every = o["every"]?.intValue
        probability = o["probability"]?.numberValue?.doubleValue
        times = o["times"]?.intValue
        var effects: [Effect] = []
        if let status = o["status"] {
            guard let code = status.intValue, (100...599).contains(code) else { throw FakeRequestError("status must be an HTTP status code") }
            effects.append(.status(code, retryAfter: o["retryAfter"]?.numberValue?.doubleValue, body: o["body"]))
        }
        if o["latencyMs"] != nil || o["jitterMs"] != nil {
            effects.append(.latency(milliseconds: o["latencyMs"]?.intValue ?? 0, jitter: o["jitterMs"]?.intValue ?? 0))
        }
        if o["reset"]?.boolValue == true { effects.append(.reset) }
        if o["empty"]?.boolValue == true { effects.append(.empty) }
        if o["malformed"]?.boolValue == true { effects.append(.malformed) }
        guard effects.count == 1 else {
            throw FakeRequestError("a fault needs exactly one effect: status, latencyMs/jitterMs, reset, empty or malformed")
        }
        effect = effects[0]
        if let every, every < 1 { throw FakeRequestError("every must be at least 1") }
        if let probability, !(0...1).contains(probability) { throw FakeRequestError("probability must be between 0 and 1") }
        if every != nil && probability != nil { throw FakeRequestError("give every or probability, not both") }
    }

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
                    latency += ms + (jitter > 0 ? Int.random(in: 0...jitter, using: &s.random) : 0)
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
