import Foundation

/// What a run of scenarios brings from outside the files: other endpoints for their systems, the
/// environment secrets come from, and the run ID that keeps parallel runs apart.
public struct RunOptions: Sendable {
    /// System name → URL (`provsim run --target btp=https://…`): the system is reached there,
    /// through its public API, instead of through the fake it names.
    public var targets: [String: String]
    /// Values for `${env:NAME}` in system properties (the process environment, then an env file).
    public var environment: [String: String]
    /// `${run}` in seeds, changes, assertions and requests: a prefix for what a scenario creates
    /// in a real service, so parallel runs and real data never collide.
    public var runId: String
    /// Delete, when a scenario ends, what it created in systems that are not fakes (even when a
    /// step failed); off only to look at what was left.
    public var cleanUp: Bool

    public init(targets: [String: String] = [:], environment: [String: String] = ProcessInfo.processInfo.environment,
                runId: String = RunOptions.newRunId(), cleanUp: Bool = true) {
        self.targets = targets
        self.environment = environment
        self.runId = runId
        self.cleanUp = cleanUp
    }

    /// Why `id` cannot be a run ID, or nil: it goes into user names, and clean-up deletes only
    /// entities whose name contains it, so it must be long enough not to occur in real names.
    public static func problem(withRunId id: String) -> String? {
        guard id.count >= 6 else { return "at least 6 characters (clean-up deletes only entities whose name contains it)" }
        guard id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return "letters, digits, - and _ only (it becomes part of user names)" }
        return nil
    }

    /// `p` and eight hexadecimal digits, random per run.
    public static func newRunId() -> String {
        "p" + String(UInt32.random(in: 0...UInt32.max), radix: 16).leftPadded(to: 8)
    }
}

extension String {
    /// Whether the run ID `id` occurs in this name as a whole token (not inside a longer run of
    /// letters and digits), so that run `build-12` never claims `build-123`.
    private static func isWordCharacter(_ character: Character?) -> Bool {
        character.map { $0.isLetter || $0.isNumber } ?? false
    }

    func carriesRunId(_ id: String) -> Bool {
        guard !id.isEmpty else { return false }
        var rest = self[...]
        while let found = rest.range(of: id) {
            let before = found.lowerBound == startIndex ? nil : self[index(before: found.lowerBound)]
            let after = found.upperBound == endIndex ? nil : self[found.upperBound]
            if !Self.isWordCharacter(before), !Self.isWordCharacter(after) { return true }
            rest = self[index(after: found.lowerBound)...]
        }
        return false
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
