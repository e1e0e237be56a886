import JSON

/// Writing through paths, the way IPS mapping rules write their `targetPath`:
/// - missing objects and arrays on the way are created (`$.meta.location`, `$.schemas[0]`; an
///   index past the end pads with `null`);
/// - `[*]` and filters write into every existing element they select (`$.members[*].type`), and
///   write nothing when there is no such element;
/// - a final `[?(@.key)]` builds the list from the value: each element `e` becomes `{"key": e}`
///   (`$.members[?(@.value)]`);
/// - with `mergeObjects`, an object written onto an existing object is merged into it (new values
///   win, deeply), so an earlier `$.meta.location` survives a later `$.meta`.
extension JSONPath {
    public func set(
        _ value: JSONValue,
        in document: inout JSONValue,
        mergeObjects: Bool = false,
        variables: VariableBindings = .empty
    ) throws(JSONPathWriteError) {
        try checkWritable()
        if let definiteSteps, !definiteSteps.isEmpty {
            try JSONPath.setDefinite(definiteSteps[...], value, in: &document, present: true, merge: mergeObjects, path: self)
            return
        }
        let root = document
        let context = WriteContext(root: root, variables: variables, merge: mergeObjects)
        _ = try write(&document, at: 0, value: value, present: true, context: context)
    }

    /// Removes whatever the path selects. Selecting nothing is not an error.
    public func remove(from document: inout JSONValue, variables: VariableBindings = .empty) throws(JSONPathWriteError) {
        try checkWritable()
        guard !segments.isEmpty else {
            document = .null
            return
        }
        let context = WriteContext(root: document, variables: variables, merge: false)
        remove(&document, at: 0, context: context)
    }

    /// Renames the member the path ends in (its last segment must be a name), keeping its position.
    public func renameLast(to newKey: String, in document: inout JSONValue, variables: VariableBindings = .empty) throws(JSONPathWriteError) {
        try checkWritable()
        guard case .key(let oldKey)? = segments.last else {
            throw JSONPathWriteError("cannot rename at \(expression): the path must end in a member name")
        }
        let context = WriteContext(root: document, variables: variables, merge: false)
        rename(&document, at: 0, from: oldKey, to: newKey, context: context)
    }

    private struct WriteContext {
        let root: JSONValue
        let variables: VariableBindings
        let merge: Bool
    }

    /// Why values cannot be written through this path, or `nil` when they can.
    static func writeProblem(isRelative: Bool, function: PathFunction?, segments: [PathSegment]) -> String? {
        if isRelative { return "write paths start with '$', not '@'" }
        if function != nil { return "a path ending in a function cannot be written" }
        if segments.contains(where: { if case .recursiveDescent = $0 { return true } else { return false } }) {
            return "'..' does not name a place to write"
        }
        for segment in segments {
            let indexes: [Int]
            switch segment {
            case .index(let i): indexes = [i]
            case .indexes(let list): indexes = list
            default: continue
            }
            // Writing index n pads the array to n + 1 elements: a huge index would allocate it.
            if let i = indexes.first(where: { $0 > maximumWritableIndex }) {
                return "index [\(i)] is above \(maximumWritableIndex), the largest index a write may create"
            }
        }
        return nil
    }

    /// The largest array index a write may create (the array is padded with nulls up to it).
    public static let maximumWritableIndex = 10_000

    private func checkWritable() throws(JSONPathWriteError) {
        if let problem = writeProblem { throw JSONPathWriteError("cannot write through \(expression): \(problem)") }
    }

    /// Writes into `node`; `present` is false when `node` is a placeholder for a missing value.
    /// Returns whether anything was written (a broadcast over nothing writes nothing).
    private func write(_ node: inout JSONValue, at index: Int, value: JSONValue, present: Bool, context: WriteContext) throws(JSONPathWriteError) -> Bool {
        guard index < segments.count else {
            if context.merge, present {
                node = JSONPath.merged(node, value)
            } else {
                node = value
            }
            return true
        }
        let segment = segments[index]
        let isLast = index == segments.count - 1
        switch segment {
        case .key(let key):
            return try writeMembers([key], into: &node, at: index, value: value, present: present, context: context)
        case .keys(let keys):
            return try writeMembers(keys, into: &node, at: index, value: value, present: present, context: context)
        case .index(let i):
            return try writeElements([i], into: &node, at: index, value: value, present: present, context: context)
        case .indexes(let indexes):
            return try writeElements(indexes, into: &node, at: index, value: value, present: present, context: context)
        case .filter where isLast && segment.constructionKey != nil:
            let key = segment.constructionKey!
            let elements: [JSONValue]
            switch value {
            case .array(let a): elements = a
            case .null: elements = []
            default: elements = [value]
            }
            node = .array(elements.map { .object(JSONObject([(key, $0)])) })
            return true
        case .slice, .wildcard, .filter:
            return try writeSelected(segment, in: &node, at: index, value: value, context: context)
        case .recursiveDescent:
            throw JSONPathWriteError("cannot write through '..'")
        }
    }

    private func writeMembers(_ keys: [String], into node: inout JSONValue, at index: Int, value: JSONValue, present: Bool, context: WriteContext) throws(JSONPathWriteError) -> Bool {
        if !present || node.isNull { node = .object(JSONObject()) }
        guard case .object(var object) = node else {
            throw JSONPathWriteError("cannot write \(expression): '\(keys[0])' would go into a \(node.typeName), not an object")
        }
        node = .null  // keep `object` uniquely referenced while we change it
        defer { node = .object(object) }
        var wrote = false
        for key in keys {
            var failure: JSONPathWriteError?
            let found = object.modifyValue(forKey: key) { child in
                do throws(JSONPathWriteError) {
                    if try write(&child, at: index + 1, value: value, present: true, context: context) { wrote = true }
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            if !found {
                var child = JSONValue.null
                if try write(&child, at: index + 1, value: value, present: false, context: context) {
                    object[key] = child
                    wrote = true
                }
            }
        }
        return wrote
    }

    private func writeElements(_ indexes: [Int], into node: inout JSONValue, at index: Int, value: JSONValue, present: Bool, context: WriteContext) throws(JSONPathWriteError) -> Bool {
        if !present || node.isNull { node = .array([]) }
        guard case .array(var array) = node else {
            throw JSONPathWriteError("cannot write \(expression): index [\(indexes[0])] would go into a \(node.typeName), not an array")
        }
        node = .null
        defer { node = .array(array) }
        var wrote = false
        for i in indexes {
            let j = i < 0 ? array.count + i : i
            guard j >= 0 else {
                throw JSONPathWriteError("cannot write \(expression): index [\(i)] is before the start of a \(array.count)-element array")
            }
            var created = false
            while array.count <= j {
                array.append(.null)
                created = true
            }
            if try write(&array[j], at: index + 1, value: value, present: !created, context: context) { wrote = true }
        }
        return wrote
    }

    /// `[*]`, slices and filters: write into each existing element they select.
    private func writeSelected(_ segment: PathSegment, in node: inout JSONValue, at index: Int, value: JSONValue, context: WriteContext) throws(JSONPathWriteError) -> Bool {
        switch node {
        case .array(var array):
            node = .null
            defer { node = .array(array) }
            var wrote = false
            for j in selectedIndexes(segment, in: array, context: context) {
                if try write(&array[j], at: index + 1, value: value, present: true, context: context) { wrote = true }
            }
            return wrote
        case .object(var object):
            switch segment {
            case .wildcard:
                node = .null
                defer { node = .object(object) }
                var wrote = false
                for key in object.keys {
                    var failure: JSONPathWriteError?
                    _ = object.modifyValue(forKey: key) { child in
                        do throws(JSONPathWriteError) {
                            if try write(&child, at: index + 1, value: value, present: true, context: context) { wrote = true }
                        } catch {
                            failure = error
                        }
                    }
                    if let failure { throw failure }
                }
                return wrote
            case .filter(let expression):
                let scope = FilterScope(root: context.root, current: node, variables: context.variables)
                guard expression.evaluate(scope) else { return false }
                return try write(&node, at: index + 1, value: value, present: true, context: context)
            default:
                return false
            }
        default:
            return false
        }
    }

    private func selectedIndexes(_ segment: PathSegment, in array: [JSONValue], context: WriteContext) -> [Int] {
        switch segment {
        case .wildcard:
            return Array(array.indices)
        case .slice(let start, let end):
            return JSONPath.sliceIndexes(start: start, end: end, count: array.count)
        case .filter(let expression):
            return array.indices.filter { j in
                expression.evaluate(FilterScope(root: context.root, current: array[j], variables: context.variables))
            }
        case .index(let i):
            return JSONPath.resolve(i, count: array.count).map { [$0] } ?? []
        case .indexes(let indexes):
            return indexes.compactMap { JSONPath.resolve($0, count: array.count) }
        default:
            return []
        }
    }

    private func remove(_ node: inout JSONValue, at index: Int, context: WriteContext) {
        let segment = segments[index]
        let isLast = index == segments.count - 1
        switch node {
        case .object(var object):
            node = .null
            defer { node = .object(object) }
            let keys: [String]
            switch segment {
            case .key(let k): keys = [k]
            case .keys(let ks): keys = ks
            case .wildcard: keys = object.keys
            case .filter(let expression):
                // A filter on an object tests the object itself; it cannot remove itself.
                let scope = FilterScope(root: context.root, current: .object(object), variables: context.variables)
                if !isLast && expression.evaluate(scope) {
                    var me = JSONValue.object(object)
                    remove(&me, at: index + 1, context: context)
                    if case .object(let changed) = me { object = changed }
                }
                return
            default: return
            }
            for key in keys {
                if isLast {
                    object.removeValue(forKey: key)
                } else {
                    _ = object.modifyValue(forKey: key) { child in remove(&child, at: index + 1, context: context) }
                }
            }
        case .array(var array):
            node = .null
            defer { node = .array(array) }
            let selected = selectedIndexes(segment, in: array, context: context)
            if isLast {
                for j in Set(selected).sorted(by: >) { array.remove(at: j) }  // [0,0] selects one element twice
            } else {
                for j in selected { remove(&array[j], at: index + 1, context: context) }
            }
        default:
            return
        }
    }

    private func rename(_ node: inout JSONValue, at index: Int, from oldKey: String, to newKey: String, context: WriteContext) {
        if index == segments.count - 1 {
            if case .object(var object) = node {
                node = .null
                object.renameKey(oldKey, to: newKey)
                node = .object(object)
            }
            return
        }
        switch node {
        case .object(var object):
            node = .null
            defer { node = .object(object) }
            let keys: [String]
            switch segments[index] {
            case .key(let k): keys = [k]
            case .keys(let ks): keys = ks
            case .wildcard: keys = object.keys
            default: return
            }
            for key in keys {
                _ = object.modifyValue(forKey: key) { child in rename(&child, at: index + 1, from: oldKey, to: newKey, context: context) }
            }
        case .array(var array):
            node = .null
            defer { node = .array(array) }
            for j in selectedIndexes(segments[index], in: array, context: context) {
                rename(&array[j], at: index + 1, from: oldKey, to: newKey, context: context)
            }
        default:
            return
        }
    }

    /// The common case `$.a.b[0].c`: walk names and indexes, creating what is missing, without the
    /// general machinery. Same semantics as `write` for these segments.
    private static func setDefinite(_ steps: ArraySlice<DefiniteStep>, _ value: JSONValue, in node: inout JSONValue, present: Bool, merge: Bool, path: JSONPath) throws(JSONPathWriteError) {
        let rest = steps.dropFirst()
        func place(_ slot: inout JSONValue, present: Bool) throws(JSONPathWriteError) {
            if rest.isEmpty {
                slot = merge && present ? merged(slot, value) : value
            } else {
                try setDefinite(rest, value, in: &slot, present: present, merge: merge, path: path)
            }
        }
        switch steps.first! {
        case .key(let key):
            if !present || node.isNull { node = .object(JSONObject()) }
            guard case .object(var object) = node else {
                throw JSONPathWriteError("cannot write \(path.expression): '\(key)' would go into a \(node.typeName), not an object")
            }
            node = .null  // keep `object` uniquely referenced while we change it
            defer { node = .object(object) }
            try object.withValue(forKey: key) { (slot: inout JSONValue?) throws(JSONPathWriteError) in
                let childPresent = slot != nil
                var child = slot ?? .null
                slot = nil
                defer { slot = child }
                try place(&child, present: childPresent)
            }
        case .index(let i):
            if !present || node.isNull { node = .array([]) }
            guard case .array(var array) = node else {
                throw JSONPathWriteError("cannot write \(path.expression): index [\(i)] would go into a \(node.typeName), not an array")
            }
            let j = i < 0 ? array.count + i : i
            guard j >= 0 else {
                throw JSONPathWriteError("cannot write \(path.expression): index [\(i)] is before the start of a \(array.count)-element array")
            }
            node = .null
            defer { node = .array(array) }
            var created = false
            while array.count <= j {
                array.append(.null)
                created = true
            }
            try place(&array[j], present: !created)
        }
    }

    /// Deep merge of `overlay` into `base`: objects merge member by member, anything else is replaced.
    static func merged(_ base: JSONValue, _ overlay: JSONValue) -> JSONValue {
        guard case .object(var target) = base, case .object(let source) = overlay else { return overlay }
        for member in source {
            if let existing = target[member.key] {
                target[member.key] = merged(existing, member.value)
            } else {
                target[member.key] = member.value
            }
        }
        return .object(target)
    }
}
