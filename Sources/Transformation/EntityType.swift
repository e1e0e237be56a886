/// The entity blocks a transformation document may hold.
public enum EntityType: String, Sendable, CaseIterable, Codable {
    case user
    case group
    case role
}
