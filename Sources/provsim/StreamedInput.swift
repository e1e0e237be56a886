import Foundation
import JSON

/// A file or standard input read in batches of whole lines (`LineBatchReader`), for commands that
/// stream NDJSON of any length. The file is closed when the last reader of it is gone.
final class StreamedInput {
    let name: String
    private let descriptor: Int32
    private let owned: Bool

    /// Opens `path`, or standard input for `-` or `nil`; a file that cannot be opened is invalid input (exit 2).
    init(_ path: String?) throws {
        guard let path, path != "-" else {
            (name, descriptor, owned) = ("standard input", 0, false)
            return
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw CommandFailure(code: 2, message: "cannot read \(path): \(String(cString: strerror(errno)))") }
        (name, self.descriptor, owned) = (path, descriptor, true)
    }

    deinit {
        if owned { close(descriptor) }
    }

    /// Batches of about `batchBytes` whole lines.
    func batches(batchBytes: Int = 1 << 22) -> LineBatchReader {
        LineBatchReader(batchBytes: batchBytes) { [self] buffer in
            while true {
                let count = read(descriptor, buffer.baseAddress, buffer.count)
                if count >= 0 { return count }
                if errno != EINTR { throw CommandFailure(code: 2, message: "cannot read \(name): \(String(cString: strerror(errno)))") }
            }
        }
    }

    /// Starts again from the beginning of a file (the bench reads it once per pass).
    func rewind() throws {
        guard owned, lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw CommandFailure(code: 2, message: "cannot read \(name) again: pass a file, not standard input")
        }
    }
}
