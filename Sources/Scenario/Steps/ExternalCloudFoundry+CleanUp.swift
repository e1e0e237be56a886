import Engine
import JSON

/// The end of a scenario on a Cloud Foundry system that is not a fake: the users whose username
/// carries the run ID go, with their roles, whoever created them (seeds, jobs, request steps).
/// Role by role, never through the connector's group deletion, which would revoke the role from
/// every holder; and only roles of users found by name, never all roles of the foundation.
extension ExternalCloudFoundry {
    /// A user found by its name.
    struct RunUser {
        let guid: String
        let username: String
    }

    /// Deletes the users named with the run ID (`DELETE /v3/users/<guid>`, which takes their
    /// roles along, is an admin's call: the first 403 ends the attempt and is reported), then
    /// the roles they still hold, and lists both again to prove that none is left. `created` is
    /// what the scenario's seeds and jobs created here: what of it does not carry the run ID is
    /// left alone and reported.
    func cleanUp(runId: String, created: [World.ExternalEntity]) async -> World.CleanUpReport {
        var report = World.CleanUpReport()
        let connector: PlatformMembersConnector
        let users: [RunUser]
        switch (await platformConnector(), await runUsers(runId)) {
        case (.failure(let f), _), (_, .failure(let f)):
            report.failures.append(f.message)
            return report
        case (.success(let c), .success(let u)):
            (connector, users) = (c, u)
        }
        // Users first: for an admin that is all there is to do.
        var deletedUsers: Set<String> = []
        for (index, user) in users.enumerated() {
            guard let failure = await connector.deleteAndAwait("/v3/users/" + user.guid) else {
                report.deleted.append("\(system) user \(user.username)")
                deletedUsers.insert(user.guid)
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
        // Then the roles of the others, in the order Cloud Foundry accepts their removal.
        let holders = users.map(\.guid).filter { !deletedUsers.contains($0) }
        var refused: Set<String> = []
        switch await roles(of: holders) {
        case .failure(let f):
            report.failures.append(f.message)
        case .success(let roles):
            for role in roles.sorted(by: { PlatformMembersConnector.removalRank(of: $0.type) < PlatformMembersConnector.removalRank(of: $1.type) }) {
                if let failure = await connector.deleteAndAwait("/v3/roles/" + role.guid) {
                    refused.insert(role.guid)
                    report.failures.append("\(system) role \(role.name) of \(role.user): \(failure.message)")
                } else {
                    report.deleted.append("\(system) role \(role.name) of \(role.user)")
                }
            }
        }
        // Proof: Cloud Foundry lists none of it any more.
        switch await roles(of: users.map(\.guid)) {
        case .failure(let f): report.failures.append(f.message)
        case .success(let after):
            for role in after where !refused.contains(role.guid) {
                report.failures.append("\(system) role \(role.name) of \(role.user): still listed after its deletion")
            }
        }
        if !deletedUsers.isEmpty {
            switch await runUsers(runId) {
            case .failure(let f): report.failures.append(f.message)
            case .success(let after):
                for user in after where deletedUsers.contains(user.guid) {
                    report.failures.append("\(system) user \(user.username): still listed after its deletion")
                }
            }
        }
        await reportLeftAlone(created, runUsers: Set(users.map(\.guid)), runId: runId, into: &report)
        return report
    }

    /// What `--keep-created` keeps here: the users named with the run ID and their roles.
    func kept(runId: String) async -> World.CleanUpReport {
        var report = World.CleanUpReport()
        switch await runUsers(runId) {
        case .failure(let f): report.failures.append(f.message)
        case .success(let users) where !users.isEmpty:
            report.keptOut.insert("kept \(users.count) user\(users.count == 1 ? "" : "s") named with the run ID in \(system), with their roles (--keep-created)")
        case .success: break
        }
        return report
    }

    /// Users whose username carries the run ID (`partial_usernames`, then the whole-token rule).
    private func runUsers(_ runId: String) async -> Result<[RunUser], StepFailure> {
        await list("/v3/users?partial_usernames=\(FormEncoding.escape(runId))&per_page=100").map { users, _ in
            users.compactMap { user in
                guard let guid = user["guid"]?.stringValue, let name = user["username"]?.stringValue, name.carriesRunId(runId) else { return nil }
                return RunUser(guid: guid, username: name)
            }
        }.mapError { StepFailure("listing the users named with the run ID: \($0.message)") }
    }

    /// The roles these users hold.
    private func roles(of users: [String]) async -> Result<[CloudFoundryRole], StepFailure> {
        await roles(where: "user_guids", in: users)
    }

    /// The roles a V3 list filter (`user_guids`, `guids`) finds for `values`, 50 to a request.
    private func roles(where filter: String, in values: [String]) async -> Result<[CloudFoundryRole], StepFailure> {
        var roles: [CloudFoundryRole] = []
        for start in stride(from: 0, to: values.count, by: 50) {
            let listed = values[start..<min(start + 50, values.count)].map(FormEncoding.escape).joined(separator: ",")
            switch await state(of: "/v3/roles?\(filter)=\(listed)&include=user,organization,space&per_page=100") {
            case .success(let state): roles += CloudFoundryRole.all(in: state)
            case .failure(let f): return .failure(f)
            }
        }
        return .success(roles)
    }

    /// What the scenario created and the clean-up left because its user's name lacks the run ID
    /// (a seed's role for a real user, a job's user) or the credentials cannot see it.
    private func reportLeftAlone(_ created: [World.ExternalEntity], runUsers: Set<String>, runId: String, into report: inout World.CleanUpReport) async {
        // A job's groups name role sets, not roles: only a seed's role GUIDs are looked up.
        let seededRoles = created.filter { $0.type == .group && !$0.id.contains(" ") }.map(\.id)
        switch await roles(where: "guids", in: seededRoles) {
        case .success(let found):
            for role in found where !runUsers.contains(role.userGuid) {
                report.keptOut.insert("\(system) role \(role.name) of \(role.user): its user's name does not carry the run ID \(runId), so it is left alone")
            }
        case .failure(let f):
            report.failures.append(f.message)
        }
        let others = Set(created.filter { $0.type == .user && !runUsers.contains($0.id) }.map(\.id)).count
        if others > 0 {
            report.keptOut.insert("\(system): \(others) user\(others == 1 ? "" : "s") the scenario created \(others == 1 ? "is" : "are") not deleted: not named with the run ID, or invisible to these credentials (an organization manager sees only users with a role in its organizations)")
        }
    }
}
