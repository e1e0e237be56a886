import Engine
import JSON

/// The end of a scenario on a Cloud Foundry system that is not a fake: the users and roles named
/// with the run ID go, whoever created them (seeds, jobs, request steps). Role by role, never
/// through the connector's group deletion, which would revoke the role from every holder.
extension ExternalCloudFoundry {
    /// Deletes the users named with the run ID (`DELETE /v3/users/<guid>`, which takes their
    /// roles along, is an admin's call: the first 403 ends the attempt and is reported), then the
    /// roles still held by users named with the run ID, and lists the roles again to prove that
    /// none is left. `created` is what the scenario's seeds created here; what of it does not
    /// carry the run ID is left alone and reported.
    func cleanUp(runId: String, created: [World.ExternalEntity]) async -> World.CleanUpReport {
        var report = World.CleanUpReport()
        let connector: PlatformMembersConnector
        switch await platformConnector() {
        case .success(let c): connector = c
        case .failure(let f):
            report.failures.append(f.message)
            return report
        }
        // Users first, while they still hold the roles that let an organization manager see them.
        var users: [(guid: String, username: String)] = []
        let listing = await eachPage("/v3/users?partial_usernames=\(FormEncoding.escape(runId))&per_page=100") { page in
            for user in page["resources"]?.arrayValue ?? [] {
                guard let guid = user["guid"]?.stringValue, let name = user["username"]?.stringValue, name.carriesRunId(runId) else { continue }
                users.append((guid, name))
            }
        }
        if let listing { report.failures.append("\(system): listing the users named with the run ID: \(listing.message)") }
        for (index, user) in users.enumerated() {
            guard let failure = await connector.deleteAndAwait("/v3/users/" + user.guid) else {
                report.deleted.append("\(system) user \(user.username)")
                continue
            }
            guard failure.status == 403 else {
                report.failures.append("\(system) user \(user.username): \(failure.message)")
                continue
            }
            let left = users.count - index
            report.keptOut.insert("\(system): deleting a Cloud Foundry user needs an admin (403 for these credentials): \(left) user\(left == 1 ? "" : "s") named with the run ID stay\(left == 1 ? "s" : ""), without roles")
            break
        }
        let seen = Set(users.map(\.guid))
        let unseen = created.filter { $0.type == .user && !seen.contains($0.id) }.count
        if unseen > 0 {
            report.keptOut.insert("\(system): \(unseen) user\(unseen == 1 ? "" : "s") a seed created \(unseen == 1 ? "is" : "are") not deleted: not named with the run ID, or invisible to these credentials (an organization manager sees only users with a role in its organizations)")
        }
        // Then the roles, in the order Cloud Foundry accepts their removal.
        let roles: [CloudFoundryRole]
        switch await heldRoles() {
        case .success(let r): roles = r
        case .failure(let f):
            report.failures.append(f.message)
            return report
        }
        var refused: Set<String> = []
        for role in roles.filter({ $0.user.carriesRunId(runId) }).sorted(by: { $0.removalRank < $1.removalRank }) {
            if let failure = await connector.deleteAndAwait("/v3/roles/" + role.guid) {
                refused.insert(role.guid)
                report.failures.append("\(system) role \(role.name) of \(role.user): \(failure.message)")
            } else {
                report.deleted.append("\(system) role \(role.name) of \(role.user)")
            }
        }
        let createdRoles = Set(created.filter { $0.type == .group }.map(\.id))
        for role in roles where createdRoles.contains(role.guid) && !role.user.carriesRunId(runId) {
            report.keptOut.insert("\(system) role \(role.name) of \(role.user): its user's name does not carry the run ID \(runId), so it is left alone")
        }
        // Proof: none of the run's roles is listed any more.
        switch await heldRoles() {
        case .success(let after):
            for role in after where role.user.carriesRunId(runId) && !refused.contains(role.guid) {
                report.failures.append("\(system) role \(role.name) of \(role.user): still listed after its deletion")
            }
        case .failure(let f):
            report.failures.append(f.message)
        }
        return report
    }

    /// What `--keep-created` keeps here: the roles held by users named with the run ID.
    func kept(runId: String) async -> World.CleanUpReport {
        var report = World.CleanUpReport()
        switch await heldRoles() {
        case .success(let roles):
            let kept = roles.filter { $0.user.carriesRunId(runId) }
            if !kept.isEmpty {
                report.keptOut.insert("kept \(kept.count) role\(kept.count == 1 ? "" : "s") of users named with the run ID in \(system), and their users (--keep-created)")
            }
        case .failure(let f):
            report.failures.append(f.message)
        }
        return report
    }

    /// Every role the credentials see.
    private func heldRoles() async -> Result<[CloudFoundryRole], StepFailure> {
        await state().map(CloudFoundryRole.all(in:))
    }
}
