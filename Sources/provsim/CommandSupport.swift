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

/// Reading files and standard input.
enum InputFiles {
    /// The bytes of `path`, or of standard input for `-` or `nil`.
    static func read(_ path: String?) throws -> [UInt8] {
        if path == nil || path == "-" {
            return [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        }
        guard let data = FileManager.default.contents(atPath: path!) else {
            throw ValidationError("cannot read \(path!)")
        }
        return [UInt8](data)
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
            guard let contents = FileManager.default.contents(atPath: reference) else {
                throw CommandFailure(code: 2, message: "cannot read the transformation file \(reference)")
            }
            text = String(decoding: contents, as: UTF8.self)
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
