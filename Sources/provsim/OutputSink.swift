import Foundation

/// Standard output or a file, written in chunks.
enum OutputSink {
    case standardOutput
    case file(String)
    case open(FileHandle)

    mutating func write(_ bytes: [UInt8]) throws {
        switch self {
        case .standardOutput:
            FileHandle.standardOutput.write(Data(bytes))
        case .file(let path):
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw CommandFailure(code: 2, message: "cannot write \(path)")
            }
            self = .open(handle)
            try write(bytes)
        case .open(let handle):
            try handle.write(contentsOf: Data(bytes))
        }
    }

    func close() throws {
        if case .open(let handle) = self { try handle.close() }
    }
}
