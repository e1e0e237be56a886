import Foundation
import JSON
import JSONPath

/// Values a `request` step keeps from its answer (`save:`) for later steps to use as
/// `${name}`: the random IDs real services hand out (a UAA user's ID, a Cloud Foundry role's GUID,
/// a job's `Location`), which a scenario cannot write down in advance.
///
/// ```yaml
/// save:
///   roleGuid: $.guid                  # a JSONPath into the answer's body
///   job: header:Location              # a response header
/// ```
struct SaveRule: Sendable {
    enum Source: Sendable {
        case body(JSONPath, text: String)
        case header(String)
    }

    static let shape = JSONShape.map(of: .text("a JSONPath into the body ($.id), or header:Name", pattern: "^(\\$|[Hh][Ee][Aa][Dd][Ee][Rr]:)"),
                                     "Values to keep for later steps, as ${name}.", namePattern: "^[A-Za-z_][A-Za-z0-9_]*$")

    let name: String
    let source: Source

    static func rules(_ node: ScenarioNode?) throws(ScenarioError) -> [SaveRule] {
        guard let node else { return [] }
        guard node.isMapping else { throw node.error("save: expected a mapping of names to a JSONPath ($.id) or header:Name") }
        return try node.entries().map { (entry) throws(ScenarioError) -> SaveRule in
            guard SavedValues.isName(entry.key) else {
                throw entry.value.error("save: '\(entry.key)' is not a usable name (letters, digits and _, not starting with a digit)")
            }
            let text = try entry.value.string()
            if text.lowercased().hasPrefix("header:") {
                let header = text.dropFirst("header:".count).trimmingCharacters(in: .whitespaces)
                guard !header.isEmpty else { throw entry.value.error("save: \(entry.key): header: needs a header name") }
                return SaveRule(name: entry.key, source: .header(header))
            }
            guard text.hasPrefix("$") else { throw entry.value.error("save: \(entry.key): expected a JSONPath ($.id) or header:Name, found '\(text)'") }
            return SaveRule(name: entry.key, source: .body(try TransformExpectation.path(text, entry.value), text: text))
        }
    }

    /// The value this rule takes from an answer, or why there is none.
    func value(status: Int, headers: [(name: String, value: String)], body: JSONValue) -> Result<JSONValue, StepFailure> {
        switch source {
        case .header(let header):
            guard let found = headers.first(where: { $0.name.lowercased() == header.lowercased() }) else {
                return .failure(StepFailure("save \(name): the answer (\(status)) has no \(header) header"))
            }
            return .success(.string(found.value))
        case .body(let path, let text):
            guard let found = path.read(body), !found.isNull else {
                return .failure(StepFailure("save \(name): \(text) finds nothing in the answer (\(status))"))
            }
            return .success(found)
        }
    }
}

/// `${name}` references to saved values in a request's path, headers and body.
enum SavedValues {
    static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    /// Why the references in `text` are malformed (`${` without a usable name and `}`), or nil.
    static func problem(in text: String) -> StepFailure? {
        var rest = text[...]
        while let open = rest.firstRange(of: "${") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                return StepFailure("'${' without a closing '}' in '\(text)'")
            }
            let name = String(rest[open.upperBound..<close])
            guard isName(name) else { return StepFailure("'${\(name)}' in '\(text)' is not a saved value's name") }
            rest = rest[rest.index(after: close)...]
        }
        return nil
    }

    /// The same for the strings (and object keys) of `value`.
    static func problem(in value: JSONValue) -> StepFailure? {
        switch value {
        case .string(let s): problem(in: s)
        case .array(let elements): elements.lazy.compactMap { problem(in: $0) }.first
        case .object(let object): object.lazy.compactMap { problem(in: $0.key) ?? problem(in: $0.value) }.first
        case .null, .bool, .number: nil
        }
    }

    /// Refuses, at `node` (its `field`), malformed references in what a step sends or expects.
    static func check(_ texts: [String], _ values: [(field: String, value: JSONValue?)], at node: ScenarioNode) throws(ScenarioError) {
        if let failure = texts.lazy.compactMap(problem(in:)).first { throw node.error(failure.message) }
        for (field, value) in values {
            if let value, let failure = problem(in: value) { throw node.error("\(field): \(failure.message)") }
        }
    }

    /// `text` with each `${name}` replaced by the saved value's text.
    static func resolve(_ text: String, _ saved: [String: JSONValue]) -> Result<String, StepFailure> {
        guard text.contains("${") else { return .success(text) }
        var out = ""
        var rest = text[...]
        while let open = rest.firstRange(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            out += rest[..<open.lowerBound]
            let name = String(rest[open.upperBound..<close])
            guard let value = saved[name] else { return .failure(missing(name, saved)) }
            out += value.textValue
            rest = rest[rest.index(after: close)...]
        }
        return .success(out + rest)
    }

    /// `value` with references resolved; a string that is one reference alone becomes the saved
    /// value itself (a number stays a number).
    static func resolve(_ value: JSONValue, _ saved: [String: JSONValue]) -> Result<JSONValue, StepFailure> {
        switch value {
        case .string(let s):
            if s.hasPrefix("${"), s.hasSuffix("}"), case let name = String(s.dropFirst(2).dropLast()), isName(name) {
                guard let found = saved[name] else { return .failure(missing(name, saved)) }
                return .success(found)
            }
            return resolve(s, saved).map(JSONValue.string)
        case .array(let elements):
            var out: [JSONValue] = []
            for element in elements {
                switch resolve(element, saved) {
                case .success(let v): out.append(v)
                case .failure(let f): return .failure(f)
                }
            }
            return .success(.array(out))
        case .object(let object):
            var out = JSONObject()
            for member in object {
                switch (resolve(member.key, saved), resolve(member.value, saved)) {
                case (.success(let key), .success(let v)): out[key] = v
                case (.failure(let f), _), (_, .failure(let f)): return .failure(f)
                }
            }
            return .success(.object(out))
        case .null, .bool, .number: return .success(value)
        }
    }

    private static func missing(_ name: String, _ saved: [String: JSONValue]) -> StepFailure {
        let known = saved.keys.sorted()
        return StepFailure("no saved value '\(name)' (saved so far: \(known.isEmpty ? "none" : known.joined(separator: ", ")); a request's save: keeps one)")
    }
}
