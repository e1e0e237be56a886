import ArgumentParser
import Dispatch
import Foundation
import JSON
import Transformation

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput (use a release build: swift build -c release).",
        subcommands: [Transform.self, Fake.self, Job.self]
    )

    struct Transform: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Transformation throughput over an NDJSON file: parse, transform, serialize each entity.",
            discussion: """
            Prints entities/s and MB/s (input bytes), bytes in and out, then a final line:
              transform: N entities in T s = X entities/s (Y MB/s), threads=K

            Example:
              provsim generate users --count 100000 --seed 1 > users.ndjson
              provsim bench transform --transformation builtin:xsuaa-proxy-read --entity user \\
                  --operation read --input users.ndjson --threads 2
            """
        )

        @Option(name: .long, help: "A transformation file, or builtin:<name>.") var transformation: String
        @Option(name: .long, help: "user, group or role.") var entity: String = "user"
        @Option(name: .long, help: "read, create, update, patch or delete.") var operation: String = "read"
        @Option(name: .long, help: "An NDJSON file, one entity per line.") var input: String
        @Option(name: .long, help: "Worker threads; the input is split into equal parts.") var threads: Int = 1
        @Option(name: .long, help: "Passes over the input to time (after one untimed warm-up pass).") var iterations: Int = 3
        @Option(name: .customLong("property"), help: "A system property, key=value. Repeatable.") var properties: [KeyValue] = []
        @Option(name: .customLong("variable"), help: "A variable, key=value. Repeatable.") var variables: [KeyValue] = []
        @Flag(name: .long, help: "Also time parsing alone and parsing plus transforming.") var phases = false

        func validate() throws {
            guard (1...1024).contains(threads) else { throw ValidationError("--threads must be from 1 to 1024") }
            guard iterations >= 1 else { throw ValidationError("--iterations must be at least 1") }
        }

        func run() async throws {
            try await exiting {
                let (type, op) = try TransformTarget.parse(entity: entity, operation: operation)
                let compiled = try TransformationLoader.load(transformation, properties: properties.dictionary)
                let bytes = try InputFiles.read(input)
                let lines = Self.lineRanges(bytes)
                guard !lines.isEmpty else { throw CommandFailure(code: 2, message: "\(input) holds no lines") }
                let context = TransformContext(operation: op, variables: TransformCommand.bindings(variables), randomSeed: 1)
                let workload = TransformWorkload(bytes: bytes, lines: lines, transformation: compiled, entity: type, context: context)

                Terminal.print("input: \(lines.count) entities, \(bytes.count) bytes (\(input)); threads=\(threads), iterations=\(iterations)")
                _ = workload.run(threads: threads, mode: .full)  // warm-up
                if phases {
                    for mode in [TransformWorkload.Mode.parse, .parseAndTransform] {
                        let r = workload.timed(threads: threads, iterations: iterations, mode: mode)
                        Terminal.print("  \(mode.rawValue): \(Self.rate(r.entities, r.seconds)) entities/s, \(String(format: "%.1f", Double(r.bytesIn) / r.seconds / 1e6)) MB/s")
                    }
                }
                let r = workload.timed(threads: threads, iterations: iterations, mode: .full)
                if r.failed > 0 || r.skipped > 0 {
                    Terminal.print("  note: \(r.failed / iterations) failed and \(r.skipped / iterations) skipped per pass (counted in the rate)")
                }
                Terminal.print("  bytes in: \(r.bytesIn / iterations) per pass, bytes out: \(r.bytesOut / iterations) per pass")
                Terminal.print("transform: \(r.entities) entities in \(String(format: "%.3f", r.seconds)) s = \(Self.rate(r.entities, r.seconds)) entities/s (\(String(format: "%.1f", Double(r.bytesIn) / r.seconds / 1e6)) MB/s), threads=\(threads)")
                return 0
            }
        }

        static func rate(_ count: Int, _ seconds: Double) -> String {
            String(Int((Double(count) / seconds).rounded()))
        }

        static func lineRanges(_ bytes: [UInt8]) -> [Range<Int>] {
            var ranges: [Range<Int>] = []
            var start = 0
            for i in bytes.indices where bytes[i] == UInt8(ascii: "\n") {
                if i > start { ranges.append(start..<i) }
                start = i + 1
            }
            if start < bytes.count { ranges.append(start..<bytes.count) }
            return ranges
        }
    }
}
