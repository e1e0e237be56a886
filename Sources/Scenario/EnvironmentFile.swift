import Foundation

/// An environment file for `provsim run --env-file`: `NAME=VALUE` lines for `${env:NAME}` in
/// system properties, and `PROVSIM_TARGET_<system>=URL` lines for targets. Blank lines and lines
/// starting with `#` are ignored; `export ` before a name and quotes around a value are allowed.
public enum EnvironmentFile {
    /// The prefix of variables that name a target: `PROVSIM_TARGET_btp=https://…`.
    public static let targetPrefix = "PROVSIM_TARGET_"

    /// The variables of `text` (from `file`); an error names the file, the line and why.
    public static func parse(_ text: String, file: String) throws(ScenarioError) -> [String: String] {
        var values: [String: String] = [:]
        // Swift reads "\r\n" as one Character: split on newlines, not on "\n", or a file with
        // Windows line endings would be one long line.
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            var line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst("export ".count)).trimmingCharacters(in: .whitespaces) }
            guard let eq = line.firstIndex(of: "=") else {
                throw ScenarioError(file: file, line: index + 1, column: nil, field: "", message: "expected NAME=VALUE")
            }
            let name = String(line[..<eq]).trimmingCharacters(in: .whitespaces)
            guard let first = name.first, !first.isNumber, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }) else {
                throw ScenarioError(file: file, line: index + 1, column: nil, field: "", message: "'\(name)' is not a variable name (letters, digits, _, - and ., not starting with a digit)")
            }
            var value = String(line[line.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote { value = String(value.dropFirst().dropLast()) }
            values[name] = value
        }
        return values
    }

    /// The targets that `PROVSIM_TARGET_<system>` variables name.
    public static func targets(in environment: [String: String]) -> [String: String] {
        var targets: [String: String] = [:]
        for (name, url) in environment where name.hasPrefix(targetPrefix) && name.count > targetPrefix.count {
            targets[String(name.dropFirst(targetPrefix.count))] = url
        }
        return targets
    }
}
