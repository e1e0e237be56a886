import Foundation
import Testing
@testable import Report

/// The two schemas CI consumers validate against, copied from the reference material.
enum ReferenceSchemas {
    static func load(_ name: String) throws -> XMLSchema {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return try XMLSchema(xsd: String(contentsOf: url, encoding: .utf8), name: name)
    }
    /// provsim's own schema, Jenkins' and Ant's.
    static func all() throws -> [XMLSchema] {
        [XMLSchema.junit, try load("junit-10.xsd"), try load("windyroad-JUnit.xsd")]
    }
}

func sampleReport() -> JUnitReport {
    let diff = """
    expected $.emails[0].primary: true
    actual   $.emails[0].primary: (missing)
    <tag> & "quotes" and a bell \u{7} and an escape \u{1B}[31m
    """
    return JUnitReport(suites: [
        JUnitSuite(
            name: "XSUAA proxy read", package: "provsim.scenarios",
            timestamp: "2026-11-22T10:11:12", hostname: "ci-runner-1", time: 0.0421,
            properties: [JUnitProperty("seed", "42"), JUnitProperty("file", "scenarios/xsuaa.yaml"), JUnitProperty("provsim.version", ProvsimVersion.current)],
            cases: [
                JUnitCase(name: "reads a user", classname: "xsuaa-proxy-read", time: 0.0123),
                JUnitCase(name: "marks the primary email", classname: "xsuaa-proxy-read", time: 0.5,
                          outcome: .failed(JUnitProblem(message: "output differs at $.emails[0].primary", type: "ExpectationFailure", body: diff))),
                JUnitCase(name: "server starts", classname: "xsuaa-proxy-read", time: 0,
                          outcome: .error(JUnitProblem(message: "port in use", type: "StepError"))),
                JUnitCase(name: "later step", classname: "xsuaa-proxy-read", time: 0, outcome: .skipped(message: "not reached")),
            ],
            systemOut: "transform user\n\u{0}nul byte", systemErr: ""),
        JUnitSuite(name: "Empty scenario", package: "provsim.scenarios", timestamp: "2026-11-22T10:11:13", hostname: "", time: 12345.6789),
    ])
}

@Suite("JUnit reports")
struct JUnitReportTests {
    @Test func writtenReportsValidateAgainstAllThreeSchemas() throws {
        let xml = JUnitXMLWriter.xml(sampleReport())
        for schema in try ReferenceSchemas.all() {
            #expect(schema.validate(xml) == [], "\(schema.name)")
        }
    }

    @Test func writesTheExpectedShape() throws {
        let xml = JUnitXMLWriter.xml(sampleReport())
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"))
        #expect(xml.contains(#"<testsuite name="XSUAA proxy read" package="provsim.scenarios" id="0" tests="4" failures="1" errors="1" skipped="1" time="0.042" timestamp="2026-11-22T10:11:12" hostname="ci-runner-1">"#))
        #expect(xml.contains(#"<testsuite name="Empty scenario" package="provsim.scenarios" id="1" tests="0" failures="0" errors="0" skipped="0" time="12345.679" timestamp="2026-11-22T10:11:13" hostname="localhost">"#))
        #expect(xml.contains(#"<failure message="output differs at $.emails[0].primary" type="ExpectationFailure">"#))
        #expect(xml.contains("&lt;tag&gt; &amp; \"quotes\" and a bell \\u{7} and an escape \\u{1B}[31m"))
        #expect(xml.contains("\\u{0}nul byte"))
        #expect(xml.contains(#"<property name="seed" value="42"/>"#))
    }

    @Test func readsBackWhatItWrote() throws {
        let original = sampleReport()
        let document = try JUnitXMLReader.read(JUnitXMLWriter.xml(original))
        #expect(document.inconsistencies == [])
        let read = document.report
        #expect(read.suites.count == 2)
        #expect(read.suites[0].cases == original.suites[0].cases.map { c in
            var c = c
            c.time = (c.time * 1000).rounded() / 1000
            if case .failed(var p) = c.outcome {
                p.body = XMLText.sanitized(p.body)
                c.outcome = .failed(p)
            }
            return c
        })
        #expect(read.suites[0].properties == original.suites[0].properties)
        #expect(read.tests == 4 && read.failures == 1 && read.errors == 1 && read.skipped == 1)
    }

    @Test func findsInconsistentCounts() throws {
        let xml = JUnitXMLWriter.xml(sampleReport()).replacingOccurrences(of: #"tests="4""#, with: #"tests="5""#)
        let document = try JUnitXMLReader.read(xml)
        #expect(document.inconsistencies.map(\.message) == ["suite 'XSUAA proxy read' declares tests=\"5\" but holds 4"])
    }

    @Test func rejectsMalformedXMLWithALine() {
        #expect {
            try JUnitXMLReader.read("<testsuites>\n<testsuite name='a'>\n</testsuites>")
        } throws: { error in
            guard let e = error as? JUnitReadError else { return false }
            return e.problem.line == 3 && e.problem.message.contains("not well-formed")
        }
        #expect(throws: JUnitReadError.self) { try JUnitXMLReader.read("<html/>") }
    }

    @Test(arguments: [
        ("<testsuites name=\"x\"/>", "not allowed"),
        ("<testsuites><testsuite name=\"a\" package=\"p\" id=\"0\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"1.2345\" timestamp=\"2026-01-01T00:00:00\" hostname=\"h\"><properties/><system-out/><system-err/></testsuite></testsuites>", "time"),
        ("<testsuites><testsuite name=\"a\" package=\"p\" id=\"0\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"1\" timestamp=\"2026-01-01T00:00:00Z\" hostname=\"h\"><properties/><system-out/><system-err/></testsuite></testsuites>", "timestamp"),
        ("<testsuites><testsuite name=\"a\" package=\"p\" id=\"0\" tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"1\" timestamp=\"2026-01-01T00:00:00\" hostname=\"h\"><properties/><testcase name=\"n\" classname=\"c\" time=\"0\"/><testcase name=\"n\" classname=\"c\" time=\"0\"/><system-out/><system-err/></testsuite></testsuites>", "uniqueTestCase"),
        ("<testsuites><testsuite name=\"a\" package=\"p\" id=\"0\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"1\" timestamp=\"2026-01-01T00:00:00\" hostname=\"h\"><system-out/><system-err/></testsuite></testsuites>", "properties"),
    ])
    func ownSchemaRejectsWhatConsumersWouldReject(_ xml: String, _ fragment: String) {
        let problems = XMLSchema.junit.validate(xml)
        #expect(!problems.isEmpty)
        #expect(problems.contains { $0.message.contains(fragment) }, "\(problems)")
    }

    @Test func timesHaveAtMostThreeDecimals() {
        #expect(JUnitXMLWriter.seconds(0) == "0.000")
        #expect(JUnitXMLWriter.seconds(0.0005) == "0.001")
        #expect(JUnitXMLWriter.seconds(1.23449) == "1.234")
        #expect(JUnitXMLWriter.seconds(61) == "61.000")
        #expect(JUnitXMLWriter.seconds(-1) == "0.000")
    }

    @Test func timestampsAndHostname() {
        #expect(ReportEnvironment.timestamp(epochSeconds: 0) == "1970-01-01T00:00:00")
        #expect(ReportEnvironment.timestamp(epochSeconds: 1_795_000_000) == "2026-11-18T11:06:40")
        #expect(!ReportEnvironment.hostname().isEmpty)
    }

    @Test func mergesShardsAndRefusesOverlap() throws {
        let a = JUnitReport(suites: [sampleReport().suites[0]])
        let b = JUnitReport(suites: [sampleReport().suites[1]])
        let merged = try JUnitReport.merged([a, b])
        #expect(merged.suites.map(\.name) == ["XSUAA proxy read", "Empty scenario"])
        #expect(XMLSchema.junit.validate(JUnitXMLWriter.xml(merged)) == [])
        #expect(throws: JUnitMergeError.self) { try JUnitReport.merged([a, a]) }
    }

    @Test func summarizes() {
        let report = sampleReport()
        #expect(report.summaryLine == "2 suites, 4 tests: 1 passed, 1 failed, 1 errors, 1 skipped in 12345.721 s")
        #expect(report.summary.contains("  FAIL  XSUAA proxy read › marks the primary email: output differs at $.emails[0].primary"))
        #expect(!report.isSuccess)
    }

    @Test func schemaIsSharedSafelyAcrossTasks() async throws {
        let xml = JUnitXMLWriter.xml(sampleReport())
        let ant = try ReferenceSchemas.load("windyroad-JUnit.xsd")
        let results = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask { XMLSchema.junit.validate(xml).count + ant.validate(xml).count }
            }
            var total = 0
            for await r in group { total += r }
            return total
        }
        #expect(results == 0)
    }

    @Test func invalidSchemaIsReported() {
        #expect(throws: XMLSchemaError.self) { try XMLSchema(xsd: "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element/></xs:schema>", name: "bad.xsd") }
    }
}
