import Foundation
import Synchronization
import Testing

/// Runs the built `provsim` binary, as a user or CI would.
struct ProvsimProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The binary next to the test bundle (the test target depends on it, so it is built).
    static let binary: URL = {
        var directory = Bundle.main.bundleURL
        if directory.pathExtension == "xctest" { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("provsim")
    }()

    /// The package root, for paths to shipped scenarios.
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// `environment` is added to this process's (an empty value removes the variable).
    static func run(_ arguments: [String], stdin: String? = nil, in directory: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if !environment.isEmpty {
            var merged = ProcessInfo.processInfo.environment
            for (name, value) in environment { merged[name] = value.isEmpty ? nil : value }
            process.environment = merged
        }
        process.currentDirectoryURL = directory ?? packageRoot
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes before waiting, standard error on a thread of its own, so neither full
        // pipe can block the child.
        let errorBytes = Mutex(Data())
        let errorRead = DispatchSemaphore(value: 0)
        let errorReader = Thread {
            errorBytes.withLock { $0 = err.fileHandleForReading.readDataToEndOfFile() }
            errorRead.signal()
        }
        errorReader.start()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errorRead.wait()  // no deadline: the pipe ends when the child exits, however busy the machine
        let stderr = errorBytes.withLock { $0 }
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("provsim-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A long-running `provsim` (such as `provsim serve`), read line by line and stopped by a signal.
final class ProvsimServer {
    let process = Process()
    private let out = Pipe()
    private let err = Pipe()
    private var buffered: [UInt8] = []

    init(_ arguments: [String]) throws {
        process.executableURL = ProvsimProcess.binary
        process.arguments = arguments
        process.currentDirectoryURL = ProvsimProcess.packageRoot
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// The next line of standard output, or nil at the end (the process stopped).
    func readLine() -> String? {
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffered[..<newline], as: UTF8.self)
                buffered.removeSubrange(...newline)
                return line
            }
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { return buffered.isEmpty ? nil : String(decoding: buffered, as: UTF8.self) }
            buffered += chunk
        }
    }

    /// Sends `signal`, waits for the exit and returns the status and all of standard error.
    func stop(signal: Int32 = SIGINT) -> (status: Int32, stderr: String) {
        if process.isRunning { kill(process.processIdentifier, signal) }
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stderr, as: UTF8.self))
    }
}
