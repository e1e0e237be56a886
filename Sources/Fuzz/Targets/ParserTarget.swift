import Determinism

/// A target that generates text and feeds it to a parser (and whatever runs on the result).
/// Any thrown error is a handled outcome: only a trap, a hang or a violated invariant is a finding.
public final class ParserTarget: FuzzTarget {
    public let name: String
    private let generate: @Sendable (inout SeededRandom) -> String
    private let check: @Sendable (String) -> FuzzOutcome

    public init(name: String, generate: @escaping @Sendable (inout SeededRandom) -> String, check: @escaping @Sendable (String) -> FuzzOutcome) {
        self.name = name
        self.generate = generate
        self.check = check
    }

    public func makeCase(index: Int, random: inout SeededRandom) -> FuzzCase {
        FuzzCase(target: name, index: index, payload: .text(generate(&random)))
    }

    public func run(_ fuzzCase: FuzzCase) async -> FuzzOutcome {
        guard case .text(let text) = fuzzCase.payload else { return .handled }
        return check(text)
    }
}
