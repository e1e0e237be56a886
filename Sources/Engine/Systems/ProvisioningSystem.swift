import Transformation

/// One system as IPS models it: a type, a role, properties, and the transformation that turns its
/// entities into the intermediate SCIM 2.0 model (source) or back (target).
public struct ProvisioningSystem: Sendable {
    public let name: String
    public let type: SystemType
    public let role: SystemRole
    public let properties: SystemProperties
    /// Read transformation for a source, write transformation for a target.
    public let transformation: Transformation
    /// For a source: the targets a job writes to, in order.
    public let targets: [String]
    /// A disabled target is not written by jobs.
    public let enabled: Bool

    public init(name: String, type: SystemType, role: SystemRole, properties: SystemProperties, transformation: Transformation, targets: [String] = [], enabled: Bool = true) {
        self.name = name
        self.type = type
        self.role = role
        self.properties = properties
        self.transformation = transformation
        self.targets = targets
        self.enabled = enabled
    }
}
