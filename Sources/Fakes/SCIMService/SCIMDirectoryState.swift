import Determinism
import Hosting
import JSON
import SCIM

/// The data of a SCIM 2.0 service, with an index for equality lookups.
///
/// Writes go through `put` and `remove` so the index stays in step; the index covers unique
/// attributes and the ones connectors look resources up by (`userName`, `displayName`,
/// `externalId`, the SAP `userUuid`), so `filter=userName eq "…"` and uniqueness checks do not
/// scan every resource.
public struct SCIMDirectoryState: Sendable {
    /// Resource type name → id → record.
    public private(set) var records: [String: [String: SCIMRecord]] = [:]
    /// Resource type name → creation order, for stable listings.
    private var order: [String: CreationOrder] = [:]
    /// Resource type name → how many of its records are hidden.
    private var hiddenCount: [String: Int] = [:]
    /// Member ID → IDs of the groups it is a direct member of.
    public var memberships: [String: Set<String>] = [:]
    var random: SeededRandom
    /// Resource type name → indexed attributes.
    let indexed: [String: [IndexedAttribute]]
    /// Resource type name → attribute → normalized value → ids (hidden records included).
    private var index: [String: [String: [String: Set<String>]]] = [:]

    /// An attribute kept in the index; `key` is the lowercased `urn:…:name` or `name`.
    struct IndexedAttribute: Sendable {
        let key: String
        let schema: String?
        let name: String
        let caseExact: Bool

        func value(in resource: JSONValue) -> String? {
            let container = schema.map { resource.member(caseInsensitive: $0) ?? .null } ?? resource
            return container.member(caseInsensitive: name)?.stringValue
        }

        static func key(schema: String?, name: String) -> String {
            (schema.map { $0 + ":" } ?? "").lowercased() + name.lowercased()
        }
    }

    init(random: SeededRandom, indexed: [String: [IndexedAttribute]]) {
        self.random = random
        self.indexed = indexed
    }

    /// The indexed attributes of a resource type: its single-valued unique strings (core and
    /// extensions), plus `displayName` and `externalId`.
    static func indexedAttributes(of type: SCIMResourceType) -> [IndexedAttribute] {
        var attributes: [IndexedAttribute] = []
        for schema in type.schemas {
            let qualifier = schema.id == type.schema.id ? nil : schema.id
            for attribute in schema.attributes where attribute.type == .string && !attribute.multiValued {
                let lookedUp = qualifier == nil && ["displayname", "externalid"].contains(attribute.name.lowercased())
                guard attribute.uniqueness != .none || lookedUp else { continue }
                attributes.append(IndexedAttribute(key: IndexedAttribute.key(schema: qualifier, name: attribute.name), schema: qualifier,
                                                   name: attribute.name, caseExact: attribute.caseExact))
            }
        }
        return attributes
    }

    public func record(_ type: String, _ id: String) -> SCIMRecord? {
        records[type]?[id]
    }

    /// Every record of a type in creation order, hidden ones included.
    public func all(_ type: String) -> [SCIMRecord] {
        (order[type]?.all ?? []).compactMap { records[type]?[$0] }
    }

    /// One page of the visible records of a type (`startIndex` counts from 1), and how many there
    /// are. Without hidden records the page is read by position; with some, the order is walked.
    mutating func visiblePage(_ type: String, startIndex: Int, count: Int) -> (page: [SCIMRecord], total: Int) {
        guard (hiddenCount[type] ?? 0) == 0 else {
            let visible = all(type).filter { !$0.hidden }
            return (Array(visible[SCIMPaging.window(startIndex: startIndex, count: count, total: visible.count)]), visible.count)
        }
        let total = order[type]?.count ?? 0
        let ids = order[type]?.slice(SCIMPaging.window(startIndex: startIndex, count: count, total: total)) ?? []
        return (ids.compactMap { $0.flatMap { records[type]?[$0] } }, total)
    }

    /// Stores a record (new or changed); a new one goes last in the creation order.
    public mutating func put(_ record: SCIMRecord, type: String) {
        let old = records[type]?[record.id]
        if let old {
            unindex(old, type: type)
            if old.hidden { hiddenCount[type, default: 0] -= 1 }
        } else {
            order[type, default: CreationOrder()].append(record.id)
        }
        if record.hidden { hiddenCount[type, default: 0] += 1 }
        records[type, default: [:]][record.id] = record
        reindex(record, type: type)
    }

    /// Forgets a record.
    public mutating func remove(type: String, id: String) {
        guard let old = records[type]?[id] else { return }
        unindex(old, type: type)
        if old.hidden { hiddenCount[type, default: 0] -= 1 }
        records[type]?[id] = nil
        order[type]?.remove(id)
    }

    /// The records whose attribute (`schema` nil for the core schema) may equal `value`, oldest
    /// first; `nil` when the attribute is not indexed (the caller scans instead).
    func candidates(_ type: String, schema: String?, attribute: String, value: String) -> [SCIMRecord]? {
        let key = IndexedAttribute.key(schema: schema, name: attribute)
        guard let indexedAttribute = indexed[type]?.first(where: { $0.key == key }) else { return nil }
        let ids = index[type]?[key]?[indexedAttribute.caseExact ? value : value.lowercased()] ?? []
        return ids.compactMap { records[type]?[$0] }.sorted { $0.created < $1.created }
    }

    private mutating func reindex(_ record: SCIMRecord, type: String) {
        for attribute in indexed[type] ?? [] {
            guard let value = attribute.value(in: record.resource) else { continue }
            index[type, default: [:]][attribute.key, default: [:]][attribute.caseExact ? value : value.lowercased(), default: []].insert(record.id)
        }
    }

    private mutating func unindex(_ record: SCIMRecord, type: String) {
        for attribute in indexed[type] ?? [] {
            guard let value = attribute.value(in: record.resource) else { continue }
            index[type]?[attribute.key]?[attribute.caseExact ? value : value.lowercased()]?.remove(record.id)
        }
    }
}
