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
///
/// Per entity, everything is bytes: attributes of the entity are ranges of its text, and what the
/// steps make (a `concatString`, a constant, a merged object) is written once into a scratch
/// buffer. Variables set from such bytes stay bytes until a step needs them as values, which the
/// default transformations never do. The steps themselves are plain indexes into tables, so
/// running them costs no reference counting.
public final class RawPlan: Sendable {
    enum Step: Sendable {
        case copy(Int)
        /// A variable through one `concatString` into a path of names (`$.meta.location`).
        case concat(Int)
        /// A constant into a root attribute not written yet: the same bytes every time, made once.
        case constant(Int)
        /// Run as usual on a scratch object holding only the root attribute it writes under.
        case rule(Int)
    }

    /// A root attribute copied to a root attribute; only plain values, so reading it retains nothing.
    struct Copy: Sendable {
        /// The source attribute's name: a range of `names`.
        let sourceKey: Range<Int>
        /// Index into `outputKeys`; nil when the mapping writes no attribute.
        let targetKey: Int?
        /// Index into `variableNames`.
        let targetVariable: Int?
        let optional: Bool
        let preserveArrayWithSingleElement: Bool
    }

    /// What `MappingRule.run` does for a variable through one `concatString` (docs: `Step.concat`).
    struct Concat: Sendable {
        let rule: MappingRule
        /// Index into `variableNames`: the mapping's `sourceVariable`.
        let variable: Int
        /// The function's prefix and suffix, literals already escaped as JSON string content.
        let prefix: [Piece]
        let suffix: [Piece]
        /// `{"name":` for each name below the root attribute (`{"location":` for `$.meta.location`).
        let opening: [UInt8]
        let closingBraces: Int
        let targetVariable: Int?
        let rootKey: Int
    }

    enum Piece: Sendable {
        case literal([UInt8])
        case variable(Int)
    }

    struct Constant: Sendable {
        let rule: MappingRule
        let rootKey: Int
        /// The value, compact.
        let bytes: [UInt8]
    }

    let plan: EntityPlan
    let operation: TransformOperation
    let steps: [Step]
    let copies: [Copy]
    /// Per copy: the mapping's target path and default value (read only off the common path).
    let copyTargets: [JSONPath?]
    let copyDefaults: [JSONValue?]
    let concats: [Concat]
    let constants: [Constant]
    let rules: [(rule: MappingRule, rootKey: Int?)]
    /// The root attributes the steps write, each also as `"name":` (a range of `names`).
    let outputKeys: [String]
    let encodedKeys: [Range<Int>]
    /// The bytes of every name the steps compare or write, in one array.
    let names: [UInt8]
    /// The variables the steps set or read, by index.
    let variableNames: [String]

    init?(_ plan: EntityPlan, operation: TransformOperation) {
        guard !plan.isIgnored, plan.condition == nil, plan.skipReason(for: operation) == nil else { return nil }
        var steps: [Step] = []
        var copies: [Copy] = [], copyTargets: [JSONPath?] = [], copyDefaults: [JSONValue?] = []
        var concats: [Concat] = [], constants: [Constant] = [], rules: [(rule: MappingRule, rootKey: Int?)] = []
        var outputKeys: [String] = []
        var names: [UInt8] = []
        var variableNames: [String] = []
        // Two spellings of one name (canonically equivalent, as `JSONObject` compares names): the
        // value path writes the spelling that writes first, which only the entity decides.
        var spellingsDiffer = false
        func keyID(_ key: String?) -> Int? {
            guard let key else { return nil }
            // Names match as in `JSONObject`: equal UTF-8 length, then String equality.
            if let known = outputKeys.firstIndex(where: { $0.utf8.count == key.utf8.count && $0 == key }) {
                if !outputKeys[known].utf8.elementsEqual(key.utf8) { spellingsDiffer = true }
                return known
            }
            outputKeys.append(key)
            return outputKeys.count - 1
        }
        func variableID(_ name: String) -> Int {
            if let known = variableNames.firstIndex(of: name) { return known }
            variableNames.append(name)
            return variableNames.count - 1
        }
        func name(_ bytes: [UInt8]) -> Range<Int> {
            names += bytes
            return (names.count - bytes.count)..<names.count
        }
        func encoded(_ body: (inout JSONAssembly) -> Void) -> [UInt8] {
            let buffer = JSONOutputBuffer(capacity: 64)
            buffer.assemble(body)
            return buffer.bytes
        }
        func pieces(_ template: StringTemplate?) -> [Piece] {
            (template?.parts ?? []).map { part in
                switch part {
                case .literal(let text): .literal(encoded { $0.appendStringContent(text) })
                case .variable(let name): .variable(variableID(name))
                }
            }
        }
        for rule in plan.rules where operation.runs(rule.scope) {
            guard case .set = rule.action, rule.condition == nil else { return nil }
            if rule.targetPath == nil, rule.targetVariable == nil, rule.functions.isEmpty { continue }  // correlation only
            if case .path(let source) = rule.source, let sourceKey = source.rootKey, rule.functions.isEmpty,
               rule.targetPath == nil || rule.targetPath?.rootKey != nil {
                steps.append(.copy(copies.count))
                copies.append(Copy(sourceKey: name(Array(sourceKey.utf8)), targetKey: keyID(rule.targetPath?.rootKey),
                                   targetVariable: rule.targetVariable.map(variableID), optional: rule.optional,
                                   preserveArrayWithSingleElement: rule.preserveArrayWithSingleElement))
                copyTargets.append(rule.targetPath)
                copyDefaults.append(rule.defaultValue)
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
            if case .variable(let variable, nil) = rule.source, rule.functions.count == 1, let function = rule.functions.first?.function as? ConcatString,
               let keys = rule.targetPath?.rootKeys, let first = keys.first, let id = keyID(first) {
                let below = keys.dropFirst()
                steps.append(.concat(concats.count))
                concats.append(Concat(
                    rule: rule, variable: variableID(variable), prefix: pieces(function.prefix), suffix: pieces(function.suffix),
                    opening: below.flatMap { key in encoded { $0.append(UInt8(ascii: "{")); $0.appendMemberName(key) } },
                    closingBraces: below.count, targetVariable: rule.targetVariable.map(variableID), rootKey: id))
                continue
            }
            if case .constant = rule.source, rule.functions.isEmpty, rule.targetVariable == nil, let rootKey,
               let value = Self.constantOutput(rule, rootKey: rootKey, operation: operation), let id = keyID(rootKey) {
                steps.append(.constant(constants.count))
                constants.append(Constant(rule: rule, rootKey: id, bytes: encoded { $0.append(value) }))
                continue
            }
            steps.append(.rule(rules.count))
            rules.append((rule, keyID(rootKey)))
        }
        guard !spellingsDiffer else { return nil }
        encodedKeys = outputKeys.map { key in name(encoded { $0.appendMemberName(key) }) }
        self.plan = plan
        self.operation = operation
        (self.steps, self.copies, self.copyTargets, self.copyDefaults) = (steps, copies, copyTargets, copyDefaults)
        (self.concats, self.constants, self.rules) = (concats, constants, rules)
        (self.outputKeys, self.names, self.variableNames) = (outputKeys, names, variableNames)
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
        /// For objects merged into others (`$.meta` over `$.meta.location`): the base and the overlay.
        let baseScanner = RawJSONScanner()
        let overlayScanner = RawJSONScanner()
        let parser = JSONParser()
        /// What the steps make for one entity, as compact JSON.
        let built = JSONOutputBuffer(capacity: 1024)
        /// One piece being made, before it joins `built` (which it may read from).
        let piece = JSONOutputBuffer(capacity: 256)
        fileprivate var output: [(key: Int, slot: Slot)] = []
        fileprivate var pending: [(variable: Int, slot: Slot)] = []
        fileprivate var hints: [Int] = []

        public init() {}
    }

    /// A JSON value made for the output: bytes of the entity's text or of the scratch's `built`.
    enum Slot {
        case text(Range<Int>)
        case built(Range<Int>)
    }

    /// Where a variable's string content (escaped, without quotes) is found.
    private enum StringContent {
        case bytes(Slot)
        case string(String)
    }

    /// The bytes one entity's slots point into, and what reads and adds to them: two references,
    /// cheap to copy into the closures that write pieces.
    private struct EntityBytes {
        let text: UnsafeBufferPointer<UInt8>
        let scratch: Scratch

        /// Runs `body` on the bytes of `slot`; nothing may be added to `built` meanwhile.
        func withBytes<R>(_ slot: Slot, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            switch slot {
            case .text(let range): body(UnsafeBufferPointer(rebasing: text[range]))
            case .built(let range): scratch.built.withUnsafeBytes { body(UnsafeBufferPointer(rebasing: $0[range])) }
            }
        }

        func materialize(_ slot: Slot) -> JSONValue? {
            if case .text(let range) = slot, text[range.lowerBound] == UInt8(ascii: "\"") {
                // The scanner let through no escapes: the bytes between the quotes are the string.
                return .string(String(decoding: text[(range.lowerBound + 1)..<(range.upperBound - 1)], as: UTF8.self))
            }
            return withBytes(slot) { try? scratch.parser.parse($0) }
        }

        /// `value`, compact, added to `built`.
        func store(_ value: JSONValue) -> Slot {
            let start = scratch.built.count
            scratch.built.assemble { $0.append(value) }
            return .built(start..<scratch.built.count)
        }

        /// `bytes` added to `built`.
        func store(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
            let start = scratch.built.count
            scratch.built.append(bytes)
            return start..<scratch.built.count
        }

        /// `scratch.piece` moved to the end of `built`.
        func storePiece() -> Range<Int> {
            scratch.piece.withUnsafeBytes { store($0) }
        }

        /// The string content (escaped, without quotes) of `variable`, when it is a string:
        /// the newest of `pending` that sets it, else its value in `variables`.
        func stringContent(_ variable: Int, named name: String, pending: [(variable: Int, slot: Slot)], variables: VariableBindings) -> StringContent? {
            for (set, slot) in pending.reversed() where set == variable {
                guard withBytes(slot, { $0.first }) == UInt8(ascii: "\"") else { return nil }
                switch slot {
                case .text(let range): return .bytes(.text((range.lowerBound + 1)..<(range.upperBound - 1)))
                case .built(let range): return .bytes(.built((range.lowerBound + 1)..<(range.upperBound - 1)))
                }
            }
            guard case .string(let string)? = variables[name] else { return nil }
            return .string(string)
        }

        /// `base` and `overlay`, both objects, merged as `JSONPath.merged` merges them: the base's
        /// members in order, each replaced by the overlay's member of that name, then the
        /// overlay's others. Nil where two objects meet under one name (they would merge deeply)
        /// or either is not an object the scanner takes.
        func mergedObjects(_ base: Slot, _ overlay: Slot) -> Slot? {
            let (baseScanner, overlayScanner, piece) = (scratch.baseScanner, scratch.overlayScanner, scratch.piece)
            let written: Bool = withBytes(base) { baseBytes in
                withBytes(overlay) { overlayBytes in
                    guard baseBytes.first == UInt8(ascii: "{"), overlayBytes.first == UInt8(ascii: "{"),
                          baseScanner.scan(baseBytes), overlayScanner.scan(overlayBytes) else { return false }
                    let baseMembers = baseScanner.members, overlayMembers = overlayScanner.members
                    func named(_ key: Range<Int>, in members: UnsafeBufferPointer<RawJSONScanner.Member>, of bytes: UnsafeBufferPointer<UInt8>,
                               like other: UnsafeBufferPointer<UInt8>) -> RawJSONScanner.Member? {
                        members.first { $0.key.count == key.count && bytes[$0.key].elementsEqual(other[key]) }
                    }
                    for over in overlayMembers where overlayBytes[over.value.lowerBound] == UInt8(ascii: "{") {
                        if let under = named(over.key, in: baseMembers, of: baseBytes, like: overlayBytes),
                           baseBytes[under.value.lowerBound] == UInt8(ascii: "{") { return false }
                    }
                    piece.removeAll()
                    piece.assemble { json in
                        json.append(UInt8(ascii: "{"))
                        var first = true
                        for member in baseMembers {
                            if !first { json.append(UInt8(ascii: ",")) }
                            first = false
                            // `"name":` as it stands: compact, so the colon follows the closing quote.
                            json.append(UnsafeBufferPointer(rebasing: baseBytes[(member.key.lowerBound - 1)..<(member.key.upperBound + 2)]))
                            if let over = named(member.key, in: overlayMembers, of: overlayBytes, like: baseBytes) {
                                json.append(UnsafeBufferPointer(rebasing: overlayBytes[over.value]))
                            } else {
                                json.append(UnsafeBufferPointer(rebasing: baseBytes[member.value]))
                            }
                        }
                        for over in overlayMembers where named(over.key, in: baseMembers, of: baseBytes, like: overlayBytes) == nil {
                            if !first { json.append(UInt8(ascii: ",")) }
                            first = false
                            json.append(UnsafeBufferPointer(rebasing: overlayBytes[(over.key.lowerBound - 1)..<over.value.upperBound]))
                        }
                        json.append(UInt8(ascii: "}"))
                    }
                    return true
                }
            }
            return written ? .built(storePiece()) : nil
        }
    }

    /// One entity on its way through: a local value, so its parts are not behind a class's
    /// dynamic exclusivity checks.
    private struct Entity {
        let bytes: EntityBytes
        /// The plan's `names`.
        let names: UnsafeBufferPointer<UInt8>
        /// The entity's root attributes, from the scanner.
        let input: UnsafeBufferPointer<RawJSONScanner.Member>
        /// The output's root attributes so far, in order.
        var output: [(key: Int, slot: Slot)]
        /// Variables set from bytes and not yet made values (`flushVariables`), oldest first;
        /// newer than anything in `state.variables`.
        var pending: [(variable: Int, slot: Slot)]
        /// Per step, where its source attribute stood in the last entity: sources usually list
        /// their attributes in the same order.
        var hints: [Int]
        var state: ApplyState

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

        /// The attribute named `key` (a range of `names`), looked for first where step `step` found it last time.
        mutating func attribute(_ key: Range<Int>, step: Int) -> RawJSONScanner.Member? {
            let text = bytes.text
            guard let base = text.baseAddress, let name = names.baseAddress else { return nil }
            func matches(_ member: RawJSONScanner.Member) -> Bool {
                member.key.count == key.count && member.key.upperBound <= text.count
                    && (0..<key.count).allSatisfy { base[member.key.lowerBound &+ $0] == name[key.lowerBound &+ $0] }
            }
            let hint = hints[step]
            if hint < input.count, matches(input[hint]) { return input[hint] }
            guard let found = input.firstIndex(where: matches) else { return nil }
            hints[step] = found
            return input[found]
        }

        /// Makes the pending variables values in `state.variables`, in the order they were set;
        /// false when one cannot be read back.
        mutating func flushVariables(_ variableNames: [String]) -> Bool {
            for (variable, slot) in pending {
                guard let value = bytes.materialize(slot) else { return false }
                state.variables[variableNames[variable]] = value
            }
            pending.removeAll(keepingCapacity: true)
            return true
        }
    }

    /// Transforms the entity in `text` and appends it, compact, to `out`; `false` (with nothing
    /// appended) when the caller must parse and apply the block as usual.
    public func transform(_ text: UnsafeBufferPointer<UInt8>, context: TransformContext, scratch: Scratch, into out: JSONOutputBuffer) -> Bool {
        guard context.operation == operation, scratch.scanner.scan(text) else { return false }
        // Taken out of the scratch while the entity runs, so each array is held once and keeps
        // its storage (a second holder would make the first write copy it).
        var (output, pending, hints) = (scratch.output, scratch.pending, scratch.hints)
        (scratch.output, scratch.pending, scratch.hints) = ([], [], [])
        if hints.count < steps.count { hints = Array(repeating: 0, count: steps.count) }
        output.removeAll(keepingCapacity: true)
        pending.removeAll(keepingCapacity: true)
        scratch.built.removeAll()
        return names.withUnsafeBufferPointer { names in
            var entity = Entity(bytes: EntityBytes(text: text, scratch: scratch), names: names, input: scratch.scanner.members,
                                output: output, pending: pending, hints: hints,
                                state: ApplyState(input: .null, operation: operation, context: context,
                                                  variables: plan.bindings(context), random: EntropySource(seed: context.randomSeed)))
            let done = run(&entity)
            if done { write(entity.output, of: text, names: names, into: out, scratch: scratch) }
            (scratch.output, scratch.pending, scratch.hints) = (entity.output, entity.pending, entity.hints)
            return done
        }
    }

    private func run(_ entity: inout Entity) -> Bool {
        for index in steps.indices {
            switch steps[index] {
            case .copy(let copy):
                guard run(copy: copy, step: index, &entity) else { return false }
            case .concat(let concat):
                guard run(concat: concat, &entity) else { return false }
            case .constant(let constant) where entity.slot(constants[constant].rootKey) == nil:
                let range = constants[constant].bytes.withUnsafeBufferPointer { entity.bytes.store($0) }
                entity.output.append((constants[constant].rootKey, .built(range)))
            case .constant(let constant):
                guard run(constants[constant].rule, rootKey: constants[constant].rootKey, &entity) else { return false }
            case .rule(let rule):
                guard run(rules[rule].rule, rootKey: rules[rule].rootKey, &entity) else { return false }
            }
        }
        return true
    }

    /// Runs `rule` as usual on a scratch object holding only the root attribute it writes under.
    private func run(_ rule: MappingRule, rootKey: Int?, _ entity: inout Entity) -> Bool {
        guard entity.flushVariables(variableNames) else { return false }
        var scope = JSONObject()
        if let rootKey, let existing = entity.slot(rootKey) {
            guard let value = entity.bytes.materialize(existing) else { return false }
            scope[outputKeys[rootKey]] = value
        }
        entity.state.output = .object(scope)
        do throws(EntityFailure) {
            try rule.run(&entity.state)
        } catch {
            return false
        }
        guard entity.state.warnings.isEmpty else { return false }
        if let rootKey, let written = entity.state.output[outputKeys[rootKey]] { entity.put(rootKey, entity.bytes.store(written)) }
        return true
    }

    /// The function applied to a string variable, written as bytes where nothing is yet; anything
    /// less plain (no such variable, not a string, a target already there) runs the rule as usual.
    private func run(concat index: Int, _ entity: inout Entity) -> Bool {
        let concat = concats[index]
        // What the closure below reads, taken out so it does not capture the entity.
        let (bytes, pending, variables) = (entity.bytes, entity.pending, entity.state.variables)
        func content(_ variable: Int) -> StringContent? {
            bytes.stringContent(variable, named: variableNames[variable], pending: pending, variables: variables)
        }
        guard entity.slot(concat.rootKey) == nil, let value = content(concat.variable) else { return runSlowly(concat, &entity) }
        let piece = bytes.scratch.piece
        piece.removeAll()
        let written = piece.assemble { json -> Bool in
            func append(_ content: StringContent) {
                switch content {
                case .string(let string): json.appendStringContent(string)
                case .bytes(let slot): bytes.withBytes(slot) { json.append($0) }
                }
            }
            func append(_ pieces: [Piece]) -> Bool {
                for piece in pieces {
                    switch piece {
                    case .literal(let literal): json.append(literal)
                    case .variable(let variable):
                        guard let found = content(variable) else { return false }
                        append(found)
                    }
                }
                return true
            }
            json.append(concat.opening)
            json.append(UInt8(ascii: "\""))
            guard append(concat.prefix) else { return false }
            append(value)
            guard append(concat.suffix) else { return false }
            json.append(UInt8(ascii: "\""))
            for _ in 0..<concat.closingBraces { json.append(UInt8(ascii: "}")) }
            return true
        }
        guard written else { return runSlowly(concat, &entity) }
        let range = bytes.storePiece()
        if let variable = concat.targetVariable {
            let string = (range.lowerBound + concat.opening.count)..<(range.upperBound - concat.closingBraces)
            entity.pending.append((variable, .built(string)))
        }
        entity.output.append((concat.rootKey, .built(range)))
        return true
    }

    /// The concat as `MappingRule.run` does it, on values: for variables that are not strings.
    private func runSlowly(_ concat: Concat, _ entity: inout Entity) -> Bool {
        guard entity.flushVariables(variableNames) else { return false }
        return run(concat.rule, rootKey: concat.rootKey, &entity)
    }

    private func run(copy index: Int, step: Int, _ entity: inout Entity) -> Bool {
        let copy = copies[index]
        let text = entity.bytes.text
        var found: Slot?
        if let member = entity.attribute(copy.sourceKey, step: step), text[member.value.lowerBound] != UInt8(ascii: "n") {
            found = .text(member.value)
            if !copy.preserveArrayWithSingleElement, text[member.value.lowerBound] == UInt8(ascii: "[") {
                // A one-element array is unwrapped: look inside.
                guard let array = entity.bytes.materialize(.text(member.value)) else { return false }
                if case .array(let elements) = array, elements.count == 1 { found = entity.bytes.store(elements[0]) }
            }
        }
        if found == nil, copy.optional, let defaultValue = copyDefaults[index] { found = entity.bytes.store(defaultValue) }
        guard let found else {
            // Nothing to copy: fine when optional or writing nothing; else the usual path says what failed.
            return copy.optional || (copy.targetKey == nil && copy.targetVariable == nil)
        }
        if let variable = copy.targetVariable { entity.pending.append((variable, found)) }
        guard let key = copy.targetKey else { return true }
        guard let existing = entity.slot(key) else {
            entity.output.append((key, found))
            return true
        }
        // Written twice: merged as the usual path merges, member by member where no objects meet.
        if let merged = entity.bytes.mergedObjects(existing, found) {
            entity.put(key, merged)
            return true
        }
        guard let target = copyTargets[index], entity.flushVariables(variableNames),
              let old = entity.bytes.materialize(existing), let new = entity.bytes.materialize(found) else { return false }
        var scope = JSONValue.object(JSONObject([(outputKeys[key], old)]))
        do throws(JSONPathWriteError) {
            try target.set(new, in: &scope, mergeObjects: true, variables: entity.state.variables)
        } catch {
            return false
        }
        guard let merged = scope[outputKeys[key]] else { return false }
        entity.put(key, entity.bytes.store(merged))
        return true
    }

    private func write(_ output: [(key: Int, slot: Slot)], of text: UnsafeBufferPointer<UInt8>, names: UnsafeBufferPointer<UInt8>,
                       into out: JSONOutputBuffer, scratch: Scratch) {
        scratch.built.withUnsafeBytes { built in
            out.assemble { json in
                json.append(UInt8(ascii: "{"))
                for (index, member) in output.enumerated() {
                    if index > 0 { json.append(UInt8(ascii: ",")) }
                    json.append(UnsafeBufferPointer(rebasing: names[encodedKeys[member.key]]))
                    switch member.slot {
                    case .text(let range): json.append(UnsafeBufferPointer(rebasing: text[range]))
                    case .built(let range): json.append(UnsafeBufferPointer(rebasing: built[range]))
                    }
                }
                json.append(UInt8(ascii: "}"))
            }
        }
    }
}

extension Transformation {
    /// The raw path for `type` under `operation`, when the block's mappings allow one.
    public func rawPlan(for type: EntityType, operation: TransformOperation) -> RawPlan? {
        plan(for: type).flatMap { RawPlan($0, operation: operation) }
    }
}
