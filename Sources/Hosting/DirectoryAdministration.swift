import JSON

/// One change an administrator makes to a directory's users and groups, naming them as people
/// do: users by userName, groups by displayName (group members too).
public enum DirectoryChange: Sendable {
    public enum Entity: String, Sendable { case user, group }

    /// A new user or group; a group's `members` may name users by userName.
    case create(Entity, JSONValue)
    /// Top-level attributes set on an existing user or group (`members` by userName).
    case update(Entity, name: String, set: JSONObject)
    case delete(Entity, name: String)
    case rename(user: String, to: String)
    /// Out of one group, into another, or both.
    case move(user: String, from: String?, to: String?)
}

/// A fake's users and groups as its administrators change them: outside the API, its tokens and
/// its limits, but under the service's own rules (uniqueness, valid members), so a change the
/// service would refuse is refused with its message.
public protocol DirectoryAdministration: Sendable {
    /// Applies `change`; returns what changed, in a few words (`created user erin`).
    func apply(_ change: DirectoryChange) throws(FakeRequestError) -> String
}

extension DirectoryChange {
    /// `created user erin`, `moved user alice from A to B`: what `apply` reports.
    public var summary: String {
        switch self {
        case .create(let kind, let value): "created \(kind.rawValue) \(value["userName"]?.stringValue ?? value["displayName"]?.stringValue ?? "")"
        case .update(let kind, let name, let set): "updated \(kind.rawValue) \(name): \(set.keys.joined(separator: ", "))"
        case .delete(let kind, let name): "deleted \(kind.rawValue) \(name)"
        case .rename(let name, let to): "renamed user \(name) to \(to)"
        case .move(let name, let from, let to): "moved user \(name)\(from.map { " from \($0)" } ?? "")\(to.map { " to \($0)" } ?? "")"
        }
    }
}
