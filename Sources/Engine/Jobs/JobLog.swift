import Chrono
import Foundation
import JSON
import Transformation

public enum JobType: String, Sendable, CaseIterable {
    case read = "READ"
    case resync = "RESYNC"
    case simulate = "SIMULATE"

    /// `read`, `resync`, `simulate` as written on the command line and in scenarios.
    public init?(name: String) {
        self.init(rawValue: name.uppercased())
    }
}

public enum ReadMode: String, Sendable, CaseIterable {
    case full = "Full Read"
    case delta = "Delta Read"
}

/// `IMMEDIATE` for Run Now, `REPEAT` for a scheduled run (only scheduled runs force full reads).
public enum JobTrigger: String, Sendable, CaseIterable {
    case immediate = "IMMEDIATE"
    case scheduled = "REPEAT"
}

public enum JobStatus: String, Sendable, CaseIterable {
    case success = "Success"
    case finishedWithError = "Finished with Error"
}

/// One row of the statistics table: an entity type in one system.
public struct EntityStatistics: Sendable, Equatable {
    public enum Action: String, Sendable { case read = "Read", write = "Write" }
    public let entity: EntityType
    public let system: String
    public let action: Action
    public var read = 0
    public var created = 0
    public var updated = 0
    public var deleted = 0
    public var skipped = 0
    public var failed = 0

    public init(entity: EntityType, system: String, action: Action) {
        self.entity = entity
        self.system = system
        self.action = action
    }
}

/// What happened to one entity in one system.
public struct EntityEvent: Sendable, Equatable {
    public enum Operation: String, Sendable {
        case read, create, update, delete, unchanged, skip, fail, keep
    }
    public let entity: EntityType
    public let system: String
    public let sourceId: String?
    public let targetId: String?
    public let operation: Operation
    /// The skip reason, failure, or a remark (IPS wording where IPS has one).
    public let message: String?
}

/// The execution log of one job: IPS's Job Execution Details, with per-entity traces.
public struct JobLog: Sendable {
    public let id: String
    public let source: String
    public let type: JobType
    public internal(set) var readMode: ReadMode
    public let trigger: JobTrigger
    /// IPS's Triggered By: the user who chose Run Now (a user ID such as `P000000`); none for a
    /// scheduled job.
    public let triggeredBy: String?
    public internal(set) var status: JobStatus = .success
    public let startTime: Date
    public internal(set) var endTime: Date
    /// The first error that stopped a part of the job (connection, source read).
    public internal(set) var errorMessage: String?
    /// Job Execution Outcome: what influenced deletion in the targets.
    public internal(set) var outcome: [String] = []
    public internal(set) var statistics: [EntityStatistics] = []
    public internal(set) var failedEntities: [EntityEvent] = []
    public internal(set) var skippedEntities: [EntityEvent] = []
    /// Every entity's fate, in order.
    public internal(set) var traces: [EntityEvent] = []
    /// Requests per system during this job.
    public internal(set) var requests: [(system: String, metrics: RequestMetrics.Snapshot)] = []

    init(id: String, source: String, type: JobType, readMode: ReadMode, trigger: JobTrigger, triggeredBy: String? = nil, start: Date) {
        self.id = id
        self.source = source
        self.type = type
        self.readMode = readMode
        self.trigger = trigger
        self.triggeredBy = triggeredBy
        startTime = start
        endTime = start
    }

    /// The statistics row for an entity type in a system.
    public func statistics(_ entity: EntityType, system: String) -> EntityStatistics? {
        statistics.first { $0.entity == entity && $0.system == system }
    }

    mutating func count(_ entity: EntityType, _ system: String, _ action: EntityStatistics.Action, _ change: (inout EntityStatistics) -> Void) {
        if let i = statistics.firstIndex(where: { $0.entity == entity && $0.system == system }) {
            change(&statistics[i])
        } else {
            var row = EntityStatistics(entity: entity, system: system, action: action)
            change(&row)
            statistics.append(row)
        }
    }

    mutating func record(_ event: EntityEvent) {
        traces.append(event)
        switch event.operation {
        case .fail: failedEntities.append(event)
        case .skip: skippedEntities.append(event)
        default: break
        }
    }

    public var durationSeconds: Double { endTime.timeIntervalSince(startTime) }

    // MARK: Output

    public var json: JSONValue {
        func event(_ e: EntityEvent) -> JSONValue {
            var m: [(String, JSONValue)] = [("entity", .string(e.entity.rawValue)), ("system", .string(e.system))]
            if let s = e.sourceId { m.append(("sourceId", .string(s))) }
            if let t = e.targetId { m.append(("targetId", .string(t))) }
            m.append(("operation", .string(e.operation.rawValue)))
            if let message = e.message { m.append(("message", .string(message))) }
            return .object(JSONObject(m))
        }
        let stats: [JSONValue] = statistics.map { s in
            var m: [(String, JSONValue)] = [("entity", .string(s.entity.rawValue)), ("system", .string(s.system)), ("action", .string(s.action.rawValue))]
            if s.action == .read {
                m.append(("read", JSONValue(s.read)))
            } else {
                m += [("created", JSONValue(s.created)), ("updated", JSONValue(s.updated)), ("deleted", JSONValue(s.deleted))]
            }
            m += [("skipped", JSONValue(s.skipped)), ("failed", JSONValue(s.failed))]
            return .object(JSONObject(m))
        }
        let requestJSON: [(String, JSONValue)] = requests.map { r in
            (r.system, .object(JSONObject([
                ("requests", JSONValue(r.metrics.requests)), ("retries", JSONValue(r.metrics.retries)),
                ("tooManyRequests", JSONValue(r.metrics.tooManyRequests)), ("timeouts", JSONValue(r.metrics.timeouts)),
                ("connectionErrors", JSONValue(r.metrics.connectionErrors)), ("tokenRefreshes", JSONValue(r.metrics.tokenRefreshes)),
                ("byStatus", .object(JSONObject(r.metrics.byStatus.keys.sorted().map { (String($0), JSONValue(r.metrics.byStatus[$0]!)) }))),
            ])))
        }
        var m: [(String, JSONValue)] = [
            ("jobId", .string(id)), ("sourceSystem", .string(source)), ("jobType", .string(type.rawValue)),
            ("readMode", .string(readMode.rawValue)), ("triggerType", .string(trigger.rawValue)),
        ]
        if let triggeredBy { m.append(("triggeredBy", .string(triggeredBy))) }
        m += [
            ("status", .string(status.rawValue)),
            ("startTime", .string(Self.timestamp(startTime))), ("endTime", .string(Self.timestamp(endTime))),
            ("durationSeconds", JSONNumber(durationSeconds).map(JSONValue.number) ?? .null),
        ]
        if let errorMessage { m.append(("errorMessage", .string(errorMessage))) }
        m += [
            ("jobExecutionOutcome", .array(outcome.map(JSONValue.string))),
            ("statistics", .array(stats)),
            ("failedEntities", .array(failedEntities.map(event))),
            ("skippedEntities", .array(skippedEntities.map(event))),
            ("requests", .object(JSONObject(requestJSON))),
            ("traces", .array(traces.map(event))),
        ]
        return .object(JSONObject(m))
    }

    /// A readable report: the details, the statistics table, failed entities (at most `failedShown`).
    public func text(failedShown: Int = 10) -> String {
        var lines = [
            "Job \(id)  \(type.rawValue)  source \(source)",
            "Status:       \(status.rawValue)",
            "Read Mode:    \(readMode.rawValue)",
            "Trigger Type: \(trigger.rawValue)",
        ] + (triggeredBy.map { ["Triggered By: \($0)"] } ?? []) + [
            "Start / End:  \(Self.timestamp(startTime)) / \(Self.timestamp(endTime)) UTC (\(String(format: "%.3f", durationSeconds)) s)",
        ]
        if let errorMessage { lines.append("Error:        \(errorMessage)") }
        if !outcome.isEmpty {
            lines.append("Job Execution Outcome:")
            lines += outcome.map { "  - \($0)" }
        }
        lines.append("")
        let header = ["Entity", "System", "Action", "Read", "Created", "Updated", "Deleted", "Skipped", "Failed"]
        var rows = [header]
        for s in statistics {
            let write = s.action == .write
            rows.append([s.entity.rawValue, s.system, s.action.rawValue, write ? "n/a" : "\(s.read)",
                         write ? "\(s.created)" : "n/a", write ? "\(s.updated)" : "n/a", write ? "\(s.deleted)" : "n/a", "\(s.skipped)", "\(s.failed)"])
        }
        let widths = header.indices.map { i in rows.map { $0[i].count }.max()! }
        for row in rows {
            lines.append(row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
        if !failedEntities.isEmpty {
            lines.append("")
            lines.append("Failed Entities (\(failedEntities.count)\(failedEntities.count > failedShown ? ", first \(failedShown) shown" : "")):")
            for e in failedEntities.prefix(failedShown) {
                lines.append("  \(e.entity.rawValue) \(e.sourceId ?? "-") → \(e.system): \(e.message ?? "")")
            }
        }
        if !requests.isEmpty {
            lines.append("")
            for r in requests {
                lines.append("Requests to \(r.system): \(r.metrics.requests) (retries \(r.metrics.retries), 429 \(r.metrics.tooManyRequests), timeouts \(r.metrics.timeouts), token refreshes \(r.metrics.tokenRefreshes))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func timestamp(_ date: Date) -> String {
        RFC3339.format(epochMilliseconds: Int((date.timeIntervalSince1970 * 1000).rounded()))
    }
}
