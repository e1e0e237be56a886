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

    /// The names `text` refers to, in order; an error for `${` without a usable name and `}`.
    static func references(in text: String) -> Result<[String], StepFailure> {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.firstRange(of: "${") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                return .failure(StepFailure("'${' without a closing '}' in '\(text)'"))
            }
            let name = String(rest[open.upperBound..<close])
            guard isName(name) else { return .failure(StepFailure("'${\(name)}' in '\(text)' is not a saved value's name")) }
            names.append(name)
            rest = rest[rest.index(after: close)...]
        }
        return .success(names)
    }

    /// Every name referenced in the strings (and object keys) of `value`.
    static func references(in value: JSONValue) -> Result<[String], StepFailure> {
        switch value {
        case .string(let s): return references(in: s)
        case .array(let elements):
            var names: [String] = []
            for element in elements {
                switch references(in: element) {
                case .success(let found): names += found
                case .failure(let failure): return .failure(failure)
                }
            }
            return .success(names)
        case .object(let object):
            var names: [String] = []
            for member in object {
                for part in [references(in: member.key), references(in: member.value)] {
                    switch part {
                    case .success(let found): names += found
                    case .failure(let failure): return .failure(failure)
                    }
                }
            }
            return .success(names)
        case .null, .bool, .number: return .success([])
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
            if s.hasPrefix("${"), s.hasSuffix("}"), case .success(let names) = references(in: s), names.count == 1, s == "${\(names[0])}" {
                guard let found = saved[names[0]] else { return .failure(missing(names[0], saved)) }
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
