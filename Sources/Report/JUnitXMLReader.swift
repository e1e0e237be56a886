import CLibXML2

/// Reads JUnit XML back into a `JUnitReport` (to merge shards, summarize, or check a report).
public enum JUnitXMLReader {
    /// The report, plus places where the declared counts disagree with the test cases present.
    public struct Document: Sendable {
        public let report: JUnitReport
        public let inconsistencies: [XMLProblem]
    }

    /// Accepts a `<testsuites>` root or a single `<testsuite>` root.
    public static func read(_ xml: String) throws(JUnitReadError) -> Document {
        let doc: xmlDocPtr
        switch XMLDocumentParser.parse(xml) {
        case .success(let d): doc = d
        case .failure(let problem): throw JUnitReadError(problem: problem)
        }
        defer { xmlFreeDoc(doc) }
        guard let root = xmlDocGetRootElement(doc) else {
            throw JUnitReadError(problem: XMLProblem(line: 0, message: "the document is empty"))
        }
        var inconsistencies: [XMLProblem] = []
        let suiteNodes: [xmlNodePtr]
        switch LibXML.name(of: root) {
        case "testsuites": suiteNodes = LibXML.elements(of: root).filter { LibXML.name(of: $0) == "testsuite" }
        case "testsuite": suiteNodes = [root]
        default:
            throw JUnitReadError(problem: XMLProblem(line: Int(xmlGetLineNo(root)), message: "the root element is <\(LibXML.name(of: root))>, not <testsuites> or <testsuite>"))
        }
        var suites: [JUnitSuite] = []
        for (index, node) in suiteNodes.enumerated() {
            let suite = try readSuite(node)
            let line = Int(xmlGetLineNo(node))
            for (attribute, actual) in [("tests", suite.tests), ("failures", suite.failures), ("errors", suite.errors), ("skipped", suite.skipped)] {
                if let declared = LibXML.attribute(node, attribute), Int(declared) != actual {
                    inconsistencies.append(XMLProblem(line: line, message: "suite '\(suite.name)' declares \(attribute)=\"\(declared)\" but holds \(actual)"))
                }
            }
            if let id = LibXML.attribute(node, "id"), Int(id) != index, suiteNodes.count > 1 || root != node {
                inconsistencies.append(XMLProblem(line: line, message: "suite '\(suite.name)' has id \"\(id)\", expected \(index)"))
            }
            suites.append(suite)
        }
        return Document(report: JUnitReport(suites: suites), inconsistencies: inconsistencies)
    }

    private static func readSuite(_ node: xmlNodePtr) throws(JUnitReadError) -> JUnitSuite {
        var suite = JUnitSuite(
            name: try required(node, "name"),
            package: LibXML.attribute(node, "package") ?? "provsim",
            timestamp: LibXML.attribute(node, "timestamp") ?? "",
            hostname: LibXML.attribute(node, "hostname") ?? "localhost",
            time: try seconds(node))
        for child in LibXML.elements(of: node) {
            switch LibXML.name(of: child) {
            case "properties":
                for p in LibXML.elements(of: child) where LibXML.name(of: p) == "property" {
                    suite.properties.append(JUnitProperty(try required(p, "name"), LibXML.attribute(p, "value") ?? ""))
                }
            case "testcase":
                suite.cases.append(try readCase(child))
            case "system-out":
                suite.systemOut = LibXML.textContent(of: child)
            case "system-err":
                suite.systemErr = LibXML.textContent(of: child)
            default:
                break
            }
        }
        return suite
    }

    private static func readCase(_ node: xmlNodePtr) throws(JUnitReadError) -> JUnitCase {
        var testCase = JUnitCase(
            name: try required(node, "name"),
            classname: LibXML.attribute(node, "classname") ?? "",
            time: try seconds(node))
        for child in LibXML.elements(of: node) {
            let problem = JUnitProblem(
                message: LibXML.attribute(child, "message") ?? "",
                type: LibXML.attribute(child, "type") ?? "",
                body: LibXML.textContent(of: child))
            switch LibXML.name(of: child) {
            case "failure": testCase.outcome = .failed(problem)
            case "error": testCase.outcome = .error(problem)
            case "skipped": testCase.outcome = .skipped(message: problem.message)
            default: break
            }
        }
        return testCase
    }

    /// The longest `time` a report may give: about 31 years, in seconds.
    static let maximumSeconds = 1e9

    /// The `time` attribute in seconds (0 when absent); anything but a finite, non-negative
    /// number up to `maximumSeconds` is refused with its line, so no later sum or conversion sees
    /// infinity or NaN.
    private static func seconds(_ node: xmlNodePtr) throws(JUnitReadError) -> Double {
        guard let text = LibXML.attribute(node, "time") else { return 0 }
        guard let value = Double(text.trimmingCharacters(in: " ")), value.isFinite, value >= 0, value <= maximumSeconds else {
            let shown = text.count <= 40 ? text : String(text.prefix(40)) + "…"
            throw JUnitReadError(problem: XMLProblem(
                line: Int(xmlGetLineNo(node)),
                message: "<\(LibXML.name(of: node))> has time=\"\(shown)\", not a number of seconds from 0 to \(Int(maximumSeconds))"))
        }
        return value
    }

    private static func required(_ node: xmlNodePtr, _ attribute: String) throws(JUnitReadError) -> String {
        guard let value = LibXML.attribute(node, attribute) else {
            throw JUnitReadError(problem: XMLProblem(
                line: Int(xmlGetLineNo(node)),
                message: "<\(LibXML.name(of: node))> has no \(attribute) attribute"))
        }
        return value
    }
}

public struct JUnitReadError: Error, Sendable, CustomStringConvertible {
    public let problem: XMLProblem
    public var description: String { problem.description }
}
