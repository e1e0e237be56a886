import Fakes
import Hosting
import JSON
import SCIM

/// `change:` changes the source directory as its administrators would: users and groups are
/// created, updated, deleted, renamed, or moved between groups (in a SCIM 2.0 fake).
///
/// ```yaml
/// - change: { create: { user: { userName: erin, emails: [{ value: erin@example.com }] } } }
/// - change: { create: { group: { displayName: Auditors, members: [alice, erin] } } }   # members by userName
/// - change: { update: { user: carol, set: { name: { givenName: Caroline } } } }        # top-level attributes
/// - change: { delete: { user: dave } }
/// - change: { rename: { user: bob, to: robert } }
/// - change: { move: { user: alice, from: Auditors, to: Approvers } }
/// - change: { fake: afc, delete: { group: Old } }                                       # default fake: identity-directory
/// ```
struct ChangeStep: ScenarioStep {
    static let kind = StepKind(key: "change", summary: "create, update, delete, rename or move users and groups in a source directory", shape: shape) { (node, _) throws(ScenarioError) -> any ScenarioStep in
        try ChangeStep(node)
    }

    static let shape = JSONShape.object("One change to a SCIM 2.0 fake's users or groups, as its administrators would make it; give exactly one of create, update, delete, rename, move.", [
        .optional("fake", StepShapes.fake.described("The fake to change (default identity-directory).")),
        .optional("create", createShape), .optional("update", updateShape), .optional("delete", deleteShape),
        .optional("rename", renameShape), .optional("move", moveShape),
    ])
    private static let user = JSONShape.text("A user, by userName.")
    private static let group = JSONShape.text("A group, by displayName.")
    static let createShape = JSONShape.object("Create a user or a group (give one).", [
        .optional("user", .any("The new user's attributes.")),
        .optional("group", .any("The new group's attributes; members by userName.")),
    ])
    static let updateShape = JSONShape.object("Set top-level attributes of a user or a group (give one).", [
        .optional("user", user), .optional("group", group),
        .required("set", .map(of: .anyValue, "Attributes to set (members by userName).")),
    ])
    static let deleteShape = JSONShape.object("Delete a user or a group (give one).", [.optional("user", user), .optional("group", group)])
    static let renameShape = JSONShape.object("Change a user's userName.", [.required("user", user), .required("to", .text("The new userName."))])
    static let moveShape = JSONShape.object("Move a user out of a group, into one, or both.", [
        .required("user", user), .optional("from", group), .optional("to", group),
    ])

    enum Change {
        case create(EntityKind, JSONValue)
        case update(EntityKind, String, JSONObject)
        case delete(EntityKind, String)
        case rename(String, String)
        case move(String, from: String?, to: String?)
    }

    enum EntityKind: String { case user, group }

    let fake: String
    let change: Change

    init(_ node: ScenarioNode) throws(ScenarioError) {
        try node.rejectUnknownKeys(Self.shape)
        fake = try node.string("fake") ?? "identity-directory"
        let actions = ["create", "update", "delete", "rename", "move"].filter { node[$0] != nil }
        guard actions.count == 1, let action = actions.first, let body = node[action] else {
            throw node.error("give exactly one of create, update, delete, rename, move")
        }
        func which() throws(ScenarioError) -> (EntityKind, ScenarioNode) {
            let kinds = ["user", "group"].filter { body[$0] != nil }
            guard kinds.count == 1, let kind = EntityKind(rawValue: kinds[0]), let value = body[kinds[0]] else { throw body.error("give user: or group:") }
            return (kind, value)
        }
        switch action {
        case "create":
            try body.rejectUnknownKeys(Self.createShape)
            let (kind, value) = try which()
            change = .create(kind, try value.json())
        case "update":
            try body.rejectUnknownKeys(Self.updateShape)
            let (kind, value) = try which()
            guard case .object(let set) = try body.required("set").json() else { throw try body.required("set").error("expected attributes to set") }
            change = .update(kind, try value.string(), set)
        case "delete":
            try body.rejectUnknownKeys(Self.deleteShape)
            let (kind, value) = try which()
            change = .delete(kind, try value.string())
        case "rename":
            try body.rejectUnknownKeys(Self.renameShape)
            change = .rename(try body.required("user").string(), try body.required("to").string())
        default:
            try body.rejectUnknownKeys(Self.moveShape)
            guard body["from"] != nil || body["to"] != nil else { throw body.error("give from:, to: or both") }
            change = .move(try body.required("user").string(), from: try body.string("from"), to: try body.string("to"))
        }
    }

    func run(in world: World) async -> StepOutcome {
        let host: FakeHost
        switch await FakeControl.host(fake, in: world) {
        case .success(let h): host = h
        case .failure(let f): return .error(f.message)
        }
        guard let directory = (host.service as? any SCIMFakeService)?.directory else { return .error("\(fake) is not a SCIM 2.0 directory") }
        do throws(StepFailure) {
            return .passed(try apply(to: directory))
        } catch {
            return .error(error.message)
        }
    }

    private func apply(to directory: SCIMDirectory) throws(StepFailure) -> String {
        let users = directory.type(named: "User")!, groups = directory.type(named: "Group")!
        func find(_ kind: EntityKind, _ name: String) throws(StepFailure) -> SCIMRecord {
            let key = kind == .user ? "userName" : "displayName"
            let found = directory.read { state in state.all(kind == .user ? "User" : "Group").first { !$0.hidden && $0.resource[key]?.stringValue == name } }
            guard let found else { throw StepFailure("\(fake) has no \(kind.rawValue) with \(key) '\(name)'") }
            return found
        }
        func write(_ body: () throws(SCIMError) -> Void) throws(StepFailure) {
            do throws(SCIMError) { try body() } catch { throw StepFailure("\(fake) refused the change: \(error.status) \(error.detail)") }
        }
        func members(_ names: [JSONValue]) throws(StepFailure) -> JSONValue {
            var result: [JSONValue] = []
            for n in names {
                guard let name = n.stringValue else { result.append(n); continue }
                result.append(.object(JSONObject([("value", .string(try find(.user, name).id))])))
            }
            return .array(result)
        }
        func replaceGroupMembers(_ group: String, _ change: ([JSONValue]) -> [JSONValue]) throws(StepFailure) {
            let record = try find(.group, group)
            var resource = record.resource
            resource["members"] = .array(change(resource["members"]?.arrayValue ?? []))
            try write { () throws(SCIMError) in _ = try directory.replace(groups, id: record.id, resource, ifMatch: nil) }
        }
        switch change {
        case .create(let kind, var value):
            if value["schemas"] == nil { value["schemas"] = .array([.string(kind == .user ? "urn:ietf:params:scim:schemas:core:2.0:User" : "urn:ietf:params:scim:schemas:core:2.0:Group")]) }
            if kind == .group, let list = value["members"]?.arrayValue { value["members"] = try members(list) }
            try write { () throws(SCIMError) in _ = try directory.create(kind == .user ? users : groups, value) }
            return "created \(kind.rawValue) \(value["userName"]?.stringValue ?? value["displayName"]?.stringValue ?? "")"
        case .update(let kind, let name, let set):
            let record = try find(kind, name)
            var resource = record.resource
            for member in set {
                resource[member.key] = member.key == "members" ? try members(member.value.arrayValue ?? []) : member.value
            }
            try write { () throws(SCIMError) in _ = try directory.replace(kind == .user ? users : groups, id: record.id, resource, ifMatch: nil) }
            return "updated \(kind.rawValue) \(name): \(set.keys.joined(separator: ", "))"
        case .delete(let kind, let name):
            let record = try find(kind, name)
            try write { () throws(SCIMError) in try directory.delete(kind == .user ? users : groups, id: record.id, ifMatch: nil) }
            return "deleted \(kind.rawValue) \(name)"
        case .rename(let name, let to):
            let record = try find(.user, name)
            var resource = record.resource
            resource["userName"] = .string(to)
            try write { () throws(SCIMError) in _ = try directory.replace(users, id: record.id, resource, ifMatch: nil) }
            return "renamed user \(name) to \(to)"
        case .move(let name, let from, let to):
            let id = try find(.user, name).id
            if let from { try replaceGroupMembers(from) { $0.filter { $0["value"]?.stringValue != id } } }
            if let to { try replaceGroupMembers(to) { $0 + [.object(JSONObject([("value", .string(id))]))] } }
            return "moved user \(name)\(from.map { " from \($0)" } ?? "")\(to.map { " to \($0)" } ?? "")"
        }
    }
}
