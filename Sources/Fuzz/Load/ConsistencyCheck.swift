import JSON

/// Compares a fake's state after a `WriteLoad` with what its clients were told: nothing lost,
/// nothing duplicated, nothing left dangling.
public enum ConsistencyCheck {
    /// The users (ID, name, origin) and memberships (group, member) a state holds, in the
    /// service's own shape: SCIM and UAA `users`/`groups`, Cloud Foundry `users`/`roles`.
    struct Snapshot {
        var users: [(id: String, name: String, origin: String)] = []
        var memberships: [(group: String, member: String)] = []

        init(service: String, state: JSONValue) {
            for user in state["users"]?.arrayValue ?? [] {
                let id = (user["id"] ?? user["guid"])?.stringValue ?? ""
                let name = (user["userName"] ?? user["username"])?.stringValue ?? ""
                users.append((id, name, user["origin"]?.stringValue ?? ""))
            }
            if service == "cf" {
                for role in state["roles"]?.arrayValue ?? [] {
                    let relationships = role["relationships"]
                    let group = relationships?["organization"]?["data"]?["guid"]?.stringValue ?? relationships?["space"]?["data"]?["guid"]?.stringValue ?? ""
                    if let member = relationships?["user"]?["data"]?["guid"]?.stringValue { memberships.append((group, member)) }
                }
            } else {
                for group in state["groups"]?.arrayValue ?? [] {
                    let id = group["id"]?.stringValue ?? ""
                    for member in group["members"]?.arrayValue ?? [] {
                        if let value = member["value"]?.stringValue { memberships.append((id, value)) }
                    }
                }
            }
        }
    }

    /// The problems found, empty when the state is exactly what the ledger says. `before` is the
    /// state before the load (its users must all still be there).
    public static func problems(service: String, before: JSONValue, after: JSONValue, ledger: WriteLoad.Ledger) -> [String] {
        var problems: [String] = []
        let old = Snapshot(service: service, state: before)
        let new = Snapshot(service: service, state: after)
        let ids = new.users.map(\.id)
        let idSet = Set(ids)
        if idSet.count != ids.count { problems.append("\(ids.count - idSet.count) user IDs appear twice") }
        let expected = Set(old.users.map(\.id)).union(ledger.live.keys)
        let lost = expected.subtracting(idSet)
        let phantom = idSet.subtracting(expected)
        if !lost.isEmpty { problems.append("\(lost.count) users created (or seeded) and not deleted are missing, e.g. \(lost.sorted().prefix(3))") }
        if !phantom.isEmpty { problems.append("\(phantom.count) users no client created (or that were deleted) exist, e.g. \(phantom.sorted().prefix(3))") }
        if idSet.count != old.users.count + ledger.live.count {
            problems.append("the fake holds \(idSet.count) users; seeded \(old.users.count) + created \(ledger.live.count + ledger.deleted.count) − deleted \(ledger.deleted.count) = \(old.users.count + ledger.live.count)")
        }
        let survivors = ledger.deleted.intersection(idSet)
        if !survivors.isEmpty { problems.append("\(survivors.count) deleted users still exist") }
        // Uniqueness as the service defines it: AFC's user IDs are case-sensitive, UAA's names unique per origin.
        let keys = new.users.map { user -> String in
            let name = service == "afc" ? user.name : user.name.lowercased()
            return service == "uaa" || service == "xsuaa" || service == "cf" ? user.origin + "/" + name : name
        }
        if Set(keys).count != keys.count { problems.append("\(keys.count - Set(keys).count) user names appear twice") }
        let dangling = new.memberships.filter { !idSet.contains($0.member) }
        if !dangling.isEmpty { problems.append("\(dangling.count) memberships point at users that do not exist, e.g. \(dangling.prefix(3).map { "\($0.group) → \($0.member)" })") }
        let held = Set(new.memberships.map { $0.group + "\u{0}" + $0.member })
        let missing = ledger.memberships.filter { !held.contains($0.group + "\u{0}" + $0.user) }
        if !missing.isEmpty { problems.append("\(missing.count) memberships the fake confirmed are gone, e.g. \(missing.prefix(3).map { "\($0.group) → \($0.user)" })") }
        return problems
    }
}
