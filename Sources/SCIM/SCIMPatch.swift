import JSON

/// A PATCH path: `members`, `name.familyName`, `emails[type eq "work"].value`,
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`.
public struct SCIMPatchPath: Sendable, CustomStringConvertible {
    public let attribute: SCIMAttributePath
    public let filter: SCIMFilter?
    /// The sub-attribute after a value filter (`.value` in `emails[type eq "work"].value`).
    public let filteredSubAttribute: String?
    public let text: String

    public init(parsing text: String) throws(SCIMError) {
        self.text = text
        let invalid = SCIMError.badRequest(.invalidPath, "Invalid path '\(text)'")
        if let open = text.firstIndex(of: "[") {
            guard let close = text.lastIndex(of: "]"), close > open,
                  let attribute = SCIMAttributePath.parse(String(text[..<open])), attribute.subAttribute == nil else { throw invalid }
            let filterText = String(text[text.index(after: open)..<close])
            do throws(SCIMError) {
                filter = try SCIMFilter(parsing: filterText)
            } catch {
                throw SCIMError.badRequest(.invalidPath, "Invalid path '\(text)': \(error.detail)")
            }
            let rest = text[text.index(after: close)...]
            if rest.isEmpty {
                filteredSubAttribute = nil
            } else {
                guard rest.hasPrefix("."), SCIMAttributePath.isName(rest.dropFirst()) else { throw invalid }
                filteredSubAttribute = String(rest.dropFirst())
            }
            self.attribute = attribute
        } else {
            guard let attribute = SCIMAttributePath.parse(text) else { throw invalid }
            self.attribute = attribute
            filter = nil
            filteredSubAttribute = nil
        }
    }

    public var description: String { text }
}

/// A PatchOp request (RFC 7644 §3.5.2) and its application to a resource.
///
/// Application is atomic (it works on a copy) and follows the RFC: `add` appends to multi-valued
/// attributes without duplicating and merges complex ones; `replace` on a missing attribute adds
/// it; a value filter that matches nothing is `noTarget` for `add` and `replace` and a no-op for
/// `remove`; `remove` without a path is `noTarget`; read-only attributes are `mutability`.
public struct SCIMPatch: Sendable {
    public enum Op: String, Sendable {
        case add, remove, replace
    }

    public struct Operation: Sendable {
        public let op: Op
        public let path: SCIMPatchPath?
        public let value: JSONValue?
    }

    public let operations: [Operation]

    public init(operations: [Operation]) {
        self.operations = operations
    }

    /// Reads a PatchOp message. Operation names are accepted in any case (`"Add"` is common).
    public init(json: JSONValue) throws(SCIMError) {
        guard case .object(let body) = json else {
            throw SCIMError.badRequest(.invalidSyntax, "A PATCH body must be a JSON object")
        }
        guard case .array(let schemas)? = body["schemas"], schemas.contains(.string(SCIMSchemas.patchOpURN)) else {
            throw SCIMError.badRequest(.invalidSyntax, "A PATCH body must list the schema \(SCIMSchemas.patchOpURN)")
        }
        guard case .array(let list)? = body["Operations"] ?? json.member(caseInsensitive: "Operations"), !list.isEmpty else {
            throw SCIMError.badRequest(.invalidSyntax, "A PATCH body needs a non-empty \"Operations\" list")
        }
        var operations: [Operation] = []
        for (index, element) in list.enumerated() {
            guard case .object(let object) = element,
                  let opText = (object["op"] ?? element.member(caseInsensitive: "op"))?.stringValue else {
                throw SCIMError.badRequest(.invalidSyntax, "Operations[\(index)] needs \"op\"")
            }
            guard let op = Op(rawValue: opText.lowercased()) else {
                throw SCIMError.badRequest(.invalidSyntax, "Operations[\(index)]: unknown op '\(opText)' (add, remove or replace)")
            }
            var path: SCIMPatchPath?
            if let p = object["path"] ?? element.member(caseInsensitive: "path") {
                guard case .string(let text) = p else { throw SCIMError.badRequest(.invalidPath, "Operations[\(index)]: path must be a string") }
                path = try SCIMPatchPath(parsing: text)
            }
            let value = object["value"] ?? element.member(caseInsensitive: "value")
            if op != .remove && value == nil {
                throw SCIMError.badRequest(.invalidValue, "Operations[\(index)]: '\(op.rawValue)' needs a value")
            }
            if op == .remove && path == nil {
                throw SCIMError.badRequest(.noTarget, "Operations[\(index)]: 'remove' needs a path")
            }
            operations.append(Operation(op: op, path: path, value: value))
        }
        self.operations = operations
    }

    /// The resource after every operation, or the first error (the resource is then unchanged).
    public func apply(to resource: JSONValue, resourceType: SCIMResourceType) throws(SCIMError) -> JSONValue {
        var editor = PatchEditor(resource: resource, resourceType: resourceType)
        for operation in operations {
            try editor.apply(operation)
        }
        return editor.resource
    }
}

/// Applies operations to a working copy of a resource.
struct PatchEditor {
    var resource: JSONValue
    let resourceType: SCIMResourceType

    mutating func apply(_ operation: SCIMPatch.Operation) throws(SCIMError) {
        guard let path = operation.path else {
            // No path: the value is an object of attributes (possibly extension objects).
            guard case .object(let attributes)? = operation.value else {
                throw SCIMError.badRequest(.invalidValue, "Without a path the value must be an object of attributes")
            }
            for member in attributes {
                if let ext = resourceType.schema(withURN: member.key), ext.id != resourceType.schema.id {
                    guard case .object(let extAttributes) = member.value else {
                        throw SCIMError.badRequest(.invalidValue, "The value of \(member.key) must be an object")
                    }
                    // Some clients (scim2-models, for one) echo a `schemas` list inside extension objects.
                    for extMember in extAttributes where !extMember.key.caseInsensitiveEquals("schemas") {
                        try apply(operation.op, SCIMPatchTarget(schema: ext.id, attribute: extMember.key), value: extMember.value)
                    }
                } else if member.key == "schemas" {
                    continue  // the message's own schemas list, sometimes echoed into the value
                } else {
                    guard let attribute = SCIMAttributePath.parse(member.key) else {
                        throw SCIMError.badRequest(.invalidPath, "Invalid attribute name '\(member.key)'")
                    }
                    try apply(operation.op, SCIMPatchTarget(attribute), value: member.value)
                }
            }
            return
        }
        // A path that is only an extension URN addresses the extension object as a whole.
        if path.filter == nil, let ext = resourceType.extensions.first(where: { $0.schema.id.caseInsensitiveEquals(path.text) }) {
            guard case .object(let extAttributes)? = operation.value else {
                if operation.op == .remove {
                    resource = removingMember(ext.schema.id, from: resource)
                    return
                }
                throw SCIMError.badRequest(.invalidValue, "The value for \(path.text) must be an object")
            }
            for member in extAttributes where !member.key.caseInsensitiveEquals("schemas") {
                try apply(operation.op, SCIMPatchTarget(schema: ext.schema.id, attribute: member.key), value: member.value)
            }
            return
        }
        try apply(operation.op, SCIMPatchTarget(path), value: operation.value)
    }

    private mutating func apply(_ op: SCIMPatch.Op, _ target: SCIMPatchTarget, value: JSONValue?) throws(SCIMError) {
        let definition = resourceType.attribute(for: SCIMAttributePath(schema: target.schema, attribute: target.attribute))
        if let definition, definition.mutability == .readOnly || SCIMCommonAttributes.attribute(named: target.attribute)?.mutability == .readOnly {
            throw SCIMError.badRequest(.mutability, "Attribute '\(target.display)' is read-only")
        }
        if target.attribute.caseInsensitiveEquals("schemas") {
            throw SCIMError.badRequest(.mutability, "Attribute 'schemas' cannot be patched")
        }
        let extensionURN = self.extensionURN(for: target, definition: definition)
        var container: JSONValue = extensionURN.map { resource.member(caseInsensitive: $0) ?? .object(JSONObject()) } ?? resource
        let key = container.memberKey(caseInsensitive: target.attribute) ?? definition?.name ?? target.attribute
        var current = container.member(caseInsensitive: target.attribute)

        if let filter = target.filter {
            guard let definition, definition.multiValued else {
                throw SCIMError.badRequest(.invalidPath, "'\(target.attribute)' is not multi-valued, so it cannot take a value filter")
            }
            var elements = current?.arrayValue ?? []
            let evaluator = SCIMFilterEvaluator(resourceType: resourceType)
            let matched = elements.indices.filter { evaluator.matches(element: elements[$0], of: definition, filter: filter) }
            if matched.isEmpty {
                if op == .remove { return }
                throw SCIMError.badRequest(.noTarget, "No value of '\(target.attribute)' matches \(target.display)")
            }
            switch op {
            case .remove:
                if let sub = target.subAttribute {
                    for i in matched { elements[i] = removingMember(sub, from: elements[i]) }
                } else {
                    for i in matched.reversed() { elements.remove(at: i) }
                }
            case .add, .replace:
                let value = value!
                for i in matched {
                    if let sub = target.subAttribute {
                        try validate(value, for: definition.subAttribute(named: sub), name: "\(target.attribute).\(sub)")
                        elements[i] = settingMember(sub, to: value, in: elements[i])
                    } else {
                        guard case .object(let fields) = value else {
                            throw SCIMError.badRequest(.invalidValue, "The value for \(target.display) must be an object")
                        }
                        if op == .replace {
                            elements[i] = value
                        } else {
                            var merged = elements[i]
                            for field in fields { merged = settingMember(field.key, to: field.value, in: merged) }
                            elements[i] = merged
                        }
                    }
                }
            }
            current = elements.isEmpty ? nil : .array(elements)
        } else if let sub = target.subAttribute {
            let subDefinition = definition?.subAttribute(named: sub)
            if definition?.multiValued == true {
                throw SCIMError.badRequest(.invalidPath, "'\(target.attribute)' is multi-valued: address elements with a filter, e.g. \(target.attribute)[type eq \"work\"].\(sub)")
            }
            if subDefinition?.mutability == .readOnly {
                throw SCIMError.badRequest(.mutability, "Attribute '\(target.display)' is read-only")
            }
            switch op {
            case .remove:
                if let c = current { current = removingMember(sub, from: c) }
            case .add, .replace:
                try validate(value!, for: subDefinition, name: target.display)
                current = settingMember(sub, to: value!, in: current ?? .object(JSONObject()))
            }
        } else {
            switch op {
            case .remove:
                if definition?.required == true {
                    throw SCIMError.badRequest(.mutability, "Attribute '\(target.display)' is required and cannot be removed")
                }
                if let listed = value, definition?.multiValued == true, let existing = current?.arrayValue {
                    // Remove the listed values (a form some clients use instead of a filter).
                    let removals = listed.arrayValue ?? [listed]
                    let remaining = existing.filter { element in !removals.contains { matchesRemoval($0, element) } }
                    current = remaining.isEmpty ? nil : .array(remaining)
                } else {
                    current = nil
                }
            case .add:
                try validate(value!, for: definition, name: target.display)
                if definition?.multiValued == true {
                    var elements = current?.arrayValue ?? []
                    for v in value!.arrayValue ?? [value!] where !elements.contains(v) { elements.append(v) }
                    current = .array(elements)
                } else if case .object(let fields) = value!, case .object? = current {
                    var merged = current!
                    for field in fields { merged = settingMember(field.key, to: field.value, in: merged) }
                    current = merged
                } else {
                    current = value!
                }
            case .replace:
                try validate(value!, for: definition, name: target.display)
                current = definition?.multiValued == true ? .array(value!.arrayValue ?? [value!]) : value!
            }
        }

        if let current {
            container[key] = current
        } else {
            container = removingMember(key, from: container)
        }
        if let extensionURN {
            let extKey = resource.memberKey(caseInsensitive: extensionURN) ?? extensionURN
            resource[extKey] = container
            addSchema(extensionURN)
        } else {
            resource = container
        }
    }

    /// The extension whose object holds the attribute, or nil for the core schema.
    private func extensionURN(for target: SCIMPatchTarget, definition: SCIMAttribute?) -> String? {
        if let urn = target.schema {
            return urn.caseInsensitiveEquals(resourceType.schema.id) ? nil : (resourceType.schema(withURN: urn)?.id ?? urn)
        }
        if resourceType.schema.attribute(named: target.attribute) != nil || SCIMCommonAttributes.attribute(named: target.attribute) != nil {
            return nil
        }
        return resourceType.extensions.first { $0.schema.attribute(named: target.attribute) != nil }?.schema.id
    }

    private mutating func addSchema(_ urn: String) {
        guard case .array(var schemas)? = resource["schemas"] else { return }
        if !schemas.contains(where: { $0.stringValue?.caseInsensitiveEquals(urn) == true }) {
            schemas.append(.string(urn))
            resource["schemas"] = .array(schemas)
        }
    }

    /// Checks the JSON type against the definition (when the attribute is known).
    private func validate(_ value: JSONValue, for definition: SCIMAttribute?, name: String) throws(SCIMError) {
        guard let definition else { return }
        let elements = definition.multiValued ? (value.arrayValue ?? [value]) : [value]
        for element in elements {
            let ok: Bool
            switch (definition.type, element) {
            case (_, .null): ok = true
            case (.boolean, .bool): ok = true
            case (.integer, .number(let n)): ok = n.isIntegerLiteral
            case (.decimal, .number): ok = true
            case (.complex, .object): ok = true
            case (.string, .string), (.reference, .string), (.dateTime, .string), (.binary, .string): ok = true
            default: ok = false
            }
            guard ok else {
                throw SCIMError.badRequest(.invalidValue, "'\(name)' expects \(definition.multiValued ? "values of type " : "a ")\(definition.type.rawValue), not \(element.typeName)")
            }
        }
    }

    private func matchesRemoval(_ listed: JSONValue, _ element: JSONValue) -> Bool {
        if listed == element { return true }
        if let a = listed.member(caseInsensitive: "value"), let b = element.member(caseInsensitive: "value") { return a == b }
        return false
    }

    private func settingMember(_ name: String, to value: JSONValue, in object: JSONValue) -> JSONValue {
        var copy = object
        copy[copy.memberKey(caseInsensitive: name) ?? name] = value
        return copy
    }

    private func removingMember(_ name: String, from object: JSONValue) -> JSONValue {
        guard case .object(var o) = object, let key = object.memberKey(caseInsensitive: name) else { return object }
        o.removeValue(forKey: key)
        return .object(o)
    }
}

/// Where one (sub-)operation writes.
struct SCIMPatchTarget {
    let schema: String?
    let attribute: String
    let subAttribute: String?
    let filter: SCIMFilter?
    let display: String

    init(_ path: SCIMPatchPath) {
        schema = path.attribute.schema
        attribute = path.attribute.attribute
        filter = path.filter
        subAttribute = path.filter == nil ? path.attribute.subAttribute : path.filteredSubAttribute
        display = path.text
    }

    init(_ path: SCIMAttributePath) {
        schema = path.schema
        attribute = path.attribute
        subAttribute = path.subAttribute
        filter = nil
        display = path.description
    }

    init(schema: String, attribute: String) {
        self.schema = schema
        self.attribute = attribute
        subAttribute = nil
        filter = nil
        display = "\(schema):\(attribute)"
    }
}
