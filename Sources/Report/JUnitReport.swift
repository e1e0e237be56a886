/// A JUnit test report: the document CI servers read to gate a pipeline.
///
/// One suite per scenario, one case per step. The shape is chosen so that every report validates
/// against both the Jenkins (`junit-10.xsd`) and the Ant (windyroad) schemas; `JUnitSchema.xsd`
/// states it exactly.
public struct JUnitReport: Sendable, Equatable {
    public var suites: [JUnitSuite]

    public init(suites: [JUnitSuite] = []) {
        self.suites = suites
    }

    public var tests: Int { suites.reduce(0) { $0 + $1.tests } }
    public var failures: Int { suites.reduce(0) { $0 + $1.failures } }
    public var errors: Int { suites.reduce(0) { $0 + $1.errors } }
    public var skipped: Int { suites.reduce(0) { $0 + $1.skipped } }
    public var time: Double { suites.reduce(0) { $0 + $1.time } }

    /// Whether nothing failed and nothing errored.
    public var isSuccess: Bool { failures == 0 && errors == 0 }
}

public struct JUnitSuite: Sendable, Equatable {
    public var name: String
    /// Groups suites in CI views (Ant requires it in aggregated reports).
    public var package: String
    /// Start time, UTC, `YYYY-MM-DDTHH:MM:SS` (no zone: the Ant schema forbids one).
    public var timestamp: String
    public var hostname: String
    /// Wall time in seconds.
    public var time: Double
    public var properties: [JUnitProperty]
    public var cases: [JUnitCase]
    public var systemOut: String
    public var systemErr: String

    public init(
        name: String, package: String = "provsim", timestamp: String, hostname: String, time: Double,
        properties: [JUnitProperty] = [], cases: [JUnitCase] = [], systemOut: String = "", systemErr: String = ""
    ) {
        self.name = name
        self.package = package
        self.timestamp = timestamp
        self.hostname = hostname
        self.time = time
        self.properties = properties
        self.cases = cases
        self.systemOut = systemOut
        self.systemErr = systemErr
    }

    public var tests: Int { cases.count }
    public var failures: Int { cases.filter { if case .failed = $0.outcome { return true } else { return false } }.count }
    public var errors: Int { cases.filter { if case .error = $0.outcome { return true } else { return false } }.count }
    public var skipped: Int { cases.filter { if case .skipped = $0.outcome { return true } else { return false } }.count }
}

public struct JUnitProperty: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

public struct JUnitCase: Sendable, Equatable {
    public var name: String
    public var classname: String
    public var time: Double
    public var outcome: Outcome

    public enum Outcome: Sendable, Equatable {
        case passed
        /// An expectation was not met.
        case failed(JUnitProblem)
        /// The step could not be carried out (setup broke, a server did not start).
        case error(JUnitProblem)
        case skipped(message: String)
    }

    public init(name: String, classname: String, time: Double, outcome: Outcome = .passed) {
        self.name = name
        self.classname = classname
        self.time = time
        self.outcome = outcome
    }
}

/// The content of a `<failure>` or `<error>`: a one-line message, a type, and a body (for
/// provsim, the expected/actual diff).
public struct JUnitProblem: Sendable, Equatable {
    public var message: String
    public var type: String
    public var body: String

    public init(message: String, type: String, body: String = "") {
        self.message = message
        self.type = type
        self.body = body
    }
}
