import ArgumentParser
import JSON
import Synthetic

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate synthetic test data.",
        subcommands: [Users.self]
    )

    struct Users: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write UAA-shaped users as NDJSON, deterministically from a seed.",
            discussion: """
            Example:
              provsim generate users --count 100000 --seed 1 > users.ndjson
            """
        )

        @Option(name: .long, help: "How many users.") var count: Int
        @Option(name: .long, help: "Seed: the same seed gives the same users.") var seed: UInt64 = 1
        @Option(name: .long, help: "The users' origin (identity provider key).") var origin: String = "sap.custom"
        @Option(name: .long, help: "How many role collections users are spread over.") var groups: Int = 50
        @Option(name: .long, help: "Write to this file instead of standard output.") var output: String?

        func validate() throws {
            guard count >= 0 else { throw ValidationError("--count must not be negative") }
            guard groups >= 1 else { throw ValidationError("--groups must be at least 1") }
        }

        func run() async throws {
            let generator = SyntheticUsers(seed: seed, origin: origin, groupCount: groups)
            let writer = JSONWriter()
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 20)
            var file: OutputSink = output.map { OutputSink.file($0) } ?? .standardOutput
            for i in 0..<count {
                writer.write(generator.user(i), into: &buffer)
                buffer.append(UInt8(ascii: "\n"))
                if buffer.count > 1 << 20 {
                    try file.write(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try file.write(buffer)
            try file.close()
        }
    }
}
