/// What the HTML report shows: a run of scenarios with their steps, messages, differences,
/// tables and charts. Filled by the scenario runner; rendered by `HTMLReportWriter`.
public struct HTMLReport: Sendable, Equatable {
    public enum Status: String, Sendable {
        case passed, failed, error, skipped
    }

    public struct Step: Sendable, Equatable {
        public var name: String
        public var kind: String
        /// `file:line` of the step in its scenario.
        public var location: String
        public var status: Status
        /// Wall time in seconds.
        public var duration: Double
        public var message: String
        /// The expected/actual differences of a failure.
        public var details: String
        /// What the step did (job log, entities), shown folded.
        public var transcript: String
        public var attachments: [ReportAttachment]

        public init(name: String, kind: String, location: String, status: Status, duration: Double, message: String,
                    details: String = "", transcript: String = "", attachments: [ReportAttachment] = []) {
            self.name = name
            self.kind = kind
            self.location = location
            self.status = status
            self.duration = duration
            self.message = message
            self.details = details
            self.transcript = transcript
            self.attachments = attachments
        }
    }

    public struct Scenario: Sendable, Equatable {
        public var id: String
        public var name: String
        public var description: String
        public var file: String
        public var tags: [String]
        public var seed: UInt64
        public var duration: Double
        public var steps: [Step]

        public init(id: String, name: String, description: String, file: String, tags: [String], seed: UInt64, duration: Double, steps: [Step]) {
            self.id = id
            self.name = name
            self.description = description
            self.file = file
            self.tags = tags
            self.seed = seed
            self.duration = duration
            self.steps = steps
        }

        public var passed: Bool { !steps.contains { $0.status == .failed || $0.status == .error } }
    }

    public var title: String
    /// When the run started, UTC.
    public var timestamp: String
    public var hostname: String
    public var version: String
    /// Wall time of the whole run in seconds.
    public var duration: Double
    public var scenarios: [Scenario]

    public init(title: String = "provsim conformance report", timestamp: String, hostname: String, version: String = ProvsimVersion.current, duration: Double, scenarios: [Scenario]) {
        self.title = title
        self.timestamp = timestamp
        self.hostname = hostname
        self.version = version
        self.duration = duration
        self.scenarios = scenarios
    }

    public func count(_ status: Status) -> Int {
        scenarios.reduce(0) { $0 + $1.steps.filter { $0.status == status }.count }
    }
}
