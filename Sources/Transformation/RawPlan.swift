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
        /// A variable through one `concatString` into a path of names (`$.meta.location`).
        case concat(Concat, rule: MappingRule)
        /// A constant into a root attribute not written yet: the same value every time, made once.
        case constant(MappingRule, rootKey: Int, value: JSONValue)
        /// Run as usual on a scratch object holding only the root attribute it writes under.
        case rule(MappingRule, rootKey: Int?)
    }

    /// A class: steps are visited for every entity, and one reference is cheaper to pass than its fields.
    final class Copy: Sendable {
        let sourceKey: [UInt8]
        let target: JSONPath?
        /// Index into `outputKeys`.
        let targetKey: Int?
        let targetVariable: String?
        let optional: Bool
        /// Stands in for a missing value of an optional mapping (never unwrapped).
        let defaultValue: JSONValue?
        let preserveArrayWithSingleElement: Bool

        init(sourceKey: [UInt8], target: JSONPath?, targetKey: Int?, targetVariable: String?, optional: Bool, defaultValue: JSONValue?,
             preserveArrayWithSingleElement: Bool) {
            (self.sourceKey, self.target, self.targetKey, self.targetVariable) = (sourceKey, target, targetKey, targetVariable)
            (self.optional, self.defaultValue, self.preserveArrayWithSingleElement) = (optional, defaultValue, preserveArrayWithSingleElement)
        }
    }

    /// What `MappingRule.run` does for a variable through one `concatString` (docs: `Step.concat`).
    final class Concat: Sendable {
        let variable: String
        let function: ConcatString
        let preserveArrayWithSingleElement: Bool
        let targetVariable: String?
        /// The target's names below its root attribute (`["location"]` for `$.meta.location`).
        let keysBelowRoot: [String]
        let rootKey: Int

        init(variable: String, function: ConcatString, preserveArrayWithSingleElement: Bool, targetVariable: String?, keysBelowRoot: [String], rootKey: Int) {
            (self.variable, self.function, self.preserveArrayWithSingleElement) = (variable, function, preserveArrayWithSingleElement)
            (self.targetVariable, self.keysBelowRoot, self.rootKey) = (targetVariable, keysBelowRoot, rootKey)
        }
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
            // Names match as in `JSONObject`: equal UTF-8 length, then String equality.
            if let known = outputKeys.firstIndex(where: { $0.utf8.count == key.utf8.count && $0 == key }) { return known }
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
                    targetVariable: rule.targetVariable, optional: rule.optional, defaultValue: rule.defaultValue,
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
            if case .variable(let variable, nil) = rule.source, rule.functions.count == 1, let concat = rule.functions.first?.function as? ConcatString,
               let keys = rule.targetPath?.rootKeys, let first = keys.first, let id = keyID(first) {
                steps.append(.concat(Concat(variable: variable, function: concat, preserveArrayWithSingleElement: rule.preserveArrayWithSingleElement,
                                            targetVariable: rule.targetVariable, keysBelowRoot: Array(keys.dropFirst()), rootKey: id), rule: rule))
                continue
            }
            if case .constant = rule.source, rule.functions.isEmpty, rule.targetVariable == nil, let rootKey,
               let value = Self.constantOutput(rule, rootKey: rootKey, operation: operation) {
                steps.append(.constant(rule, rootKey: keyID(rootKey) ?? 0, value: value))
                continue
            }
            steps.append(.rule(rule, rootKey: keyID(rootKey)))
        }
        self.plan = plan
        self.operation = operation
        self.steps = steps
        self.outputKeys = outputKeys
        encodedKeys = outputKeys.map { key in
            let buffer = JSONOutputBuffer(capacity: key.utf8.count + 4)
            buffer.assemble { $0.appendMemberName(key) }
            return buffer.bytes
        }
    }

    /// What a constant mapping writes under `rootKey` into an entity that has nothing there yet.
    private static func constantOutput(_ rule: MappingRule, rootKey: String, operation: TransformOperation) -> JSONValue? {
        var state = ApplyState(input: .null, operation: operation, context: TransformContext(operation: operation),
                               variables: VariableBindings(), random: EntropySource(seed: 0))
        do throws(EntityFailure) {
            try rule.run(&state)
        } catch {
            return nil
        }
        guard state.warnings.isEmpty, case .object(let object) = state.output, object.count == 1 else { return nil }
        return object[rootKey]
    }

    /// What one thread reuses from entity to entity.
    public final class Scratch {
        let scanner = RawJSONScanner()
        /// For objects merged into others (`$.meta` over `$.meta.location`).
        let overlayScanner = RawJSONScanner()
        let parser = JSONParser()
        fileprivate var output: [(key: Int, slot: Slot)] = []
        fileprivate var hints: [Int] = []

        public init() {}
    }

    enum Slot {
        case raw(Range<Int>)
        case value(JSONValue)
        /// An object from the entity merged over one built here: written member by member, as
        /// `JSONPath.merged` would build it, without parsing the entity's object.
        case merged(base: JSONObject, overlay: [RawJSONScanner.Member])
    }

    /// One entity on its way through: a local value, so its parts are not behind a class's
    /// dynamic exclusivity checks.
    private struct Entity {
        let text: UnsafeBufferPointer<UInt8>
        /// The entity's root attributes, from the scanner.
        let input: [RawJSONScanner.Member]
        /// The output's root attributes so far, in order.
        var output: [(key: Int, slot: Slot)]
        /// Per step, where its source attribute stood in the last entity: sources usually list
        /// their attributes in the same order.
        var hints: [Int]
        var state: ApplyState
        let scratch: Scratch

        func slot(_ key: Int) -> Slot? {
            for member in output where member.key == key { return member.slot }
            return nil
        }

        mutating func put(_ key: Int, _ slot: Slot) {
            if let i = output.firstIndex(where: { $0.key == key }) {
                output[i].slot = slot
            } else {
                output.append((key, slot))
            }
        }

        /// The attribute `key` of the entity, looked for first where step `step` found it last time.
        mutating func attribute(_ key: [UInt8], step: Int) -> RawJSONScanner.Member? {
            guard let base = text.baseAddress else { return nil }
            func matches(_ member: RawJSONScanner.Member) -> Bool {
                member.key.count == key.count && member.key.upperBound <= text.count
                    && key.withUnsafeBufferPointer { k in (0..<k.count).allSatisfy { base[member.key.lowerBound + $0] == k[$0] } }
            }
            let hint = hints[step]
            if hint < input.count, matches(input[hint]) { return input[hint] }
            guard let found = input.firstIndex(where: matches) else { return nil }
            hints[step] = found
            return input[found]
        }

        func materialize(_ slot: Slot) -> JSONValue? {
            switch slot {
            case .value(let value): return value
            case .raw(let range) where text[range.lowerBound] == UInt8(ascii: "\""):
                // The scanner let through no escapes: the bytes between the quotes are the string.
                return .string(String(decoding: text[(range.lowerBound + 1)..<(range.upperBound - 1)], as: UTF8.self))
            case .raw(let range): return try? scratch.parser.parse(UnsafeBufferPointer(rebasing: text[range]))
            case .merged(let base, let overlay):
                var object = base
                for member in overlay {
                    guard let value = materialize(.raw(member.value)) else { return nil }
                    let key = String(decoding: text[member.key], as: UTF8.self)
                    object[key] = object[key].map { JSONPath.merged($0, value) } ?? value
                }
                return .object(object)
            }
        }
    }

    /// Transforms the entity in `text` and appends it, compact, to `out`; `false` (with nothing
    /// appended) when the caller must parse and apply the block as usual.
    public func transform(_ text: UnsafeBufferPointer<UInt8>, context: TransformContext, scratch: Scratch, into out: JSONOutputBuffer) -> Bool {
        guard context.operation == operation, scratch.scanner.scan(text) else { return false }
        var hints = scratch.hints
        if hints.count < steps.count { hints = Array(repeating: 0, count: steps.count) }
        var output = scratch.output
        scratch.output = []
        output.removeAll(keepingCapacity: true)
        var entity = Entity(text: text, input: scratch.scanner.members, output: output, hints: hints,
                            state: ApplyState(input: .null, operation: operation, context: context,
                                              variables: plan.bindings(context), random: EntropySource(seed: context.randomSeed)),
                            scratch: scratch)
        let done = run(&entity)
        if done { write(entity.output, of: text, into: out) }
        (scratch.output, scratch.hints) = (entity.output, entity.hints)
        return done
    }

    private func run(_ entity: inout Entity) -> Bool {
        for index in steps.indices {
            switch steps[index] {
            case .copy(let copy):
                guard run(copy, step: index, &entity) else { return false }
            case .concat(let concat, let rule):
                guard run(concat, rule: rule, &entity) else { return false }
            case .constant(_, let rootKey, let value) where entity.slot(rootKey) == nil:
                entity.output.append((rootKey, .value(value)))
            case .constant(let rule, let rootKey, _):
                guard run(rule, rootKey: rootKey, &entity) else { return false }
            case .rule(let rule, let rootKey):
                guard run(rule, rootKey: rootKey, &entity) else { return false }
            }
        }
        return true
    }

    /// Runs `rule` as usual on a scratch object holding only the root attribute it writes under.
    private func run(_ rule: MappingRule, rootKey: Int?, _ entity: inout Entity) -> Bool {
        var scope = JSONObject()
        if let rootKey, let existing = entity.slot(rootKey) {
            guard let value = entity.materialize(existing) else { return false }
            scope[outputKeys[rootKey]] = value
        }
        entity.state.output = .object(scope)
        do throws(EntityFailure) {
            try rule.run(&entity.state)
        } catch {
            return false
        }
        guard entity.state.warnings.isEmpty else { return false }
        if let rootKey, let written = entity.state.output[outputKeys[rootKey]] { entity.put(rootKey, .value(written)) }
        return true
    }

    /// The function applied to the variable, written where nothing is yet; anything less plain (no
    /// such variable, an array or object, a target already there) runs the rule as usual.
    private func run(_ concat: Concat, rule: MappingRule, _ entity: inout Entity) -> Bool {
        guard var value = entity.state.variables[concat.variable], !value.isNull, entity.slot(concat.rootKey) == nil else {
            return run(rule, rootKey: concat.rootKey, &entity)
        }
        if !concat.preserveArrayWithSingleElement, case .array(let elements) = value, elements.count == 1 { value = elements[0] }
        guard let result = try? concat.function.apply(value, in: &entity.state) else {
            return run(rule, rootKey: concat.rootKey, &entity)
        }
        if let variable = concat.targetVariable { entity.state.variables[variable] = result }
        var built = result
        for key in concat.keysBelowRoot.reversed() { built = .object(JSONObject([(key, built)])) }
        entity.output.append((concat.rootKey, .value(built)))
        return true
    }

    private func run(_ copy: Copy, step: Int, _ entity: inout Entity) -> Bool {
        let text = entity.text
        var found: Slot?
        if let member = entity.attribute(copy.sourceKey, step: step), text[member.value.lowerBound] != UInt8(ascii: "n") {
            found = .raw(member.value)
            if !copy.preserveArrayWithSingleElement, text[member.value.lowerBound] == UInt8(ascii: "[") {
                // A one-element array is unwrapped: look inside.
                guard let array = entity.materialize(.raw(member.value)) else { return false }
                if case .array(let elements) = array, elements.count == 1 { found = .value(elements[0]) }
            }
        }
        if found == nil, copy.optional, let defaultValue = copy.defaultValue { found = .value(defaultValue) }
        guard let found else {
            // Nothing to copy: fine when optional or writing nothing; else the usual path says what failed.
            return copy.optional || (copy.target == nil && copy.targetVariable == nil)
        }
        if let variable = copy.targetVariable {
            guard let value = entity.materialize(found) else { return false }
            entity.state.variables[variable] = value
        }
        guard let target = copy.target, let key = copy.targetKey else { return true }
        guard let existing = entity.slot(key) else {
            entity.output.append((key, found))
            return true
        }
        // Written twice: merge as the usual path does; an entity's object over a built one, member by member.
        if case .value(.object(let base)) = existing, case .raw(let range) = found, text[range.lowerBound] == UInt8(ascii: "{"),
           entity.scratch.overlayScanner.scan(UnsafeBufferPointer(rebasing: text[range])) {
            let overlay = entity.scratch.overlayScanner.members.map {
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
                entity.put(key, .merged(base: base, overlay: overlay))
                return true
            }
        }
        guard let old = entity.materialize(existing), let new = entity.materialize(found) else { return false }
        var scope = JSONValue.object(JSONObject([(outputKeys[key], old)]))
        do throws(JSONPathWriteError) {
            try target.set(new, in: &scope, mergeObjects: true, variables: entity.state.variables)
        } catch {
            return false
        }
        guard let merged = scope[outputKeys[key]] else { return false }
        entity.put(key, .value(merged))
        return true
    }

    private func write(_ output: [(key: Int, slot: Slot)], of text: UnsafeBufferPointer<UInt8>, into out: JSONOutputBuffer) {
        out.assemble { json in
            json.append(UInt8(ascii: "{"))
            for (index, member) in output.enumerated() {
                if index > 0 { json.append(UInt8(ascii: ",")) }
                json.append(encodedKeys[member.key])
                switch member.slot {
                case .raw(let range): json.append(UnsafeBufferPointer(rebasing: text[range]))
                case .value(let value): json.append(value)
                case .merged(let base, let overlay): Self.writeMerged(base, overlay, text, into: &json)
                }
            }
            json.append(UInt8(ascii: "}"))
        }
    }

    /// `JSONPath.merged(base, overlay)` written out: the base's members in order, each replaced by
    /// the overlay's member of that name, then the overlay's others. (Made only where no two
    /// objects meet under one name, which would merge deeply.)
    private static func writeMerged(_ base: JSONObject, _ overlay: [RawJSONScanner.Member], _ text: UnsafeBufferPointer<UInt8>,
                                    into json: inout JSONAssembly) {
        func named(_ key: String) -> RawJSONScanner.Member? {
            overlay.first { key.utf8.elementsEqual(text[$0.key]) }
        }
        json.append(UInt8(ascii: "{"))
        var first = true
        for member in base {
            if !first { json.append(UInt8(ascii: ",")) }
            first = false
            json.appendMemberName(member.key)
            if let over = named(member.key) {
                json.append(UnsafeBufferPointer(rebasing: text[over.value]))
            } else {
                json.append(member.value)
            }
        }
        for over in overlay {
            let key = String(decoding: text[over.key], as: UTF8.self)
            guard base[key] == nil else { continue }
            if !first { json.append(UInt8(ascii: ",")) }
            first = false
            json.append(UnsafeBufferPointer(rebasing: text[(over.key.lowerBound - 1)..<over.value.upperBound]))
        }
        json.append(UInt8(ascii: "}"))
    }
}

extension Transformation {
    /// The raw path for `type` under `operation`, when the block's mappings allow one.
    public func rawPlan(for type: EntityType, operation: TransformOperation) -> RawPlan? {
        plan(for: type).flatMap { RawPlan($0, operation: operation) }
    }
}
