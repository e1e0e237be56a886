import JSON
import Testing

/// JSON test data written in the test source. Data that does not parse fails the test that uses
/// it, with the parser's message, instead of crashing the whole test run.
public func fixtureJSON(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
    do {
        return try JSONParser.parse(text)
    } catch {
        Issue.record("the fixture is not JSON: \(error)", sourceLocation: sourceLocation)
        return .null
    }
}
