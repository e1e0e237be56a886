import Foundation

/// A client socket that writes bytes exactly as given and reads whatever comes back, for inputs
/// no HTTP library would send (a 5 MB header line, a malformed request line, a body longer than
/// announced). Every call has a deadline, so a server that stops reading or never answers shows
/// up as `timedOut`, never as a hung test.
public struct RawHTTPConnection {
    private let fd: Int32

    public enum Failure: Error, Sendable, Equatable {
        case cannotConnect(String)
        /// The deadline passed while writing (`written` bytes went out) or while waiting for the answer.
        case timedOut(written: Int)
    }

    /// What came back: the status of the first response (nil when the server closed the
    /// connection without one), the raw bytes, and whether the server closed the connection.
    public struct Exchange: Sendable {
        public let status: Int?
        public let bytes: [UInt8]
        public let closed: Bool
        /// Bytes of the request that went out before the answer (or the close) arrived.
        public let written: Int

        /// The body of the first response (after the blank line), as far as it arrived.
        public var body: [UInt8] {
            guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return [] }
            return Array(bytes[end.upperBound...])
        }

        /// A response header of the first response.
        public func header(_ name: String) -> String? {
            guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
            let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self)
            for line in head.split(separator: "\r\n").dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == name.lowercased() { return trimmed(parts[1]) }
            }
            return nil
        }
    }

    /// Connects to `127.0.0.1:port`.
    public init(port: Int) throws(Failure) {
        let fd = openSocket()
        guard fd >= 0 else { throw .cannotConnect("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            closeDescriptor(fd)
            throw .cannotConnect("connect to 127.0.0.1:\(port) failed (errno \(errno))")
        }
        self.fd = fd
        var flags = fcntl(fd, F_GETFL, 0)
        flags |= O_NONBLOCK
        _ = fcntl(fd, F_SETFL, flags)
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
    }

    public func disconnect() {
        closeDescriptor(fd)
    }

    /// Writes `request` while reading, until the first response is complete (by Content-Length),
    /// the server closes, or `seconds` pass. A server may answer before the request is fully
    /// written (an early 413 or 431): reading while writing is what lets a client see it.
    public func exchange(_ request: [UInt8], seconds: Double) throws(Failure) -> Exchange {
        let deadline = RawHTTPConnection.now() + seconds
        var written = 0
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var closed = false
        while true {
            if let status = RawHTTPConnection.complete(received) {
                return Exchange(status: status, bytes: received, closed: closed, written: written)
            }
            if closed { return Exchange(status: RawHTTPConnection.statusCode(received), bytes: received, closed: true, written: written) }
            let remaining = deadline - RawHTTPConnection.now()
            guard remaining > 0 else { throw .timedOut(written: written) }
            var fds = pollfd(fd: fd, events: Int16(POLLIN) | (written < request.count ? Int16(POLLOUT) : 0), revents: 0)
            let ready = poll(&fds, 1, Int32(min(remaining, 1) * 1000) + 1)
            if ready < 0, errno != EINTR { closed = true; continue }
            if fds.revents & Int16(POLLIN) != 0 || fds.revents & Int16(POLLHUP) != 0 || fds.revents & Int16(POLLERR) != 0 {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n > 0 {
                    received.append(contentsOf: buffer[0..<n])
                } else if n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                    closed = true
                }
            }
            if fds.revents & Int16(POLLOUT) != 0, written < request.count {
                let n = request[written...].withUnsafeBytes { send(fd, $0.baseAddress, min($0.count, 262_144), Int32(MSG_NOSIGNAL)) }
                if n > 0 {
                    written += n
                } else if n < 0, errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR {
                    // The server closed its side; read what it said before.
                    written = request.count
                }
            }
        }
    }

    /// Connects, exchanges and disconnects on a thread of its own: the socket calls block, and a
    /// blocked thread of Swift's cooperative pool (two on a two-core machine) could starve the
    /// very server being asked.
    public static func exchange(port: Int, _ request: [UInt8], seconds: Double) async throws(Failure) -> Exchange {
        let result: Result<Exchange, Failure> = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                do throws(Failure) {
                    let connection = try RawHTTPConnection(port: port)
                    defer { connection.disconnect() }
                    continuation.resume(returning: .success(try connection.exchange(request, seconds: seconds)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// The status when `bytes` hold a whole response (head, and body by Content-Length).
    static func complete(_ bytes: [UInt8]) -> Int? {
        guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)), let status = statusCode(bytes) else { return nil }
        let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).lowercased()
        var length = 0
        for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
            length = Int(trimmed(line.dropFirst("content-length:".count))) ?? 0
        }
        if head.contains("transfer-encoding: chunked") {
            return bytes[end.upperBound...].firstRange(of: Array("0\r\n\r\n".utf8)) != nil ? status : nil
        }
        return bytes.count - end.upperBound >= length ? status : nil
    }

    static func statusCode(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 12, bytes.starts(with: Array("HTTP/1.".utf8)) else { return nil }
        return Int(String(decoding: bytes[9..<12], as: UTF8.self))
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

private func trimmed(_ text: Substring) -> String {
    String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
}

private func closeDescriptor(_ fd: Int32) {
    _ = close(fd)
}

private func openSocket() -> Int32 {
    socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
}
