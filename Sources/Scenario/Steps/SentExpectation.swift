import Hosting
import JSON

/// One check of `expect.sent` in a `run` step: what the job sent a system, from its fake's
/// journal. Requests on a route (`PUT /Groups/*`) are matched against the body, absent
/// attributes, patterns and headers; by default at least one must match.
///
/// ```yaml
/// sent:
///   afc:
///     - request: PUT /Groups/*
///       body: { members: [{ value: alice }, { value: bob }] }   # a subset; arrays in full
///       count: 1                         # how many requests on the route match (default ">=1")
///     - request: POST /Users
///       every: true                      # every request on the route matches (and one was sent)
///       absent: [password]
///       headers: { Content-Type: { matches: "^application/scim\\+json" } }
/// ```
struct SentExpectation: Sendable {
    static let shape = JSONShape.object("Requests on one route that the job sent, and what they carried.", [
        .required("request", .text("METHOD /path, * matching any run of characters (PUT /Groups/*).", pattern: "^[A-Z]+ /")),
        .optional("count", StepShapes.counts.described("How many requests on the route match the checks (default \">=1\").")),
        .optional("every", .boolean("true: every request on the route matches, and at least one was sent.")),
    ] + ContentExpectation.members)

    let method: String
    let path: String
    let counts: [CountExpectation]
    let every: Bool
    let content: ContentExpectation

    init(_ node: ScenarioNode) throws(ScenarioError) {
        try node.rejectUnknownKeys(Self.shape)
        let requestNode = try node.required("request")
        guard case .matching(let method, let path)? = RequestTraffic.Measure(try requestNode.string()) else {
            throw requestNode.error("expected METHOD /path (PUT /Groups/*)")
        }
        (self.method, self.path) = (method, path)
        every = try node.bool("every") ?? false
        counts = try node["count"].map(CountExpectation.list) ?? (every ? [] : [CountExpectation(">=1")].compactMap { $0 })
        content = try ContentExpectation(node)
    }

    var route: String { "\(method) \(path)" }

    /// What does not hold for the API requests `entries` (this job's, to one fake), and the
    /// nearest miss (the request on the route that failed the fewest checks, the first of those)
    /// for the report.
    func problems(_ entries: [JournalEntry], label: String, bodies: ShownBodies = ShownBodies()) -> (problems: [String], details: String?) {
        let onRoute = entries.filter { $0.method == method && FaultRule.glob(path, $0.path) }
        let withoutContent = onRoute.filter { $0.content == nil }.count
        if withoutContent > 0 {
            return (["\(label) \(route): \(withoutContent) of \(onRoute.count) requests no longer have their headers and body in the journal (it keeps the newest \(RequestJournal.defaultContentCapacity))"], nil)
        }
        var nearestMiss: (entry: JournalEntry, problems: [String])?
        var matched = 0
        for entry in onRoute {
            guard let sent = entry.content else { continue }
            let found = content.problems(headers: sent.headers, body: bodies.body(of: entry.sequence, sent))
            if found.isEmpty {
                matched += 1
            } else if found.count < nearestMiss?.problems.count ?? Int.max {
                nearestMiss = (entry, found)
            }
        }
        var problems: [String] = []
        let miss = nearestMiss.map { " (request #\($0.entry.sequence), \($0.entry.method) \($0.entry.path): \($0.problems[0]))" } ?? ""
        if every {
            if onRoute.isEmpty { problems.append("\(label) \(route): expected every request to match, but none was sent") }
            if nearestMiss != nil { problems.append("\(label) \(route): expected every request to match, \(onRoute.count - matched) of \(onRoute.count) did not\(miss)") }
        }
        for expected in counts where !expected.holds(for: matched) {
            problems.append("\(label) \(route): expected \(expected) matching, actual \(matched) of \(onRoute.count) sent\(miss)")
        }
        let details = nearestMiss.map { miss in
            (["\(label): request #\(miss.entry.sequence), \(miss.entry.method) \(miss.entry.path) → \(miss.entry.status)"] + miss.problems
                + ["sent: " + (miss.entry.content?.text ?? "")]).joined(separator: "\n")
        }
        return (problems, details)
    }

    /// The bodies of journal entries as checks see them (parsed, secrets hidden), parsed once
    /// however many checks of one system read them.
    final class ShownBodies {
        private var bySequence: [Int: JSONValue] = [:]

        func body(of sequence: Int, _ content: JournalContent) -> JSONValue {
            if let known = bySequence[sequence] { return known }
            let shown = content.shownBody
            bySequence[sequence] = shown
            return shown
        }
    }
}
