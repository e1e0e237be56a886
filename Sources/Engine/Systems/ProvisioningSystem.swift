import Transformation

/// One system as IPS models it: a type, a role, properties, and the transformation that turns its
/// entities into the intermediate SCIM 2.0 model (source) or back (target).
public struct ProvisioningSystem: Sendable {
    public let name: String
    public let type: SystemType
    public let role: SystemRole
    public let properties: SystemProperties
    /// Read transformation for a source or a proxy, write transformation for a target.
    public let transformation: Transformation
    /// A proxy's write transformation (applied to what its clients send); nil for other roles.
    public let writeTransformation: Transformation?
    /// For a source: the targets a job writes to, in order.
    public let targets: [String]
    /// A disabled target is not written by jobs.
    public let enabled: Bool

    public init(name: String, type: SystemType, role: SystemRole, properties: SystemProperties, transformation: Transformation,
                writeTransformation: Transformation? = nil, targets: [String] = [], enabled: Bool = true) {
        self.name = name
        self.type = type
        self.role = role
        self.properties = properties
        self.transformation = transformation
        self.writeTransformation = writeTransformation
        self.targets = targets
        self.enabled = enabled
    }
}
