import Engine
import JSON
import Proxy

/// `proxy.load:` the external identity manager's initial load: pages through `/Users` or
/// `/Groups` of a proxy system the way IPS tells clients to (docs/fidelity.md, “Proxy systems”): `startIndex` advances
/// by `itemsPerPage`, never by the number of resources, and the load stops when `startIndex`
/// passes `totalResults`, since read-transformation conditions can leave pages short or empty.
///
/// ```yaml
/// - proxy.load:
///     system: xs
///     type: users            # or groups
///     count: 2               # page size asked for (1…100)
///     expect:
///       resources: 5         # entities loaded in all
///       pages: 3
///       emptyPages: 0
///       names: [a, b, c]     # userNames (displayNames for groups), in any order
/// ```
struct ProxyLoadStep: ScenarioStep {
    static let kind = StepKind(key: "proxy.load", summary: "page through a proxy system's users or groups as an identity manager's initial load", shape: shape) { (node, _) throws(ScenarioError) -> any ScenarioStep in
        try ProxyLoadStep(node)
    }

    static let expectShape = JSONShape.object("What the load must give.", [
        .optional("resources", .integer("Entities loaded in all.", 0...Int.max)),
        .optional("pages", .integer("Pages read.", 0...Int.max)),
        .optional("emptyPages", .integer("Pages with no resources.", 0...Int.max)),
        .optional("names", StepShapes.texts.described("userNames (displayNames for groups), in any order.")),
    ])
    static let shape = JSONShape.object("Page through a proxy system's users or groups as an identity manager's initial load.", [
        .required("system", StepShapes.system),
        .required("type", .choice(["users", "groups"], "What to load.")),
        .optional("count", .integer("The page size asked for.", 1...ProxyReader.Query.maxCount)),
        .optional("auth", ProxyAuth.shape),
        .required("expect", expectShape),
    ])

    let system: String
    let endpoint: String
    let count: Int
    let auth: ProxyAuth
    let resources: Int?
    let pages: Int?
    let emptyPages: Int?
    let names: [String]?

    /// A load that does not end (a proxy whose totals keep growing) is stopped here.
    static let maxPages = 10_000

    init(_ node: ScenarioNode) throws(ScenarioError) {
        try node.rejectUnknownKeys(Self.shape)
        system = try node.required("system").string()
        let typeNode = try node.required("type")
        switch try typeNode.string() {
        case "users": endpoint = "/Users"
        case "groups": endpoint = "/Groups"
        default: throw typeNode.error("type is users or groups")
        }
        let countNode = node["count"]
        count = try countNode?.int() ?? ProxyReader.Query.defaultCount
        guard (1...ProxyReader.Query.maxCount).contains(count) else { throw (countNode ?? node).error("count must be 1…\(ProxyReader.Query.maxCount)") }
        auth = try ProxyAuth(node["auth"])
        let expect = try node.required("expect")
        try expect.rejectUnknownKeys(Self.expectShape)
        resources = try expect["resources"]?.int()
        pages = try expect["pages"]?.int()
        emptyPages = try expect["emptyPages"]?.int()
        names = try expect["names"]?.elements().map { (n) throws(ScenarioError) -> String in try n.string() }
    }

    func run(in world: World) async -> StepOutcome {
        let client: ProxyClient
        switch await ProxyClient.connect(world, auth: auth) {
        case .success(let c): client = c
        case .failure(let f): return .error(f.message)
        }
        var loaded: [JSONValue] = []
        var lines: [String] = []
        var startIndex = 1
        var pageCount = 0
        var empty = 0
        while pageCount < Self.maxPages {
            let path = ProxyClient.scimPath(system) + endpoint + "?startIndex=\(startIndex)&count=\(count)"
            let response: HTTPResponse
            switch await client.send("GET", path) {
            case .success(let r): response = r
            case .failure(let f): return .error(f.message)
            }
            guard response.status == 200, let page = try? JSONParser.parse(response.body),
                  let perPage = page["itemsPerPage"]?.intValue, let total = page["totalResults"]?.intValue else {
                return .failed("GET \(endpoint) page \(pageCount + 1) → \(response.status)", details: String(decoding: response.body, as: UTF8.self),
                               transcript: lines.joined(separator: "\n"))
            }
            let items = page["Resources"]?.arrayValue ?? []
            pageCount += 1
            if items.isEmpty { empty += 1 }
            loaded += items
            lines.append("startIndex \(startIndex): itemsPerPage \(perPage), Resources \(items.count), totalResults \(total)")
            // An empty back-end page ends the load even if a total said more (nothing advances).
            guard perPage > 0 else { break }
            startIndex += perPage
            if startIndex > total { break }
        }
        let nameKey = endpoint == "/Users" ? "userName" : "displayName"
        let loadedNames = loaded.compactMap { $0[nameKey]?.stringValue }
        var problems: [String] = []
        if let resources, loaded.count != resources { problems.append("resources: expected \(resources), actual \(loaded.count)") }
        if let pages, pageCount != pages { problems.append("pages: expected \(pages), actual \(pageCount)") }
        if let emptyPages, empty != emptyPages { problems.append("emptyPages: expected \(emptyPages), actual \(empty)") }
        if let names, names.sorted() != loadedNames.sorted() {
            problems.append("names: expected \(names.sorted()), actual \(loadedNames.sorted())")
        }
        let transcript = lines.joined(separator: "\n")
        guard problems.isEmpty else {
            return .failed("loading \(endpoint) of \(system): \(problems[0])", details: problems.joined(separator: "\n") + "\n\npages:\n" + transcript, transcript: transcript)
        }
        return .passed("loaded \(loaded.count) \(endpoint.dropFirst().lowercased()) in \(pageCount) pages (\(empty) empty)", transcript: transcript)
    }
}
