/// One generated input: which target, its number in the target's deterministic sequence, and a
/// printable form that reproduces it (`provsim fuzz --target T --seed S --index N` regenerates
/// the same case from the same three numbers).
public struct FuzzCase: Sendable {
    public let target: String
    public let index: Int
    /// The input as a person reads it (cut at `FuzzCase.summaryLimit` characters).
    public let summary: String
    public let payload: Payload

    public enum Payload: Sendable {
        /// Text for a parser (a filter, a path, a file).
        case text(String)
        /// A request to a fake, handed to its host in process.
        case request(FuzzRequest)
        /// Bytes written as they are to a fake's socket.
        case bytes([UInt8])
    }

    public init(target: String, index: Int, payload: Payload, summary: String? = nil) {
        self.target = target
        self.index = index
        self.payload = payload
        let text: String
        switch payload {
        case .text(let t): text = summary ?? t
        case .request(let r): text = summary ?? r.summary
        case .bytes(let b): text = summary ?? String(decoding: b.prefix(FuzzCase.summaryLimit), as: UTF8.self)
        }
        self.summary = text.count <= FuzzCase.summaryLimit ? text : String(text.prefix(FuzzCase.summaryLimit)) + "… (\(text.count) characters)"
    }

    public static let summaryLimit = 600
}

/// A request as the fuzzer builds it: the raw target (not yet split or decoded) and everything
/// else a client controls.
public struct FuzzRequest: Sendable {
    public var service: String
    public var method: String
    public var target: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(service: String, method: String, target: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.service = service
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }

    public var summary: String {
        var text = "\(service): \(method) \(target)"
        let shown = headers.filter { $0.name.lowercased() != "authorization" }
        if !shown.isEmpty { text += " " + shown.map { "\($0.name): \($0.value)" }.joined(separator: "; ") }
        if !body.isEmpty { text += " body " + String(decoding: body.prefix(400), as: UTF8.self) }
        return text
    }
}

/// What running a case showed.
public enum FuzzOutcome: Sendable, Equatable {
    /// Answered or refused as designed (any 2xx–4xx, a parse error, a located file error).
    case handled
    /// A 5xx that no configured fault asked for: a defect by the fakes' own contract.
    case serverError(status: Int, detail: String)
    /// An answer that breaks the contract in another way (no JSON body on an error, an empty 400).
    case malformed(detail: String)
    /// No answer within the case's deadline.
    case hang(detail: String)
}
