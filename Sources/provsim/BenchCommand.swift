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
              provsim bench transform --transformation builtin:xsuaa-proxy-read \\
                  --entity user --operation read --input users.ndjson --threads 2
            """
        )

        @Option(name: .long, help: "A transformation file, or builtin:<name>.") var transformation: String
        @Option(name: .long, help: "user, group or role.") var entity: String = "user"
        @Option(name: .long, help: "read, create, update, patch or delete.") var operation: String = "read"
        @Option(name: .long, help: "An NDJSON file, one entity per line, read in batches (memory does not grow with it).") var input: String
        @Option(name: .long, help: "Worker threads; they take chunks of each batch of lines as they become free.") var threads: Int = 1
        @Option(name: .long, help: "Passes over the input to time (after one untimed warm-up pass).") var iterations: Int = 3
        @Option(name: .customLong("property"), help: "A system property, key=value. Repeatable.") var properties: [KeyValue] = []
        @Option(name: .customLong("variable"), help: "A variable, key=value. Repeatable.") var variables: [KeyValue] = []
        @Flag(name: .long, help: "Also time parsing alone and parsing plus transforming (as values, the path every entity can take).") var phases = false
        @Flag(name: .customLong("values-only"), help: "Parse and transform every entity as values, without the raw path (to compare).") var valuesOnly = false

        func validate() throws {
            guard (1...1024).contains(threads) else { throw ValidationError("--threads must be from 1 to 1024") }
            guard iterations >= 1 else { throw ValidationError("--iterations must be at least 1") }
        }

        func run() async throws {
            try await exiting {
                let (type, op) = try TransformTarget.parse(entity: entity, operation: operation)
                let context = TransformContext(operation: op, variables: TransformCommand.bindings(variables))
                let compile = { try TransformationLoader.load(transformation, properties: properties.dictionary) }
                _ = try compile()  // a bad transformation is reported before the input is opened
                let file = try StreamedInput(input)
                func pass(_ mode: BatchTransformer.Mode) throws -> Pass {
                    try file.rewind()
                    let transformer = try BatchTransformer(compile: compile, entity: type, context: context, seed: 1,
                                                       threads: threads, mode: mode, reportsWarnings: false, rawPath: !valuesOnly)
                    return try Pass.run(transformer, over: file)
                }
                let warmUp = try pass(.full)
                guard warmUp.entities > 0 else { throw CommandFailure(code: 2, message: "\(input) holds no lines") }
                Terminal.print("input: \(warmUp.entities) entities, \(warmUp.bytesIn) bytes of JSON (\(input)), streamed; threads=\(threads), iterations=\(iterations)")
                if phases {
                    for mode in [BatchTransformer.Mode.parse, .parseAndTransform] {
                        let r = try (0..<iterations).map { _ in try pass(mode) }.reduce(Pass(), +)
                        Terminal.print("  \(mode.rawValue): \(Self.rate(r.entities, r.seconds)) entities/s, \(String(format: "%.1f", Double(r.bytesIn) / r.seconds / 1e6)) MB/s")
                    }
                }
                let r = try (0..<iterations).map { _ in try pass(.full) }.reduce(Pass(), +)
                if r.failed > 0 || r.skipped > 0 {
                    Terminal.print("  note: \(r.failed / iterations) failed and \(r.skipped / iterations) skipped per pass (counted in the rate)")
                }
                Terminal.print("  raw path: \(r.raw / iterations) of \(r.entities / iterations) entities per pass (the rest parsed into values)")
                Terminal.print("  waiting for lines (read and split on another thread): \(String(format: "%.3f", r.readingSeconds)) s of \(String(format: "%.3f", r.seconds)) s")
                Terminal.print("  bytes in: \(r.bytesIn / iterations) per pass, bytes out: \(r.bytesOut / iterations) per pass, maximum RSS \(Self.maximumResidentMegabytes()) MB")
                Terminal.print("transform: \(r.entities) entities in \(String(format: "%.3f", r.seconds)) s = \(Self.rate(r.entities, r.seconds)) entities/s (\(String(format: "%.1f", Double(r.bytesIn) / r.seconds / 1e6)) MB/s), threads=\(threads)")
                return 0
            }
        }

        /// The most memory this process has held, from getrusage (kilobytes on Linux).
        static func maximumResidentMegabytes() -> Int {
            var usage = rusage()
            guard getrusage(Int32(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
            return usage.ru_maxrss / 1024
        }

        static func rate(_ count: Int, _ seconds: Double) -> String {
            String(format: "%.0f", seconds > 0 ? Double(count) / seconds : 0)
        }
    }
}
