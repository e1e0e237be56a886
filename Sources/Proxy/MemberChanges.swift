import JSON
import SCIM

/// The member changes of a SCIM PATCH of a group, for back-ends that cannot take the PATCH itself:
/// XSUAA proxies without `scim.support.patch.operation` change membership through member
/// endpoints (docs/fidelity.md, “UAA and XSUAA”: `POST /Groups/{id}/members`, `DELETE /Groups/{id}/members/{memberId}`),
/// Platform Members grants and revokes Cloud Foundry roles.
///
/// Operations net out in their order: an `add` undoes an earlier `remove` of the same member and
/// the other way round, and a `replace` (or removing all members) starts over. So the result is
/// `((replacement ?? current) − removals) + additions`, with additions and removals disjoint.
struct MemberChanges: Equatable {
    /// Members to add, as the client sent them (`value`, optionally `type` and `origin`).
    var additions: [JSONValue] = []
    /// Member IDs to remove.
    var removals: [String] = []
    /// The complete new member list of a `replace` (nil when no operation replaces the members).
    var replacement: [JSONValue]?

    /// Reads `add`, `remove` and `replace` operations on `members`; any other attribute is
    /// `400 invalidValue` naming the operation, since member endpoints cannot change it.
    init(patch body: JSONValue) throws(SCIMError) {
        let patch = try SCIMPatch(json: body)
        for (index, operation) in patch.operations.enumerated() {
            let members: [JSONValue]
            if let path = operation.path {
                guard path.attribute.attribute.caseInsensitiveEquals("members"), path.attribute.subAttribute == nil || path.filter != nil else {
                    throw Self.notMembers(index, path.description)
                }
                if operation.op == .remove {
                    if let filter = path.filter {
                        remove(try Self.memberIds(in: filter, operation: index))
                    } else if let value = operation.value {
                        remove((value.arrayValue ?? [value]).compactMap { $0["value"]?.idText })
                    } else {
                        replaceAll(with: [])
                    }
                    continue
                }
                members = operation.value.map { $0.arrayValue ?? [$0] } ?? []
            } else {
                // No path: the value is a partial resource, of which only `members` may be given.
                guard case .object(let object)? = operation.value else { throw Self.notMembers(index, "(no path)") }
                if let other = object.keys.first(where: { !$0.caseInsensitiveEquals("members") }) { throw Self.notMembers(index, other) }
                members = object.first { $0.key.caseInsensitiveEquals("members") }.map { $0.value.arrayValue ?? [$0.value] } ?? []
                if operation.op == .remove {
                    remove(members.compactMap { $0["value"]?.idText })
                    continue
                }
            }
            for member in members where member["value"]?.idText == nil {
                throw .badRequest(.invalidValue, "operation \(index + 1): every member needs a \"value\"")
            }
            if operation.op == .replace {
                replaceAll(with: members)
            } else {
                add(members)
            }
        }
    }

    private mutating func add(_ members: [JSONValue]) {
        let ids = Set(members.compactMap { $0["value"]?.idText })
        removals.removeAll { ids.contains($0) }
        additions.removeAll { ids.contains($0["value"]?.idText ?? "") }
        additions += members
    }

    private mutating func remove(_ ids: [String]) {
        let removed = Set(ids)
        additions.removeAll { removed.contains($0["value"]?.idText ?? "") }
        for id in ids where !removals.contains(id) { removals.append(id) }
    }

    private mutating func replaceAll(with members: [JSONValue]) {
        replacement = members
        additions = []
        removals = []
    }

    /// The member IDs once the changes are applied to `current`.
    func memberIds(after current: [String]) -> [String] {
        var ids = replacement.map { $0.compactMap { $0["value"]?.idText } } ?? current
        let removed = Set(removals)
        ids.removeAll { removed.contains($0) }
        for id in additions.compactMap({ $0["value"]?.idText }) where !ids.contains(id) { ids.append(id) }
        return ids
    }

    /// `value eq "id"`, or several joined with `or`.
    private static func memberIds(in filter: SCIMFilter, operation index: Int) throws(SCIMError) -> [String] {
        switch filter {
        case .compare(let path, .eq, .string(let id)) where path.attribute.caseInsensitiveEquals("value"):
            return [id]
        case .or(let a, let b):
            return try memberIds(in: a, operation: index) + memberIds(in: b, operation: index)
        default:
            throw .badRequest(.invalidPath, "operation \(index + 1): members can only be removed by value eq \"<id>\"")
        }
    }

    private static func notMembers(_ index: Int, _ attribute: String) -> SCIMError {
        .badRequest(.invalidValue, "operation \(index + 1) changes '\(attribute)': this proxy's back-end changes only a group's members through PATCH (XSUAA: unless scim.support.patch.operation=true)")
    }
}
