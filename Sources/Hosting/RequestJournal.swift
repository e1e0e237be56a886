import JSON
import Synchronization

/// What the journal keeps of each request: never a credential. Headers and body (`content`) stay
/// for the newest requests only.
public struct JournalEntry: Sendable {
    public let sequence: Int
    /// Milliseconds since 1970 when the request arrived (the fake's timestamp clock).
    public let timestamp: Int
    /// Simulated seconds since the fake started, for request-rate charts.
    public let simulatedTime: Double
    public let method: String
    public let path: String
    public let query: String
    public let status: Int
    public let latencyMilliseconds: Double
    public let clientId: String?
    /// The fault that hit the request, or `rate-limit` for a 429 from the limiter.
    public let fault: String?
    /// API requests in flight at the fake when this one was admitted, itself included (nil for
    /// requests the limiter does not count: the token endpoint, refused ones).
    public let inFlight: Int?
    /// Headers and body, for the newest `RequestJournal.contentCapacity` requests (nil before).
    public internal(set) var content: JournalContent?

    public var json: JSONValue { json(content: false) }

    /// The entry for the control API; `content`: with headers and body.
    public func json(content withContent: Bool) -> JSONValue {
        var m: [(String, JSONValue)] = [
            ("sequence", JSONValue(sequence)), ("timestamp", JSONValue(timestamp)),
            ("simulatedTime", JSONNumber((simulatedTime * 1000).rounded() / 1000).map(JSONValue.number) ?? .null),
            ("method", .string(method)), ("path", .string(path)),
        ]
        if !query.isEmpty { m.append(("query", .string(query))) }
        m += [("status", JSONValue(status)), ("latencyMs", JSONNumber((latencyMilliseconds * 1000).rounded() / 1000).map(JSONValue.number) ?? .null)]
        if let clientId { m.append(("clientId", .string(clientId))) }
        if let fault { m.append(("fault", .string(fault))) }
        if let inFlight { m.append(("inFlight", JSONValue(inFlight))) }
        if withContent, let content { m.append(("content", content.controlJSON)) }
        return .object(JSONObject(m))
    }
}

/// The last requests a fake served (a bounded ring, oldest dropped first).
public final class RequestJournal: Sendable {
    private let capacity: Int
    private let contentCapacity: Int
    private let state: Mutex<(entries: [JournalEntry], next: Int)>

    /// How many of the newest entries keep their headers and body by default: enough for any job
    /// a scenario checks, bounded in memory (64 KiB at most each).
    public static let defaultContentCapacity = 10_000

    public init(capacity: Int = 200_000, contentCapacity: Int = RequestJournal.defaultContentCapacity) {
        self.capacity = capacity
        self.contentCapacity = min(contentCapacity, capacity)
        state = Mutex(([], 1))
    }

    /// Query parameters that may carry secrets are blanked.
    static let secretParameters: Set<String> = ["client_secret", "password", "access_token", "refresh_token", "token"]

    @discardableResult
    public func record(method: String, path: String, query: [String: String], status: Int, latency: Double, clientId: String?, fault: String?,
                       timestamp: Int, simulatedTime: Double, inFlight: Int? = nil, content: JournalContent? = nil) -> JournalEntry {
        let queryText = query.sorted { $0.key < $1.key }.map { key, value in
            "\(key)=\(Self.secretParameters.contains(key.lowercased()) ? "***" : value)"
        }.joined(separator: "&")
        return state.withLock { s in
            let entry = JournalEntry(
                sequence: s.next, timestamp: timestamp, simulatedTime: simulatedTime, method: Self.bounded(method, 32), path: Self.bounded(path),
                query: Self.bounded(queryText), status: status, latencyMilliseconds: latency, clientId: clientId.map { Self.bounded($0, 256) }, fault: fault,
                inFlight: inFlight, content: content)
            s.entries.append(entry)
            // One entry leaves the content window per entry that enters it.
            let leaving = s.entries.count - 1 - contentCapacity
            if leaving >= 0 { s.entries[leaving].content = nil }
            s.next += 1
            // Drop in chunks so the ring costs amortised O(1) per request.
            if s.entries.count > capacity + capacity / 8 { s.entries.removeFirst(s.entries.count - capacity) }
            return entry
        }
    }

    /// Text as the journal keeps it: long paths and queries (a fuzzer's, or a refused 8 KiB URL)
    /// are cut, so the journal's memory stays bounded by its capacity.
    static func bounded(_ text: String, _ limit: Int = 1024) -> String {
        text.utf8.count <= limit ? text : String(decoding: text.utf8.prefix(limit), as: UTF8.self) + "…"
    }

    /// Entries with a sequence number above `after`.
    public func entries(after: Int = 0) -> [JournalEntry] {
        state.withLock { s in s.entries.filter { $0.sequence > after } }
    }

    /// The sequence number of the newest entry (0 before the first request), a mark for
    /// `entries(after:)`.
    public var lastSequence: Int { state.withLock { $0.next - 1 } }

    public func clear() {
        state.withLock { $0.entries.removeAll() }
    }

    public var count: Int { state.withLock { $0.entries.count } }
}
