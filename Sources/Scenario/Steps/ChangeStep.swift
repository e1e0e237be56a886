import Hosting
import JSON

/// `change:` changes a source directory as its administrators would: users and groups are
/// created, updated, deleted, renamed, or moved between groups, in a SCIM 2.0 fake or in UAA and
/// XSUAA (where users carry an `origin`, and group members are found by userName).
///
/// ```yaml
/// - change: { create: { user: { userName: erin, emails: [{ value: erin@example.com }] } } }
/// - change: { create: { group: { displayName: Auditors, members: [alice, erin] } } }   # members by userName
/// - change: { update: { user: carol, set: { name: { givenName: Caroline } } } }        # top-level attributes
/// - change: { delete: { user: dave } }
/// - change: { rename: { user: bob, to: robert } }
/// - change: { move: { user: alice, from: Auditors, to: Approvers } }
/// - change: { fake: afc, delete: { group: Old } }                                       # default fake: identity-directory
/// - change: { fake: xsuaa, create: { user: { userName: erin, origin: sap.custom, emails: [{ value: erin@example.com }] } } }
/// ```
struct ChangeStep: ScenarioStep {
    static let kind = StepKind(key: "change", summary: "create, update, delete, rename or move users and groups in a source directory", shape: shape) { (node, _) throws(ScenarioError) -> any ScenarioStep in
        try ChangeStep(node)
    }

    static let shape = JSONShape.object("One change to a fake's users or groups (identity-directory, afc, xsuaa, uaa), as its administrators would make it; give exactly one of create, update, delete, rename, move.", [
        .optional("fake", StepShapes.fake.described("The fake to change (default identity-directory).")), DirectoryTarget.systemMember,
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

    typealias EntityKind = DirectoryChange.Entity

    let target: DirectoryTarget
    let change: DirectoryChange

    init(_ node: ScenarioNode) throws(ScenarioError) {
        try node.rejectUnknownKeys(Self.shape)
        target = try DirectoryTarget(node, defaultFake: "identity-directory")
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
            change = .update(kind, name: try value.string(), set: set)
        case "delete":
            try body.rejectUnknownKeys(Self.deleteShape)
            let (kind, value) = try which()
            change = .delete(kind, name: try value.string())
        case "rename":
            try body.rejectUnknownKeys(Self.renameShape)
            change = .rename(user: try body.required("user").string(), to: try body.required("to").string())
        default:
            try body.rejectUnknownKeys(Self.moveShape)
            guard body["from"] != nil || body["to"] != nil else { throw body.error("give from:, to: or both") }
            change = .move(user: try body.required("user").string(), from: try body.string("from"), to: try body.string("to"))
        }
    }

    func run(in world: World) async -> StepOutcome {
        let change: DirectoryChange
        switch self.change.resolving(await world.savedValues) {
        case .success(let c): change = c
        case .failure(let f): return .error(f.message)
        }
        return await target.write(in: world, external: { await $0.apply(change) }, cloudFoundry: { .failure($0.unchangeable) }, fake: { await Self.apply(change, toFake: $0, in: world) })
    }

    private static func apply(_ change: DirectoryChange, toFake fake: String, in world: World) async -> StepOutcome {
        let host: FakeHost
        switch await FakeControl.host(fake, in: world) {
        case .success(let h): host = h
        case .failure(let f): return .error(f.message)
        }
        guard let administration = host.service.administration else {
            return .error("\(fake) has no users and groups to change (change: works on identity-directory, afc, xsuaa and uaa)")
        }
        do throws(FakeRequestError) {
            return .passed(try administration.apply(change))
        } catch {
            return .error("\(fake): \(error.message)")
        }
    }
}
