import ArgumentParser
import Foundation
import Report

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Validate, merge and summarize JUnit reports.",
        subcommands: [Validate.self, Merge.self, Summary.self]
    )

    static func read(_ path: String) throws -> String {
        String(decoding: try InputFiles.read(path), as: UTF8.self)
    }

    static func load(_ path: String) throws -> JUnitXMLReader.Document {
        let xml = try read(path)
        do throws(JUnitReadError) {
            return try JUnitXMLReader.read(xml)
        } catch {
            throw CommandFailure(code: 2, message: "\(path): \(error)")
        }
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a report against provsim's JUnit schema (and any --schema given) and its own counts.",
            discussion: """
            provsim's schema is the intersection of the Jenkins and Ant JUnit schemas, so a report that \
            passes here is accepted by both.

            Exit codes: 0 valid, 1 invalid, 2 unreadable file or schema.

            Example:
              provsim report validate reports/junit.xml --schema junit-10.xsd
            """
        )

        @Argument(help: "The report to check.") var file: String
        @Option(name: .customLong("schema"), help: "Another XSD to validate against. Repeatable.") var schemas: [String] = []

        func run() async throws {
            try await exiting {
                let xml = try ReportCommand.read(file)
                var checks: [XMLSchema] = [XMLSchema.junit]
                for path in schemas {
                    let xsd = try ReportCommand.read(path)
                    do throws(XMLSchemaError) {
                        checks.append(try XMLSchema(xsd: xsd, name: path))
                    } catch {
                        throw CommandFailure(code: 2, message: error.description)
                    }
                }
                var problems: [String] = []
                for schema in checks {
                    problems += schema.validate(xml).map { "\(file): \($0) [\(schema.name)]" }
                }
                if problems.isEmpty {
                    problems += try ReportCommand.load(file).inconsistencies.map { "\(file): \($0)" }
                }
                guard problems.isEmpty else {
                    for p in problems { Terminal.error(p) }
                    return 1
                }
                Terminal.print("\(file): valid (\(checks.map(\.name).joined(separator: ", ")))")
                return 0
            }
        }
    }

    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge shard reports into one.",
            discussion: """
            Example:
              provsim report merge reports/junit.xml reports/shard-*.xml
            """
        )

        @Argument(help: "The merged report to write.") var output: String
        @Argument(help: "The reports to merge.") var inputs: [String]

        func validate() throws {
            guard !inputs.isEmpty else { throw ValidationError("give at least one report to merge") }
        }

        func run() async throws {
            try await exiting {
                var reports: [JUnitReport] = []
                for input in inputs { reports.append(try ReportCommand.load(input).report) }
                let merged: JUnitReport
                do throws(JUnitMergeError) {
                    merged = try JUnitReport.merged(reports)
                } catch {
                    throw CommandFailure(code: 1, message: error.message)
                }
                do {
                    try InputFiles.write(JUnitXMLWriter.xml(merged), to: output)
                } catch {
                    throw CommandFailure(code: 2, message: "cannot write \(output): \(error.localizedDescription)")
                }
                Terminal.print("\(output): \(merged.summaryLine)")
                return 0
            }
        }
    }

    struct Summary: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a report's totals and its failures.",
            discussion: "Exit code 0 when nothing failed, 1 otherwise, 2 when unreadable."
        )

        @Argument(help: "The report.") var file: String

        func run() async throws {
            try await exiting {
                let report = try ReportCommand.load(file).report
                Terminal.print(report.summary)
                return report.isSuccess ? 0 : 1
            }
        }
    }
}
