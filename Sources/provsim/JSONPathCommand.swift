import ArgumentParser
import JSON
import JSONPath

struct JSONPathCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jsonpath",
        abstract: "Evaluate a JSONPath (the Jayway dialect IPS uses) against a JSON document.",
        discussion: """
        Prints the result as JSON: the value for a definite path, a list for an indefinite one.

        Exit codes: 0 found (an indefinite path always "finds" a list, possibly empty), 1 a definite \
        path found nothing, 2 invalid expression or input.

        Examples:
          provsim jsonpath '$.emails[?(@.primary == true)].value' user.json
          provsim jsonpath \\
              "\\$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['userUuid']" \\
              - < user.json
        """
    )

    @Argument(help: "The JSONPath expression.")
    var expression: String

    @Argument(help: "The JSON document; '-' or nothing reads standard input.")
    var file: String?

    @Flag(name: .long, help: "Print the result on one line.")
    var compact = false

    func run() async throws {
        try await exiting {
            let path: JSONPath
            do throws(JSONPathError) {
                path = try JSONPath(expression)
            } catch {
                let (excerpt, caret) = Self.excerpt(expression, column: error.column)
                throw CommandFailure(code: 2, message: "invalid JSONPath at \(error)\n  \(excerpt)\n  \(String(repeating: " ", count: caret))^")
            }
            let document = try InputFiles.readJSON(file)
            guard let result = path.read(document) else {
                Terminal.error("provsim: \(expression) finds nothing")
                return 1
            }
            Terminal.print(result.serialized(pretty: !compact))
            return 0
        }
    }

    /// The expression around `column` (1-based), at most 80 characters with `…` where it was cut,
    /// and the caret's offset in it: a 100,000-character expression is not echoed whole.
    static func excerpt(_ expression: String, column: Int) -> (text: String, caret: Int) {
        let characters = Array(expression)
        let position = min(max(column - 1, 0), characters.count)
        guard characters.count > 80 else { return (expression, position) }
        let start = max(0, min(position - 40, characters.count - 80))
        let end = min(characters.count, start + 80)
        let prefix = start > 0 ? "…" : ""
        return (prefix + String(characters[start..<end]) + (end < characters.count ? "…" : ""), position - start + prefix.count)
    }
}
