import ArgumentParser
import Dispatch
import Foundation
import JSON
import Transformation

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput (use a release build: swift build -c release).",
        subcommands: [Transform.self, Fake.self]
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
            guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
            guard iterations >= 1 else { throw ValidationError("--iterations must be at least 1") }
        }

        func run() async throws {
            try await exiting {
                guard let type = EntityType(rawValue: entity) else {
                    throw CommandFailure(code: 2, message: "--entity must be user, group or role")
                }
                guard let op = TransformOperation(rawValue: operation) else {
                    throw CommandFailure(code: 2, message: "--operation must be one of \(TransformOperation.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let compiled = try TransformationLoader.load(transformation, properties: Dictionary(properties.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }))
                guard let data = FileManager.default.contents(atPath: input) else {
                    throw CommandFailure(code: 2, message: "cannot read \(input)")
                }
                let bytes = [UInt8](data)
                let lines = Self.lineRanges(bytes)
                guard !lines.isEmpty else { throw CommandFailure(code: 2, message: "\(input) holds no lines") }
                let context = TransformContext(operation: op, variables: TransformCommand.bindings(variables), randomSeed: 1)
                let workload = Workload(bytes: bytes, lines: lines, transformation: compiled, entity: type, context: context)

                Terminal.print("input: \(lines.count) entities, \(bytes.count) bytes (\(input)); threads=\(threads), iterations=\(iterations)")
                _ = workload.run(threads: threads, mode: .full)  // warm-up
                if phases {
                    for mode in [Workload.Mode.parse, .parseAndTransform] {
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

/// The benchmark loop, split over threads. Each thread owns its parser and output buffer.
struct Workload: Sendable {
    enum Mode: String { case parse = "parse only", parseAndTransform = "parse + transform", full = "parse + transform + serialize" }

    let bytes: [UInt8]
    let lines: [Range<Int>]
    let transformation: Transformation
    let entity: EntityType
    let context: TransformContext

    struct Result {
        var entities = 0
        var bytesIn = 0
        var bytesOut = 0
        var failed = 0
        var skipped = 0
        var seconds = 0.0
    }

    func timed(threads: Int, iterations: Int, mode: Mode) -> Result {
        let start = ContinuousClock.now
        var total = Result()
        for _ in 0..<iterations {
            let r = run(threads: threads, mode: mode)
            total.entities += r.entities
            total.bytesIn += r.bytesIn
            total.bytesOut += r.bytesOut
            total.failed += r.failed
            total.skipped += r.skipped
        }
        let elapsed = ContinuousClock.now - start
        total.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return total
    }

    func run(threads: Int, mode: Mode) -> Result {
        let chunk = (lines.count + threads - 1) / threads
        let results = UnsafeMutableBufferPointer<Result>.allocate(capacity: threads)
        results.initialize(repeating: Result())
        defer { results.deallocate() }
        // concurrentPerform blocks until every worker finished; each writes only its own slot.
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            let range = min(worker * chunk, lines.count)..<min((worker + 1) * chunk, lines.count)
            slots[worker] = work(range, mode: mode)
        }
        return results.reduce(into: Result()) { total, r in
            total.entities += r.entities
            total.bytesIn += r.bytesIn
            total.bytesOut += r.bytesOut
            total.failed += r.failed
            total.skipped += r.skipped
        }
    }

    private func work(_ range: Range<Int>, mode: Mode) -> Result {
        var result = Result()
        let parser = JSONParser()
        let writer = JSONWriter()
        let out = JSONOutputBuffer(capacity: 4096)
        bytes.withUnsafeBufferPointer { buffer in
            for index in range {
                let line = lines[index]
                result.entities += 1
                result.bytesIn += line.count
                guard let value = try? parser.parse(UnsafeBufferPointer(rebasing: buffer[line])) else {
                    result.failed += 1
                    continue
                }
                if mode == .parse { continue }
                switch transformation.apply(value, as: entity, context: context) {
                case .transformed(let t):
                    if mode == .full {
                        out.removeAll()
                        writer.write(t.value, to: out)
                        result.bytesOut += out.count + 1
                    }
                case .skipped: result.skipped += 1
                case .failed: result.failed += 1
                }
            }
        }
        return result
    }
}
