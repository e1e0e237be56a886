/// A problem with a systems description, naming the field (`systems.xsuaa.properties.URL`), so
/// callers that know where the field was written can add the file and line.
public struct SystemsError: Error, Sendable, CustomStringConvertible {
    /// Dotted path of the offending field, relative to the system or the document.
    public var field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// The same error one level down: `properties.URL` inside system `xsuaa` becomes
    /// `systems.xsuaa.properties.URL`.
    func nested(in parent: String) -> SystemsError {
        SystemsError(field: field.isEmpty ? parent : "\(parent).\(field)", message: message)
    }

    public var description: String { field.isEmpty ? message : "\(field): \(message)" }
}
