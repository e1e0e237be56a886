import Engine
import Foundation
import JSON

/// Systems that are not fakes: `${env:NAME}` in their properties (secrets stay out of files and
/// reports), and `--target NAME=URL`, which sends a system declared with `fake:` to a real
/// endpoint instead.
enum ExternalSystems {
    /// A value that stands for an environment variable while a file loads (its value comes when
    /// the step runs): an http(s) URL for a variable named like one, so that
    /// `URL: ${env:SCIM_URL}` passes the checks of a URL property, else `1`, which text, secret
    /// and number properties take.
    static func standIn(for variable: String) -> String {
        variable.uppercased().contains("URL") ? "https://environment-variable.invalid" : "1"
    }

    /// `(name, range)` of each `${env:NAME}` in `text`; a malformed reference is an error message.
    static func references(in text: String) -> Result<[(name: String, range: Range<String.Index>)], StepFailure> {
        var found: [(String, Range<String.Index>)] = []
        var rest = text[...]
        while let open = rest.firstRange(of: "${env:") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { return .failure(StepFailure("'${env:' without a closing '}'")) }
            let name = String(rest[open.upperBound..<close])
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                return .failure(StepFailure("'${env:\(name)}': an environment variable's name is letters, digits and _"))
            }
            found.append((name, open.lowerBound..<rest.index(after: close)))
            rest = rest[rest.index(after: close)...]
        }
        return .success(found)
    }

    /// The systems (`{systems: …}`) with every `${env:NAME}` in a property replaced by
    /// `value(NAME)` and `${run}` by `runId`; nil from `value` is an error naming the property
    /// and the variable.
    static func substituting(_ systems: JSONValue, runId: String? = nil, secrets: inout [String], _ value: (String) -> String?) -> Result<JSONValue, StepFailure> {
        var json = systems
        for system in systems["systems"]?.objectValue ?? JSONObject() {
            for property in system.value["properties"]?.objectValue ?? JSONObject() {
                guard case .string(var text) = property.value else { continue }
                if let runId, text.contains("${run}") {
                    text = text.replacingOccurrences(of: "${run}", with: runId)
                    json["systems"]?[system.key]?["properties"]?[property.key] = .string(text)
                }
                let found: [(name: String, range: Range<String.Index>)]
                switch references(in: text) {
                case .success(let f): found = f
                case .failure(let f): return .failure(StepFailure("systems.\(system.key).properties.\(property.key): \(f.message)"))
                }
                guard !found.isEmpty else { continue }
                var out = text
                for reference in found.reversed() {
                    guard let replacement = value(reference.name) else {
                        return .failure(StepFailure("systems.\(system.key).properties.\(property.key): the environment variable \(reference.name) is not set"))
                    }
                    // A credential, by the property's name or the variable's: kept out of reports.
                    if SecretNames.isSecret(property.key) || SecretNames.isSecret(reference.name), replacement.count >= 4 { secrets.append(replacement) }
                    out.replaceSubrange(reference.range, with: replacement)
                }
                json["systems"]?[system.key]?["properties"]?[property.key] = .string(out)
            }
        }
        return .success(json)
    }

    /// The systems with each `--target` applied: its URL set and its `fake:` dropped. Returns the
    /// systems, the fakes whose systems went elsewhere, and the systems that are not fakes.
    static func targeting(_ systems: JSONValue, _ targets: [String: String]) -> (systems: JSONValue, redirected: [String: [String]], external: [String: String]) {
        var json = systems
        var redirected: [String: [String]] = [:]
        var external: [String: String] = [:]
        for system in systems["systems"]?.objectValue ?? JSONObject() {
            if let url = targets[system.key] {
                if let fake = system.value["fake"]?.stringValue { redirected[fake, default: []].append(system.key) }
                json["systems"]?[system.key]?["fake"] = nil
                var properties = system.value["properties"]?.objectValue ?? JSONObject()
                properties["URL"] = .string(url)
                json["systems"]?[system.key]?["properties"] = .object(properties)
                external[system.key] = url
            } else if system.value["fake"] == nil {
                external[system.key] = system.value["properties"]?["URL"]?.stringValue ?? ""
            }
        }
        return (json, redirected, external)
    }
}
