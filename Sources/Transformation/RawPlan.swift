import Determinism
import JSON
import JSONPath

/// An entity block compiled for the raw path: from JSON text straight to JSON text, copying the
/// attributes it moves unchanged as bytes instead of building and writing values.
///
/// Only blocks whose every mapping is of a shape the raw path reproduces exactly get one:
/// a root attribute copied to a root attribute (`$.name` → `$.other`, no functions), a pure
/// correlation mapping (nothing written), or a mapping that reads no entity attribute (a
/// variable or constant, at most `concatString`s) into any path under a root attribute. An entity
/// the raw path cannot take as it stands (see `RawJSONScanner`), or whose outcome is anything but
/// a plain transformation (a missing mandatory value, a warning), is refused with `false`, and the
/// caller applies the block as usual, which gives that outcome in full.
public final class RawPlan: Sendable {
    enum Step: Sendable {
        case copy(Copy)
        /// Run as usual on a scratch object holding only the root attribute it writes under.
        case rule(MappingRule, rootKey: Int?)
    }

    struct Copy: Sendable {
        let sourceKey: [UInt8]
        let target: JSONPath?
        /// Index into `outputKeys`.
        let targetKey: Int?
        let targetVariable: String?
        let optional: Bool
        let preserveArrayWithSingleElement: Bool
    }

    let plan: EntityPlan
    let operation: TransformOperation
    let steps: [Step]
    /// The root attributes the steps write, and each as `"name":`, written once here.
    let outputKeys: [String]
    let encodedKeys: [[UInt8]]

    init?(_ plan: EntityPlan, operation: TransformOperation) {
        guard !plan.isIgnored, plan.condition == nil, plan.skipReason(for: operation) == nil else { return nil }
        var steps: [Step] = []
        var outputKeys: [String] = []
        func keyID(_ key: String?) -> Int? {
            guard let key else { return nil }
            if let known = outputKeys.firstIndex(of: key) { return known }
            outputKeys.append(key)
            return outputKeys.count - 1
        }
        for rule in plan.rules where operation.runs(rule.scope) {
            guard case .set = rule.action, rule.condition == nil else { return nil }
            if rule.targetPath == nil, rule.targetVariable == nil, rule.functions.isEmpty { continue }  // correlation only
            if case .path(let source) = rule.source, let sourceKey = source.rootKey, rule.functions.isEmpty,
               rule.targetPath == nil || rule.targetPath?.rootKey != nil {
                steps.append(.copy(Copy(
                    sourceKey: Array(sourceKey.utf8), target: rule.targetPath, targetKey: keyID(rule.targetPath?.rootKey),
                    targetVariable: rule.targetVariable, optional: rule.optional,
                    preserveArrayWithSingleElement: rule.preserveArrayWithSingleElement)))
                continue
            }
            switch rule.source {
            case .path: return nil
            case .variable, .constant, .none: break
            }
            let plainFunctions = rule.functions.allSatisfy { step in
                step.condition == nil && !step.applyOnElements && step.applyOnAttribute == nil && step.assignToAttribute == nil
                    && step.function is ConcatString
            }
            guard plainFunctions else { return nil }
            // A definite path (no filters, no wildcards) under one root attribute touches nothing else.
            let rootKey = rule.targetPath?.leadingRootKey
            guard rule.targetPath == nil || (rootKey != nil && rule.targetPath?.isDefinite == true) else { return nil }
            steps.append(.rule(rule, rootKey: keyID(rootKey)))
        }
        self.plan = plan
        self.operation = operation
        self.steps = steps
        self.outputKeys = outputKeys
        encodedKeys = outputKeys.map { key in
            let buffer = JSONOutputBuffer(capacity: key.utf8.count + 4)
            JSONWriter.writeMemberName(key, to: buffer)
            return buffer.bytes
        }
    }

    /// What one thread reuses from entity to entity.
    public final class Scratch {
        let scanner = RawJSONScanner()
        /// For objects merged into others (`$.meta` over `$.meta.location`).
        let overlayScanner = RawJSONScanner()
        let parser = JSONParser()
        var members: [(key: Int, slot: Slot)] = []

        public init() {}
    }

    enum Slot {
        case raw(Range<Int>)
        case value(JSONValue)
        /// An object from the entity merged over one built here: written member by member, as
        /// `JSONPath.merged` would build it, without parsing the entity's object.
        case merged(base: JSONObject, overlay: [RawJSONScanner.Member])
    }

    /// Transforms the entity in `text` and appends it, compact, to `out`; `false` (with nothing
    /// appended) when the caller must parse and apply the block as usual.
    public func transform(_ text: UnsafeBufferPointer<UInt8>, context: TransformContext, scratch: Scratch, into out: JSONOutputBuffer) -> Bool {
        guard context.operation == operation, scratch.scanner.scan(text) else { return false }
        scratch.members.removeAll(keepingCapacity: true)
        var state = ApplyState(input: .null, operation: operation, context: context,
                               variables: plan.bindings(context), random: EntropySource(seed: context.randomSeed))
        for step in steps {
            switch step {
            case .copy(let copy):
                guard run(copy, text, &state, scratch) else { return false }
            case .rule(let rule, let rootKey):
                var scope = JSONObject()
                if let rootKey, let existing = slot(rootKey, scratch) {
                    guard let value = materialize(existing, text, scratch) else { return false }
                    scope[outputKeys[rootKey]] = value
                }
                state.output = .object(scope)
                do throws(EntityFailure) {
                    try rule.run(&state)
                } catch {
                    return false
                }
                guard state.warnings.isEmpty else { return false }
                if let rootKey, let written = state.output[outputKeys[rootKey]] { put(rootKey, .value(written), scratch) }
            }
        }
        write(text, scratch, into: out)
        return true
    }

    private func run(_ copy: Copy, _ text: UnsafeBufferPointer<UInt8>, _ state: inout ApplyState, _ scratch: Scratch) -> Bool {
        var found: Slot?
        if let member = scratch.scanner.member(copy.sourceKey, in: text), text[member.value.lowerBound] != UInt8(ascii: "n") {
            found = .raw(member.value)
            if !copy.preserveArrayWithSingleElement, text[member.value.lowerBound] == UInt8(ascii: "[") {
                // A one-element array is unwrapped: look inside.
                guard let array = materialize(.raw(member.value), text, scratch) else { return false }
                if case .array(let elements) = array, elements.count == 1 { found = .value(elements[0]) }
            }
        }
        guard let found else {
            // Nothing to copy: fine when optional or writing nothing; else the usual path says what failed.
            return copy.optional || (copy.target == nil && copy.targetVariable == nil)
        }
        if let variable = copy.targetVariable {
            guard let value = materialize(found, text, scratch) else { return false }
            state.variables[variable] = value
        }
        guard let target = copy.target, let key = copy.targetKey else { return true }
        guard let existing = slot(key, scratch) else {
            scratch.members.append((key, found))
            return true
        }
        // Written twice: merge as the usual path does; an entity's object over a built one, member by member.
        if case .value(.object(let base)) = existing, case .raw(let range) = found, text[range.lowerBound] == UInt8(ascii: "{"),
           scratch.overlayScanner.scan(UnsafeBufferPointer(rebasing: text[range])) {
            let overlay = scratch.overlayScanner.members.map {
                RawJSONScanner.Member(key: ($0.key.lowerBound + range.lowerBound)..<($0.key.upperBound + range.lowerBound),
                                      value: ($0.value.lowerBound + range.lowerBound)..<($0.value.upperBound + range.lowerBound))
            }
            // Two objects under one name would merge deeply: left to the general path below.
            let deep = overlay.contains { member in
                guard text[member.value.lowerBound] == UInt8(ascii: "{") else { return false }
                if case .object? = base[String(decoding: text[member.key], as: UTF8.self)] { return true }
                return false
            }
            if !deep {
                put(key, .merged(base: base, overlay: overlay), scratch)
                return true
            }
        }
        guard let old = materialize(existing, text, scratch), let new = materialize(found, text, scratch) else { return false }
        var scope = JSONValue.object(JSONObject([(outputKeys[key], old)]))
        do throws(JSONPathWriteError) {
            try target.set(new, in: &scope, mergeObjects: true, variables: state.variables)
        } catch {
            return false
        }
        guard let merged = scope[outputKeys[key]] else { return false }
        put(key, .value(merged), scratch)
        return true
    }

    private func slot(_ key: Int, _ scratch: Scratch) -> Slot? {
        scratch.members.first { $0.key == key }?.slot
    }

    private func put(_ key: Int, _ slot: Slot, _ scratch: Scratch) {
        if let i = scratch.members.firstIndex(where: { $0.key == key }) {
            scratch.members[i].slot = slot
        } else {
            scratch.members.append((key, slot))
        }
    }

    private func materialize(_ slot: Slot, _ text: UnsafeBufferPointer<UInt8>, _ scratch: Scratch) -> JSONValue? {
        switch slot {
        case .value(let value): return value
        case .raw(let range): return try? scratch.parser.parse(UnsafeBufferPointer(rebasing: text[range]))
        case .merged(let base, let overlay):
            var object = base
            for member in overlay {
                guard let value = materialize(.raw(member.value), text, scratch) else { return nil }
                let key = String(decoding: text[member.key], as: UTF8.self)
                object[key] = object[key].map { JSONPath.merged($0, value) } ?? value
            }
            return .object(object)
        }
    }

    private func write(_ text: UnsafeBufferPointer<UInt8>, _ scratch: Scratch, into out: JSONOutputBuffer) {
        let writer = JSONWriter()
        JSONWriter.writeByte(UInt8(ascii: "{"), to: out)
        for (index, member) in scratch.members.enumerated() {
            if index > 0 { JSONWriter.writeByte(UInt8(ascii: ","), to: out) }
            out.append(encodedKeys[member.key])
            switch member.slot {
            case .raw(let range): out.append(UnsafeBufferPointer(rebasing: text[range]))
            case .value(let value): writer.write(value, to: out)
            case .merged(let base, let overlay): writeMerged(base, overlay, text, writer, into: out)
            }
        }
        JSONWriter.writeByte(UInt8(ascii: "}"), to: out)
    }

    /// `JSONPath.merged(base, overlay)` written out: the base's members in order, each replaced by
    /// the overlay's member of that name, then the overlay's others. (Made only where no two
    /// objects meet under one name, which would merge deeply.)
    private func writeMerged(_ base: JSONObject, _ overlay: [RawJSONScanner.Member], _ text: UnsafeBufferPointer<UInt8>,
                             _ writer: JSONWriter, into out: JSONOutputBuffer) {
        func named(_ key: String) -> RawJSONScanner.Member? {
            overlay.first { key.utf8.elementsEqual(text[$0.key]) }
        }
        JSONWriter.writeByte(UInt8(ascii: "{"), to: out)
        var first = true
        for member in base {
            if !first { JSONWriter.writeByte(UInt8(ascii: ","), to: out) }
            first = false
            JSONWriter.writeMemberName(member.key, to: out)
            if let over = named(member.key) {
                out.append(UnsafeBufferPointer(rebasing: text[over.value]))
            } else {
                writer.write(member.value, to: out)
            }
        }
        for over in overlay {
            let key = String(decoding: text[over.key], as: UTF8.self)
            guard base[key] == nil else { continue }
            if !first { JSONWriter.writeByte(UInt8(ascii: ","), to: out) }
            first = false
            out.append(UnsafeBufferPointer(rebasing: text[over.key.lowerBound - 1..<over.value.upperBound]))
        }
        JSONWriter.writeByte(UInt8(ascii: "}"), to: out)
    }
}

extension Transformation {
    /// The raw path for `type` under `operation`, when the block's mappings allow one.
    public func rawPlan(for type: EntityType, operation: TransformOperation) -> RawPlan? {
        plan(for: type).flatMap { RawPlan($0, operation: operation) }
    }
}
