import Foundation
import JSON
import Transformation

/// One real-time provisioning call as IPS's Real-Time Logs show it (reference section 4): the
/// source entity, then per target the operation, its state and the reason.
public struct RealTimeLog: Sendable {
    public enum Status: String, Sendable {
        case success = "Finished Successfully"
        case finishedWithError = "Finished with Error"
    }

    /// The states of the log's details.
    public enum State: String, Sendable, CaseIterable {
        case read = "Entity Read"
        case created = "Entity Created"
        case updated = "Entity Updated"
        case deleted = "Entity Deleted"
        case skipped = "Entity Skipped"
        case alreadyProvisioned = "Entity Already Provisioned"
        case notProvisioned = "Entity Not Provisioned"
        case failed = "Entity Failed"
    }

    public enum Operation: String, Sendable {
        case create = "CREATE"
        case update = "UPDATE"
        case delete = "DELETE"
    }

    /// One row of the details: the source or one target.
    public struct Detail: Sendable, Equatable {
        public let system: String
        public let operation: Operation?
        public let state: State
        /// The entity's ID in that system (missing where the source side failed).
        public let entityId: String?
        /// For XSUAA targets: the users' origin.
        public let additionalInformation: String?
        public let reason: String?
    }

    public let id: String
    public let sourceSystem: String
    public let entityType: EntityType
    public let sourceId: String
    public internal(set) var source: Detail
    public internal(set) var targets: [Detail] = []
    public let startTime: Date
    public internal(set) var endTime: Date

    public var status: Status {
        ([source] + targets).contains { $0.state == .failed } ? .finishedWithError : .success
    }

    /// The target's detail, if the log has one.
    public func target(_ name: String) -> Detail? {
        targets.first { $0.system == name }
    }

    public var json: JSONValue {
        func detail(_ d: Detail) -> JSONValue {
            var m: [(String, JSONValue)] = [("system", .string(d.system))]
            if let operation = d.operation { m.append(("operation", .string(operation.rawValue))) }
            m.append(("state", .string(d.state.rawValue)))
            if let id = d.entityId { m.append(("entityId", .string(id))) }
            if let info = d.additionalInformation { m.append(("additionalInformation", .string(info))) }
            if let reason = d.reason { m.append(("reason", .string(reason))) }
            return .object(JSONObject(m))
        }
        return .object(JSONObject([
            ("id", .string(id)), ("sourceSystem", .string(sourceSystem)), ("entityType", .string(entityType.rawValue)),
            ("sourceId", .string(sourceId)), ("status", .string(status.rawValue)),
            ("startTime", .string(JobLog.timestamp(startTime))), ("endTime", .string(JobLog.timestamp(endTime))),
            ("source", detail(source)), ("targets", .array(targets.map(detail))),
        ]))
    }
}

/// A real-time request IPS refuses before provisioning anything, with the HTTP status it answers.
public struct RealTimeError: Error, Sendable, CustomStringConvertible {
    public let status: Int
    public let message: String

    public init(status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status): \(message)" }
}
