import Foundation

/// A count a scenario expects: exactly `n`, or compared: `">0"`, `">=3"`, `"<=3"`, `"<10"`.
struct CountExpectation: Sendable, Equatable, CustomStringConvertible {
    enum Comparison: String, Sendable, CaseIterable {
        case atLeast = ">=", atMost = "<=", above = ">", below = "<", exactly = "="
    }

    let comparison: Comparison
    let value: Int

    /// Parses `3`, `"=3"`, `">0"`, `">= 1"` …; nil when the text is none of these.
    init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        // Longest operators first, so `>=` is not read as `>` followed by `=3`.
        let comparison = Comparison.allCases.first { trimmed.hasPrefix($0.rawValue) }
        let number = trimmed.dropFirst(comparison?.rawValue.count ?? 0).trimmingCharacters(in: .whitespaces)
        guard let value = Int(number), value >= 0 else { return nil }
        self.comparison = comparison ?? .exactly
        self.value = value
    }

    /// One count, or a list of them that must all hold (`[">=1", "<=2"]`).
    static func list(_ node: ScenarioNode) throws(ScenarioError) -> [CountExpectation] {
        let nodes = (try? node.elements()) ?? [node]
        guard !nodes.isEmpty else { throw node.error("expected a count such as 3, or a list of them") }
        return try nodes.map { (node) throws(ScenarioError) -> CountExpectation in
            guard let expected = CountExpectation(try node.string()) else {
                throw node.error("expected a count such as 3, \">0\", \">=1\" or \"<=3\"")
            }
            return expected
        }
    }

    func holds(for actual: Int) -> Bool {
        switch comparison {
        case .exactly: return actual == value
        case .atLeast: return actual >= value
        case .atMost: return actual <= value
        case .above: return actual > value
        case .below: return actual < value
        }
    }

    var description: String { comparison == .exactly ? String(value) : "\(comparison.rawValue)\(value)" }
}
