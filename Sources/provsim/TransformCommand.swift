import ArgumentParser
import Foundation
import JSON
import JSONPath
import Transformation

struct TransformCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transform",
        abstract: "Apply an IPS transformation to one JSON entity or to NDJSON (one entity a line).",
        discussion: """
        One JSON object in gives pretty JSON out; NDJSON in gives NDJSON out, one line per transformed entity, in the input's order. NDJSON streams: memory stays bounded however long the input is. \
        Skipped and failed entities are reported on standard error with their line number.

        Exit codes: 0 every entity transformed or skipped, 1 an entity failed, 2 invalid transformation \
        or options.

        Examples:
          provsim transform --transformation builtin:xsuaa-proxy-write --entity user \\
              --property xsuaa.origin=sap.custom user.json
          provsim generate users --count 3 | provsim transform \\
              --transformation builtin:xsuaa-proxy-read --operation read \\
              --variable entityBaseLocation=https://proxy.example/Users/
        """
    )

    @Option(name: .long, help: "A transformation file, or builtin:<name> (see: provsim transformations list).")
    var transformation: String

    @Option(name: .long, help: "The entity block to apply: user, group or role.")
    var entity: String = "user"

    @Option(name: .long, help: "read, create, update, patch or delete (decides which scoped mappings run).")
    var operation: String = "create"

    @Option(name: .customLong("property"), help: "A system property, key=value (for %key% references). Repeatable.")
    var properties: [KeyValue] = []

    @Option(name: .customLong("variable"), help: "A variable, key=value; the value is JSON if it parses, else text. Repeatable.")
    var variables: [KeyValue] = []

    @Option(name: .customLong("id-map"), help: "A JSON file mapping source to target IDs for resolveEntityIds: {\"user\": {\"src\": \"tgt\"}}.")
    var idMap: String?

    @Option(name: .long, help: "Seed for randomPassword, for reproducible output.")
    var seed: UInt64?

    @Option(name: .long, help: "Worker threads for NDJSON; the output keeps the input's order.")
    var threads: Int = 1

    @Option(name: .customLong("batch-bytes"), help: ArgumentHelp("Bytes of NDJSON read at a time (tests force streaming with small batches).", visibility: .hidden))
    var batchBytes: Int = 1 << 22

    @Flag(name: .long, help: "Print a single result on one line.")
    var compact = false

    @Argument(help: "Input file; '-' or nothing reads standard input.")
    var input: String?

    func validate() throws {
        guard (1...1024).contains(threads) else { throw ValidationError("--threads must be from 1 to 1024") }
        guard (1...(1 << 30)).contains(batchBytes) else { throw ValidationError("--batch-bytes must be from 1 to 1 GiB") }
    }

    func run() async throws {
        try await exiting {
            let (type, op) = try TransformTarget.parse(entity: entity, operation: operation)
            let compiled = try TransformationLoader.load(transformation, properties: properties.dictionary)
            guard compiled.plan(for: type) != nil else {
                throw CommandFailure(code: 2, message: "\(transformation) has no '\(entity)' block")
            }
            var context = TransformContext(operation: op, variables: Self.bindings(variables))
            if let idMap {
                context.resolver = try Self.resolver(idMap)
            }
            let input = try StreamedInput(self.input)
            var batches = input.batches(batchBytes: batchBytes)
            // Read until two entities are in hand or the input ends: one document (possibly pretty,
            // over many lines) or a single entity is read whole and a single entity prints pretty;
            // NDJSON of more streams, in bounded memory.
            var head: [LineBatchReader.Batch] = []
            while head.reduce(0, { $0 + $1.lines.count }) < 2, let batch = try batches.next() { head.append(batch) }
            if batches.reachedEnd || !Self.startsWithALineOfItsOwn(head) {
                var bytes = head.flatMap(\.bytes)
                while let more = try batches.next() { bytes += more.bytes }
                return transformWhole(bytes, compiled: compiled, type: type, context: context)
            }
            let transformer = try BatchTransformer(compile: { try TransformationLoader.load(transformation, properties: properties.dictionary) }, entity: type, context: context, seed: seed, threads: threads)
            var failed = 0
            var queued = head[...]
            let rest = PrefetchedBatches(batches)
            var finished: LineBatchReader.Batch?
            while let current = try queued.popFirst() ?? rest.next(finished: finished.take()) {
                transformer.process(current)
                for share in transformer.shares { failed += Self.emit(share) }
                finished = current
            }
            return failed > 0 ? 1 : 0
        }
    }

    /// Whether the first non-blank line is a JSON value by itself (NDJSON), not the start of a document.
    private static func startsWithALineOfItsOwn(_ batches: [LineBatchReader.Batch]) -> Bool {
        guard let batch = batches.first(where: { !$0.lines.isEmpty }), let line = batch.lines.first else { return false }
        return (try? JSONParser.parse(Array(batch.bytes[line.range]))) != nil
    }

    /// The whole input at once: one document (printed pretty unless --compact), or NDJSON.
    private func transformWhole(_ bytes: [UInt8], compiled: Transformation, type: EntityType, context: TransformContext) -> Int32 {
        let entries = JSONLines.entries(in: bytes)
        // Values only: a whole document is parsed anyway, so no raw plan is compiled.
        let transformer = BatchTransformer(compile: { compiled }, entity: type, context: context, seed: seed, threads: 1, rawPath: false)
        let (worker, share) = (transformer.workers[0], transformer.shares[0])
        let writer = JSONWriter(pretty: entries.count == 1 && !compact)
        for (index, entry) in entries.enumerated() {
            switch entry.result {
            case .failure(let error):
                share.invalidJSON(error, line: entry.line)
            case .success(let value):
                var context = worker.context
                if let seed { context.randomSeed = seed &+ UInt64(index) }
                transformer.apply(value, line: entry.line, context: context, worker: worker, share: share, writer: writer)
            }
        }
        return Self.emit(share) > 0 ? 1 : 0
    }

    /// Writes a share's messages to standard error and its output to standard output; its failures.
    private static func emit(_ share: BatchTransformer.Share) -> Int {
        for message in share.messages { Terminal.error("line \(message.line): \(message.text)") }
        share.output.withUnsafeBytes { FileHandle.standardOutput.write(Data($0)) }
        return share.failed
    }

    static func bindings(_ pairs: [KeyValue]) -> VariableBindings {
        var bindings = VariableBindings()
        for pair in pairs {
            bindings[pair.key] = (try? JSONValue(parsing: pair.value)) ?? .string(pair.value)
        }
        return bindings
    }

    static func resolver(_ path: String) throws -> StaticEntityIdResolver {
        let map = try InputFiles.readJSON(path, what: "the ID map ")
        do throws(EntityFailure) {
            return try StaticEntityIdResolver(json: map)
        } catch {
            throw CommandFailure(code: 2, message: "\(path): \(error.message)")
        }
    }
}

struct TransformationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transformations",
        abstract: "List or print the built-in default transformations.",
        discussion: """
        Examples:
          provsim transformations list
          provsim transformations show xsuaa-proxy-read
        """,
        subcommands: [List.self, Show.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the built-in transformations.")
        func run() async throws {
            for (name, _) in BuiltinTransformations.all { Terminal.print("builtin:\(name)") }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a built-in transformation.")
        @Argument(help: "The name, with or without 'builtin:'.") var name: String
        func run() async throws {
            let bare = name.hasPrefix(BuiltinTransformations.prefix) ? String(name.dropFirst(BuiltinTransformations.prefix.count)) : name
            guard let text = BuiltinTransformations.text(named: bare) else {
                Terminal.error("provsim: no built-in transformation '\(name)'")
                throw ExitCode(2)
            }
            Terminal.print(text)
        }
    }
}
