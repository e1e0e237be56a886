import Foundation
import JSON
import Transformation

/// What IPS remembers between jobs: per (source, target) and entity type, the target ID(s) of
/// every source entity it provisioned, whether the entity existed in the target before IPS first
/// wrote it, and a hash of what was last written; per source, the delta-read watermark.
public struct OperationalStore: Sendable, Equatable {
    public struct Record: Sendable, Equatable {
        public var targetIds: [String]
        /// Found through conflict resolution rather than created: not deleted unless the target
        /// allows it (`ips.delete.existedbefore.entities`).
        public var existedBefore: Bool
        /// Hash of the entity as last read from the source; a Read job writes only when it changes.
        public var hash: UInt64
        /// The `supportedOperations` of an application-specific group as last written, which
        /// decide how it is deleted (docs/fidelity.md, “The provisioning engine”); `nil` for users and regular groups.
        public var supportedOperations: String? = nil
    }

    public struct SourceState: Sendable, Equatable {
        /// The newest `meta.lastModified` of the last successful job: delta reads ask for later changes.
        public var watermark: String?
        /// Whether a job has completed a read of this source (the first read is always full).
        public var hasRead = false
        /// Scheduled delta jobs since the last scheduled full read (for `ips.full.read.force.count`,
        /// which ignores manual runs).
        public var deltaRunsSinceFull = 0

        public init(watermark: String? = nil, hasRead: Bool = false, deltaRunsSinceFull: Int = 0) {
            self.watermark = watermark
            self.hasRead = hasRead
            self.deltaRunsSinceFull = deltaRunsSinceFull
        }
    }

    struct PairKey: Hashable, Sendable {
        let source: String
        let target: String
    }

    var records: [PairKey: [EntityType: [String: Record]]] = [:]
    public var sources: [String: SourceState] = [:]

    public init() {}

    public func records(source: String, target: String, type: EntityType) -> [String: Record] {
        records[PairKey(source: source, target: target)]?[type] ?? [:]
    }

    public func record(source: String, target: String, type: EntityType, sourceId: String) -> Record? {
        records[PairKey(source: source, target: target)]?[type]?[sourceId]
    }

    mutating func set(_ record: Record?, source: String, target: String, type: EntityType, sourceId: String) {
        records[PairKey(source: source, target: target), default: [:]][type, default: [:]][sourceId] = record
    }

    /// The job that wrote `targetId` into one of `targets`, as (source, target), if any: how
    /// real-time provisioning recognises an entity that came into its source through a job.
    public func writer(of targetId: String, type: EntityType, intoAnyOf targets: Set<String>) -> (source: String, target: String)? {
        for (key, byType) in records where targets.contains(key.target) {
            if byType[type]?.values.contains(where: { $0.targetIds.contains(targetId) }) == true { return (key.source, key.target) }
        }
        return nil
    }

    /// Forgets one source (or one target of it): IPS's system reset (docs/fidelity.md, “The provisioning engine”). Back-end
    /// data stays; what is read again is new, and what a target already has becomes "existed
    /// before". Returns how many entity records were forgotten.
    @discardableResult
    public mutating func reset(system: String) -> Int {
        let forgotten = records.filter { $0.key.source == system || $0.key.target == system }
            .reduce(0) { $0 + $1.value.values.reduce(0) { $0 + $1.count } }
        records = records.filter { $0.key.source != system && $0.key.target != system }
        sources[system] = nil
        return forgotten
    }

    /// Target IDs for `resolveEntityIds`: by default from the records of this source and
    /// target; `sourceSystemName`/`targetSystemName` name another pair (docs/fidelity.md, “Transformation language”).
    func resolver(target: String, defaultSource: String) -> StoreResolver {
        StoreResolver(records: records, defaultSource: defaultSource, defaultTarget: target)
    }

    // MARK: JSON and files

    public var json: JSONValue {
        let pairs: [JSONValue] = records.keys.sorted { ($0.source, $0.target) < ($1.source, $1.target) }.map { key in
            let byType = records[key]!
            let types: [(String, JSONValue)] = EntityType.allCases.compactMap { type in
                guard let entries = byType[type] else { return nil }
                return (type.rawValue, .object(JSONObject(entries.keys.sorted().map { id in
                    let r = entries[id]!
                    return (id, .object(JSONObject([
                        ("targetIds", .array(r.targetIds.map(JSONValue.string))),
                        ("existedBefore", .bool(r.existedBefore)),
                        ("hash", .string(String(r.hash, radix: 16))),
                    ] + (r.supportedOperations.map { [("supportedOperations", JSONValue.string($0))] } ?? []))))
                })))
            }
            return .object(JSONObject([("source", .string(key.source)), ("target", .string(key.target))] + types))
        }
        let sourceStates: [(String, JSONValue)] = sources.keys.sorted().map { name in
            let s = sources[name]!
            return (name, .object(JSONObject([
                ("watermark", s.watermark.map(JSONValue.string) ?? .null),
                ("hasRead", .bool(s.hasRead)),
                ("deltaRunsSinceFull", JSONValue(s.deltaRunsSinceFull)),
            ])))
        }
        return .object(JSONObject([("version", 1), ("sources", .object(JSONObject(sourceStates))), ("pairs", .array(pairs))]))
    }

    public init(json: JSONValue) throws(OperationalStoreError) {
        guard json["version"]?.intValue == 1 else { throw OperationalStoreError("not a provsim operational store (version 1)") }
        for member in json["sources"]?.objectValue ?? JSONObject() {
            let (name, state) = (member.key, member.value)
            sources[name] = SourceState(watermark: state["watermark"]?.stringValue, hasRead: state["hasRead"]?.boolValue ?? false,
                                        deltaRunsSinceFull: state["deltaRunsSinceFull"]?.intValue ?? 0)
        }
        for pair in json["pairs"]?.arrayValue ?? [] {
            guard let source = pair["source"]?.stringValue, let target = pair["target"]?.stringValue else {
                throw OperationalStoreError("a store pair lacks source or target")
            }
            for type in EntityType.allCases {
                for member in pair[type.rawValue]?.objectValue ?? JSONObject() {
                    let (id, r) = (member.key, member.value)
                    guard let ids = r["targetIds"]?.arrayValue?.compactMap({ $0.stringValue }), let hash = r["hash"]?.stringValue.flatMap({ UInt64($0, radix: 16) }) else {
                        throw OperationalStoreError("store record \(source)→\(target) \(type.rawValue) '\(id)' is incomplete")
                    }
                    set(Record(targetIds: ids, existedBefore: r["existedBefore"]?.boolValue ?? false, hash: hash,
                               supportedOperations: r["supportedOperations"]?.stringValue),
                        source: source, target: target, type: type, sourceId: id)
                }
            }
        }
    }

    /// Reads a store file; a missing file is an empty store.
    public static func load(path: String) throws(OperationalStoreError) -> OperationalStore {
        guard FileManager.default.fileExists(atPath: path) else { return OperationalStore() }
        guard let data = FileManager.default.contents(atPath: path) else { throw OperationalStoreError("\(path): cannot be read") }
        do {
            return try OperationalStore(json: try JSONParser.parse(Array(data)))
        } catch let error as OperationalStoreError {
            throw OperationalStoreError("\(path): \(error.message)")
        } catch {
            throw OperationalStoreError("\(path): \(error)")
        }
    }

    /// Writes the store atomically: a temporary file next to it, then a rename.
    public func save(path: String) throws(OperationalStoreError) {
        let temporary = path + ".tmp-\(getpid())"
        let bytes = JSONWriter(pretty: true).bytes(json) + [UInt8(ascii: "\n")]
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw OperationalStoreError("\(path): cannot write \(temporary)")
        }
        if rename(temporary, path) != 0 {
            unlink(temporary)
            throw OperationalStoreError("\(path): cannot replace the store (errno \(errno))")
        }
    }
}

/// `resolveEntityIds` over the store: source ID → target IDs for the job's target.
struct StoreResolver: EntityIdResolving {
    /// The store's records (copy-on-write: nothing is copied).
    let records: [OperationalStore.PairKey: [EntityType: [String: OperationalStore.Record]]]
    let defaultSource: String
    let defaultTarget: String

    func targetIds(forSourceId sourceId: String, entityType: EntityType, sourceSystem: String?, targetSystem: String?) -> [String] {
        let key = OperationalStore.PairKey(source: sourceSystem ?? defaultSource, target: targetSystem ?? defaultTarget)
        return records[key]?[entityType]?[sourceId]?.targetIds ?? []
    }
}

/// A store file that cannot be read, parsed or written; the message names the file.
public struct OperationalStoreError: Error, Sendable, CustomStringConvertible {
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
