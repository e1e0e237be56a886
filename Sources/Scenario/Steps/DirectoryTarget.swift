import Hosting
import JSON

/// Where `seed`, `change` and `assert` go: a fake, through its control API, or a system, which is
/// its fake's control API when it has one and its public API when it is not a fake (declared with
/// a URL, or sent elsewhere by `--target`). A step that names a fake whose only system `--target`
/// sent elsewhere follows it, so a scenario written against the fakes runs unchanged; a fake that
/// still stands for another system stays where it is.
enum DirectoryTarget: Sendable, Equatable {
    case fake(String)
    case system(String)

    static let fakeMember = JSONShape.Member.optional("fake", StepShapes.fake)
    static let systemMember = JSONShape.Member.optional("system", StepShapes.system.described("A declared system: its fake, or its public API when it is not a fake."))

    /// `fake:` or `system:` (not both); `defaultFake` when neither is given, else an error.
    init(_ node: ScenarioNode, defaultFake: String? = nil) throws(ScenarioError) {
        switch (try node.string("fake"), try node.string("system"), defaultFake) {
        case (let fake?, nil, _): self = .fake(fake)
        case (nil, let system?, _): self = .system(system)
        case (nil, nil, let fake?): self = .fake(fake)
        case (.some, .some, _): throw node.error("give fake: or system:, not both")
        case (nil, nil, nil): throw node.error("missing required key 'fake' (or 'system')")
        }
    }

    var name: String {
        switch self {
        case .fake(let name), .system(let name): name
        }
    }

    enum Resolved: Sendable {
        case fake(String)
        case external(ExternalDirectory)
        case cloudFoundry(ExternalCloudFoundry)

        var isFake: Bool {
            if case .fake = self { return true }
            return false
        }

        /// What `assert` reads: a fake's state through its control API, or what a system that is
        /// not a fake lists through its public API.
        func state(in world: World) async -> Result<JSONValue, StepFailure> {
            switch self {
            case .fake(let name): await FakeControl.call(name, "GET", "state", in: world)
            case .external(let directory): await directory.state()
            case .cloudFoundry(let platform): await platform.state()
            }
        }
    }

    func resolve(in world: World) async -> Result<Resolved, StepFailure> {
        guard let provisioning = await world.provisioning else { return .failure(StepFailure("no fakes are running: a 'systems' step must come first")) }
        let system: String
        switch self {
        case .fake(let fake):
            guard let systems = provisioning.redirectedSystems(of: fake) else { return .success(.fake(fake)) }
            // The fake's systems went elsewhere: one is followed, several are ambiguous.
            guard systems.count == 1, let only = systems.first else {
                return .failure(StepFailure("the fake '\(fake)' stood for \(systems.sorted().joined(separator: " and ")), which --target sends elsewhere: name one with system:"))
            }
            system = only
        case .system(let name):
            if let fake = provisioning.fakeOfSystem[name] { return .success(.fake(fake)) }
            system = name
        }
        guard provisioning.external[system] != nil, let type = provisioning.engine.systems[system]?.type else {
            return .failure(StepFailure("no system named '\(system)' (systems: \(provisioning.engine.systems.order.joined(separator: ", ")))"))
        }
        if type == .cfPlatformMembers { return .success(.cloudFoundry(ExternalCloudFoundry(system: system, world: world))) }
        return await ExternalDirectory.connect(system, type: type, in: world).map(Resolved.external)
    }

    /// A writing step (`seed`, `change`) on this target: `external` for a SCIM system that is not
    /// a fake, `cloudFoundry` for a Cloud Foundry one, `fake` for a fake.
    func write(in world: World, external: (ExternalDirectory) async -> Result<String, StepFailure>,
               cloudFoundry: (ExternalCloudFoundry) async -> Result<String, StepFailure>,
               fake: (String) async -> StepOutcome) async -> StepOutcome {
        let written: Result<String, StepFailure>
        switch await resolve(in: world) {
        case .failure(let f): return .error(f.message)
        case .success(.fake(let name)): return await fake(name)
        case .success(.cloudFoundry(let platform)): written = await cloudFoundry(platform)
        case .success(.external(let directory)): written = await external(directory)
        }
        switch written {
        case .success(let message): return .passed(message)
        case .failure(let f): return .error(f.message)
        }
    }

    /// For steps only a fake can take (`fault`, `control`): the fake, unless `--target` sent all
    /// its systems to real services, which cannot be given faults or controlled.
    static func fakeOnly(_ fake: String, step: String, in world: World) async -> StepFailure? {
        guard let provisioning = await world.provisioning, let systems = provisioning.redirectedSystems(of: fake) else { return nil }
        let urls = systems.sorted().map { "\($0) → \(provisioning.external[$0] ?? "?")" }.joined(separator: ", ")
        return StepFailure("\(step) needs a fake, and '\(fake)' stood for \(urls) (--target): a real service cannot be given \(step == "fault" ? "faults" : "control calls")")
    }
}

extension DirectoryChange {
    /// The change with `${name}` (`${run}`) in its names and values filled in.
    func resolving(_ saved: [String: JSONValue]) -> Result<DirectoryChange, StepFailure> {
        func text(_ s: String) throws(StepFailure) -> String { try SavedValues.resolve(s, saved).get() }
        func json(_ v: JSONValue) throws(StepFailure) -> JSONValue { try SavedValues.resolve(v, saved).get() }
        do throws(StepFailure) {
            switch self {
            case .create(let kind, let value): return .success(.create(kind, try json(value)))
            case .update(let kind, let name, let set):
                var resolved = JSONObject()
                for member in set { resolved[try text(member.key)] = try json(member.value) }
                return .success(.update(kind, name: try text(name), set: resolved))
            case .delete(let kind, let name): return .success(.delete(kind, name: try text(name)))
            case .rename(let user, let to): return .success(.rename(user: try text(user), to: try text(to)))
            case .move(let user, let from, let to):
                return .success(.move(user: try text(user), from: try from.map { (f) throws(StepFailure) in try text(f) }, to: try to.map { (t) throws(StepFailure) in try text(t) }))
            }
        } catch {
            return .failure(error)
        }
    }
}
