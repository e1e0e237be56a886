import CLibXML2

/// Small bridges between Swift and libxml2.
enum LibXML {
    /// `xmlInitParser` must run once before libxml2 is used from several threads, and so must
    /// `xmlSchemaInitTypes`: libxml2 2.9 builds its table of built-in schema types lazily, on the
    /// first schema parse, without a lock, so two schemas compiled at once for the first time
    /// could see half a table ("xs:decimal does not resolve to a simple type definition").
    private static let initialized: Bool = {
        xmlInitParser()
        xmlSchemaInitTypes()
        return true
    }()

    static func ensureInitialized() {
        _ = initialized
    }

    /// Calls `body` with the string as a NUL-terminated `xmlChar*`.
    static func withXMLString<R>(_ string: String, _ body: (UnsafePointer<xmlChar>) -> R) -> R {
        string.withCString { pointer in
            pointer.withMemoryRebound(to: xmlChar.self, capacity: string.utf8.count + 1, body)
        }
    }

    static func string(_ pointer: UnsafePointer<xmlChar>?) -> String {
        guard let pointer else { return "" }
        return pointer.withMemoryRebound(to: CChar.self, capacity: 1) { String(cString: $0) }
    }

    /// Reads and frees a string libxml2 allocated for us.
    static func takeString(_ pointer: UnsafeMutablePointer<xmlChar>?) -> String {
        guard let pointer else { return "" }
        defer { provsim_xmlFree(pointer) }
        return string(pointer)
    }

    static func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
        withXMLString(name) { n in
            guard let value = xmlGetProp(node, n) else { return nil }
            return takeString(value)
        }
    }

    static func name(of node: xmlNodePtr) -> String {
        string(node.pointee.name)
    }

    /// Element children in document order.
    static func elements(of node: xmlNodePtr) -> [xmlNodePtr] {
        var result: [xmlNodePtr] = []
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE { result.append(c) }
            child = c.pointee.next
        }
        return result
    }

    static func textContent(of node: xmlNodePtr) -> String {
        takeString(xmlNodeGetContent(node))
    }

    /// A collector for libxml2's structured errors, passed to the per-context error setters (the
    /// global handlers are per thread, and tasks hop threads).
    final class ErrorSink {
        var messages: [XMLProblem] = []
    }

    static let structuredErrorHandler: xmlStructuredErrorFunc = { userData, error in
        guard let userData, let error else { return }
        let sink = Unmanaged<ErrorSink>.fromOpaque(userData).takeUnretainedValue()
        let message = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
        sink.messages.append(XMLProblem(
            line: Int(error.pointee.line),
            message: message.trimmingCharacters(in: " \n")))
    }
}

/// One problem libxml2 found, with the line it is on (0 when unknown).
public struct XMLProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let message: String

    public var description: String {
        line > 0 ? "line \(line): \(message)" : message
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
