import CLibXML2

/// Writes a `JUnitReport` as XML through libxml2's tree API (which does the escaping).
public enum JUnitXMLWriter {
    public static func xml(_ report: JUnitReport) -> String {
        LibXML.ensureInitialized()
        guard let doc = LibXML.withXMLString("1.0", { xmlNewDoc($0) }) else { return "" }
        defer { xmlFreeDoc(doc) }
        let root = node(nil, "testsuites")
        xmlDocSetRootElement(doc, root)
        for (index, suite) in report.suites.enumerated() {
            let s = node(root, "testsuite")
            set(s, "name", suite.name)
            set(s, "package", suite.package)
            set(s, "id", String(index))
            set(s, "tests", String(suite.tests))
            set(s, "failures", String(suite.failures))
            set(s, "errors", String(suite.errors))
            set(s, "skipped", String(suite.skipped))
            set(s, "time", seconds(suite.time))
            set(s, "timestamp", suite.timestamp)
            set(s, "hostname", suite.hostname.isEmpty ? "localhost" : suite.hostname)
            let properties = node(s, "properties")
            for property in suite.properties {
                let p = node(properties, "property")
                set(p, "name", property.name)
                set(p, "value", property.value)
            }
            for testCase in suite.cases {
                let c = node(s, "testcase")
                set(c, "name", testCase.name)
                set(c, "classname", testCase.classname)
                set(c, "time", seconds(testCase.time))
                switch testCase.outcome {
                case .passed:
                    break
                case .failed(let problem), .error(let problem):
                    let isFailure: Bool = { if case .failed = testCase.outcome { return true } else { return false } }()
                    let p = textNode(c, isFailure ? "failure" : "error", problem.body)
                    set(p, "message", problem.message)
                    set(p, "type", problem.type)
                case .skipped(let message):
                    let p = textNode(c, "skipped", "")
                    set(p, "message", message)
                }
            }
            _ = textNode(s, "system-out", suite.systemOut)
            _ = textNode(s, "system-err", suite.systemErr)
        }
        var buffer: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        xmlDocDumpFormatMemoryEnc(doc, &buffer, &size, "UTF-8", 1)
        return LibXML.takeString(buffer)
    }

    /// Seconds with at most three decimals, as both schemas require. Durations are clamped to
    /// 0…10^12 s (NaN is 0), so any value prints.
    public static func seconds(_ value: Double) -> String {
        let clamped = value.isNaN ? 0 : min(max(0, value), 1e12)
        let millis = Int((clamped * 1000).rounded())
        let fraction = String(millis % 1000)
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    private static func node(_ parent: xmlNodePtr?, _ name: String) -> xmlNodePtr {
        LibXML.withXMLString(name) { n in
            if let parent { return xmlNewChild(parent, nil, n, nil) }
            return xmlNewNode(nil, n)
        }
    }

    /// A child with text content; `xmlNewTextChild` escapes it (`xmlNewChild` would not).
    private static func textNode(_ parent: xmlNodePtr, _ name: String, _ text: String) -> xmlNodePtr {
        LibXML.withXMLString(name) { n in
            LibXML.withXMLString(XMLText.sanitized(text)) { t in xmlNewTextChild(parent, nil, n, t) }
        }
    }

    private static func set(_ node: xmlNodePtr, _ name: String, _ value: String) {
        LibXML.withXMLString(name) { n in
            LibXML.withXMLString(XMLText.sanitized(value)) { v in _ = xmlNewProp(node, n, v) }
        }
    }
}
