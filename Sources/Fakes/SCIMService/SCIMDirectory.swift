import Chrono
import Determinism
import Hosting
import JSON
import SCIM
import Synchronization

/// One stored resource with its bookkeeping.
public struct SCIMRecord: Sendable {
    /// The attributes as stored: `schemas`, `id`, then the client's attributes (no `meta`, no computed ones).
    public var resource: JSONValue
    public var version: Int
    public var created: Int
    public var lastModified: Int
    /// Soft-deleted: invisible through the API but kept (AFC keeps deleted users).
    public var hidden = false
    /// Service-specific markers (AFC: `draft`, `syncedViaSCIM`).
    public var flags: Set<String> = []

    public var id: String { resource["id"]?.stringValue ?? "" }
    public var etag: String { "W/\"\(version)\"" }
}

/// Domain rules a SCIM service adds to the generic behaviour (AFC's soft deletes, drafts, roles).
/// Every hook runs inside the directory's lock.
public protocol SCIMDirectoryRules: Sendable {
    /// Before a create is stored: adjust the resource, or return the ID of a hidden record to
    /// bring back instead of creating a new one.
    func prepareCreate(_ resource: inout JSONValue, type: SCIMResourceType, state: SCIMDirectoryState) throws(SCIMError) -> String?
    /// Checks that apply to every write of a resource (after it is built).
    func validate(_ resource: JSONValue, type: SCIMResourceType, existing: SCIMRecord?, state: SCIMDirectoryState) throws(SCIMError)
    /// A delete; return `true` when handled here (soft delete), `false` for a real delete.
    func delete(_ record: inout SCIMRecord, type: SCIMResourceType, state: SCIMDirectoryState) throws(SCIMError) -> Bool
    /// After any successful write (AFC marks groups as synchronized).
    func didWrite(_ record: inout SCIMRecord, type: SCIMResourceType)
}

extension SCIMDirectoryRules {
    public func prepareCreate(_ resource: inout JSONValue, type: SCIMResourceType, state: SCIMDirectoryState) throws(SCIMError) -> String? { nil }
    public func validate(_ resource: JSONValue, type: SCIMResourceType, existing: SCIMRecord?, state: SCIMDirectoryState) throws(SCIMError) {}
    public func delete(_ record: inout SCIMRecord, type: SCIMResourceType, state: SCIMDirectoryState) throws(SCIMError) -> Bool { false }
    public func didWrite(_ record: inout SCIMRecord, type: SCIMResourceType) {}
}

public struct NoExtraRules: SCIMDirectoryRules {
    public init() {}
}

/// A SCIM 2.0 resource store with RFC 7644 semantics: server-assigned IDs, versions and ETags,
/// `meta`, uniqueness, atomic PATCH, group membership reflected in users' `groups`.
public final class SCIMDirectory: Sendable {
    public let types: [SCIMResourceType]
    public let basePath: String
    let clock: SimulatedClock
    let rules: any SCIMDirectoryRules
    let seed: UInt64
    private let state: Mutex<SCIMDirectoryState>

    public init(types: [SCIMResourceType], basePath: String, clock: SimulatedClock, seed: UInt64, rules: any SCIMDirectoryRules = NoExtraRules()) {
        self.types = types
        self.basePath = basePath
        self.clock = clock
        self.rules = rules
        self.seed = seed
        state = Mutex(Self.emptyState(types: types, seed: seed))
    }

    private static func emptyState(types: [SCIMResourceType], seed: UInt64) -> SCIMDirectoryState {
        SCIMDirectoryState(random: SeededRandom(seed: seed),
                           indexed: Dictionary(types.map { ($0.name, SCIMDirectoryState.indexedAttributes(of: $0)) }, uniquingKeysWith: { $1 }))
    }

    public func type(named name: String) -> SCIMResourceType? {
        types.first { $0.name == name }
    }

    public func type(forEndpoint endpoint: String) -> SCIMResourceType? {
        types.first { $0.endpoint.caseInsensitiveEquals("/" + endpoint) }
    }

    public func reset() {
        state.withLock { $0 = Self.emptyState(types: types, seed: seed) }
    }

    /// Runs `body` with the state locked (for service-specific operations such as AFC sign-ins).
    public func withState<R>(_ body: (inout SCIMDirectoryState) throws(SCIMError) -> R) throws(SCIMError) -> R {
        try state.withLock { (s) throws(SCIMError) -> R in try body(&s) }
    }

    public func read<R>(_ body: (SCIMDirectoryState) -> R) -> R {
        state.withLock { body($0) }
    }

    // MARK: Operations

    public func create(_ type: SCIMResourceType, _ body: JSONValue, id requestedID: String? = nil) throws(SCIMError) -> SCIMRecord {
        try state.withLock { (s) throws(SCIMError) -> SCIMRecord in
            var resource = try build(type, body, id: nil)
            if let revived = try rules.prepareCreate(&resource, type: type, state: s) {
                guard var record = s.records[type.name]?[revived] else { throw SCIMError.notFound("\(type.name) \(revived) not found") }
                resource["id"] = .string(revived)
                try checkUniqueness(resource, type: type, excluding: revived, state: s)
                try rules.validate(resource, type: type, existing: record, state: s)
                record.resource = resource
                record.hidden = false
                record.version += 1
                record.lastModified = clock.timestamp()
                rules.didWrite(&record, type: type)
                try index(&s, type: type, id: revived, previous: record.resource["members"], members: resource["members"])
                s.put(record, type: type.name)
                return record
            }
            try checkUniqueness(resource, type: type, excluding: nil, state: s)
            let id = requestedID ?? s.random.uuidString()
            guard s.records[type.name]?[id] == nil else { throw SCIMError.conflict("\(type.name) with id \(id) already exists") }
            resource = ordered(resource, id: id, type: type)
            try rules.validate(resource, type: type, existing: nil, state: s)
            try index(&s, type: type, id: id, previous: nil, members: resource["members"])
            let now = clock.timestamp()
            var record = SCIMRecord(resource: resource, version: 1, created: now, lastModified: now)
            rules.didWrite(&record, type: type)
            s.put(record, type: type.name)
            return record
        }
    }

    public func replace(_ type: SCIMResourceType, id: String, _ body: JSONValue, ifMatch: String?) throws(SCIMError) -> SCIMRecord {
        try state.withLock { (s) throws(SCIMError) -> SCIMRecord in
            var record = try visible(type, id, s)
            try check(ifMatch: ifMatch, record)
            let resource = ordered(try build(type, body, id: id), id: id, type: type)
            return try store(resource, into: &record, type: type, state: &s)
        }
    }

    public func patch(_ type: SCIMResourceType, id: String, _ patch: SCIMPatch, ifMatch: String?) throws(SCIMError) -> SCIMRecord {
        try state.withLock { (s) throws(SCIMError) -> SCIMRecord in
            var record = try visible(type, id, s)
            try check(ifMatch: ifMatch, record)
            var patched = try patch.apply(to: record.resource, resourceType: type)
            patched = try build(type, patched, id: id)
            return try store(ordered(patched, id: id, type: type), into: &record, type: type, state: &s)
        }
    }

    public func delete(_ type: SCIMResourceType, id: String, ifMatch: String?) throws(SCIMError) {
        try state.withLock { (s) throws(SCIMError) in
            var record = try visible(type, id, s)
            try check(ifMatch: ifMatch, record)
            if try rules.delete(&record, type: type, state: s) {
                record.lastModified = clock.timestamp()
                s.put(record, type: type.name)
                return
            }
            s.remove(type: type.name, id: id)
            // A deleted member leaves its groups; a deleted group loses its members.
            for groupID in s.memberships[id] ?? [] {
                guard var group = s.records[groupTypeName]?[groupID] else { continue }
                if case .array(let members) = group.resource["members"] {
                    let remaining = members.filter { $0["value"]?.stringValue != id }
                    group.resource["members"] = remaining.isEmpty ? nil : .array(remaining)
                    group.version += 1
                    group.lastModified = clock.timestamp()
                    s.put(group, type: groupTypeName)
                }
            }
            s.memberships[id] = nil
            if type.name == groupTypeName {
                for member in (record.resource["members"]?.arrayValue ?? []).compactMap({ $0["value"]?.stringValue }) {
                    s.memberships[member]?.remove(id)
                }
            }
        }
    }

    public func get(_ type: SCIMResourceType, id: String) throws(SCIMError) -> SCIMRecord {
        try state.withLock { (s) throws(SCIMError) -> SCIMRecord in try visible(type, id, s) }
    }

    /// Every visible resource of a type, rendered.
    public func renderedAll(_ type: SCIMResourceType, baseURL: String) -> [JSONValue] {
        state.withLock { s in
            s.all(type.name).filter { !$0.hidden }.map { render($0, type: type, baseURL: baseURL, state: s) }
        }
    }

    /// The visible resources matching `filter`, rendered, in creation order.
    ///
    /// An equality on an indexed attribute (`userName eq "…"`) narrows the candidates first, and
    /// the filter sees each candidate with only the computed parts it refers to (`meta`,
    /// `groups`, `members`), so filtering a large directory neither scans nor renders it all.
    public func renderedMatching(_ type: SCIMResourceType, filter: SCIMFilter, baseURL: String) -> [JSONValue] {
        state.withLock { s in
            matching(type, filter: filter, baseURL: baseURL, state: s).map { render($0, type: type, baseURL: baseURL, state: s) }
        }
    }

    /// One page of the visible resources matching `filter` (`startIndex` from 1), and how many
    /// match: only the page is rendered in full.
    public func renderedMatchingPage(_ type: SCIMResourceType, filter: SCIMFilter, startIndex: Int, count: Int, baseURL: String) -> (page: [JSONValue], total: Int) {
        state.withLock { s in
            let found = matching(type, filter: filter, baseURL: baseURL, state: s)
            let page = found[SCIMPaging.window(startIndex: startIndex, count: count, total: found.count)]
            return (page.map { render($0, type: type, baseURL: baseURL, state: s) }, found.count)
        }
    }

    private func matching(_ type: SCIMResourceType, filter: SCIMFilter, baseURL: String, state s: SCIMDirectoryState) -> [SCIMRecord] {
        let evaluator = SCIMFilterEvaluator(resourceType: type)
        let referenced = filter.referencedAttributes
        var parts: RenderParts = []
        if referenced.contains("meta") { parts.insert(.meta) }
        if referenced.contains("groups") { parts.insert(.groups) }
        if referenced.contains("members") { parts.insert(.members) }
        var candidates: [SCIMRecord]?
        for term in filter.equalityTerms where term.path.subAttribute == nil {
            let schema = term.path.schema.flatMap { $0.caseInsensitiveEquals(type.schema.id) ? nil : $0 }
            if let found = s.candidates(type.name, schema: schema, attribute: term.path.attribute, value: term.value) {
                candidates = found
                break
            }
        }
        return (candidates ?? s.all(type.name)).filter { record in
            !record.hidden && evaluator.matches(filter, render(record, type: type, baseURL: baseURL, state: s, parts: parts))
        }
    }

    /// One page of visible resources in creation order, rendering only that page.
    public func renderedPage(_ type: SCIMResourceType, startIndex: Int, count: Int, baseURL: String) -> (page: [JSONValue], total: Int) {
        state.withLock { s in
            let (records, total) = s.visiblePage(type.name, startIndex: startIndex, count: count)
            return (records.map { render($0, type: type, baseURL: baseURL, state: s) }, total)
        }
    }

    public func render(_ record: SCIMRecord, type: SCIMResourceType, baseURL: String) -> JSONValue {
        state.withLock { s in render(record, type: type, baseURL: baseURL, state: s) }
    }

    // MARK: Internals

    let groupTypeName = "Group"
    let userTypeName = "User"

    private func visible(_ type: SCIMResourceType, _ id: String, _ s: SCIMDirectoryState) throws(SCIMError) -> SCIMRecord {
        guard let record = s.records[type.name]?[id], !record.hidden else {
            throw SCIMError.notFound("\(type.name) \(id) not found")
        }
        return record
    }

    private func check(ifMatch: String?, _ record: SCIMRecord) throws(SCIMError) {
        guard let ifMatch, !ifMatch.isEmpty, ifMatch != "*" else { return }
        let tags = ifMatch.split(separator: ",").map { SCIMDirectory.opaqueTag(String($0)) }
        guard tags.contains(SCIMDirectory.opaqueTag(record.etag)) else {
            throw SCIMError(status: 412, detail: "Failed to update: the resource has version \(record.etag), If-Match was \(ifMatch)")
        }
    }

    /// The tag without `W/` and quotes, for weak comparison.
    static func opaqueTag(_ tag: String) -> String {
        var t = tag.trimmingCharacters(in: " ")
        if t.hasPrefix("W/") { t.removeFirst(2) }
        return t.trimmingCharacters(in: "\"")
    }

    private func store(_ resource: JSONValue, into record: inout SCIMRecord, type: SCIMResourceType, state s: inout SCIMDirectoryState) throws(SCIMError) -> SCIMRecord {
        var resource = resource
        if type.name == groupTypeName { keepHiddenMembers(of: record, in: &resource, state: s) }
        try checkUniqueness(resource, type: type, excluding: record.id, state: s)
        try rules.validate(resource, type: type, existing: record, state: s)
        try index(&s, type: type, id: record.id, previous: record.resource["members"], members: resource["members"])
        record.resource = resource
        record.version += 1
        record.lastModified = clock.timestamp()
        rules.didWrite(&record, type: type)
        s.put(record, type: type.name)
        return record
    }

    /// Validates a body and strips what clients may not set (RFC 7644: read-only attributes in a
    /// request are ignored).
    private func build(_ type: SCIMResourceType, _ body: JSONValue, id: String?) throws(SCIMError) -> JSONValue {
        guard case .object(var object) = body else {
            throw SCIMError.badRequest(.invalidSyntax, "The request body must be a JSON object")
        }
        guard case .array(let schemas)? = object["schemas"], schemas.contains(where: { $0.stringValue?.caseInsensitiveEquals(type.schema.id) == true }) else {
            throw SCIMError.badRequest(.invalidSyntax, "The resource must list the schema \(type.schema.id) in \"schemas\"")
        }
        for key in object.keys {
            if key.caseInsensitiveEquals("id") || key.caseInsensitiveEquals("meta") { object.removeValue(forKey: key) }
            // Read-only attributes are the server's; never-returned ones (the password) are write-only
            // secrets the fakes do not keep, so they can never leak into a response or a state dump.
            if let attribute = type.schema.attribute(named: key), attribute.mutability == .readOnly || attribute.returned == .never {
                object.removeValue(forKey: key)
            }
        }
        for ext in type.extensions {
            guard let extKey = object.keys.first(where: { $0.caseInsensitiveEquals(ext.schema.id) }), case .object(var extObject)? = object[extKey] else { continue }
            for key in extObject.keys {
                if let attribute = ext.schema.attribute(named: key), attribute.mutability == .readOnly || attribute.returned == .never {
                    extObject.removeValue(forKey: key)
                }
            }
            object[extKey] = .object(extObject)
        }
        // `schemas` names the core schema and the extensions the resource carries: extension
        // objects present but not listed are listed, listed extensions without an object dropped.
        var listed = schemas.filter { urn in
            guard let text = urn.stringValue, let ext = type.extensions.first(where: { $0.schema.id.caseInsensitiveEquals(text) }) else { return true }
            return object.keys.contains { $0.caseInsensitiveEquals(ext.schema.id) }
        }
        for ext in type.extensions where object[ext.schema.id] != nil && !listed.contains(.string(ext.schema.id)) {
            listed.append(.string(ext.schema.id))
        }
        object["schemas"] = .array(listed)
        let resource = JSONValue.object(object)
        try SCIMValidation.validate(resource, type: type)
        if type.name == groupTypeName, case .array(let members)? = object["members"] {
            var cleaned: [JSONValue] = []
            for member in members {
                guard case .object(var m) = member, let value = m["value"]?.stringValue, !value.isEmpty else {
                    throw SCIMError.badRequest(.invalidValue, "Every member needs a \"value\" with the member's id")
                }
                m.removeValue(forKey: "display")
                m.removeValue(forKey: "$ref")
                if value == id { throw SCIMError.badRequest(.invalidValue, "A group cannot be a member of itself") }
                cleaned.append(.object(m))
            }
            var withMembers = resource
            withMembers["members"] = .array(cleaned)
            return withMembers
        }
        return resource
    }

    /// `schemas`, then `id`, then the attributes in the client's order.
    private func ordered(_ resource: JSONValue, id: String, type: SCIMResourceType) -> JSONValue {
        guard case .object(let object) = resource else { return resource }
        var out = JSONObject()
        out["schemas"] = object["schemas"] ?? .array([.string(type.schema.id)])
        out["id"] = .string(id)
        for member in object where member.key != "schemas" && member.key != "id" { out[member.key] = member.value }
        return .object(out)
    }

    private func checkUniqueness(_ resource: JSONValue, type: SCIMResourceType, excluding id: String?, state s: SCIMDirectoryState) throws(SCIMError) {
        for schema in type.schemas {
            for attribute in schema.attributes where attribute.uniqueness != .none && !attribute.multiValued {
                let path = SCIMAttributePath(schema: schema.id == type.schema.id ? nil : schema.id, attribute: attribute.name)
                guard case .string(let value)? = SCIMResourceAccess.value(of: path, in: resource, resourceType: type) else { continue }
                let candidates = s.candidates(type.name, schema: path.schema, attribute: attribute.name, value: value)
                let clash = (candidates ?? s.all(type.name)).first { other in
                    guard other.id != id, !other.hidden,
                          case .string(let existing)? = SCIMResourceAccess.value(of: path, in: other.resource, resourceType: type) else { return false }
                    return attribute.caseExact ? existing == value : existing.lowercased() == value.lowercased()
                }
                if clash != nil {
                    throw SCIMError.conflict("\(type.name) with \(attribute.name) '\(value)' already exists")
                }
            }
        }
    }

    /// Hidden (soft-deleted) users keep their group assignments, but clients never see them, so a
    /// write that omits them must not drop them.
    private func keepHiddenMembers(of record: SCIMRecord, in resource: inout JSONValue, state s: SCIMDirectoryState) {
        let previous = record.resource["members"]?.arrayValue ?? []
        var members = resource["members"]?.arrayValue ?? []
        let present = Set(members.compactMap { $0["value"]?.stringValue })
        let kept = previous.filter { member in
            guard let id = member["value"]?.stringValue, !present.contains(id) else { return false }
            return s.records[userTypeName]?[id]?.hidden == true
        }
        guard !kept.isEmpty else { return }
        members += kept
        resource["members"] = .array(members)
    }

    /// Keeps the member → groups index in step with a group's members; checks members exist.
    private func index(_ s: inout SCIMDirectoryState, type: SCIMResourceType, id: String, previous: JSONValue?, members: JSONValue?) throws(SCIMError) {
        guard type.name == groupTypeName else { return }
        let ids = (members?.arrayValue ?? []).compactMap { $0["value"]?.stringValue }
        let previousIDs = Set((previous?.arrayValue ?? []).compactMap { $0["value"]?.stringValue })
        for member in ids where !previousIDs.contains(member) {
            let exists = (s.records[userTypeName]?[member].map { !$0.hidden } ?? false) || (s.records[groupTypeName]?[member] != nil)
            guard exists else { throw SCIMError.badRequest(.invalidValue, "Member '\(member)' does not exist") }
        }
        for member in (previous?.arrayValue ?? []).compactMap({ $0["value"]?.stringValue }) { s.memberships[member]?.remove(id) }
        for member in ids { s.memberships[member, default: []].insert(id) }
    }

    /// The computed parts of a rendered resource.
    struct RenderParts: OptionSet {
        let rawValue: Int
        static let groups = RenderParts(rawValue: 1)
        static let members = RenderParts(rawValue: 2)
        static let meta = RenderParts(rawValue: 4)
        static let all: RenderParts = [.groups, .members, .meta]
    }

    private func render(_ record: SCIMRecord, type: SCIMResourceType, baseURL: String, state s: SCIMDirectoryState, parts: RenderParts = .all) -> JSONValue {
        var resource = record.resource
        if type.name == userTypeName && parts.contains(.groups) {
            let groups = (s.memberships[record.id] ?? []).sorted().compactMap { gid -> JSONValue? in
                guard let group = s.records[groupTypeName]?[gid] else { return nil }
                return .object(JSONObject([
                    ("value", .string(gid)), ("$ref", .string("\(baseURL)\(basePath)/Groups/\(gid)")),
                    ("display", group.resource["displayName"] ?? .null), ("type", "direct"),
                ]))
            }
            if !groups.isEmpty { resource["groups"] = .array(groups) }
        }
        if type.name == groupTypeName, parts.contains(.members), case .array(let members)? = resource["members"] {
            resource["members"] = .array(members.compactMap { member -> JSONValue? in
                guard let id = member["value"]?.stringValue else { return nil }
                if let user = s.records[userTypeName]?[id] {
                    if user.hidden { return nil }
                    var m = member
                    m["type"] = "User"
                    m["display"] = user.resource["displayName"] ?? user.resource["userName"] ?? .null
                    m["$ref"] = .string("\(baseURL)\(basePath)/Users/\(id)")
                    return m
                }
                if let group = s.records[groupTypeName]?[id] {
                    var m = member
                    m["type"] = "Group"
                    m["display"] = group.resource["displayName"] ?? .null
                    m["$ref"] = .string("\(baseURL)\(basePath)/Groups/\(id)")
                    return m
                }
                return nil
            })
        }
        guard parts.contains(.meta) else { return resource }
        let location = "\(baseURL)\(basePath)\(type.endpoint)/\(record.id)"
        resource["meta"] = .object(JSONObject([
            ("resourceType", .string(type.name)),
            ("created", .string(RFC3339.format(epochMilliseconds: record.created))),
            ("lastModified", .string(RFC3339.format(epochMilliseconds: record.lastModified))),
            ("location", .string(location)),
            ("version", .string(record.etag)),
        ]))
        return resource
    }
}
