/// The size limits a fake enforces on requests before its service sees them, as the real
/// services' front ends do (docs/fidelity.md, “Request limits”). The host answers a request
/// beyond one with the service's own error shape and the status a front end sends: 414 for the
/// URL, 431 for the header fields, 413 for the body.
public struct RequestLimits: Sendable, Equatable {
    /// Bytes of the request target (path and query, as sent).
    public var targetBytes: Int
    /// Bytes of all header fields together (names, values and their separators).
    public var headerBytes: Int
    /// Number of header fields.
    public var headerCount: Int
    /// Bytes of the body of an API request.
    public var bodyBytes: Int
    /// Bytes of the body of a control-API request (`/_provsim/seed` takes whole data sets).
    public var controlBodyBytes: Int
    /// Bytes of the body of an API `POST`, where a service documents a smaller limit for it.
    public var postBodyBytes: Int?

    public init(targetBytes: Int = 8192, headerBytes: Int = 65_536, headerCount: Int = 100,
                bodyBytes: Int = 32 << 20, controlBodyBytes: Int = 256 << 20, postBodyBytes: Int? = nil) {
        self.targetBytes = targetBytes
        self.headerBytes = headerBytes
        self.headerCount = headerCount
        self.bodyBytes = bodyBytes
        self.controlBodyBytes = controlBodyBytes
        self.postBodyBytes = postBodyBytes
    }

    /// The default of every fake: an 8 KiB request line (nginx's and most front ends' default),
    /// 64 KiB and 100 header fields (Tomcat's and Envoy's field count), 32 MiB bodies (no
    /// documented limit; enough for an XSUAA group PUT with 200,000 members).
    public static let standard = RequestLimits()

    /// Cloud Foundry's Cloud Controller behind nginx (`client_max_body_size` 15M, 8 KiB request
    /// line) and gorouter (1 MiB of header fields, answered 431).
    public static let cloudController = RequestLimits(targetBytes: 8192, headerBytes: 1 << 20, headerCount: 100, bodyBytes: 15 << 20)

    /// SAP BTP's XSUAA User Management API: "max HTTP header 16 KB, max POST body 1 MB"
    /// (docs/fidelity.md, “UAA and XSUAA”). Other methods keep the standard body limit (PUT of a large role collection).
    public static let xsuaa = RequestLimits(targetBytes: 8192, headerBytes: 16_384, headerCount: 100, bodyBytes: 32 << 20, postBodyBytes: 1 << 20)

    /// The largest body any limit allows: what the HTTP server collects before it gives up.
    public var largestBody: Int { max(bodyBytes, controlBodyBytes) }

    /// What exceeds a limit, if anything; checked in the order a server reads a request.
    public func violation(of request: FakeRequest) -> RequestLimitViolation? {
        if request.targetLength > targetBytes { return .target(limit: targetBytes) }
        if request.headers.count > headerCount { return .headerCount(limit: headerCount) }
        var bytes = 0
        for (name, value) in request.headers { bytes += name.utf8.count + value.utf8.count + 4 }
        if bytes > headerBytes { return .headerBytes(limit: headerBytes) }
        let bodyLimit = request.isControl ? controlBodyBytes : (request.method == "POST" ? postBodyBytes ?? bodyBytes : bodyBytes)
        if request.bodyLength > bodyLimit { return .body(limit: bodyLimit) }
        return nil
    }

    /// The most body bytes read for a request to `target`: the control API's limit under
    /// `/_provsim`, else the API's. Only the path is decoded, not the query.
    public func bodyLimit(target: String) -> Int {
        let path = target.firstIndex(of: "?").map { String(target[..<$0]) } ?? target
        return FakeRequest.isControl(path: FakeRequest.percentDecoded(path, plusIsSpace: false)) ? controlBodyBytes : bodyBytes
    }
}

/// Which limit a request exceeded.
public enum RequestLimitViolation: Sendable, Equatable {
    case target(limit: Int)
    case headerCount(limit: Int)
    case headerBytes(limit: Int)
    case body(limit: Int)

    /// 414 URI Too Long, 431 Request Header Fields Too Large, 413 Content Too Large.
    public var status: Int {
        switch self {
        case .target: return 414
        case .headerCount, .headerBytes: return 431
        case .body: return 413
        }
    }

    /// The error text, naming the limit.
    public var detail: String {
        switch self {
        case .target(let limit): return "The request URL is longer than \(limit) bytes."
        case .headerCount(let limit): return "The request has more than \(limit) header fields."
        case .headerBytes(let limit): return "The request header fields are larger than \(limit) bytes."
        case .body(let limit): return "The request body is larger than \(limit) bytes."
        }
    }
}
