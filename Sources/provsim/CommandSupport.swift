import ArgumentParser
import Foundation
import JSON
import Transformation

/// Output helpers shared by the subcommands.
enum Terminal {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func write(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }
}

/// Reading files and standard input; a file that cannot be read or parsed is invalid input (exit 2).
enum InputFiles {
    /// The bytes of `path`, or of standard input for `-` or `nil`. `what` names the file in the
    /// message (`"--state "`, `"the ID map "`).
    static func read(_ path: String?, what: String = "") throws -> [UInt8] {
        guard let path, path != "-" else {
            return [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure(code: 2, message: "cannot read \(what)\(path)")
        }
        return [UInt8](data)
    }

    /// The JSON document in `path` (or standard input); parse errors name the file, line and column.
    static func readJSON(_ path: String?, what: String = "") throws -> JSONValue {
        let bytes = try read(path, what: what)
        do throws(JSONParseError) {
            return try JSONParser.parse(bytes)
        } catch {
            throw CommandFailure(code: 2, message: "\(path == nil || path == "-" ? "standard input" : path!): \(error)")
        }
    }

    /// Writes text that holds credentials to a file only its owner may read (mode 0600), creating
    /// its directory: the file is created with that mode and then moved into place, so it is
    /// never readable by others, not even for a moment.
    static func writePrivate(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw CommandFailure(code: 2, message: "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        let written = (try? handle.write(contentsOf: Data(text.utf8))) != nil
        try? handle.close()
        guard written, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CommandFailure(code: 2, message: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes text to a file, creating its directory.
    static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url, options: .atomic)
    }
}

/// `key=value` options (`--property xsuaa.origin=sap.custom`).
struct KeyValue: ExpressibleByArgument, Sendable {
    let key: String
    let value: String

    init?(argument: String) {
        guard let eq = argument.firstIndex(of: "="), eq != argument.startIndex else { return nil }
        key = String(argument[..<eq])
        value = String(argument[argument.index(after: eq)...])
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

extension [KeyValue] {
    /// The pairs as a dictionary; a key given twice keeps its last value.
    var dictionary: [String: String] {
        Dictionary(map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
    }
}

/// The `--entity` and `--operation` options of the transformation commands.
enum TransformTarget {
    static func parse(entity: String, operation: String) throws -> (EntityType, TransformOperation) {
        guard let type = EntityType(rawValue: entity) else {
            throw CommandFailure(code: 2, message: "--entity must be user, group or role, not '\(entity)'")
        }
        guard let op = TransformOperation(rawValue: operation) else {
            throw CommandFailure(code: 2, message: "--operation must be one of \(TransformOperation.allCases.map(\.rawValue).joined(separator: ", ")), not '\(operation)'")
        }
        return (type, op)
    }
}

/// Loads a transformation given as `builtin:<name>` or a file path.
enum TransformationLoader {
    static func load(_ reference: String, properties: [String: String]) throws -> Transformation {
        let text: String
        let source: String
        if let builtin = BuiltinTransformations.text(forReference: reference) {
            text = builtin
            source = reference
        } else if reference.hasPrefix(BuiltinTransformations.prefix) {
            throw CommandFailure(code: 2, message: "no built-in transformation '\(reference)' (see: provsim transformations list)")
        } else {
            text = String(decoding: try InputFiles.read(reference, what: "the transformation file "), as: UTF8.self)
            source = reference
        }
        do throws(TransformationCompileError) {
            return try Transformation(text: text, source: source, properties: properties)
        } catch {
            throw CommandFailure(code: 2, message: error.description)
        }
    }
}

/// An error that ends the command with a message and an exit code.
struct CommandFailure: Error {
    let code: Int32
    let message: String
}

extension AsyncParsableCommand {
    /// Runs `body`, turning a `CommandFailure` into its message on standard error and its exit code.
    func exiting(_ body: () async throws -> Int32) async throws {
        let code: Int32
        do {
            code = try await body()
        } catch let failure as CommandFailure {
            Terminal.error("provsim: \(failure.message)")
            throw ExitCode(failure.code)
        }
        if code != 0 { throw ExitCode(code) }
    }
}
