import Chrono
import JSON

/// A control route's handler: the request, the pattern's parameters and the service's context.
public typealias ControlHandler = @Sendable (FakeRequest, RouteParameters, FakeContext) throws -> FakeResponse

/// One fake service (the Identity Directory, AFC, UAA …): its API, and the parts of the control
/// API that depend on its state. Faults, rate limits, the journal and the generic control routes
/// are the `FakeHost`'s job, so a service only implements its own behaviour.
public protocol FakeService: AnyObject, Sendable {
    /// The name `provsim serve` reports: `identity-directory`, `afc`, `uaa`, `cf`.
    var name: String { get }

    /// Answers an API request. Returns the client that made it, for the journal.
    func handle(_ request: FakeRequest, context: FakeContext) async -> (response: FakeResponse, clientId: String?)

    /// The service's answer to a request the rate limiter refused, in its own wire format.
    func rateLimited(retryAfter: Int, reason: String) -> FakeResponse

    /// The size limits of the service's front end (`RequestLimits.standard` unless it has its own).
    var requestLimits: RequestLimits { get }

    /// The service's answer, in its own wire format, to a request the host refused before the
    /// service saw it (a limit exceeded: 413, 414, 431).
    func refusal(status: Int, detail: String) -> FakeResponse

    /// Forgets all data (clients and configuration stay).
    func reset()

    /// Adds data; the JSON shape is the service's (`{"users": [...], "groups": [...]}` for SCIM fakes).
    /// Returns what was created.
    func seed(_ data: JSONValue, context: FakeContext) throws(FakeRequestError) -> JSONValue

    /// Everything the service holds, as JSON.
    func state(context: FakeContext) -> JSONValue

    /// Service-specific control routes under `/_provsim/` (the host's generic ones come first);
    /// built per call, so handlers may capture the service without a retain cycle.
    func controlRoutes() -> RouteTable<ControlHandler>

    /// What `provsim serve` prints about the service (URLs, credentials), beyond name and URL.
    func descriptor(context: FakeContext) -> [(String, JSONValue)]

    /// How a provisioning system declared with `fake: <name>` reaches the service.
    func connection(context: FakeContext) -> FakeConnection

    /// The service's users and groups as its administrators change them (the scenario step
    /// `change`); nil for a service without users and groups of its own.
    var administration: (any DirectoryAdministration)? { get }
}

extension FakeService {
    public var requestLimits: RequestLimits { .standard }

    public var administration: (any DirectoryAdministration)? { nil }

    public func controlRoutes() -> RouteTable<ControlHandler> { RouteTable() }
}

/// What a service knows about where it runs.
public struct FakeContext: Sendable {
    /// `http://127.0.0.1:54321`, no trailing slash.
    public let baseURL: String
    public let clock: SimulatedClock
}
