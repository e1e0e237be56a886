import Foundation
import Report

/// How a step ended.
public struct StepOutcome: Sendable, Equatable {
    public enum Status: String, Sendable {
        case passed
        /// An expectation was not met.
        case failed
        /// The step could not be carried out at all.
        case error
        case skipped
    }

    public var status: Status
    /// One line: what went wrong, or what was checked.
    public var message: String
    /// Multi-line detail, typically the expected/actual diff.
    public var details: String
    /// A transcript for the report's `system-out`.
    public var transcript: String
    /// Tables and charts for the HTML report (job statistics, request rates).
    public var attachments: [ReportAttachment]

    public init(status: Status, message: String = "", details: String = "", transcript: String = "", attachments: [ReportAttachment] = []) {
        self.status = status
        self.message = message
        self.details = details
        self.transcript = transcript
        self.attachments = attachments
    }

    public static func passed(_ message: String = "", transcript: String = "", attachments: [ReportAttachment] = []) -> StepOutcome {
        StepOutcome(status: .passed, message: message, transcript: transcript, attachments: attachments)
    }

    public static func failed(_ message: String, details: String = "", transcript: String = "", attachments: [ReportAttachment] = []) -> StepOutcome {
        StepOutcome(status: .failed, message: message, details: details, transcript: transcript, attachments: attachments)
    }

    public static func error(_ message: String, details: String = "") -> StepOutcome {
        StepOutcome(status: .error, message: message, details: details)
    }

    /// The outcome with each of `secrets` replaced by `(secret)` wherever it appears in the text:
    /// a service that echoes a credential in an error, say, cannot put it in a report.
    func hiding(_ secrets: [String]) -> StepOutcome {
        guard !secrets.isEmpty else { return self }
        func hide(_ text: String) -> String {
            secrets.reduce(text) { $1.isEmpty ? $0 : $0.replacingOccurrences(of: $1, with: "(secret)") }
        }
        var hidden = self
        hidden.message = hide(message)
        hidden.details = hide(details)
        hidden.transcript = hide(transcript)
        return hidden
    }
}
