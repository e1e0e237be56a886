import CLibXML2

/// A compiled XML Schema that validates documents with libxml2.
///
/// `@unchecked Sendable`: libxml2 does not modify a parsed schema while validating, and one schema
/// has been measured to serve concurrent validations from several tasks; each validation gets its
/// own context.
public final class XMLSchema: @unchecked Sendable {
    private let schema: xmlSchemaPtr
    public let name: String

    /// The schema of provsim's own reports.
    public static let junit: XMLSchema = {
        do {
            return try XMLSchema(xsd: JUnitSchema.xsd, name: "provsim-junit.xsd")
        } catch {
            fatalError("the built-in JUnit schema does not compile: \(error)")  // a programming error, caught by tests
        }
    }()

    public init(xsd: String, name: String) throws(XMLSchemaError) {
        LibXML.ensureInitialized()
        self.name = name
        let sink = LibXML.ErrorSink()
        let parsed: xmlSchemaPtr? = xsd.withCString { pointer in
            guard let size = Int32(exactly: xsd.utf8.count), let context = xmlSchemaNewMemParserCtxt(pointer, size) else { return nil }
            defer { xmlSchemaFreeParserCtxt(context) }
            let box = Unmanaged.passUnretained(sink).toOpaque()
            xmlSchemaSetParserStructuredErrors(context, LibXML.structuredErrorHandler, box)
            return withExtendedLifetime(sink) { xmlSchemaParse(context) }
        }
        guard let parsed else {
            throw XMLSchemaError(schema: name, problems: sink.messages)
        }
        schema = parsed
    }

    deinit {
        xmlSchemaFree(schema)
    }

    /// Validates a document; an empty result means valid. Malformed XML is reported too.
    public func validate(_ xml: String) -> [XMLProblem] {
        let parsed: Result<xmlDocPtr, XMLProblem> = XMLDocumentParser.parse(xml)
        guard case .success(let doc) = parsed else {
            if case .failure(let problem) = parsed { return [problem] }
            return []
        }
        defer { xmlFreeDoc(doc) }
        guard let context = xmlSchemaNewValidCtxt(schema) else {
            return [XMLProblem(line: 0, message: "could not create a validation context")]
        }
        defer { xmlSchemaFreeValidCtxt(context) }
        let sink = LibXML.ErrorSink()
        xmlSchemaSetValidStructuredErrors(context, LibXML.structuredErrorHandler, Unmanaged.passUnretained(sink).toOpaque())
        let status = withExtendedLifetime(sink) { xmlSchemaValidateDoc(context, doc) }
        if status != 0 && sink.messages.isEmpty {
            return [XMLProblem(line: 0, message: "invalid (libxml2 status \(status))")]
        }
        return sink.messages
    }
}

public struct XMLSchemaError: Error, Sendable, CustomStringConvertible {
    public let schema: String
    public let problems: [XMLProblem]

    public var description: String {
        "\(schema) is not a valid XML Schema: " + problems.map(\.description).joined(separator: "; ")
    }
}

/// Parses XML text into a libxml2 document, without network access or entity expansion.
enum XMLDocumentParser {
    static func parse(_ xml: String) -> Result<xmlDocPtr, XMLProblem> {
        LibXML.ensureInitialized()
        guard let context = xmlNewParserCtxt() else {
            return .failure(XMLProblem(line: 0, message: "could not create an XML parser"))
        }
        defer { xmlFreeParserCtxt(context) }
        // Problems are read from the context, not printed: libxml2 would write them to stderr.
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let doc: xmlDocPtr? = xml.withCString { pointer in
            guard let size = Int32(exactly: xml.utf8.count) else { return nil }
            return xmlCtxtReadMemory(context, pointer, size, "report.xml", "UTF-8", options)
        }
        guard let doc else {
            let error = context.pointee.lastError
            let message = error.message.map { String(cString: $0) } ?? "not well-formed XML"
            return .failure(XMLProblem(line: Int(error.line), message: "not well-formed: " + message.trimmingCharacters(in: " \n")))
        }
        return .success(doc)
    }
}
